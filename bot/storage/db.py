"""The async engine and session factory, and schema upgrades through Alembic.

SQLite is the embedded default; the same code runs on PostgreSQL by changing DATABASE_URL only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.config import ensure_data_dir

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
READ_ONLY = "runlift_read_only"
"""Execution option marking a session that only reads (see `Database.reading`)."""
SQLITE_POOL_TIMEOUT = 120.0
"""Seconds a transaction may wait for the connection before the update fails (and is answered)."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers and one writer overlap; synchronous=NORMAL makes a commit cheap.

    Why NORMAL is safe against a kill -9 but not against a power loss: in WAL mode a commit
    appends the transaction's pages and a commit frame to the -wal file with `write()`; NORMAL
    skips the `fsync()` of that file at each commit (it syncs at checkpoints only). Once
    `write()` has returned the bytes are in the operating system's page cache, which outlives
    the process, so a killed or crashed bot loses nothing it committed: the next connection
    reads the -wal file and finds every committed transaction. Only the OS going down with the
    page cache unflushed (power loss, kernel panic) can roll back the last commits before the
    next checkpoint; the database is still consistent then, never corrupt. FULL would buy that
    too, at one fsync per commit, which on ordinary disks costs more than the rest of an update.
    The fault trials in tests/faults kill the bot with SIGKILL at random moments and find
    nothing lost that a reply had confirmed.

    The driver's own transaction handling is switched off so `_sqlite_begin` can take the write
    lock up front: a deferred transaction that reads and then writes can fail at once with
    "database is locked" when another writer is busy, whatever busy_timeout says.
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    """Writers take the lock up front; a `Database.reading()` session only reads, so it begins
    deferred and, in WAL, neither waits for writers nor makes them wait."""
    read_only = connection.get_execution_options().get(READ_ONLY, False)
    connection.exec_driver_sql("BEGIN DEFERRED" if read_only else "BEGIN IMMEDIATE")


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the packaged migrations (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


class Database:
    """Owns the engine; hand out short-lived `AsyncSession`s with `db.session()`."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        ensure_data_dir(url)
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        kwargs: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            # SQLite has one writer. Handing out one connection at a time queues transactions
            # in the event loop instead of letting them spin in SQLite's busy handler, which
            # backs off in sleeps of up to 100 ms and turned a burst of runners into seconds.
            kwargs.update(
                connect_args={"timeout": 30},
                pool_size=1,
                max_overflow=0,
                pool_timeout=SQLITE_POOL_TIMEOUT,
            )
        else:
            kwargs.update(pool_size=10, max_overflow=10, pool_pre_ping=True)
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            event.listen(self.engine.sync_engine, "begin", _sqlite_begin)
        self.session = async_sessionmaker(self.engine, expire_on_commit=False)
        self.read_engine = self.engine
        if self.is_sqlite:
            # readers get connections of their own: in WAL they read the last commit while the
            # one writer works, instead of queueing for the writer's single connection
            self.read_engine = create_async_engine(
                url, echo=echo, connect_args={"timeout": 30}, pool_size=2, max_overflow=2
            )
            event.listen(self.read_engine.sync_engine, "connect", _sqlite_pragmas)
            event.listen(self.read_engine.sync_engine, "begin", _sqlite_begin)
        self.reading = async_sessionmaker(
            self.read_engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False
        )
        """Sessions for views that only read (/plan, /today): no write lock is taken."""

    async def upgrade(self, revision: str = "head") -> None:
        """Brings the schema to `revision`; safe to run on every start."""

        def _upgrade(connection: Connection) -> None:
            command.upgrade(alembic_config(connection), revision)

        async with self.engine.begin() as connection:
            await connection.run_sync(_upgrade)

    async def current_revision(self) -> str | None:
        """The schema's Alembic revision, or None for an empty database."""
        from alembic.runtime.migration import MigrationContext

        def _current(connection: Connection) -> str | None:
            return MigrationContext.configure(connection).get_current_revision()

        async with self.engine.connect() as connection:
            return await connection.run_sync(_current)

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self.read_engine is not self.engine:
            await self.read_engine.dispose()


__all__ = ["AsyncSession", "Database", "alembic_config"]
