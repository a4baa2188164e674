"""The update inbox, the chats' turns and the shared send pace: what lets several replicas of the
bot on one PostgreSQL answer every update once, each chat's in order, within one send budget.

PostgreSQL only (a single instance on SQLite never needs them). Times come from the database's
clock, so replicas on several hosts agree on them whatever their own clocks say.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, NamedTuple

from sqlalchemy import func, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.db import Database
from bot.storage.tables import InboxUpdate

log = logging.getLogger(__name__)

KEEP_HANDLED = "1 day"
TAKE_OVER = "40 seconds"
"""A mark this old on an unanswered update belongs to a replica that died between the mark
and the Bot API's reply: another replica may handle the update again."""
"""Telegram re-delivers an unacknowledged update for up to a day: a handled row's id is kept
that long to drop a late duplicate."""


def unreachable(error: BaseException) -> bool:
    """True when `error` says the database could not be reached (down, shutting down,
    restarting, the connection cut), as opposed to a statement it refused."""
    seen: BaseException | None = error
    for _ in range(6):  # the error, SQLAlchemy's wrapper's original, their causes
        if seen is None:
            return False
        if isinstance(seen, (OperationalError, InterfaceError, OSError, TimeoutError)):
            return True
        if isinstance(seen, DBAPIError) and seen.connection_invalidated:
            return True
        state = str(getattr(seen, "sqlstate", "") or "")
        if state.startswith(("08", "57P")):  # connection exception, operator intervention
            return True
        name = type(seen).__name__
        if type(seen).__module__.startswith("asyncpg") and "Connect" in name:
            return True
        seen = getattr(seen, "orig", None) or seen.__cause__ or seen.__context__
    return False


async def accept(db: Database, update_id: int, chat_id: int | None, payload: Any) -> None:
    """Stores an update (committed when this returns); a duplicate update_id is dropped."""
    statement = (
        insert(InboxUpdate)
        .values(
            update_id=update_id,
            chat_id=chat_id,
            payload=payload,
            received_at=func.now(),
        )
        .on_conflict_do_nothing(index_elements=["update_id"])
    )

    async def work(connection: AsyncConnection) -> None:
        await connection.execute(statement)

    await db.write(work)


async def next_unhandled(db: Database, chat_id: int) -> tuple[int, Any] | None:
    """The chat's oldest update not answered yet: (update_id, payload)."""
    async with db.peeking() as connection:
        row = (
            await connection.execute(
                text(
                    "SELECT update_id, payload FROM update_inbox WHERE answered_at IS NULL "
                    "AND chat_id = :chat ORDER BY update_id LIMIT 1"
                ),
                {"chat": chat_id},
            )
        ).first()
    return None if row is None else (int(row[0]), row[1])


class Taken(NamedTuple):
    """A chat's next update, taken up by the replica holding the chat's turn."""

    update_id: int
    payload: Any
    tries: int
    """Earlier tries: one may have saved what the update changes, then lost its answer (a
    kill -9, a database outage in between)."""
    held: bool
    """Marked by an attempt younger than `TAKE_OVER`: that attempt may still be sending its
    answer (its replica lost the chat's turn with a database restart), so it is left alone."""


async def take_next(db: Database, chat_id: int) -> Taken | None:
    """The chat's oldest update not answered yet, counted as taken up once more (its chat's
    turn held)."""
    async with db.peek_engine.connect() as connection:
        row = (
            await connection.execute(
                text(
                    "UPDATE update_inbox SET tries = tries + 1 WHERE update_id = ("
                    "SELECT update_id FROM update_inbox WHERE answered_at IS NULL "
                    "AND chat_id = :chat ORDER BY update_id LIMIT 1) AND answered_at IS NULL "
                    "RETURNING update_id, payload, tries - 1, handled_by IS NOT NULL "
                    f"AND handled_at >= now() - interval '{TAKE_OVER}'"
                ),
                {"chat": chat_id},
            )
        ).first()
    return None if row is None else Taken(int(row[0]), row[1], int(row[2]), bool(row[3]))


async def mark_handled(db: Database, update_id: int, attempt: str) -> bool:
    """Marks the update as being answered by `attempt`, right before its answer leaves;
    False if another live attempt did (then that one answers, not this). Marking twice for
    one attempt is True twice: a mark whose COMMIT was acknowledged to nobody (the connection
    cut) can be tried again. A mark older than `TAKE_OVER` on an unanswered update is taken
    over: its replica died before the Bot API answered.

    One statement on its own (no group commit): it stands between an answer and the wire."""
    async with db.peek_engine.connect() as connection:
        result = await connection.execute(
            text(
                "UPDATE update_inbox SET handled_at = now(), handled_by = :attempt "
                "WHERE update_id = :id AND answered_at IS NULL AND (handled_by IS NULL "
                f"OR handled_by = :attempt OR handled_at < now() - interval '{TAKE_OVER}') "
                "RETURNING update_id"
            ),
            {"id": update_id, "attempt": attempt[:64]},
        )
        return result.first() is not None


