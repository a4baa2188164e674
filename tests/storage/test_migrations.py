"""An old database upgrades in place, its rows intact (SQLite, and PostgreSQL in CI)."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Connection, inspect, text

from bot.storage.db import SCHEMA_HEAD, Database


def _indexes(connection: Connection) -> set[str]:
    return {index["name"] or "" for index in inspect(connection).get_indexes("log_entries")}


async def test_a_database_at_the_first_release_upgrades_to_head_keeping_its_rows(
    database_url: str,
) -> None:
    db = Database(database_url)
    try:
        await db.upgrade("0001")
        now = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
        async with db.engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO runners (id, chat_id, first_name, profile, active, paused, "
                    "created_at, updated_at) VALUES (7, 7, 'Old', NULL, true, false, :now, :now)"
                ),
                {"now": now},
            )
            await connection.execute(
                text(
                    "INSERT INTO log_entries (runner_id, performed_on, raw_text, "
                    "confirmation_message_id, created_at) "
                    "VALUES (7, :day, 'squat 3x5 60', 55, :now)"
                ),
                {"day": date(2026, 11, 1), "now": now},
            )
        async with db.engine.connect() as connection:
            assert "ix_log_entries_confirmation" not in await connection.run_sync(_indexes)

        await db.upgrade()
        assert await db.current_revision() == SCHEMA_HEAD
        async with db.engine.connect() as connection:
            assert "ix_log_entries_confirmation" in await connection.run_sync(_indexes)
            rows = (await connection.execute(text("SELECT raw_text FROM log_entries"))).all()
        assert [r[0] for r in rows] == ["squat 3x5 60"]
    finally:
        await db.dispose()


async def test_a_database_at_0002_gains_the_adjustments_table_keeping_its_runners(
    database_url: str,
) -> None:
    db = Database(database_url)
    try:
        await db.upgrade("0002")
        now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
        async with db.engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO runners (id, chat_id, first_name, profile, active, paused, "
                    "created_at, updated_at) VALUES (9, 9, 'Kept', NULL, true, false, :now, :now)"
                ),
                {"now": now},
            )
        async with db.engine.connect() as connection:
            tables = await connection.run_sync(lambda c: inspect(c).get_table_names())
        assert "adjustments" not in tables

        await db.upgrade()
        assert await db.current_revision() == SCHEMA_HEAD
        async with db.engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO adjustments (runner_id, kind, starts_on, ends_on, data, "
                    "created_at) VALUES (9, 'pain', :day, NULL, '{}', :now)"
                ),
                {"day": date(2026, 12, 1), "now": now},
            )
            names = (await connection.execute(text("SELECT first_name FROM runners"))).all()
            kinds = (await connection.execute(text("SELECT kind FROM adjustments"))).all()
        assert [n[0] for n in names] == ["Kept"]
        assert [k[0] for k in kinds] == ["pain"]
    finally:
        await db.dispose()


def test_schema_head_names_the_newest_migration() -> None:
    from alembic.script import ScriptDirectory

    from bot.storage.db import SCHEMA_HEAD, alembic_config

    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert heads == [SCHEMA_HEAD], "a new migration: set SCHEMA_HEAD in bot/storage/db.py to it"


async def test_a_start_on_a_current_schema_changes_nothing_and_an_old_one_still_upgrades(
    database_url: str,
) -> None:
    db = Database(database_url)
    try:
        await db.upgrade("0002")
        assert await db.current_revision() == "0002"
        await db.upgrade()
        assert await db.current_revision() == _head_of_folder()
        await db.upgrade()
        assert await db.current_revision() == _head_of_folder()
    finally:
        await db.dispose()


def _head_of_folder() -> str:
    from alembic.script import ScriptDirectory

    from bot.storage.db import alembic_config

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def test_the_bots_first_start_migrates_in_a_child_and_keeps_alembic_out(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    script = (
        "import asyncio, sys\n"
        "from bot.storage.db import Database\n"
        "async def main():\n"
        f"    db = Database({url!r})\n"
        "    await db.upgrade_aside()\n"
        "    print(await db._stored_revision(), 'alembic' in sys.modules)\n"
        "    await db.dispose()\n"
        "asyncio.run(main())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.split() == [_head_of_folder(), "False"]
