"""What the buttons under a session reminder do (and /pause): start, snooze, skip, move to
tomorrow, how the runner feels. Each is one short transaction that keeps the session's
reminders in step (`bot.services.reminder_rows`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import timing
from bot.core.domain.adjustments import Readiness
from bot.core.domain.plan import Session
from bot.core.domain.profile import RunnerProfile, Units, Weekday
from bot.core.domain.rundays import RunDays
from bot.core.domain.statuses import ReminderStatus, SessionStatus
from bot.core.planner.placement import blocked_reason, p4_clash
from bot.core.timing import Kind
from bot.services import planning
from bot.services.calendar_state import planning_inputs, stored_calendar
from bot.services.container import Services
from bot.services.readiness import record_readiness
from bot.services.reminder_rows import (
    RowChanges,
    apply_changes,
    delays,
    session_key,
    skip_session_row,
    sync_one,
)
from bot.storage import reminders as repo
from bot.storage import runners
from bot.storage import sessions as session_rows
from bot.storage.tables import PlannedSession, Runner

MAX_SNOOZES = 3
"""Snoozes a session reminder allows before the buttons stop offering one."""


class Outcome(StrEnum):
    """What a button press did; handlers phrase it (`handlers/reminder_texts.py`)."""

    OK = "ok"
    GONE = "gone"
    """The session no longer exists or is not the runner's."""
    DONE = "done"
    SKIPPED = "skipped"
    MOVED = "moved"
    CANCELLED = "cancelled"
    PAST = "past"
    """The session's day is over."""
    TOO_LATE = "too_late"
    """Snoozing would reach quiet hours or tomorrow."""
    SNOOZE_LIMIT = "snooze_limit"
    BLOCKED = "blocked"
    """Moving would break P3–P5 (or leave the week): `reason` says which."""


@dataclass(frozen=True)
class ButtonResult:
    outcome: Outcome
    session: Session | None = None
    units: Units = Units.KG
    timezone: str = "UTC"
    when: datetime | None = None
    reason: str = ""
    new_session_id: int | None = None


_STATUS_OUTCOME: dict[str, Outcome] = {
    SessionStatus.DONE: Outcome.DONE,
    SessionStatus.SKIPPED: Outcome.SKIPPED,
    SessionStatus.MOVED: Outcome.MOVED,
    SessionStatus.CANCELLED: Outcome.CANCELLED,
    SessionStatus.MISSED: Outcome.PAST,
}


async def _owned(
    session: AsyncSession, runner_id: int, session_id: int
) -> tuple[Runner, RunnerProfile, PlannedSession] | ButtonResult:
    found = await planning.onboarded(session, runner_id)
    row = await session_rows.owned(session, runner_id, session_id)
    if found is None or row is None:
        return ButtonResult(Outcome.GONE)
    runner, profile = found
    if row.status != SessionStatus.PLANNED:
        return ButtonResult(
            _STATUS_OUTCOME.get(row.status, Outcome.GONE),
            units=profile.units,
            timezone=profile.timezone,
        )
    return runner, profile, row


def _is_past(services: Services, profile: RunnerProfile, row: PlannedSession) -> bool:
    return services.today_in(profile.timezone) > row.date


async def start_session(services: Services, runner_id: int, session_id: int) -> ButtonResult:
    """Start: hands back the session to show again; logging happens when they reply."""
    async with services.db.session() as session:
        found = await _owned(session, runner_id, session_id)
        if isinstance(found, ButtonResult):
            return found
        _, profile, row = found
        return ButtonResult(
            Outcome.OK, planning.stored_session(row), profile.units, profile.timezone
        )


async def snooze(services: Services, runner_id: int, session_id: int) -> ButtonResult:
    """Snooze 1 h: a fresh session reminder later today, never into quiet hours."""
    now = services.now()
    async with services.db.session() as session, session.begin():
        found = await _owned(session, runner_id, session_id)
        if isinstance(found, ButtonResult):
            return found
        _, profile, row = found
        base = ButtonResult(
            Outcome.OK, planning.stored_session(row), profile.units, profile.timezone
        )
        if _is_past(services, profile, row):
            return ButtonResult(Outcome.PAST, units=profile.units, timezone=profile.timezone)
        zone, quiet = profile.zone, services.settings.quiet_window
        when = timing.snooze_until(now, zone, quiet)
        if when is None:
            return ButtonResult(
                Outcome.TOO_LATE,
                units=profile.units,
                timezone=profile.timezone,
                when=_quiet_start(now, zone, quiet),
            )
        rows = await repo.for_sessions(session, [row.id])
        snoozes = [r for r in rows if r.dedupe_key.startswith(f"{session_key(row.id)}:snooze")]
        if len(snoozes) >= MAX_SNOOZES:
            return ButtonResult(
                Outcome.SNOOZE_LIMIT, units=profile.units, timezone=profile.timezone
            )
        todo = RowChanges()
        for earlier in snoozes:
            if earlier.status == ReminderStatus.PENDING:
                todo.cancel += await repo.cancel(session, [earlier.id])
        created = await repo.create_if_absent(
            session,
            runner_id=runner_id,
            kind=Kind.SESSION,
            dedupe_key=f"{session_key(row.id)}:snooze{len(snoozes) + 1}",
            due_at=when,
            now=now,
            session_id=row.id,
        )
        if created is not None:
            todo.schedule[created.id] = when
        _, log_delay = delays(services)
        for other in rows:
            if other.kind == Kind.ASK_LOG and other.status == ReminderStatus.PENDING:
                ask = timing.ask_log_due(when, zone, delay=log_delay, quiet=quiet)
                if other.due_at < ask:
                    await repo.move_pending(session, other.id, ask)
                    todo.schedule[other.id] = ask
    apply_changes(services, todo)
    return ButtonResult(Outcome.OK, base.session, base.units, base.timezone, when=when)


