"""Logged sets and the log entries that group them (one runner message = one entry)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.logs import ExerciseLog, LoggedSet
from bot.storage.tables import LogEntry, LoggedSetRow

HISTORY_LIMIT = 12
"""Sessions per exercise the progression looks back over (L3 needs the last two)."""


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
                sets=tuple(
                    LoggedSet(
                        set_no=row.set_no,
                        reps=row.reps,
                        load_kg=row.load_kg,
                        hold_s=row.hold_s,
                        rir=row.rir,
                        per_side=row.per_side,
                        bodyweight=row.bodyweight,
                    )
                    for row in sets
                ),
            )
        )
    return {key: logs[-HISTORY_LIMIT:] for key, logs in history.items()}
