"""Adjustment rows: add one, end one, and read the ones in force from a date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.domain.adjustments import ADJUSTMENT, Adjustment
from bot.storage.tables import AdjustmentRow


async def add_adjustment(
    session: AsyncSession, runner_id: int, adjustment: Adjustment, *, now: datetime
) -> AdjustmentRow:
    row = AdjustmentRow(
        runner_id=runner_id,
        kind=adjustment.kind,
        starts_on=adjustment.starts,
        ends_on=adjustment.ends,
        data=adjustment.model_dump(mode="json"),
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return row


async def active_rows(
    session: AsyncSession, runner_id: int, *, since: date, kind: str | None = None
) -> Sequence[AdjustmentRow]:
    """Rows not ended by the runner whose range reaches `since` or later, oldest first."""
    query = select(AdjustmentRow).where(
        AdjustmentRow.runner_id == runner_id,
        AdjustmentRow.ended_at.is_(None),
        or_(AdjustmentRow.ends_on.is_(None), AdjustmentRow.ends_on >= since),
    )
    if kind is not None:
        query = query.where(AdjustmentRow.kind == kind)
    return (await session.scalars(query.order_by(AdjustmentRow.id))).all()


def adjustment_of(row: AdjustmentRow) -> Adjustment:
    return ADJUSTMENT.validate_python(row.data)


async def active_adjustments(
    session: AsyncSession, runner_id: int, *, since: date
) -> list[Adjustment]:
    """The adjustments that may bend the plan from `since` on."""
    return [adjustment_of(row) for row in await active_rows(session, runner_id, since=since)]


def end(row: AdjustmentRow, *, now: datetime) -> None:
    """The runner ended it ("knee is fine now"); the row stays for the record."""
    row.ended_at = now
