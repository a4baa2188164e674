"""Keeping reminder rows in step with the planned sessions (called whenever the plan is synced).

Each planned session has a `session` row (`session:{id}`) and an `ask_log` row (`ask_log:{id}`);
each runner has one weekly preview row per week (`preview:{runner}:{monday}`). Creating a row
twice is a no-op (dedupe key). Due times come from `scheduler.timing` (pure); the
`ReminderScheduler` port only gets ids, after the rows are written.

Apart from `bot.services.reminders` (claiming, sending, the buttons) so that the planning use
case can sync rows without the two importing each other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.domain.profile import RunnerProfile, Weekday
from bot.core.domain.rundays import RunDays
from bot.core.domain.statuses import ReminderStatus, SessionStatus
from bot.services.calendar_state import planning_inputs, stored_calendar
from bot.services.container import Services
from bot.storage import reminders as repo
from bot.storage.tables import PlannedSession, Reminder, Runner
from scheduler import timing
from scheduler.timing import Kind


def session_key(session_id: int) -> str:
    return f"session:{session_id}"


ASK_AFTER_REMINDER_MIN_GAP = timedelta(seconds=10)
"""A log prompt never overtakes its session reminder, even when both fall due together."""


def ask_log_key(session_id: int) -> str:
    return f"ask_log:{session_id}"


def preview_key(runner_id: int, week_start: date) -> str:
    return f"preview:{runner_id}:{week_start.isoformat()}"


def summary_key(runner_id: int, week_start: date) -> str:
    return f"summary:{runner_id}:{week_start.isoformat()}"


def delays(services: Services) -> tuple[timedelta, timedelta]:
    settings = services.settings
    return (
        timedelta(minutes=settings.reminder_delay_minutes),
        timedelta(minutes=settings.log_prompt_delay_minutes),
    )


# --- keeping rows in step with the plan -------------------------------------------------------


@dataclass
class RowChanges:
    """Rows to (re)schedule or cancel once the caller's transaction is done."""

    schedule: dict[int, datetime] = field(default_factory=dict)
    cancel: list[int] = field(default_factory=list)


async def sync_session_reminders(
    session: AsyncSession,
    services: Services,
    runner: Runner,
    profile: RunnerProfile,
    sessions: Sequence[PlannedSession],
    cancelled: Sequence[int],
) -> None:
    """Makes the reminder rows match the synced sessions (called by `planning.sync_plan`).

    New sessions get their rows; a changed time zone or run time moves pending rows; dropped
    sessions lose theirs; the next weekly preview is queued. A reminder already late when it is
    created (onboarding on a tempo day after the reminder time) goes out soon if still useful.
    """
    now = services.now()
    todo = RowChanges()
    live = [row for row in sessions if row.status == SessionStatus.PLANNED]
    existing = await repo.for_sessions(session, [row.id for row in live])
    by_session: dict[int, list[Reminder]] = {}
    for reminder in existing:
        if reminder.session_id is not None:
            by_session.setdefault(reminder.session_id, []).append(reminder)
    # Issue 18: with a linked calendar, a timed calendar run gives that day's reminder time.
    today = services.today_in(profile.timezone)
    _, run_days, _ = planning_inputs(profile, stored_calendar(runner.profile), today)
    for row in live:
        await sync_one(
            session,
            services,
            runner.id,
            profile,
            row,
            by_session.get(row.id, []),
            now,
            todo,
            run_days=run_days,
        )
    if cancelled:
        dropped = await repo.for_sessions(session, list(cancelled))
        todo.cancel += await repo.cancel(session, [r.id for r in dropped])
    for weekly in WEEKLY:
        await _queue_weekly(session, services, runner.id, profile, now, todo, weekly)
    apply_changes(services, todo)


