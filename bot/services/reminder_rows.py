"""Keeping reminder rows in step with the planned sessions (called whenever the plan is synced).

Each planned session has a `session` row (`session:{id}`) and an `ask_log` row (`ask_log:{id}`);
each runner has one weekly preview row per week (`preview:{runner}:{monday}`). Creating a row
twice is a no-op (dedupe key). Due times come from `bot.core.timing` (pure); the
`ReminderScheduler` port only gets ids, after the rows are written.

Apart from `bot.services.delivery` (claiming, sending) and `bot.services.session_buttons` (the
buttons) so that the planning use case can sync rows without them importing each other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import timing
from bot.core.domain.profile import RunnerProfile, Weekday
from bot.core.domain.rundays import RunDays
from bot.core.domain.statuses import ReminderStatus, SessionStatus
from bot.core.timing import Kind
from bot.services.calendar_state import planning_inputs, stored_calendar
from bot.services.container import Services
from bot.storage import reminders as repo
from bot.storage import runs as run_rows
from bot.storage.tables import PlannedSession, Reminder, Runner


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


@dataclass
class NewRows:
    """Rows a plan sync creates, inserted together (one INSERT, not a lookup and an INSERT
    each): `known` holds every row, by dedupe key, that already has one of the sync's keys."""

    known: dict[str, Reminder]
    rows: list[tuple[Reminder, datetime]] = field(default_factory=list)

    def add(self, row: Reminder, when: datetime) -> None:
        self.known[row.dedupe_key] = row
        self.rows.append((row, when))

    async def insert(self, session: AsyncSession, todo: RowChanges) -> None:
        """One INSERT for all; each row learns its id by its dedupe key (the objects stay out
        of the session, so the ORM does not insert them one by one to learn the ids)."""
        if not self.rows:
            return
        connection = await session.connection()
        values = [{column: getattr(row, column) for column in _COLUMNS} for row, _ in self.rows]
        ids = {key: row_id for row_id, key in await connection.execute(_INSERT, values)}
        for row, when in self.rows:
            row.id = ids[row.dedupe_key]
            todo.schedule[row.id] = when
        self.rows.clear()


_COLUMNS = (
    "runner_id",
    "session_id",
    "kind",
    "dedupe_key",
    "due_at",
    "status",
    "attempts",
    "created_at",
)
_INSERT = insert(Reminder).returning(Reminder.id, Reminder.dedupe_key)


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
    zone, quiet = profile.zone, services.settings.quiet_window
    weeks = [(weekly, weekly.next_week(now, zone, quiet)) for weekly in WEEKLY]
    weekly_keys = [weekly.key(runner.id, week) for weekly, week in weeks]
    keys = [key for row in live for key in (session_key(row.id), ask_log_key(row.id))]
    new_rows = NewRows(await repo.by_keys(session, [*keys, *weekly_keys]))
    by_session: dict[int, list[Reminder]] = {}
    for reminder in existing:
        if reminder.session_id is not None:
            by_session.setdefault(reminder.session_id, []).append(reminder)
    # With a linked calendar, a timed calendar run gives that day's reminder time.
    today = services.today_in(profile.timezone)
    _, run_days, _ = planning_inputs(profile, stored_calendar(runner.profile), today)
    # A run that arrived today (a file, intervals.icu) brought today's reminder forward: keep it.
    arrivals = (
        await run_rows.first_arrivals(session, runner.id, [today])
        if any(row.date == today for row in live)
        else {}
    )
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
            new_rows=new_rows,
            arrived=arrivals.get(row.date),
        )
    if cancelled:
        dropped = await repo.for_sessions(session, list(cancelled))
        todo.cancel += await repo.cancel(session, [r.id for r in dropped])
    for (weekly, week), key in zip(weeks, weekly_keys, strict=True):
        due = weekly.due(week, zone, quiet)
        current = new_rows.known.get(key)
        await _ensure(
            session,
            runner.id,
            None,
            weekly.kind,
            key,
            current,
            due,
            now,
            zone,
            quiet,
            todo,
            new_rows=new_rows,
        )
    await new_rows.insert(session, todo)
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
    new_rows: NewRows | None = None,
    arrived: datetime | None = None,
) -> None:
    """One session's rows; `arrived` is when the day's run arrived, if it has (the reminder
    then goes at once, `timing.run_arrival_due`, unless its usual time is earlier)."""
    zone, quiet = profile.zone, services.settings.quiet_window
    remind_delay, log_delay = delays(services)
    run_time = profile.time_for(Weekday.of(row.date))
    is_run = profile.day_kind(row.date).is_run
    if run_days is not None and run_days.source(row.date) == "calendar":
        dated = run_days.run(row.date)  # the calendar's run, and its time when it has one
        is_run = dated.kind.is_run
        run_time = timing.run_finish(run_time, dated.time, dated.end)
    if not is_run:
        remind_delay = timedelta(0)  # a day without a run: at the runner's chosen time
    nominal = timing.session_due(row.date, run_time, zone, delay=remind_delay, quiet=quiet)
    early = timing.run_arrival_due(row.date, arrived, zone, quiet) if arrived else None
    if early is not None and early < nominal:
        nominal = early
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
        new_rows=new_rows,
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
        new_rows=new_rows,
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
    *,
    new_rows: NewRows | None = None,
) -> datetime | None:
    """Creates, moves or revives one row; returns its due time (None if it won't be sent).

    With `new_rows` a new row is only collected there (`NewRows.insert` writes them all)."""
    if current is None:
        when = timing.catch_up(kind, due, now, zone, quiet)
        if when is None:
            return None
        if new_rows is not None:
            if key not in new_rows.known:
                new_rows.add(
                    Reminder(
                        runner_id=runner_id,
                        session_id=session_id,
                        kind=kind,
                        dedupe_key=key,
                        due_at=when,
                        status=ReminderStatus.PENDING,
                        attempts=0,
                        created_at=now,
                    ),
                    when,
                )
            return when
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


def apply_changes(services: Services, todo: RowChanges) -> None:
    for reminder_id in todo.cancel:
        services.scheduler.cancel(reminder_id)
    for reminder_id, due in todo.schedule.items():
        services.scheduler.schedule(reminder_id, due)


async def skip_session_row(session: AsyncSession, row: PlannedSession, now: datetime) -> list[int]:
    """Skipping, whichever way the runner said it (a button or typing "skip"): the session is
    skipped and its pending reminders cancelled, so no "how did it go?" follows (X3).

    Returns the cancelled reminder ids, for the caller to drop from the scheduler after commit.
    """
    row.status = SessionStatus.SKIPPED
    row.updated_at = now
    return await repo.cancel(session, [r.id for r in await repo.for_sessions(session, [row.id])])
