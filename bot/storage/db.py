"""The async engine and session factory, and schema upgrades through Alembic.

SQLite is the embedded default; the same code runs on PostgreSQL by changing DATABASE_URL only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy import Connection, Engine, Executable, Row, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.config import ensure_data_dir

if TYPE_CHECKING:
    from alembic.config import Config

T = TypeVar("T")
Work = Callable[[AsyncConnection], Awaitable[Any]]
log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
READ_ONLY = "runlift_read_only"
"""Execution option marking a session that only reads (see `Database.reading`)."""
SQLITE_POOL_TIMEOUT = 120.0
"""Seconds a transaction may wait for the connection before the update fails (and is answered)."""
GROUP_COMMIT_MAX = 200
"""At most this many small writes share one SQLite transaction (see `Database.write`)."""


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

    secure_delete=ON overwrites deleted content with zeros, so a runner's erased data (/delete,
    a corrected log) does not linger in free pages of the file.

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
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    """Writers take the lock up front; a `Database.reading()` session only reads, so it begins
    deferred and, in WAL, neither waits for writers nor makes them wait."""
    read_only = connection.get_execution_options().get(READ_ONLY, False)
    connection.exec_driver_sql("BEGIN DEFERRED" if read_only else "BEGIN IMMEDIATE")


SCHEMA_HEAD = "0007"
"""The newest migration's revision (a test holds it to the migrations folder). A start whose
schema is already there skips Alembic: importing it would keep ~11 MB in the bot for nothing."""


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the packaged migrations (no alembic.ini needed)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _sqlite_side_engine(url: str, echo: bool, **options: Any) -> AsyncEngine:
    """A small pool beside SQLite's one writer (readers, draft peeks), set up as the writer is:
    the same pragmas on connect, parameters hidden from logs."""
    engine = create_async_engine(
        url,
        echo=echo,
        hide_parameters=True,
        connect_args={"timeout": 30},
        pool_size=2,
        max_overflow=2,
        **options,
    )
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_peek_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """The in-loop reader (see `Database.peek`) can never write, and never waits long: in WAL a
    reader takes no lock, so SQLite's busy handler only runs during a crash recovery."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=1000")
    cursor.execute("PRAGMA query_only=ON")
    cursor.close()


def _sqlite_sync_engine(url: str, **options: Any) -> Engine | None:
    """A synchronous pysqlite engine on the same file, for `Database.peek` (in the event loop)
    and the writer thread of `write_statement`'s batches; None for an in-memory database,
    which another connection would not see."""
    parsed = make_url(url)
    if parsed.database in (None, "", ":memory:") or parsed.query.get("mode") == "memory":
        return None
    return create_engine(
        parsed.set(drivername="sqlite"),
        hide_parameters=True,
        pool_size=1,
        max_overflow=0,
        **options,
    )


def _sqlite_peek_engine(url: str) -> Engine | None:
    engine = _sqlite_sync_engine(
        url,
        connect_args={"timeout": 1, "check_same_thread": False},
        isolation_level="AUTOCOMMIT",
        skip_autocommit_rollback=True,
        pool_reset_on_return=None,
    )
    if engine is not None:
        event.listen(engine, "connect", _sqlite_peek_pragmas)
    return engine


def _sqlite_statement_writer(url: str) -> Engine | None:
    engine = _sqlite_sync_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
    if engine is not None:
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


