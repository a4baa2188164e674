"""Logged sets and the log entries that group them (one runner message = one entry)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.domain.logs import ExerciseLog, LoggedSet
from bot.storage.tables import LogEntry, LoggedSetRow

HISTORY_LIMIT = 12
"""Sessions per exercise the progression looks back over (L3 needs the last two)."""


def to_logged_set(row: LoggedSetRow) -> LoggedSet:
    """A stored set as the domain reads it (progression, personal bests, corrections)."""
    return LoggedSet(
        set_no=row.set_no,
        reps=row.reps,
        load_kg=row.load_kg,
        hold_s=row.hold_s,
        rir=row.rir,
        per_side=row.per_side,
        bodyweight=row.bodyweight,
    )


async def exercise_history(
    session: AsyncSession, runner_id: int, *, since: date | None = None
) -> dict[str, list[ExerciseLog]]:
    """Past performance per exercise id, oldest first, as the progression reads it (L1, L3)."""
    query = (
        select(LoggedSetRow)
        .join(LogEntry, LogEntry.id == LoggedSetRow.entry_id)
        .where(LoggedSetRow.runner_id == runner_id, LogEntry.undone_at.is_(None))
        .order_by(LoggedSetRow.performed_on, LoggedSetRow.entry_id, LoggedSetRow.set_no)
    )
    if since is not None:
        query = query.where(LoggedSetRow.performed_on >= since)
    rows: Sequence[LoggedSetRow] = (await session.scalars(query)).all()
    grouped: dict[tuple[str, date], list[LoggedSetRow]] = defaultdict(list)
    for row in rows:
        grouped[(row.exercise_id, row.performed_on)].append(row)
    history: dict[str, list[ExerciseLog]] = defaultdict(list)
    for (exercise_id, performed_on), sets in grouped.items():
        first = sets[0]
        target = (
            (first.target_reps_min, first.target_reps_max)
            if first.target_reps_min is not None and first.target_reps_max is not None
            else None
        )
        history[exercise_id].append(
            ExerciseLog(
                exercise_id=exercise_id,
                performed_on=performed_on,
                target_reps=target,
                target_load_kg=first.target_load_kg,
                target_sets=None,
                sets=tuple(to_logged_set(row) for row in sets),
            )
        )
    return {key: logs[-HISTORY_LIMIT:] for key, logs in history.items()}


async def add_entry(
    session: AsyncSession,
    *,
    runner_id: int,
    session_id: int | None,
    performed_on: date,
    raw_text: str,
    now: datetime,
    sets: Sequence[LoggedSetRow],
    source: tuple[int, int] | None = None,
) -> LogEntry:
    """Stores one message's sets under a new entry (the unit /undo and corrections act on).

    `source` is (chat id, message id) of the message that carried the log: unique, so the same
    message can never be stored twice (see `entry_by_source`)."""
    entry = LogEntry(
        runner_id=runner_id,
        session_id=session_id,
        performed_on=performed_on,
        raw_text=raw_text[:4000],
        created_at=now,
        source_chat_id=source[0] if source is not None else None,
        source_message_id=source[1] if source is not None else None,
    )
    session.add(entry)
    await session.flush()
    for row in sets:
        row.entry_id = entry.id
        row.runner_id = runner_id
        row.performed_on = performed_on
        session.add(row)
    await session.flush()
    return entry


async def get_entry(session: AsyncSession, entry_id: int) -> LogEntry | None:
    """A log entry by id (whose runner the caller checks)."""
    return await session.get(LogEntry, entry_id)


async def entry_by_source(session: AsyncSession, chat_id: int, message_id: int) -> LogEntry | None:
    """The entry stored from this Telegram message, if it was stored (undone or not)."""
    result = await session.scalars(
        select(LogEntry).where(
            LogEntry.source_chat_id == chat_id, LogEntry.source_message_id == message_id
        )
    )
    return result.first()


async def latest_entry(
    session: AsyncSession,
    runner_id: int,
    *,
    raw_text: str | None = None,
    since: datetime | None = None,
) -> LogEntry | None:
    """The runner's newest entry that has not been undone (typed exactly as `raw_text`, made
    at or after `since`, when given)."""
    query = select(LogEntry).where(LogEntry.runner_id == runner_id, LogEntry.undone_at.is_(None))
    if raw_text is not None:
        query = query.where(LogEntry.raw_text == raw_text)
    if since is not None:
        query = query.where(LogEntry.created_at >= since)
    result = await session.scalars(
        query.order_by(LogEntry.created_at.desc(), LogEntry.id.desc()).limit(1)
    )
    return result.first()


async def entry_by_confirmation(
    session: AsyncSession, runner_id: int, message_id: int
) -> LogEntry | None:
    """The entry whose confirmation message the runner replied to (their own only)."""
    result = await session.scalars(
        select(LogEntry).where(
            LogEntry.runner_id == runner_id,
            LogEntry.confirmation_message_id == message_id,
            LogEntry.undone_at.is_(None),
        )
    )
    return result.first()


async def entry_sets(session: AsyncSession, entry_id: int) -> Sequence[LoggedSetRow]:
    """One entry's sets in the order they were logged (what /undo reports back)."""
    result = await session.scalars(
        select(LoggedSetRow).where(LoggedSetRow.entry_id == entry_id).order_by(LoggedSetRow.id)
    )
    return result.all()