async def mark_answered(db: Database, update_id: int, attempt: str) -> bool:
    """The update is done (the Bot API took its answer, or its handlers finished without
    one): never handled again, and its payload erased. False if another attempt holds it."""
    async with db.peek_engine.connect() as connection:
        result = await connection.execute(
            text(
                "UPDATE update_inbox SET answered_at = now(), payload = NULL, "
                "handled_at = COALESCE(handled_at, now()), "
                "handled_by = COALESCE(handled_by, :attempt) "
                "WHERE update_id = :id AND answered_at IS NULL "
                "AND (handled_by IS NULL OR handled_by = :attempt) RETURNING update_id"
            ),
            {"id": update_id, "attempt": attempt[:64]},
        )
        return result.first() is not None


async def chatless_unhandled(db: Database, limit: int = 100) -> list[tuple[int, Any]]:
    """Updates of no chat (a poll's answer, say) not handled yet; `mark_answered` claims one."""
    async with db.peeking() as connection:
        rows = (
            await connection.execute(
                text(
                    "SELECT update_id, payload FROM update_inbox WHERE answered_at IS NULL "
                    "AND chat_id IS NULL ORDER BY update_id LIMIT :limit"
                ),
                {"limit": limit},
            )
        ).all()
    return [(int(r[0]), r[1]) for r in rows]


async def waiting_chats(db: Database, *, older_than: float, limit: int = 1000) -> list[int]:
    """Chats with an update stored over `older_than` seconds ago and still not handled: their
    replica died, or the database went away mid-update."""
    async with db.peeking() as connection:
        rows = (
            await connection.execute(
                text(
                    "SELECT DISTINCT chat_id FROM update_inbox WHERE answered_at IS NULL "
                    "AND chat_id IS NOT NULL "
                    "AND received_at < now() - make_interval(secs => CAST(:age AS float8)) "
                    "LIMIT :limit"
                ),
                {"age": older_than, "limit": limit},
            )
        ).all()
    return [int(r[0]) for r in rows]


async def prune(db: Database) -> int:
    """Forgets updates handled more than `KEEP_HANDLED` ago."""

    async def work(connection: AsyncConnection) -> int:
        result = await connection.execute(
            text(f"DELETE FROM update_inbox WHERE answered_at < now() - interval '{KEEP_HANDLED}'")
        )
        return int(getattr(result, "rowcount", 0) or 0)

    return await db.write(work)


_RESERVE_BOT = text(
    "INSERT INTO send_pace (subject, next_at) "
    "VALUES (0, clock_timestamp() + make_interval(secs => CAST(:gap AS float8))) "
    "ON CONFLICT (subject) DO UPDATE SET next_at = "
    "GREATEST(send_pace.next_at, clock_timestamp()) + make_interval(secs => CAST(:gap AS float8)) "
    "RETURNING CAST(EXTRACT(EPOCH FROM send_pace.next_at) AS float8) - CAST(:gap AS float8), "
    "CAST(EXTRACT(EPOCH FROM clock_timestamp()) AS float8)"
)
_CHAT_ROW = text(
    "INSERT INTO send_pace (subject, next_at) VALUES (:chat, '-infinity') "
    "ON CONFLICT (subject) DO NOTHING"
)
_RESERVE_CHAT = text(
    "WITH chat AS (SELECT next_at FROM send_pace WHERE subject = :chat FOR UPDATE), "
    "bot AS (INSERT INTO send_pace (subject, next_at) "
    " VALUES (0, GREATEST(clock_timestamp(), (SELECT next_at FROM chat))"
    " + make_interval(secs => CAST(:gap AS float8))) "
    " ON CONFLICT (subject) DO UPDATE SET next_at = GREATEST(send_pace.next_at,"
    " clock_timestamp(), (SELECT next_at FROM chat))"
    " + make_interval(secs => CAST(:gap AS float8))"
    " RETURNING send_pace.next_at - make_interval(secs => CAST(:gap AS float8)) AS at), "
    "moved AS (UPDATE send_pace SET next_at = (SELECT at FROM bot)"
    " + make_interval(secs => CAST(:chat_gap AS float8)) WHERE subject = :chat) "
    "SELECT CAST(EXTRACT(EPOCH FROM (SELECT at FROM bot)) AS float8), "
    "CAST(EXTRACT(EPOCH FROM clock_timestamp()) AS float8)"
)


