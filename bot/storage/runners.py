"""Runner rows: who they are, their confirmed profile, and whether we may message them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, update
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
    values: dict[str, object] = {"profile": profile, "updated_at": now}
    if block_start is not None:
        values["block_start"] = block_start
    await session.execute(update(Runner).where(Runner.id == runner_id).values(**values))


async def set_active(session: AsyncSession, runner_id: int, active: bool, now: datetime) -> None:
    """Inactive runners (they blocked the bot) get no reminders until they /start again."""
    await session.execute(
        update(Runner).where(Runner.id == runner_id).values(active=active, updated_at=now)
    )


async def set_paused(session: AsyncSession, runner_id: int, paused: bool, now: datetime) -> None:
    await session.execute(
        update(Runner).where(Runner.id == runner_id).values(paused=paused, updated_at=now)
    )


async def delete_runner(session: AsyncSession, runner_id: int) -> None:
    """Removes the runner and, through cascades, everything about them."""
    await session.execute(delete(Runner).where(Runner.id == runner_id))