async def live_entries_for_session(session: AsyncSession, session_id: int) -> int:
    """Entries still standing for a session: none left after /undo reopens it."""
    result = await session.scalars(
        select(LogEntry.id).where(LogEntry.session_id == session_id, LogEntry.undone_at.is_(None))
    )
    return len(result.all())


async def last_sets_of(
    session: AsyncSession, runner_id: int, exercise_ids: Sequence[str] | None = None
) -> dict[str, list[LoggedSetRow]]:
    """The most recent logged sets per exercise ("same as last time")."""
    query = (
        select(LoggedSetRow)
        .join(LogEntry, LogEntry.id == LoggedSetRow.entry_id)
        .where(LoggedSetRow.runner_id == runner_id, LogEntry.undone_at.is_(None))
        .order_by(LoggedSetRow.performed_on.desc(), LoggedSetRow.entry_id.desc())
    )
    if exercise_ids:
        query = query.where(LoggedSetRow.exercise_id.in_(list(exercise_ids)))
    latest: dict[str, tuple[int, list[LoggedSetRow]]] = {}
    for row in (await session.scalars(query)).all():
        entry_id, rows = latest.setdefault(row.exercise_id, (row.entry_id, []))
        if row.entry_id == entry_id:
            rows.append(row)
    return {key: sorted(rows, key=lambda r: r.set_no) for key, (_, rows) in latest.items()}


async def all_entries(session: AsyncSession, runner_id: int) -> Sequence[LogEntry]:
    """Every log entry of the runner, undone ones too, in the order they were made (/export)."""
    rows = await session.scalars(
        select(LogEntry).where(LogEntry.runner_id == runner_id).order_by(LogEntry.id)
    )
    return rows.all()


async def all_sets(session: AsyncSession, runner_id: int) -> Sequence[LoggedSetRow]:
    """Every live logged set, oldest first (export, progress)."""
    result = await session.scalars(
        select(LoggedSetRow)
        .join(LogEntry, LogEntry.id == LoggedSetRow.entry_id)
        .where(LoggedSetRow.runner_id == runner_id, LogEntry.undone_at.is_(None))
        .order_by(LoggedSetRow.performed_on, LoggedSetRow.entry_id, LoggedSetRow.id)
    )
    return result.all()


async def exercises_logged_for_session(session: AsyncSession, session_id: int) -> set[str]:
    """Exercise ids with live sets logged against a planned session (so a tap never doubles)."""
    result = await session.scalars(
        select(LoggedSetRow.exercise_id)
        .join(LogEntry, LogEntry.id == LoggedSetRow.entry_id)
        .where(LogEntry.session_id == session_id, LogEntry.undone_at.is_(None))
    )
    return set(result.all())
