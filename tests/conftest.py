"""Shared fixtures: settings on a throw-away database, a test clock, and the real Application.

The `app` fixture fails any test in which an exception reached the error handler (the runner
sees only "Sorry — something went wrong", so a test reading the chat would pass). A test that
provokes one on purpose says so, with why:
`@pytest.mark.expect_handler_error(RuntimeError, reason="...")`.

No test reads the wall clock. In-process tests move a `MutableClock`; tests that run the bot as
a process or the demo start its clock at `pinned_now` (`RUNLIFT_CLOCK_START`), an instant that
`--now` or `RUNLIFT_TEST_NOW` can change: `pytest -m pinned_clock --now 2026-11-29T23:59+00:00`
runs every such test at an awkward instant (scripts/test does it for a few).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import build_application
from bot.config import Settings
from bot.context import RunliftApplication
from bot.services.container import Services
from bot.storage.db import Database
from devtools.localapi import LocalBotApi
from tests.fakes import ChatHarness, ErrorSpy, MutableClock, RecordingRequest

POSTGRES_URL = os.environ.get("RUNLIFT_TEST_POSTGRES_URL")
DEFAULT_NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
"""Tuesday 24 November 2026, 10:00 in London: a hard run day, before its reminder is due."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--now",
        default=os.environ.get("RUNLIFT_TEST_NOW") or DEFAULT_NOW.isoformat(),
        help=(
            "the instant (ISO 8601 with an offset) at which the bot's clock starts in tests that "
            "run the bot process or the demo; default RUNLIFT_TEST_NOW, else "
            f"{DEFAULT_NOW.isoformat()}"
        ),
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Marks `pinned_clock` every test whose clock starts at `pinned_now`, so `-m pinned_clock`
    selects exactly the tests that a change of instant can affect."""
    for item in items:
        if "pinned_now" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.pinned_clock)


@pytest.fixture(scope="session")
def pinned_now(pytestconfig: pytest.Config) -> datetime:
    """Where the bot's clock starts in process and demo tests (`--now`, `RUNLIFT_TEST_NOW`)."""
    text = str(pytestconfig.getoption("--now"))
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        raise pytest.UsageError(f"--now / RUNLIFT_TEST_NOW: {text!r} is not ISO 8601") from None
    if instant.tzinfo is None:
        raise pytest.UsageError("--now / RUNLIFT_TEST_NOW needs an offset, e.g. +00:00")
    return instant


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
    name = f"runlift_test_{uuid.uuid4().hex[:12]}"
    await _postgres_admin(server_url, f'CREATE DATABASE "{name}"')
    try:
        yield _postgres_database_url(server_url, name)
    finally:
        await _postgres_admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _postgres_admin(server_url: str, *statements: str) -> None:
    """Runs `statements` (CREATE/DROP DATABASE) on the server's own database, in order."""
    import asyncpg

    admin = await asyncpg.connect(server_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        for statement in statements:
            await admin.execute(statement)
    finally:
        await admin.close()


def _postgres_database_url(server_url: str, name: str) -> str:
    base, _, _ = server_url.rpartition("/")
    return f"{base}/{name}"


async def _migrate(url: str) -> None:
    """The bot's own upgrade path: the migrations run in a child process."""
    db = Database(url)
    try:
        await db.upgrade_aside()
    finally:
        await db.dispose()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """A SQLite file at the schema's head, migrated once per session (per xdist worker).

    Migrating costs a child process and Alembic (~0.8 s); copying this file costs
    milliseconds, so every test that builds the Application starts from a copy (see
    `app_database`). None when the tests run on PostgreSQL (see `migrated_postgres`)."""
    if POSTGRES_URL:
        return None
    path = tmp_path_factory.mktemp("migrated") / "runlift.db"
    asyncio.run(_migrate(f"sqlite+aiosqlite:///{path}"))
    with closing(sqlite3.connect(path)) as connection:
        # everything in the main file: a copy of it alone is the whole database
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def copy_migrated(template: Path, database_url: str) -> None:
    """Puts a copy of `template` where a SQLite `database_url` points, unless a database is
    there already (a test that seeded it first keeps its own)."""
    target = Path(database_url.removeprefix("sqlite+aiosqlite:///"))
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)
    shutil.copymode(template, target)  # the permissions the bot gave the file it created


