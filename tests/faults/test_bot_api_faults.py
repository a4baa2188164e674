"""Telegram misbehaving, injected by the local Bot API server: the real bot waits, retries, or
marks the runner inactive, and never crashes."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from bot.ports import OffsetClock
from bot.storage.db import Database
from bot.storage.tables import Runner
from devtools.localapi import LocalBotApi
from tests.e2e.conftest import StartBot, wait_for_text
from tests.faults.test_kill9 import ENV, RUNNERS, seed_runners
from tests.localapi_client import LocalApiClient

pytestmark = pytest.mark.e2e

RUNNER = 9400


async def _help_answered(client: LocalApiClient, within: float = 15) -> None:
    sent = await client.send_text(RUNNER, "/help")
    await wait_for_text(client, RUNNER, "/plan", after=sent["message_id"], within=within)


async def test_429_is_waited_out_and_the_answer_still_arrives(
    start_bot: StartBot, client: LocalApiClient, local_api: LocalBotApi
) -> None:
    bot = await start_bot()
    await client.create_user(RUNNER)
    await client.add_fault("sendMessage", "429", retry_after=2)
    await _help_answered(client)
    assert local_api.stats()["errors"].get("429", 0) >= 1
    assert bot.running


@pytest.mark.parametrize(
    ("kind", "options"),
    [
        ("error", {"status": 502}),
        ("error", {"status": 500}),
        ("hang", {"seconds": 8, "then_process": False}),
    ],
)
async def test_5xx_and_timeouts_never_crash_the_bot(
    start_bot: StartBot, client: LocalApiClient, kind: str, options: dict[str, object]
) -> None:
    bot = await start_bot()
    await client.create_user(RUNNER)
    await client.add_fault("sendMessage", kind, **options)
    await client.send_text(RUNNER, "/help")  # this answer may be lost with the fault …
    await asyncio.sleep(0.5)
    await _help_answered(client, within=20)  # … but the bot lives and answers the next one
    assert bot.running
    assert "Traceback" not in "".join(str(m["text"]) for m in await client.history(RUNNER))


async def test_a_runner_who_blocked_the_bot_is_marked_inactive(
    start_bot: StartBot,
    client: LocalApiClient,
    local_api: LocalBotApi,
    database_url: str,
    bot_clock: OffsetClock,
) -> None:
    await seed_runners(database_url, bot_clock)  # their session reminders are due now
    blocked = RUNNERS[0]
    for runner_id in RUNNERS[:3]:
        await client.create_user(runner_id)
    await client.block(blocked)
    bot = await start_bot(**ENV)
    await wait_for_text(client, RUNNERS[1], "Here's today's session", within=30)
    db = Database(database_url)
    try:
        for _ in range(50):
            async with db.session() as session:
                active = await session.scalar(select(Runner.active).where(Runner.id == blocked))
            if active is False:
                break
            await asyncio.sleep(0.2)
    finally:
        await db.dispose()
    assert active is False
    assert local_api.stats()["errors"].get("403", 0) >= 1
    assert bot.running