async def sync_one(
    session: AsyncSession,
    services: Services,
    runner_id: int,
    profile: RunnerProfile,
    row: PlannedSession,
    rows: list[Reminder],
    now: datetime,
    todo: RowChanges,
    *,
    run_days: RunDays | None = None,
) -> None:
    zone, quiet = profile.zone, services.settings.quiet_window
    remind_delay, log_delay = delays(services)
    run_time = profile.time_for(Weekday.of(row.date))
    is_run = profile.day_kind(row.date).is_run
    if run_days is not None and run_days.source(row.date) == "calendar":
        dated = run_days.run(row.date)  # the calendar's run, and its time when it has one
        is_run = dated.kind.is_run
        run_time = dated.time or run_time
    if not is_run:
        remind_delay = timedelta(0)  # a day without a run: at the runner's chosen time
    nominal = timing.session_due(row.date, run_time, zone, delay=remind_delay, quiet=quiet)
    keyed = {r.dedupe_key: r for r in rows}
    first = await _ensure(
        session,
        runner_id,
        row.id,
        Kind.SESSION,
        session_key(row.id),
        keyed.get(session_key(row.id)),
        nominal,
        now,
        zone,
        quiet,
        todo,
    )
    session_rows = [r for r in rows if r.kind == Kind.SESSION]
    reference = _latest_reminded(session_rows) or first or nominal
    ask = timing.ask_log_due(reference, zone, delay=log_delay, quiet=quiet)
    await _ensure(
        session,
        runner_id,
        row.id,
        Kind.ASK_LOG,
        ask_log_key(row.id),
        keyed.get(ask_log_key(row.id)),
        ask,
        now,
        zone,
        quiet,
        todo,
    )


def _latest_reminded(rows: list[Reminder]) -> datetime | None:
    """When the runner was (or will be) last reminded of this session, snoozes included."""
    times = [
        r.sent_at or r.due_at
        for r in rows
        if r.status not in (ReminderStatus.CANCELLED, ReminderStatus.MISSED, ReminderStatus.FAILED)
    ]
    return max(times) if times else None


async def _ensure(
    session: AsyncSession,
    runner_id: int,
    session_id: int | None,
    kind: Kind,
    key: str,
    current: Reminder | None,
    due: datetime,
    now: datetime,
    zone: ZoneInfo,
    quiet: timing.QuietWindow,
    todo: RowChanges,
) -> datetime | None:
    """Creates, moves or revives one row; returns its due time (None if it won't be sent)."""
    if current is None:
        when = timing.catch_up(kind, due, now, zone, quiet)
        if when is None:
            return None
        created = await repo.create_if_absent(
            session,
            runner_id=runner_id,
            kind=kind,
            dedupe_key=key,
            due_at=when,
            now=now,
            session_id=session_id,
        )
        if created is not None:
            todo.schedule[created.id] = when
        return when
    if current.status == ReminderStatus.PENDING:
        if due >= now and current.due_at != due:
            await repo.move_pending(session, current.id, due)
            current.due_at = due
            todo.schedule[current.id] = due
        return current.due_at
    if current.status == ReminderStatus.CANCELLED:
        when = timing.catch_up(kind, due, now, zone, quiet)
        if when is not None and await repo.move_pending(session, current.id, when):
            current.status, current.due_at = ReminderStatus.PENDING, when
            todo.schedule[current.id] = when
        return when
    return current.sent_at or current.due_at


@dataclass(frozen=True)
class _Weekly:
    """A once-a-week row per runner: which week comes next, when it is due, its dedupe key."""

    kind: Kind
    next_week: Callable[[datetime, ZoneInfo, timing.QuietWindow], date]
    due: Callable[[date, ZoneInfo, timing.QuietWindow], datetime]
    key: Callable[[int, date], str]


WEEKLY = (
    _Weekly(Kind.WEEKLY_PREVIEW, timing.next_preview_week, timing.preview_due, preview_key),
    _Weekly(Kind.WEEKLY_SUMMARY, timing.next_summary_week, timing.summary_due, summary_key),
)
"""Sunday evening's preview of next week and summary of this one (quiet hours kept); delivering
one syncs the plan, which queues the next."""


async def _queue_weekly(
    session: AsyncSession,
    services: Services,
    runner_id: int,
    profile: RunnerProfile,
    now: datetime,
    todo: RowChanges,
    weekly: _Weekly,
) -> None:
    zone, quiet = profile.zone, services.settings.quiet_window
    week = weekly.next_week(now, zone, quiet)
    key = weekly.key(runner_id, week)
    current = (await repo.by_keys(session, [key])).get(key)
    due = weekly.due(week, zone, quiet)
    await _ensure(session, runner_id, None, weekly.kind, key, current, due, now, zone, quiet, todo)


def apply_changes(services: Services, todo: RowChanges) -> None:
    for reminder_id in todo.cancel:
        services.scheduler.cancel(reminder_id)
    for reminder_id, due in todo.schedule.items():
        services.scheduler.schedule(reminder_id, due)
