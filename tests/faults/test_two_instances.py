"""Two bot processes on one database (PostgreSQL when RUNLIFT_TEST_POSTGRES_URL is set) deliver a
batch of due reminders: each runner gets theirs exactly once.

The claim is what makes this safe (`FOR UPDATE SKIP LOCKED` on PostgreSQL, an atomic conditional
update on both engines). The local server enforces Telegram's limits, which are per bot, not per
process: two instances pacing at 29.5/s each get 429s, wait them out, and still send each once.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from bench.common import seed
from bot.ports import OffsetClock
from bot.storage.db import Database
from bot.storage.tables import Reminder
from devtools.localapi import LocalBotApi
from tests.e2e.conftest import StartBot
from tests.localapi_client import LocalApiClient

pytestmark = pytest.mark.e2e

RUNNERS = 450  # more than one claim batch (200), so both instances take a share
FIRST_ID = 3_000_000


@pytest.mark.timeout(300)
async def test_two_instances_deliver_a_batch_of_due_reminders_once_each(
    start_bot: StartBot,
    client: LocalApiClient,
    local_api: LocalBotApi,
    database_url: str,
    bot_clock: OffsetClock,
) -> None:
    now = bot_clock.now()
    await seed(
        database_url,
        RUNNERS,
        reminders_due=now - timedelta(seconds=20),
        first_id=FIRST_ID,
        now=now,
    )
    await client.set_rate_limits(max_per_second=30, per_chat_per_second=1, per_chat_burst=1)
    env = {"QUIET_HOURS": "off"}
    await asyncio.gather(start_bot(**env), start_bot(**env))
    for _ in range(240):  # at most two minutes; 450 at 30/s take 15 s
        if local_api.stats()["messages_sent"] >= RUNNERS:
            break
        await asyncio.sleep(0.5)
    await asyncio.sleep(3)  # a second copy, if any, would arrive now

    counts = Counter[int]()
    for runner_id in range(FIRST_ID, FIRST_ID + RUNNERS):
        history = await client.history(runner_id)
        counts[runner_id] = sum(1 for m in history if m["from_bot"])
    db = Database(database_url)
    try:
        async with db.session() as session:
            rows = (await session.execute(select(Reminder.status, Reminder.claimed_by))).all()
    finally:
        await db.dispose()
    by_instance = Counter(
        str(claimer).rsplit(":", 1)[0] for status, claimer in rows if status == "sent"
    )
    stats = local_api.stats()
    print(
        f"two instances: {RUNNERS} due reminders, sent by instance {dict(by_instance)}, "
        f"429 answers {stats['rate_limited']}"
    )
    assert [r for r, c in counts.items() if c > 1] == []  # none sent twice
    assert [r for r, c in counts.items() if c == 0] == []  # none lost
    assert {status for status, _ in rows} == {"sent"}
