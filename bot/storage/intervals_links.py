"""A runner's intervals.icu link: the key, and how polling it goes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.tables import IntervalsLink, Runner


async def get(session: AsyncSession, runner_id: int) -> IntervalsLink | None:
    return await session.get(IntervalsLink, runner_id)


async def connect(session: AsyncSession, runner_id: int, api_key: str, *, now: datetime) -> None:
    """Stores the key (replacing an earlier one, refused or not)."""
    link = await session.get(IntervalsLink, runner_id)
    if link is None:
        session.add(IntervalsLink(runner_id=runner_id, api_key=api_key, connected_at=now))
    else:
        link.api_key, link.connected_at = api_key, now
        link.refused_at = link.polled_at = link.wait_until = None
    await session.flush()


async def disconnect(session: AsyncSession, runner_id: int) -> bool:
    """Removes the key; whether there was one."""
    result = await session.execute(
        delete(IntervalsLink).where(IntervalsLink.runner_id == runner_id)
    )
    return bool(getattr(result, "rowcount", 0))


async def pollable(
    session: AsyncSession, *, now: datetime
) -> Sequence[tuple[IntervalsLink, Runner]]:
    """Links whose key was not refused and that may be asked now, with their runners."""
    result = await session.execute(
        select(IntervalsLink, Runner)
        .join(Runner, Runner.id == IntervalsLink.runner_id)
        .where(
            IntervalsLink.refused_at.is_(None),
            or_(IntervalsLink.wait_until.is_(None), IntervalsLink.wait_until <= now),
            Runner.profile.is_not(None),
            Runner.active.is_(True),
        )
    )
    return [(link, runner) for link, runner in result.all()]


async def claim_poll(
    session: AsyncSession, runner_id: int, *, now: datetime, last_before: datetime
) -> bool:
    """Marks the link polled now unless it was polled at or after `last_before`: of two
    instances (or a poll and a fresh /intervals) only one asks intervals.icu."""
    result = await session.execute(
        update(IntervalsLink)
        .where(
            IntervalsLink.runner_id == runner_id,
            or_(IntervalsLink.polled_at.is_(None), IntervalsLink.polled_at < last_before),
        )
        .values(polled_at=now)
    )
    return bool(getattr(result, "rowcount", 0))
