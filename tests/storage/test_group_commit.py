"""`Database.write`: many small writes share SQLite transactions, each acknowledged only once
committed, and one bad write does not take the others of its batch down with it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import UTC, datetime
from functools import partial

import pytest
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.core.domain.statuses import DraftKind
from bot.storage import drafts, runners
from bot.storage.db import Database

NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


async def _newcomer(connection: AsyncConnection, runner_id: int) -> bool:
    new = await runners.add_if_new(
        connection, runner_id, chat_id=runner_id, first_name="R", now=NOW
    )
    await drafts.save_draft(
        connection, runner_id, DraftKind.ONBOARDING, step="week", data={}, now=NOW
    )
    return new


async def test_a_burst_of_writes_lands_whole_in_few_transactions(database_url: str) -> None:
    db = Database(database_url)
    await db.upgrade()
    commits = []
    event.listen(db.engine.sync_engine, "commit", lambda _: commits.append(1))
    try:
        results = await asyncio.gather(
            *(db.write(partial(_newcomer, runner_id=i)) for i in range(1, 101))
        )
        assert results == [True] * 100
        assert await db.write(lambda c: _newcomer(c, 1)) is False  # known now
        reopened = Database(database_url)
        try:
            async with reopened.session() as session:
                for i in range(1, 101):
                    assert await drafts.get_draft(session, i, DraftKind.ONBOARDING) is not None
        finally:
            await reopened.dispose()
    finally:
        await db.dispose()
    if db.is_sqlite:
        assert len(commits) < 20  # shared transactions, not one per runner


async def test_one_failing_write_leaves_the_rest_of_its_batch_committed(database_url: str) -> None:
    db = Database(database_url)
    await db.upgrade()

    async def orphan(connection: AsyncConnection) -> None:  # no such runner: FK violation
        await drafts.save_draft(
            connection, 999, DraftKind.ONBOARDING, step="week", data={}, now=NOW
        )

    try:
        outcomes = await asyncio.gather(
            db.write(lambda c: _newcomer(c, 1)),
            db.write(orphan),
            db.write(lambda c: _newcomer(c, 2)),
            return_exceptions=True,
        )
        assert outcomes[0] is True and outcomes[2] is True
        assert isinstance(outcomes[1], IntegrityError)
        async with db.session() as session:
            assert await drafts.get_draft(session, 1, DraftKind.ONBOARDING) is not None
            assert await drafts.get_draft(session, 2, DraftKind.ONBOARDING) is not None
            assert await drafts.get_draft(session, 999, DraftKind.ONBOARDING) is None
        with pytest.raises(IntegrityError):
            await db.write(orphan)
    finally:
        await db.dispose()


async def test_statement_writes_share_one_executemany_and_fail_alone(database_url: str) -> None:
    """`write_statement`: a burst of the same upsert lands whole (on SQLite as one executemany
    per batch); an answer for a runner who does not exist fails alone."""
    db = Database(database_url)
    await db.upgrade()
    try:
        await asyncio.gather(*(db.write(partial(_newcomer, runner_id=i)) for i in range(1, 51)))
        executemany = []

        def seen(*args: object) -> None:
            executemany.append(args[-1])

        writer = db.statement_writer or db.engine.sync_engine
        event.listen(writer, "before_cursor_execute", seen)

        def answer(runner_id: int, step: str) -> Awaitable[None]:
            statement = drafts.upsert(
                db.dialect,
                runner_id,
                DraftKind.ONBOARDING,
                step=step,
                data={"n": runner_id},
                now=NOW,
            )
            return db.write_statement(*statement)

        outcomes = await asyncio.gather(
            *(answer(i, "time") for i in range(1, 51)), answer(999, "time"), return_exceptions=True
        )
        assert all(outcome is None for outcome in outcomes[:50])
        assert isinstance(outcomes[50], IntegrityError)
        async with db.session() as session:
            for i in range(1, 51):
                draft = await drafts.get_draft(session, i, DraftKind.ONBOARDING)
                assert draft is not None and draft.step == "time" and draft.data == {"n": i}
            assert await drafts.get_draft(session, 999, DraftKind.ONBOARDING) is None
        if db.is_sqlite:
            assert any(executemany)  # the batch went to the driver in one call
    finally:
        await db.dispose()
