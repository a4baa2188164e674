"""The schema: migrations build exactly the tables the code declares, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection

from bot.core.domain.statuses import DraftKind
from bot.storage import drafts, runners
from bot.storage.db import Database
from bot.storage.tables import Base

NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


async def test_migrations_match_the_declared_tables(database_url: str) -> None:
    db = Database(database_url)
    try:
        await db.upgrade()
        await db.upgrade()  # a second start is a no-op

        def diff(connection: Connection) -> list[object]:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))

        async with db.engine.connect() as connection:
            assert await connection.run_sync(diff) == []
        assert await db.current_revision() is not None
    finally:
        await db.dispose()


async def test_times_come_back_aware_utc_and_drafts_survive_a_new_engine(
    database_url: str,
) -> None:
    db = Database(database_url)
    await db.upgrade()
    async with db.session() as session, session.begin():
        await runners.upsert_runner(session, 42, chat_id=42, first_name="Ada", now=NOW)
        await drafts.save_draft(
            session,
            42,
            DraftKind.ONBOARDING,
            step="timezone",
            data={"week": {"tue": "tempo"}},
            now=NOW,
        )
    await db.dispose()

    reopened = Database(database_url)
    try:
        async with reopened.session() as session:
            runner = await runners.get_runner(session, 42)
            draft = await drafts.get_draft(session, 42, DraftKind.ONBOARDING)
        assert runner is not None and runner.created_at == NOW
        assert runner.created_at.tzinfo is not None
        assert draft is not None and draft.step == "timezone"
        assert draft.data == {"week": {"tue": "tempo"}}
    finally:
        await reopened.dispose()


async def test_deleting_a_runner_removes_their_drafts(database_url: str) -> None:
    db = Database(database_url)
    await db.upgrade()
    try:
        async with db.session() as session, session.begin():
            for runner_id in (1, 2):
                await runners.upsert_runner(
                    session, runner_id, chat_id=runner_id, first_name="R", now=NOW
                )
                await drafts.save_draft(
                    session, runner_id, DraftKind.ONBOARDING, step="week", data={}, now=NOW
                )
        async with db.session() as session, session.begin():
            await runners.delete_runner(session, 1)
        async with db.session() as session:
            assert await drafts.get_draft(session, 1, DraftKind.ONBOARDING) is None
            assert await drafts.get_draft(session, 2, DraftKind.ONBOARDING) is not None
    finally:
        await db.dispose()


async def test_first_contact_creates_once_and_notices_a_runner_coming_back(
    database_url: str,
) -> None:
    db = Database(database_url)
    await db.upgrade()
    try:
        async with db.session() as session, session.begin():
            first = await runners.first_contact(session, 7, chat_id=7, first_name="Ada", now=NOW)
            await drafts.save_draft(
                session, 7, DraftKind.ONBOARDING, step="week", data={}, now=NOW
            )
        assert first.new and first.was_active and first.profile is None
        async with db.session() as session, session.begin():
            await runners.set_active(session, 7, False, NOW)
            await drafts.save_draft(
                session, 7, DraftKind.ONBOARDING, step="goal", data={"units": "kg"}, now=NOW
            )
        async with db.session() as session, session.begin():
            again = await runners.first_contact(session, 7, chat_id=8, first_name="Ada L", now=NOW)
        assert not again.new and not again.was_active and again.profile is None
        async with db.session() as session:
            runner = await runners.get_runner(session, 7)
            found = await drafts.get_drafts(session, 7, (DraftKind.SETTINGS, DraftKind.ONBOARDING))
        assert runner is not None and runner.active and runner.chat_id == 8
        assert runner.first_name == "Ada L" and runner.profile is None
        assert list(found) == ["onboarding"]
        assert found[DraftKind.ONBOARDING].step == "goal" and found[DraftKind.ONBOARDING].data == {
            "units": "kg"
        }
    finally:
        await db.dispose()
