"""Planned-session rows: the runner's sessions by id, by day and by what became of them.

One place for the queries the use cases ask about sessions, so a status rule (what counts as
waiting for a log, what a day already has) is written once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.domain.statuses import SessionStatus
from bot.storage.tables import LogEntry, PlannedSession


async def owned(session: AsyncSession, runner_id: int, session_id: int) -> PlannedSession | None:
    """The session with that id, if it is this runner's (a forged id finds nothing)."""
    row = await session.get(PlannedSession, session_id)
    return row if row is not None and row.runner_id == runner_id else None


async def waiting_for_log(
    session: AsyncSession, runner_id: int, today: date, *, lookback_days: int
) -> PlannedSession | None:
    """The latest planned session on or before today (within the lookback) with no log yet."""
    result = await session.scalars(
        select(PlannedSession)
        .where(
            PlannedSession.runner_id == runner_id,
            PlannedSession.status == SessionStatus.PLANNED,
            PlannedSession.date <= today,
            PlannedSession.date >= today - timedelta(days=lookback_days),
        )
        .order_by(PlannedSession.date.desc())
        .limit(1)
    )
    return result.first()


async def between(
    session: AsyncSession,
    runner_id: int,
    first: date,
    end: date | None,
    statuses: Sequence[SessionStatus] | None = None,
) -> Sequence[PlannedSession]:
    """Sessions with `first <= date < end` (no end: all from `first`; optionally in these
    statuses), in date order."""
    query = select(PlannedSession).where(
        PlannedSession.runner_id == runner_id, PlannedSession.date >= first
    )
    if end is not None:
        query = query.where(PlannedSession.date < end)
    if statuses is not None:
        query = query.where(PlannedSession.status.in_([s.value for s in statuses]))
    return (await session.scalars(query.order_by(PlannedSession.date, PlannedSession.id))).all()


async def by_ids(session: AsyncSession, session_ids: Iterable[int]) -> dict[int, PlannedSession]:
    """The sessions with these ids, by id (the reminders a claim pass is about to send)."""
    wanted = set(session_ids)
    if not wanted:
        return {}
    rows = await session.scalars(select(PlannedSession).where(PlannedSession.id.in_(wanted)))
    return {row.id: row for row in rows}


async def live_entry_on(session: AsyncSession, runner_id: int, day: date) -> LogEntry | None:
    """A log entry (not undone) performed on `day`: that day is already logged."""
    result = await session.scalars(
        select(LogEntry)
        .where(
            LogEntry.runner_id == runner_id,
            LogEntry.performed_on == day,
            LogEntry.undone_at.is_(None),
        )
        .limit(1)
    )
    return result.first()


async def latest_entry_of_kind(
    session: AsyncSession, runner_id: int, name: str, *, before: date
) -> LogEntry | None:
    """The newest live entry logged against a session of this kind (A, B …) before `before`."""
    result = await session.scalars(
        select(LogEntry)
        .join(PlannedSession, PlannedSession.id == LogEntry.session_id)
        .where(
            LogEntry.runner_id == runner_id,
            LogEntry.undone_at.is_(None),
            LogEntry.performed_on < before,
            PlannedSession.name == name,
        )
        .order_by(LogEntry.performed_on.desc(), LogEntry.id.desc())
        .limit(1)
    )
    return result.first()
