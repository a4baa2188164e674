"""`Database.peek`: the open-question read every typed message makes sees the last commit at once
and never waits for a writer, so one runner's long write cannot hold up another's answer."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.core.domain.statuses import DraftKind
from bot.storage import drafts, runners
from bot.storage.db import Database

NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


async def _save(db: Database, runner_id: int, step: str) -> None:
    async def work(connection: AsyncConnection) -> None:
        await runners.add_if_new(connection, runner_id, chat_id=runner_id, first_name="R", now=NOW)
        await drafts.save_draft(
            connection,
            runner_id,
            DraftKind.ONBOARDING,
            step=step,
            data={"week": {"mon": "easy"}},
            now=NOW,
        )

    await db.write(work)


async def test_a_peek_sees_each_answer_as_soon_as_it_is_committed(database_url: str) -> None:
    db = Database(database_url)
    await db.upgrade()
    try:
        assert await drafts.peek_drafts(db, 7, (DraftKind.ONBOARDING,)) == {}
        for step in ("week", "goal", "summary"):
            await _save(db, 7, step)
            found = await drafts.peek_drafts(db, 7, (DraftKind.ONBOARDING, DraftKind.SETTINGS))
            assert list(found) == [DraftKind.ONBOARDING]
            assert found[DraftKind.ONBOARDING].step == step
            assert found[DraftKind.ONBOARDING].data == {"week": {"mon": "easy"}}
    finally:
        await db.dispose()


async def test_a_peek_does_not_wait_for_a_writer_holding_the_lock(database_url: str) -> None:
    db = Database(database_url)
    await db.upgrade()
    await _save(db, 8, "goal")
    try:
        async with db.session() as session:
            # another runner's write transaction, left open while the peek runs
            await session.execute(text("UPDATE drafts SET step = 'week' WHERE runner_id = 8"))
            found = await asyncio.wait_for(
                drafts.peek_drafts(db, 8, (DraftKind.ONBOARDING,)), timeout=5
            )
            assert (
                found[DraftKind.ONBOARDING].step == "goal"
            )  # the last commit, not the open write
            await session.rollback()
    finally:
        await db.dispose()