class Database:
    """Owns the engine; hand out short-lived `AsyncSession`s with `db.session()`."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        ensure_data_dir(url)
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        # Parameters are runners' names, words and feed links: never in a log line or in an
        # exception's text (a DEBUG log, an IntegrityError in an error report).
        kwargs: dict[str, Any] = {"echo": echo, "hide_parameters": True}
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
            kwargs.update(pool_size=25, max_overflow=15, pool_pre_ping=True)
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        self.dialect: str = self.engine.dialect.name
        """"sqlite" or "postgresql": picks the dialect's form of an upsert."""
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            event.listen(self.engine.sync_engine, "begin", _sqlite_begin)
        self.session = async_sessionmaker(self.engine, expire_on_commit=False)
        self._pending: list[tuple[Work, asyncio.Future[Any]]] = []
        self._flusher: asyncio.Task[None] | None = None
        self.read_engine = self.engine
        if self.is_sqlite:
            # readers get connections of their own: in WAL they read the last commit while the
            # one writer works, instead of queueing for the writer's single connection
            self.read_engine = _sqlite_side_engine(url, echo)
            event.listen(self.read_engine.sync_engine, "begin", _sqlite_begin)
        self.reading = async_sessionmaker(
            self.read_engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False
        )
        """Sessions for views that only read (/plan, /today): no write lock is taken."""
        self.peek_engine = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        if self.is_sqlite:
            # in autocommit from the connect on: no BEGIN, no ROLLBACK and no switching of
            # the isolation level around a checkout, each of which is a trip to the driver's
            # thread
            self.peek_engine = _sqlite_side_engine(
                url,
                echo,
                isolation_level="AUTOCOMMIT",
                skip_autocommit_rollback=True,
                pool_reset_on_return=None,
            )
        self.peek_reader = _sqlite_peek_engine(url) if self.is_sqlite else None
        """SQLite (a file): the synchronous reader `peek` uses in the event loop."""
        self.statement_writer = _sqlite_statement_writer(url) if self.is_sqlite else None
        """SQLite (a file): the synchronous writer of `write_statement`'s batches."""
        self._writer_thread = (
            ThreadPoolExecutor(1, thread_name_prefix="runlift-writer")
            if self.statement_writer is not None
            else None
        )

    async def peek(self, statement: Executable, values: dict[str, Any]) -> list[Row[Any]]:
        """The rows of one small indexed read outside any transaction: the open questions every
        typed message looks up first (bot/services/questions.py).

        On SQLite it runs right here in the event loop on a plain pysqlite connection: a lookup
        by primary key takes tens of microseconds and, in WAL, never waits for the writer, while
        the async driver's thread costs several trips through the event loop per statement,
        each one a full turn of a loop busy with every other chat. On PostgreSQL it is one
        statement on the autocommit engine."""
        if self.peek_reader is not None:
            with self.peek_reader.connect() as connection:
                return list(connection.execute(statement, values))
        async with self.peeking() as connection:
            return list(await connection.execute(statement, values))

    def peeking(self) -> AbstractAsyncContextManager[AsyncConnection]:
        """A connection for one read statement in autocommit (its own snapshot, no
        transaction around it): the onboarding's draft lookups, one per answer."""
        return self.peek_engine.connect()

    async def write(self, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        """Runs `work` in a write transaction; returns its result once it is committed.

        For the small writes every update makes (a runner's first contact, an onboarding answer):
        writes that arrive while another batch is being committed wait and then share the next
        transaction (group commit). SQLite has one writer anyway; on PostgreSQL, whose server
        shares the machine's cores with the bot, sharing saves each write its own BEGIN, COMMIT
        and WAL flush. A burst of runners costs a fraction of the round trips, and nobody
        waits longer than one batch. Nothing is acknowledged early:
        each caller gets its result only after the COMMIT that holds its write, so a reply sent
        after `await db.write(...)` is durable. If one write of a batch fails, the batch is
        rolled back and each write is run again in its own transaction, so the others still
        land and only the failing one sees its error.

        `work` must only use the connection (no other awaits, no Telegram calls) and may run
        twice.
        """
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._pending.append((work, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def write_statement(self, statement: Executable, values: dict[str, Any]) -> None:
        """One DML statement without a result (an onboarding answer's upsert), written as
        `write` writes: committed before this returns, in a transaction shared with others.

        Consecutive writes of the same statement in a batch go to the driver as one
        executemany: one trip to its thread for all of them instead of a few for each, which
        keeps the one writer's batches short under a burst of answers."""
        await self.write(_Statement(statement, values))

    async def _flush(self) -> None:
        batch: list[tuple[Work, asyncio.Future[Any]]] = []
        try:
            while self._pending:
                batch = self._pending[:GROUP_COMMIT_MAX]
                del self._pending[:GROUP_COMMIT_MAX]
                try:
                    results = await self._commit_batch([work for work, _ in batch])
                except Exception as error:
                    if len(batch) == 1:
                        if not batch[0][1].done():
                            batch[0][1].set_exception(error)
                        continue
                    log.debug("a write of a batch of %d failed; one by one", len(batch))
                    for work, future in batch:
                        await self._write_alone(work, future)
                    continue
                for (_, future), result in zip(batch, results, strict=True):
                    if not future.done():
                        future.set_result(result)
        finally:  # cancelled at shutdown: nobody may wait for ever
            for _, future in [*batch, *self._pending]:
                if not future.done():
                    future.set_exception(RuntimeError("the database is shutting down"))
            self._pending.clear()

    async def _commit_batch(self, works: list[Work]) -> list[Any]:
        """One batch in one transaction. On SQLite a batch of plain statements (the onboarding
        answers) runs whole in the writer's own thread: one trip there and back instead of a
        few per statement through the async driver, each of which waits for a full turn of an
        event loop busy with every other chat. Holding the async writer's only connection
        meanwhile keeps SQLite's one-writer order: no other transaction can start writing."""
        if self.statement_writer is not None and all(isinstance(w, _Statement) for w in works):
            statements = cast(list[_Statement], works)
            async with self.engine.connect():
                return await asyncio.get_running_loop().run_in_executor(
                    self._writer_thread, self._commit_in_thread, statements
                )
        async with self.engine.begin() as connection:
            return await _run_batch(connection, works)

    def _commit_in_thread(self, statements: list[_Statement]) -> list[Any]:
        assert self.statement_writer is not None
        with self.statement_writer.begin() as connection:
            index = 0
            while index < len(statements):
                end = index + 1
                while end < len(statements) and (
                    statements[end].statement is statements[index].statement
                ):
                    end += 1
                group = [statement.values for statement in statements[index:end]]
                connection.execute(
                    statements[index].statement, group if len(group) > 1 else group[0]
                )
                index = end
        return [None] * len(statements)

    async def _write_alone(self, work: Work, future: asyncio.Future[Any]) -> None:
        try:
            async with self.engine.begin() as connection:
                result = await work(connection)
        except Exception as error:
            if not future.done():
                future.set_exception(error)
        else:
            if not future.done():
                future.set_result(result)

    async def upgrade(self, revision: str = "head") -> None:
        """Brings the schema to `revision`; safe to run on every start."""
        if revision == "head" and await self._stored_revision() == SCHEMA_HEAD:
            return

        def _upgrade(connection: Connection) -> None:
            from alembic import command

            command.upgrade(alembic_config(connection), revision)

        async with self.engine.begin() as connection:
            await connection.run_sync(_upgrade)

    async def upgrade_aside(self) -> None:
        """`upgrade()` to head for the running bot: on a schema already there, one query; else
        the migrations run in a short-lived child process, so Alembic's ~11 MB of modules never
        stay in the bot. An in-memory SQLite database (tests) is upgraded in place."""
        if await self._stored_revision() == SCHEMA_HEAD:
            return
        if self.is_sqlite and self.engine.url.database in (None, "", ":memory:"):
            await self.upgrade()
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        url = self.engine.url.render_as_string(hide_password=False)
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            await asyncio.get_running_loop().run_in_executor(pool, _upgrade_in_child, url)

    async def _stored_revision(self) -> str | None:
        """alembic_version's row, read without Alembic; None before the first upgrade."""
        try:
            async with self.engine.connect() as connection:
                stored = await connection.scalar(text("SELECT version_num FROM alembic_version"))
        except DatabaseError:  # no such table yet
            return None
        return str(stored) if stored is not None else None

    async def current_revision(self) -> str | None:
        """The schema's Alembic revision, or None for an empty database."""
        from alembic.runtime.migration import MigrationContext

        def _current(connection: Connection) -> str | None:
            return MigrationContext.configure(connection).get_current_revision()

        async with self.engine.connect() as connection:
            return await connection.run_sync(_current)

    async def dispose(self) -> None:
        if self._flusher is not None and not self._flusher.done():
            await self._flusher  # writes already queued are committed, not dropped
        await self.engine.dispose()
        if self.read_engine is not self.engine:
            await self.read_engine.dispose()
        if self.is_sqlite:
            await self.peek_engine.dispose()
        if self.peek_reader is not None:
            self.peek_reader.dispose()
        if self.statement_writer is not None:
            self.statement_writer.dispose()
        if self._writer_thread is not None:
            self._writer_thread.shutdown(wait=True)


def _upgrade_in_child(url: str) -> None:
    """`Database.upgrade` in the child process of `upgrade_aside`."""

    async def upgrade() -> None:
        db = Database(url)
        try:
            await db.upgrade()
        finally:
            await db.dispose()

    asyncio.run(upgrade())


class _Statement:
    """A `Work` of one statement and its values (see `Database.write_statement`)."""

    __slots__ = ("statement", "values")

    def __init__(self, statement: Executable, values: dict[str, Any]) -> None:
        self.statement = statement
        self.values = values

    async def __call__(self, connection: AsyncConnection) -> None:
        await connection.execute(self.statement, self.values)


async def _run_batch(connection: AsyncConnection, works: list[Work]) -> list[Any]:
    """Runs a batch's writes in order; each run of the same `_Statement` as one executemany."""
    results: list[Any] = []
    index = 0
    while index < len(works):
        work = works[index]
        if not isinstance(work, _Statement):
            results.append(await work(connection))
            index += 1
            continue
        end = index + 1
        while (
            end < len(works)
            and isinstance(works[end], _Statement)
            and works[end].statement is work.statement  # type: ignore[attr-defined]
        ):
            end += 1
        if end - index == 1:
            await work(connection)
        else:
            group = [statement.values for statement in works[index:end]]  # type: ignore[attr-defined]
            await connection.execute(work.statement, group)
        results.extend([None] * (end - index))
        index = end
    return results


__all__ = ["AsyncSession", "Database", "alembic_config"]
