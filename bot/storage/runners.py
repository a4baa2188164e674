"""Runner rows: who they are, their confirmed profile, and whether we may message them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.tables import Runner


async def get_runner(session: AsyncSession, runner_id: int) -> Runner | None:
    return await session.get(Runner, runner_id)


async def upsert_runner(
    session: AsyncSession, runner_id: int, *, chat_id: int, first_name: str, now: datetime
) -> Runner:
    """Creates the runner on first contact; a runner who comes back is active again."""
    runner = await session.get(Runner, runner_id)
    if runner is None:
        runner = Runner(
            id=runner_id,
            chat_id=chat_id,
            first_name=first_name[:128],
            profile=None,
            active=True,
            paused=False,
            created_at=now,
            updated_at=now,
        )
        session.add(runner)
    else:
        runner.chat_id = chat_id
        runner.first_name = first_name[:128]
        runner.active = True
        runner.updated_at = now
    await session.flush()
    return runner


async def save_profile(
    session: AsyncSession,
    runner_id: int,
    profile: dict[str, object],
    *,
    block_start: date | None,
    now: datetime,
) -> None:
    runner = await session.get(Runner, runner_id)
    kept = (runner.profile or {}).get("calendar") if runner is not None else None
    if kept is not None and "calendar" not in profile:
        # A linked calendar (issue 18) survives a changed answer; /calendar off removes it.
        profile = {**profile, "calendar": kept}
    values: dict[str, object] = {"profile": profile, "updated_at": now}
    if block_start is not None:
        values["block_start"] = block_start
    await session.execute(update(Runner).where(Runner.id == runner_id).values(**values))


async def set_calendar(
    session: AsyncSession, runner_id: int, calendar: dict[str, Any] | None, *, now: datetime
) -> None:
    """Stores (or with None removes) the linked calendar kept beside the profile (issue 18)."""
    runner = await session.get(Runner, runner_id)
    if runner is None or runner.profile is None:
        return
    profile = {k: v for k, v in runner.profile.items() if k != "calendar"}
    if calendar is not None:
        profile["calendar"] = calendar
    runner.profile = profile
    runner.updated_at = now
    await session.flush()


async def set_active(session: AsyncSession, runner_id: int, active: bool, now: datetime) -> None:
    """Inactive runners (they blocked the bot) get no reminders until they /start again."""
    await session.execute(
        update(Runner).where(Runner.id == runner_id).values(active=active, updated_at=now)
    )


async def set_paused(session: AsyncSession, runner_id: int, paused: bool, now: datetime) -> None:
    await session.execute(
        update(Runner).where(Runner.id == runner_id).values(paused=paused, updated_at=now)
    )


async def runners_with_profile(session: AsyncSession) -> Sequence[Runner]:
    """Every runner who finished onboarding (the daily calendar-feed re-sync walks them)."""
    result = await session.scalars(select(Runner).where(Runner.profile.is_not(None)))
    return result.all()


async def delete_runner(session: AsyncSession, runner_id: int) -> None:
    """Removes the runner and, through cascades, everything about them."""
    await session.execute(delete(Runner).where(Runner.id == runner_id))