async def reserve_send(
    db: Database, *, gap: float, chat_id: int | None = None, chat_gap: float = 1.0
) -> tuple[float, float]:
    """Books the next free moment to send one message; returns it and the database's now, both
    UNIX times on the database's clock (`bot.telegram_request.Pace`).

    One row (subject 0) holds when the bot may send next: each booking moves it `gap` seconds
    on, under a row lock, so the bookings of every replica are at least `gap` apart and any
    one second holds at most 1/gap of them. With `chat_id`, the chat's own row (locked first,
    always in that order) says how early the chat may hear from the bot again: the bot's
    moment is booked no earlier, and the chat's row moves to that moment plus `chat_gap`.
    """
    async with db.peek_engine.connect() as connection:
        if chat_id is None:
            booked = await connection.execute(_RESERVE_BOT, {"gap": gap})
        else:
            await connection.execute(_CHAT_ROW, {"chat": chat_id})
            booked = await connection.execute(
                _RESERVE_CHAT, {"gap": gap, "chat": chat_id, "chat_gap": chat_gap}
            )
        moment, now = booked.one()
    return float(moment), float(now)


async def forget_idle_paces(db: Database) -> None:
    """Drops chats' pace rows whose moment is long past (they would be re-created as needed)."""

    async def work(connection: AsyncConnection) -> None:
        await connection.execute(
            text(
                "DELETE FROM send_pace WHERE subject <> 0 AND next_at < now() - interval '1 hour'"
            )
        )

    await db.write(work)


TURN_TIMEOUT = 5.0
"""Seconds one statement on the turns connection may take: a connection the database dropped
mid-statement must not hold every chat of this replica up."""


class ChatTurns:
    """Whose turn a chat is: a PostgreSQL advisory lock per chat (key = the chat id), all held
    on one connection of this replica.

    The database releases a dead replica's locks with its connection, so a replica killed
    with -9 never leaves a chat stuck. When this connection breaks (the database restarted),
    every lock it held is gone: `generation` moves on and a holder sees `held()` turn false
    before it handles its chat's next update.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self._connection: AsyncConnection | None = None
        self._mutex = asyncio.Lock()
        self.generation = 0

    async def _connected(self) -> AsyncConnection:
        if self._connection is None:
            engine = self._db.engine.execution_options(isolation_level="AUTOCOMMIT")
            self._connection = await engine.connect()
        return self._connection

    async def _lost(self) -> None:
        self.generation += 1
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                async with asyncio.timeout(TURN_TIMEOUT):
                    await connection.invalidate()
            except Exception:  # already broken; only forgetting it matters
                log.debug("closing the turns connection failed", exc_info=True)

    async def try_take(self, chat_id: int) -> int | None:
        """The chat's turn, if nobody holds it: returns the generation to check with `held`."""
        async with self._mutex:
            try:
                async with asyncio.timeout(TURN_TIMEOUT):
                    connection = await self._connected()
                    taken = await connection.scalar(
                        text("SELECT pg_try_advisory_lock(:key)"), {"key": chat_id}
                    )
            except Exception as error:
                if unreachable(error):
                    await self._lost()
                raise
            return self.generation if taken else None

    def held(self, generation: int) -> bool:
        return generation == self.generation and self._connection is not None

    async def still_held(self, generation: int) -> bool:
        """`held`, after making sure the connection holding the turn is alive: a database that
        restarted took every turn with it, and this finds out before the next update."""
        async with self._mutex:
            if not self.held(generation) or self._connection is None:
                return False
            try:
                async with asyncio.timeout(TURN_TIMEOUT):
                    await self._connection.scalar(text("SELECT 1"))
            except Exception:
                await self._lost()
                return False
            return True

    async def give_back(self, chat_id: int, generation: int) -> None:
        """Releases the chat's turn (nothing to do if the connection that held it is gone)."""
        async with self._mutex:
            if not self.held(generation) or self._connection is None:
                return
            try:
                async with asyncio.timeout(TURN_TIMEOUT):
                    await self._connection.scalar(
                        text("SELECT pg_advisory_unlock(:key)"), {"key": chat_id}
                    )
            except Exception:
                log.warning("could not release a chat's turn; dropping the connection")
                await self._lost()

    async def close(self) -> None:
        async with self._mutex:
            await self._lost()