def _quiet_start(now: datetime, zone: ZoneInfo, quiet: timing.QuietWindow) -> datetime | None:
    if quiet is None:
        return None
    today = timing.local(now, zone).date()
    return timing.local_to_utc(today, quiet[0], zone)


async def skip_today(services: Services, runner_id: int, session_id: int) -> ButtonResult:
    """Skip today: the session is skipped and its prompts cancelled; not made up later (X3)."""
    async with services.db.session() as session, session.begin():
        found = await _owned(session, runner_id, session_id)
        if isinstance(found, ButtonResult):
            return found
        _, profile, row = found
        cancelled = await skip_session_row(session, row, services.now())
        result = ButtonResult(
            Outcome.OK, planning.stored_session(row), profile.units, profile.timezone
        )
    for rid in cancelled:
        services.scheduler.cancel(rid)
    return result


async def move_to_tomorrow(services: Services, runner_id: int, session_id: int) -> ButtonResult:
    """Move to tomorrow, only within the week and only if P3–P5 still hold there (X3)."""
    now = services.now()
    async with services.db.session() as session, session.begin():
        found = await _owned(session, runner_id, session_id)
        if isinstance(found, ButtonResult):
            return found
        runner, profile, row = found
        units, tz = profile.units, profile.timezone
        if _is_past(services, profile, row):
            return ButtonResult(Outcome.PAST, units=units, timezone=tz)
        tomorrow = row.date + timedelta(days=1)
        # A linked calendar's runs (and race) are what P3–P5 protect.
        planned_profile, run_days, _ = planning_inputs(
            profile, stored_calendar(runner.profile), services.today_in(tz)
        )
        reason = await _move_blocker(session, planned_profile, row, tomorrow, run_days)
        if reason is not None:
            return ButtonResult(Outcome.BLOCKED, units=units, timezone=tz, reason=reason)
        moved = _moved_content(row, run_days, tomorrow)
        new_row = PlannedSession(
            runner_id=runner_id,
            date=tomorrow,
            name=row.name,
            phase=row.phase,
            status=SessionStatus.PLANNED,
            content=moved,
            created_at=now,
            updated_at=now,
        )
        session.add(new_row)
        row.status = SessionStatus.MOVED
        row.updated_at = now
        await session.flush()
        old = await repo.for_sessions(session, [row.id])
        todo = RowChanges(cancel=await repo.cancel(session, [r.id for r in old]))
        await sync_one(
            session, services, runner_id, profile, new_row, [], now, todo, run_days=run_days
        )
        result = ButtonResult(
            Outcome.OK, planning.stored_session(new_row), units, tz, new_session_id=new_row.id
        )
    apply_changes(services, todo)
    return result


async def report_readiness(
    services: Services, runner_id: int, session_id: int, state: Readiness
) -> ButtonResult:
    """Fresh / Tired / Sore under a reminder: trims (or restores) that session's day."""
    async with services.db.reading() as session:
        found = await _owned(session, runner_id, session_id)
    if isinstance(found, ButtonResult):
        return found
    _, profile, row = found
    if _is_past(services, profile, row):
        return ButtonResult(Outcome.PAST, units=profile.units, timezone=profile.timezone)
    result = await record_readiness(services, runner_id, state, day=row.date)
    return ButtonResult(Outcome.OK, result.session, profile.units, profile.timezone)


async def _move_blocker(
    session: AsyncSession,
    profile: RunnerProfile,
    row: PlannedSession,
    tomorrow: date,
    run_days: RunDays | None = None,
) -> str | None:
    """Why the session cannot go to `tomorrow`: P3/P5/PH3 and P4 by the planner's rules."""
    if tomorrow.weekday() == 0:
        return "a new week starts tomorrow; the plan goes on without doubling up (X3)"
    blocked = blocked_reason(profile, tomorrow, run_days)
    if blocked is not None:
        return blocked
    around = await session_rows.between(
        session,
        row.runner_id,
        tomorrow - timedelta(days=1),
        tomorrow + timedelta(days=2),
        [SessionStatus.PLANNED, SessionStatus.DONE],
    )
    if p4_clash(tomorrow, [other.date for other in around if other.id != row.id]):
        return "P4: never two sessions on consecutive days"
    return None


def _moved_content(row: PlannedSession, run_days: RunDays, day: date) -> dict[str, Any]:
    content = dict(row.content)
    kind = run_days.kind(day)
    after = kind.day_kind if kind.is_run else None
    content.update(
        date=day.isoformat(),
        weekday=Weekday.of(day).value,
        after_run=after.value if after is not None else None,
        reason=f"Moved from {Weekday.of(row.date).title} at your request.",
        moved_from=row.date.isoformat(),
    )
    return content


async def set_paused(services: Services, runner_id: int, paused: bool) -> bool | None:
    """/pause and /resume. Returns the new state, or None for a runner without a plan.

    Pending rows stay while paused (the due ones become missed, see `repo.expire_held`);
    resuming re-syncs so everything ahead is queued again.
    """
    async with services.db.session() as session, session.begin():
        found = await planning.onboarded(session, runner_id)
        if found is None:
            return None
        runner = found[0]
        await runners.set_paused(session, runner_id, paused, services.now())
        if not paused:
            await session.refresh(runner)
            await planning.sync_plan(session, services, runner)
    return paused
