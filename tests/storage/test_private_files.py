"""The SQLite files hold runners' training and health notes: only the bot's user may read them."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text

from bot.storage.db import Database


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The usual umask, which would leave new files world-readable."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("umask_022")
async def test_a_new_data_folder_and_its_database_files_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    db = Database(f"sqlite+aiosqlite:///{folder / 'runlift.db'}")
    try:
        await db.upgrade()
        async with db.engine.begin() as connection:  # a write: the -wal and -shm files exist
            await connection.execute(text("CREATE TABLE probe (x INTEGER)"))
        files = sorted(p.name for p in folder.iterdir())
        assert files == ["runlift.db", "runlift.db-shm", "runlift.db-wal"]
        assert _mode(folder) == 0o700
        assert {name: _mode(folder / name) for name in files} == dict.fromkeys(files, 0o600)
    finally:
        await db.dispose()


def _default_off(dbapi_connection: Any, _record: Any) -> None:
    """SQLite as most builds ship it (this machine's is compiled with secure_delete on)."""
    dbapi_connection.execute("PRAGMA secure_delete=OFF")


async def test_every_connection_overwrites_deleted_content(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'runlift.db'}")
    try:
        for engine in (db.engine, db.read_engine, db.peek_engine):
            event.listen(engine.sync_engine, "connect", _default_off, insert=True)
            async with engine.connect() as connection:
                assert await connection.scalar(text("PRAGMA secure_delete")) == 1
    finally:
        await db.dispose()


@pytest.mark.usefixtures("umask_022")
def test_the_demos_data_folder_is_private_too(tmp_path: Path) -> None:
    from devtools.demo.supervisor import Demo, DemoOptions

    folder = tmp_path / "demo-data"
    Demo(DemoOptions(data_dir=folder))._prepare_data()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