@pytest.fixture(scope="session")
def migrated_postgres() -> Iterator[str | None]:
    """On PostgreSQL, the name of a database at the schema's head, migrated once per session
    (per xdist worker) and dropped at its end: `app_database` clones it (CREATE DATABASE …
    TEMPLATE). None on SQLite."""
    if not POSTGRES_URL:
        yield None
        return
    name = f"runlift_migrated_{uuid.uuid4().hex[:12]}"
    asyncio.run(_postgres_admin(POSTGRES_URL, f'CREATE DATABASE "{name}"'))
    try:
        asyncio.run(_migrate(_postgres_database_url(POSTGRES_URL, name)))
        yield name
    finally:
        drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
        asyncio.run(_postgres_admin(POSTGRES_URL, drop))


async def clone_migrated_postgres(server_url: str, template: str, database_url: str) -> None:
    """Replaces the empty database at `database_url` by a clone of `template`; a database
    with tables already (a test that seeded it first) is left as it is."""
    import asyncpg

    connection = await asyncpg.connect(database_url.replace("+asyncpg", ""))
    try:
        tables = await connection.fetchval(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        )
    finally:
        await connection.close()
    if tables:
        return
    name = database_url.rpartition("/")[2]
    await _postgres_admin(
        server_url,
        f'DROP DATABASE "{name}" WITH (FORCE)',
        f'CREATE DATABASE "{name}" TEMPLATE "{template}"',
    )


@pytest.fixture
async def app_database(
    settings: Settings, migrated_sqlite: Path | None, migrated_postgres: str | None
) -> str:
    """The Application's database, already at the schema's head (a copy of `migrated_sqlite`,
    a clone of `migrated_postgres`), so `post_init`'s upgrade is one query. Tests of the
    migrations use `database_url`, which stays empty."""
    url = settings.database_url
    if migrated_sqlite is not None and url.startswith("sqlite+aiosqlite:///"):
        copy_migrated(migrated_sqlite, url)
    elif migrated_postgres is not None and POSTGRES_URL and url.startswith("postgresql"):
        await clone_migrated_postgres(POSTGRES_URL, migrated_postgres, url)
    return url


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
    """Tuesday 2026-11-24 10:00 UTC unless a test moves it (tests set instants by the date)."""
    return MutableClock(DEFAULT_NOW)


@pytest.fixture
def request_recorder(clock: MutableClock) -> RecordingRequest:
    return RecordingRequest(clock=clock)


@pytest.fixture
def handler_errors(request: pytest.FixtureRequest) -> ErrorSpy:
    """What reached the error handler; the types a test's `expect_handler_error` allows."""
    marker = request.node.get_closest_marker("expect_handler_error")
    expected: tuple[type[BaseException], ...] = ()
    if marker is not None:
        if not marker.kwargs.get("reason"):
            raise pytest.UsageError("expect_handler_error needs reason=: say why it raises")
        expected = tuple(marker.args) or (BaseException,)
    return ErrorSpy(expected=expected)


@pytest.fixture
async def app(
    settings: Settings,
    app_database: str,
    clock: MutableClock,
    request_recorder: RecordingRequest,
    handler_errors: ErrorSpy,
) -> AsyncIterator[RunliftApplication]:
    """The real Application, initialised (schema at head, menu set), on the fake Bot API;
    fails the test if a handler or job raised (see the module docstring)."""
    application = build_application(settings, request=request_recorder, clock=clock)
    handler_errors.attach(application)
    async with application:
        assert application.post_init is not None
        await application.post_init(application)
        yield application
    if application.post_shutdown is not None:
        await application.post_shutdown(application)
    assert request_recorder.rejections == [], "the bot sent what Telegram would refuse"
    if handler_errors.unexpected():
        pytest.fail(
            "a handler raised; the runner saw only the apology:\n" + handler_errors.report(),
            pytrace=False,
        )


@pytest.fixture
def services(app: RunliftApplication) -> Services:
    services: Services = app.bot_data["services"]
    return services


@pytest.fixture
def harness(app: RunliftApplication, request_recorder: RecordingRequest) -> ChatHarness:
    return ChatHarness(app, request_recorder)


@pytest.fixture
async def api() -> AsyncIterator[LocalBotApi]:
    """A local Bot API server on 127.0.0.1 with a free port; stopped after the test."""
    server = LocalBotApi()
    await server.start()
    yield server
    await server.stop()
