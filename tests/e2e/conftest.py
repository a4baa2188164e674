"""End-to-end fixtures: the local Bot API server in-process, the real bot as a subprocess.

The bot is started exactly as an operator would (`python -m bot run`), configured only through
environment variables, and talks to the local server over HTTP on 127.0.0.1. Its clock never is
the wall clock: every process of a test, and the local server, share `bot_clock`, which starts at
`pinned_now` (see tests/conftest.py) and is handed to each process as `RUNLIFT_CLOCK_START`.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bench.common import RunliftProcess
from bot.ports import OffsetClock
from devtools.localapi import LocalBotApi
from tests.localapi_client import LocalApiClient

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:e2e-test-token"


@dataclass
class BotProcess(RunliftProcess):
    """A running `runlift run`, with the settings it was started with (a restart reuses them)."""

    env: dict[str, str] = field(default_factory=dict)


@pytest.fixture
def bot_clock(pinned_now: datetime) -> OffsetClock:
    """The test's one timeline: starts at `pinned_now` and ticks; a restarted bot process
    picks up where the last one was, never back at the start."""
    return OffsetClock.starting_at(pinned_now)


@pytest.fixture
async def local_api(bot_clock: OffsetClock) -> AsyncIterator[LocalBotApi]:
    """The local Bot API server; its message dates come from the bots' clock."""
    api = LocalBotApi(auto_create_users=True, clock=lambda: bot_clock.now().timestamp())
    await api.start("127.0.0.1", 0)
    try:
        yield api
    finally:
        await api.stop()


@pytest.fixture
async def client(local_api: LocalBotApi) -> AsyncIterator[LocalApiClient]:
    async with LocalApiClient(local_api.url) as api_client:
        yield api_client


StartBot = Callable[..., Awaitable[BotProcess]]


@pytest.fixture
async def start_bot(
    local_api: LocalBotApi, database_url: str, tmp_path: Path, bot_clock: OffsetClock
) -> AsyncIterator[StartBot]:
    """Starts `python -m bot run` against the local server; every process is stopped at the end."""
    processes: list[BotProcess] = []

    async def start(**env_overrides: str) -> BotProcess:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("TELEGRAM_", "DATABASE_", "WEBHOOK_", "RUNLIFT_CLOCK_"))
        }
        env.update(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_URL=local_api.url,
            DATABASE_URL=database_url,
            LOG_LEVEL="INFO",
            PYTHONUNBUFFERED="1",
            RUNLIFT_CLOCK_START=bot_clock.now().isoformat(),
        )
        env.update(env_overrides)
        log_path = tmp_path / f"bot-{len(processes)}.log"
        log_file = log_path.open("wb")
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=tmp_path,
            env=env,
            stdout=log_file,
            stderr=asyncio.subprocess.STDOUT,
        )
        log_file.close()
        handle = BotProcess(process, log_path, env)
        processes.append(handle)
        await _wait_until_up(local_api, handle, polls_before=_polls(local_api))
        return handle

    yield start
    for handle in processes:
        await handle.stop()


def _polls(api: LocalBotApi) -> int:
    """Long polls plus webhook registrations: either means the bot is ready for updates."""
    calls = _stats(api).get("calls", {})
    return int(calls.get("getUpdates", 0)) + int(calls.get("setWebhook", 0))


def _stats(api: LocalBotApi) -> dict[str, Any]:
    stats: dict[str, Any] = api.stats()
    return stats


async def _wait_until_up(api: LocalBotApi, handle: BotProcess, *, polls_before: int) -> None:
    """Up = the bot polls or has set its webhook (after its schema upgrade and command menu)."""
    for _ in range(300):
        if not handle.running:
            raise AssertionError(f"the bot exited early:\n{handle.log()}")
        if _polls(api) > polls_before:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the bot did not start polling in 15 s:\n{handle.log()}")


async def wait_for_text(
    client: LocalApiClient, user_id: int, contains: str, *, after: int = 0, within: float = 10
) -> dict[str, Any]:
    """The first bot message after `after` whose text contains `contains` (waits for it)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    seen = after
    while (left := deadline - loop.time()) > 0:
        for message in await client.wait_for_bot_messages(user_id, after=seen, timeout=left):
            seen = max(seen, int(message["message_id"]))
            if contains.lower() in str(message.get("text") or message.get("caption")).lower():
                return dict(message)
    history = [m.get("text") for m in await client.history(user_id)]
    raise AssertionError(f"no bot message containing {contains!r}; chat: {history}")
