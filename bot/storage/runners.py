"""Runner rows: who they are, their confirmed profile, and whether we may message them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot.storage.tables import Runner


@dataclass(frozen=True)
class Contact:
    """What /start learns when a runner writes: new, or back (and whether they had blocked us)."""

    new: bool
    was_active: bool
    profile: dict[str, Any] | None


def _add(dialect: Any) -> Any:
    return (
        dialect.insert(Runner)
        .on_conflict_do_nothing(index_elements=[Runner.id])
        .returning(Runner.id)
    )


_ADD = {"sqlite": _add(sqlite), "postgresql": _add(postgresql)}
_SEEN = select(Runner.active, Runner.profile).where(Runner.id == bindparam("runner_id"))
_BACK = (
    update(Runner)
    .where(Runner.id == bindparam("runner_id"))
    .values(
        chat_id=bindparam("new_chat_id"),
        first_name=bindparam("new_first_name"),
        active=True,
        updated_at=bindparam("now"),
    )
)


async def add_if_new(
    connection: AsyncConnection, runner_id: int, *, chat_id: int, first_name: str, now: datetime
) -> bool:
    """Creates the runner unless they exist (one statement); True when they were new.

    A Core statement built once, not the ORM: this runs for every /start of a burst of new
    runners, usually inside `Database.write`.
    """
    added = await connection.execute(
        _ADD[connection.dialect.name],
        {
            "id": runner_id,
            "chat_id": chat_id,
            "first_name": first_name[:128],
            "active": True,
            "paused": False,
            "created_at": now,
            "updated_at": now,
        },
    )
    return added.first() is not None


async def first_contact(
    session: AsyncSession, runner_id: int, *, chat_id: int, first_name: str, now: datetime
) -> Contact:
    """Records a runner who writes: creates them the first time, else updates their chat and
    name and makes them active again (they may have unblocked the bot). The session must hold
    no unflushed Runner for this id."""
    connection = await session.connection()
    if await add_if_new(connection, runner_id, chat_id=chat_id, first_name=first_name, now=now):
        return Contact(new=True, was_active=True, profile=None)
    name = first_name[:128]
    seen = (await connection.execute(_SEEN, {"runner_id": runner_id})).one()
    values = {"runner_id": runner_id, "new_chat_id": chat_id, "new_first_name": name, "now": now}
    await connection.execute(_BACK, values)
    return Contact(new=False, was_active=bool(seen.active), profile=seen.profile)


async def by_ids(session: AsyncSession, runner_ids: Iterable[int]) -> dict[int, Runner]:
    """The runners with these ids, by id."""
    rows = await session.scalars(select(Runner).where(Runner.id.in_(set(runner_ids))))
    return {row.id: row for row in rows}


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
        # A linked calendar survives a changed answer; /calendar off removes it.
        profile = {**profile, "calendar": kept}
    values: dict[str, object] = {"profile": profile, "updated_at": now}
    if block_start is not None:
        values["block_start"] = block_start
    await session.execute(update(Runner).where(Runner.id == runner_id).values(**values))


async def set_calendar(
    session: AsyncSession, runner_id: int, calendar: dict[str, Any] | None, *, now: datetime
) -> None:
    """Stores (or with None removes) the linked calendar kept beside the profile."""
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
