"""Conversations in progress, kept in the database so a restart resumes where the runner was.

Every onboarding answer reads and writes one row here, so these are the hottest statements of
a burst of new runners: each is one SQL statement built once at import (SQLAlchemy then reuses
its compiled form) and run with bound values, without the ORM's identity map. Saving is one
upsert, not a read followed by an insert or update.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot.core.domain.statuses import DraftKind
from bot.storage.db import Database
from bot.storage.tables import Draft


@dataclass(frozen=True)
class StoredDraft:
    """One stored conversation: the open question (`step`) and the answers so far."""

    kind: DraftKind
    step: str
    data: dict[str, Any]


def _upsert(dialect: Any) -> Any:
    statement = dialect.insert(Draft)
    return statement.on_conflict_do_update(
        index_elements=[Draft.runner_id, Draft.kind],
        set_={
            "step": statement.excluded.step,
            "data": statement.excluded.data,
            "updated_at": statement.excluded.updated_at,
        },
    )


_UPSERT = {"sqlite": _upsert(sqlite), "postgresql": _upsert(postgresql)}
_SELECT = select(Draft.kind, Draft.step, Draft.data).where(
    Draft.runner_id == bindparam("runner_id"), Draft.kind.in_(bindparam("kinds", expanding=True))
)
_DELETE = delete(Draft).where(
    Draft.runner_id == bindparam("runner_id"), Draft.kind == bindparam("kind")
)
_DELETE_KINDS = delete(Draft).where(
    Draft.runner_id == bindparam("runner_id"), Draft.kind.in_(bindparam("kinds", expanding=True))
)


Db = AsyncSession | AsyncConnection
"""A session, or a connection inside `Database.write` (group commit)."""


async def _connection(session: Db) -> AsyncConnection:
    """The session's connection, for Core statements without the ORM's per-statement work;
    anything the session still holds is flushed first, as `session.execute` would."""
    if isinstance(session, AsyncConnection):
        return session
    if session.new or session.dirty or session.deleted:
        await session.flush()
    return await session.connection()


async def get_draft(session: Db, runner_id: int, kind: DraftKind) -> StoredDraft | None:
    return (await get_drafts(session, runner_id, (kind,))).get(kind)


async def get_drafts(
    session: Db, runner_id: int, kinds: Iterable[DraftKind]
) -> dict[DraftKind, StoredDraft]:
    """The runner's drafts of these kinds, by kind, in one statement."""
    connection = await _connection(session)
    result = await connection.execute(_SELECT, {"runner_id": runner_id, "kinds": list(kinds)})
    return _by_kind(result)


async def peek_drafts(
    db: Database, runner_id: int, kinds: Iterable[DraftKind]
) -> dict[DraftKind, StoredDraft]:
    """`get_drafts` outside any transaction, with `Database.peek`: the one read of the open
    questions a typed message makes before anything else."""
    return _by_kind(await db.peek(_SELECT, {"runner_id": runner_id, "kinds": list(kinds)}))


def _by_kind(rows: Iterable[Any]) -> dict[DraftKind, StoredDraft]:
    return {DraftKind(kind): StoredDraft(DraftKind(kind), step, data) for kind, step, data in rows}


async def save_draft(
    session: Db,
    runner_id: int,
    kind: DraftKind,
    *,
    step: str,
    data: dict[str, Any],
    now: datetime,
) -> StoredDraft:
    """Stores the open question and the answers (one upsert; the runner must exist)."""
    connection = await _connection(session)
    statement = _UPSERT[connection.dialect.name]
    values = {"runner_id": runner_id, "kind": kind, "step": step, "data": data, "updated_at": now}
    await connection.execute(statement, values)
    return StoredDraft(kind, step, data)


def upsert(
    dialect: str,
    runner_id: int,
    kind: DraftKind,
    *,
    step: str,
    data: dict[str, Any],
    now: datetime,
) -> tuple[Any, dict[str, Any]]:
    """`save_draft` as a statement and its values, for `Database.write_statement`."""
    values = {"runner_id": runner_id, "kind": kind, "step": step, "data": data, "updated_at": now}
    return _UPSERT[dialect], values


async def delete_draft(session: Db, runner_id: int, kind: DraftKind) -> None:
    connection = await _connection(session)
    await connection.execute(_DELETE, {"runner_id": runner_id, "kind": kind})


async def delete_drafts(session: Db, runner_id: int, kinds: Iterable[DraftKind]) -> None:
    """Removes the runner's drafts of these kinds in one statement."""
    connection = await _connection(session)
    await connection.execute(_DELETE_KINDS, {"runner_id": runner_id, "kinds": list(kinds)})
