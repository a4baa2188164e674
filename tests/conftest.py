"""Shared fixtures: settings on a throw-away database, a test clock, and the real Application."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import build_application
from bot.config import Settings
from bot.context import RunliftApplication
from bot.services.container import Services
from tests.fakes import ChatHarness, MutableClock, RecordingRequest

POSTGRES_URL = os.environ.get("RUNLIFT_TEST_POSTGRES_URL")


@pytest.fixture
async def database_url(tmp_path: Path) -> AsyncIterator[str]:
    """An empty database per test: SQLite by default, PostgreSQL when
    RUNLIFT_TEST_POSTGRES_URL names a server (CI runs the storage, scheduler and e2e suites so)."""
    if not POSTGRES_URL:
        yield f"sqlite+aiosqlite:///{tmp_path / 'runlift.db'}"
        return
    async with fresh_postgres_database(POSTGRES_URL) as url:
        yield url


@asynccontextmanager
async def fresh_postgres_database(server_url: str) -> AsyncIterator[str]:
    """Creates a throw-away database on the server and drops it afterwards."""
    import asyncpg

    name = f"runlift_test_{uuid.uuid4().hex[:12]}"
    admin_dsn = server_url.replace("postgresql+asyncpg://", "postgresql://")
    admin = await asyncpg.connect(admin_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    base, _, _ = server_url.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        admin = await asyncpg.connect(admin_dsn)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        _env_file=None,
        telegram_bot_token="123:test-token",
        telegram_api_url="http://127.0.0.1:9",
        database_url=database_url,
    )


@pytest.fixture
def clock() -> MutableClock:
    """Tuesday 2026-11-24 10:00 UTC unless a test moves it."""
    return MutableClock(datetime(2026, 11, 24, 10, 0, tzinfo=UTC))


@pytest.fixture
def request_recorder() -> RecordingRequest:
    return RecordingRequest()


@pytest.fixture
async def app(
    settings: Settings, clock: MutableClock, request_recorder: RecordingRequest
) -> AsyncIterator[RunliftApplication]:
    """The real Application, initialised (schema upgraded, menu set), on the fake Bot API."""
    application = build_application(settings, request=request_recorder, clock=clock)
    async with application:
        assert application.post_init is not None
        await application.post_init(application)
        yield application
    if application.post_shutdown is not None:
        await application.post_shutdown(application)
    assert request_recorder.rejections == [], "the bot sent what Telegram would refuse"


@pytest.fixture
def services(app: RunliftApplication) -> Services:
    services: Services = app.bot_data["services"]
    return services


@pytest.fixture
def harness(app: RunliftApplication, request_recorder: RecordingRequest) -> ChatHarness:
    return ChatHarness(app, request_recorder)
