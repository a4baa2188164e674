"""Recorded runs: add one (once), read a runner's recent ones, and the run that reached a day."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.tables import RunRow

SAME_RUN = timedelta(minutes=2)
"""Two records starting this close are one run sent twice (a file, then intervals.icu)."""


async def same_run(
    session: AsyncSession, runner_id: int, started_at: datetime, external_id: str | None
) -> RunRow | None:
    """The stored record of this run, if it is already here (same start, or same activity)."""
    near = RunRow.started_at.between(started_at - SAME_RUN, started_at + SAME_RUN)
    query = select(RunRow).where(RunRow.runner_id == runner_id)
    if external_id is not None:
        query = query.where(near | (RunRow.external_id == external_id))
    else:
        query = query.where(near)
    return (await session.scalars(query.order_by(RunRow.id).limit(1))).first()


async def add_run(session: AsyncSession, row: RunRow) -> RunRow:
    session.add(row)
    await session.flush()
    return row


async def since(session: AsyncSession, runner_id: int, first_day: date) -> Sequence[RunRow]:
    """The runner's records from `first_day` on, oldest first."""
    result = await session.scalars(
        select(RunRow)
        .where(RunRow.runner_id == runner_id, RunRow.day >= first_day)
        .order_by(RunRow.started_at)
    )
    return result.all()


async def all_runs(session: AsyncSession, runner_id: int) -> Sequence[RunRow]:
    result = await session.scalars(
        select(RunRow).where(RunRow.runner_id == runner_id).order_by(RunRow.started_at)
    )
    return result.all()


async def moving_times(
    session: AsyncSession, runner_id: int, matched: str, *, before: date, limit: int = 20
) -> list[int]:
    """Moving times of the runner's latest runs matched to `matched` before `before`."""
    result = await session.scalars(
        select(RunRow.moving_time_s)
        .where(
            RunRow.runner_id == runner_id,
            RunRow.sport == "run",
            RunRow.matched == matched,
            RunRow.day < before,
            RunRow.moving_time_s.is_not(None),
        )
        .order_by(RunRow.day.desc())
        .limit(limit)
    )
    return [int(seconds) for seconds in result.all() if seconds is not None]


async def first_arrivals(
    session: AsyncSession, runner_id: int, days: Iterable[date]
) -> dict[date, datetime]:
    """For each of `days` that a run reached, when the first one arrived."""
    wanted = list(days)
    if not wanted:
        return {}
    result = await session.execute(
        select(RunRow.day, func.min(RunRow.received_at))
        .where(RunRow.runner_id == runner_id, RunRow.sport == "run", RunRow.day.in_(wanted))
        .group_by(RunRow.day)
    )
    return {day: arrived for day, arrived in result.all()}  # noqa: C416 - typed rows
