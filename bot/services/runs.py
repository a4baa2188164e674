"""Use cases for the run the runner actually did: a run file in the chat, intervals.icu, /runs.

A run that arrives on its own day brings that day's session reminder forward (at once, or at
the end of quiet hours; `bot.core.timing.run_arrival_due`) unless it went out already; a run
half as long again as planned trims the session as a Tired answer does
(`bot.services.readiness.record_readiness`, whose reason the session then shows). A ride, a
swim or a walk is stored as cross-training and changes nothing.
"""

from __future__ import annotations

import asyncio
import csv
import io
import logging
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import cast, get_args
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import timing
from bot.core.domain.adjustments import Readiness, WeekAdjustment
from bot.core.domain.plan import Session
from bot.core.domain.profile import Weekday
from bot.core.domain.rundays import RunDays, RunKind
from bot.core.domain.runs import RunRecord, RunSource, Sport, SyncedActivity
from bot.core.domain.statuses import ReminderStatus, SessionStatus
from bot.core.runs import (
    IntervalsKeyRefused,
    IntervalsRateLimited,
    IntervalsUnavailable,
    is_overrun,
    planned_duration,
)
from bot.services import planning
from bot.services.calendar_state import planning_inputs, stored_calendar
from bot.services.container import Services
from bot.services.readiness import record_readiness
from bot.services.reminder_rows import RowChanges, apply_changes, ask_log_key, delays, session_key
from bot.storage import adjustments as adjustment_rows
from bot.storage import intervals_links
from bot.storage import reminders as reminder_rows
from bot.storage import runs as run_rows
from bot.storage import sessions as session_rows
from bot.storage.tables import Runner, RunRow

log = logging.getLogger(__name__)

LIST_DAYS = 14
"""/runs shows at least this many days back."""


@dataclass(frozen=True)
class RunArrival:
    """What a run file or intervals.icu brought; `record` is None for a Strava stub (a run done,
    its metrics withheld)."""

    start: datetime
    record: RunRecord | None
    source: RunSource
    external_id: str | None = None

    @property
    def sport(self) -> Sport:
        return self.record.sport if self.record is not None else "run"

    @classmethod
    def of_activity(cls, activity: SyncedActivity) -> RunArrival:
        return cls(activity.start, activity.record, "intervals", activity.id)


@dataclass(frozen=True)
class RunOutcome:
    """What the chat says about a run that arrived."""

    arrival: RunArrival
    timezone: str
    day: date
    matched: RunKind
    repeated: bool = False
    """Already recorded (the same file again, or intervals.icu listing it again)."""
    earlier_day: bool = False
    reminder: str = "none"
    """none (no session that day), now, later (held to the end of quiet hours: `at`), sent,
    usual (its usual time, `at`, comes first)."""
    at: datetime | None = None
    trim_reason: str | None = None
    session: Session | None = None
    session_id: int | None = None

    @property
    def is_run(self) -> bool:
        return self.arrival.sport == "run"


async def _run_kind(db: AsyncSession, runner_id: int, run_days: RunDays, day: date) -> RunKind:
    """That local date's planned run: the usual week or the calendar, then a one-off change
    to that week ("this week my tempo is on thursday", `WeekAdjustment`) on usual-week days."""
    kind = run_days.kind(day)
    if run_days.source(day) != "template":
        return kind
    for row in await adjustment_rows.active_rows(db, runner_id, since=day, kind="week"):
        change = adjustment_rows.adjustment_of(row)
        weekday = Weekday.of(day)
        if isinstance(change, WeekAdjustment) and change.active_on(day) and weekday in change.days:
            kind = RunKind.of(change.days[weekday])
    return kind


def _calendar_minutes(run_days: RunDays, day: date) -> int | None:
    """The calendar event's length, when the day comes from a calendar that gives one."""
    if run_days.source(day) != "calendar":
        return None
    dated = run_days.run(day)
    if dated.time is None or dated.end is None or dated.end <= dated.time:
        return None
    start = datetime.combine(day, dated.time)
    return int((datetime.combine(day, dated.end) - start).total_seconds() // 60)


def overrun_reason(kind: RunKind, actual_s: int, planned_s: int) -> str:
    """ "your long run was 50 % longer than planned: one set fewer per lift, no jumps today" """
    longer = round((actual_s / planned_s - 1) * 100)
    what = f"{kind.value} run" if kind.is_run else "run"
    return (
        f"Your {what} was {longer} % longer than planned: one set fewer per lift, no jumps today"
    )


async def record_run(services: Services, runner_id: int, arrival: RunArrival) -> RunOutcome | None:
    """Stores the run (once) against its local date and acts on it; None before onboarding."""
    now = services.now()
    async with services.db.session() as db, db.begin():
        found = await planning.onboarded(db, runner_id)
        if found is None:
            return None
        runner, profile = found
        zone = profile.zone
        today = services.today_in(profile.timezone)
        day = arrival.start.astimezone(zone).date()
        _, run_days, _ = planning_inputs(profile, stored_calendar(runner.profile), today)
        matched = await _run_kind(db, runner_id, run_days, day)
        base = RunOutcome(arrival, profile.timezone, day, matched, earlier_day=day < today)
        existing = await run_rows.same_run(db, runner_id, arrival.start, arrival.external_id)
        if existing is not None:
            return replace(base, repeated=True)
        record = arrival.record
        row = RunRow(
            runner_id=runner_id,
            day=day,
            started_at=arrival.start,
            sport=arrival.sport,
            source=arrival.source,
            matched=matched.value,
            distance_m=record.distance_m if record else None,
            moving_time_s=record.moving_time_s if record else None,
            average_hr=record.average_hr if record else None,
            external_id=arrival.external_id,
            received_at=now,
        )
        try:
            async with db.begin_nested():  # a poll and /intervals may store it at once
                await run_rows.add_run(db, row)
        except IntegrityError:
            return replace(base, repeated=True)
        if arrival.sport != "run" or day != today:
            return base
        planned_s = planned_duration(
            _calendar_minutes(run_days, day),
            await run_rows.moving_times(db, runner_id, matched.value, before=day),
        )
        rows = await session_rows.between(
            db, runner_id, day, day + timedelta(days=1), [SessionStatus.PLANNED]
        )
        started = await session_rows.live_entry_on(db, runner_id, day) is not None
    trim = None
    if (
        rows
        and not started
        and record is not None
        and planned_s is not None
        and matched.is_run
        and is_overrun(record.moving_time_s, planned_s)
    ):
        trim = overrun_reason(matched, record.moving_time_s, planned_s)
        await record_readiness(services, runner_id, Readiness.TIRED, day=day, reason=trim)
    if not rows:
        return replace(base, trim_reason=trim)
    reminder, at, session = await _bring_forward(
        services, runner_id, rows[0].id, day, zone, move=False
    )
    return replace(
        base,
        trim_reason=trim,
        reminder=reminder,
        at=at,
        session=session,
        session_id=rows[0].id,
    )


async def send_session_now(services: Services, runner_id: int, outcome: RunOutcome) -> None:
    """Brings the day's session reminder forward as `record_run` said it would (the caller
    first tells the runner what was read, so that answer comes before the session)."""
    if outcome.session_id is not None and outcome.reminder in ("now", "later"):
        zone = ZoneInfo(outcome.timezone)
        await _bring_forward(services, runner_id, outcome.session_id, outcome.day, zone, move=True)


async def _bring_forward(
    services: Services,
    runner_id: int,
    session_id: int,
    day: date,
    zone: ZoneInfo,
    *,
    move: bool,
) -> tuple[str, datetime | None, Session | None]:
    """Moves (with `move`) the day's pending session reminder and its log prompt to now, or to
    the end of quiet hours; says whether it goes now, later, or went already."""
    now = services.now()
    quiet = services.settings.quiet_window
    _, log_delay = delays(services)
    todo = RowChanges()
    async with services.db.session() as db, db.begin():
        row = await session_rows.owned(db, runner_id, session_id)
        if row is None or row.status != SessionStatus.PLANNED:
            return "none", None, None
        session = planning.stored_session(row)
        keyed = {r.dedupe_key: r for r in await reminder_rows.for_sessions(db, [session_id])}
        first = keyed.get(session_key(session_id))
        if first is None or first.status != ReminderStatus.PENDING:
            sent = first is not None and first.status != ReminderStatus.CANCELLED
            return ("sent" if sent else "none"), None, session
        when = timing.run_arrival_due(day, now, zone, quiet)
        if when is None or when > first.due_at:
            return "usual", first.due_at, session
        if move:
            await reminder_rows.move_pending(db, first.id, when)
            todo.schedule[first.id] = when
            ask = keyed.get(ask_log_key(session_id))
            if ask is not None and ask.status == ReminderStatus.PENDING:
                ask_at = timing.ask_log_due(when, zone, delay=log_delay, quiet=quiet)
                if ask_at < ask.due_at:
                    await reminder_rows.move_pending(db, ask.id, ask_at)
                    todo.schedule[ask.id] = ask_at
    apply_changes(services, todo)
    return ("now" if when <= now else "later"), when, session


# --- /runs and /export -----------------------------------------------------------------------


@dataclass(frozen=True)
class ShownRun:
    """One recorded activity as /runs and /export show it."""

    day: date
    start: datetime
    sport: str
    source: str
    matched: str
    distance_m: float | None
    moving_time_s: int | None
    average_hr: int | None

    def record(self) -> RunRecord | None:
        if self.distance_m is None or self.moving_time_s is None:
            return None
        return RunRecord(
            start=self.start,
            distance_m=self.distance_m,
            moving_time_s=self.moving_time_s,
            average_hr=self.average_hr,
            sport=cast(Sport, self.sport if self.sport in get_args(Sport) else "other"),
            source=cast(RunSource, self.source),
        )


def _shown(row: RunRow) -> ShownRun:
    return ShownRun(
        row.day,
        row.started_at,
        row.sport,
        row.source,
        row.matched,
        row.distance_m,
        row.moving_time_s,
        row.average_hr,
    )


async def recent_runs(
    services: Services, runner_id: int, *, days: int = LIST_DAYS
) -> tuple[str, list[ShownRun]] | None:
    """The runner's zone and their activities of the last `days` days; None before onboarding."""
    async with services.db.session() as db:
        found = await planning.onboarded(db, runner_id)
        if found is None:
            return None
        timezone = found[1].timezone
        first = services.today_in(timezone) - timedelta(days=days - 1)
        return timezone, [_shown(row) for row in await run_rows.since(db, runner_id, first)]


async def all_runs(services: Services, runner_id: int) -> list[ShownRun]:
    """Every recorded activity, oldest first (for /export)."""
    async with services.db.session() as db:
        return [_shown(row) for row in await run_rows.all_runs(db, runner_id)]


RUN_CSV_COLUMNS = (
    "date",
    "start_utc",
    "sport",
    "matched_run",
    "distance_km",
    "moving_time_s",
    "average_hr",
    "source",
)


async def export_runs_csv(services: Services, runner_id: int) -> str | None:
    """One row per recorded activity (ISO date, distance in km …), or None when there is none.
    The intervals.icu key is the runner's secret and is never exported."""
    shown = await all_runs(services, runner_id)
    if not shown:
        return None
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(RUN_CSV_COLUMNS)
    for run in shown:
        writer.writerow(
            [
                run.day.isoformat(),
                run.start.isoformat(),
                run.sport,
                run.matched,
                "" if run.distance_m is None else f"{run.distance_m / 1000:.2f}",
                "" if run.moving_time_s is None else run.moving_time_s,
                "" if run.average_hr is None else run.average_hr,
                run.source,
            ]
        )
    return buffer.getvalue()


# --- intervals.icu ---------------------------------------------------------------------------

KEY_SHAPE = re.compile(r"[A-Za-z0-9_\-]{8,128}")
"""intervals.icu's personal API keys: letters and digits (we allow a little more)."""
POLL_EVERY = timedelta(minutes=5)
POLL_FOR = timedelta(hours=4)
"""Polling starts at the usual finish time (or when connected, if later) and lasts this long."""
POLL_CONCURRENCY = 8


@dataclass(frozen=True)
class ConnectResult:
    outcome: str
    """connected, refused, malformed, unavailable, busy, not_onboarded."""
    found: tuple[RunOutcome, ...] = ()


async def connect_intervals(services: Services, runner_id: int, key: str) -> ConnectResult:
    """Checks the key once with intervals.icu and stores it; a refused key stores nothing.
    On a run day after the usual finish time, the day's activities are read at once."""
    key = key.strip()
    if not KEY_SHAPE.fullmatch(key):
        return ConnectResult("malformed")
    async with services.db.session() as db:
        found = await planning.onboarded(db, runner_id)
        if found is None:
            return ConnectResult("not_onboarded")
    try:
        accepted = await services.intervals.check_key(key)
    except IntervalsRateLimited:
        return ConnectResult("busy")
    except IntervalsUnavailable as error:
        log.warning("intervals.icu key check failed: %s", error)
        return ConnectResult("unavailable")
    if not accepted:
        return ConnectResult("refused")
    async with services.db.session() as db, db.begin():
        await intervals_links.connect(db, runner_id, key, now=services.now())
    notices = await poll_intervals(services, only=runner_id)
    return ConnectResult("connected", tuple(n.outcome for n in notices if n.outcome))


async def disconnect_intervals(services: Services, runner_id: int) -> bool:
    """`/intervals off`: the key is deleted; whether there was one."""
    async with services.db.session() as db, db.begin():
        return await intervals_links.disconnect(db, runner_id)


async def intervals_connected(services: Services, runner_id: int) -> bool | None:
    """Whether a key is stored and working: True, False (refused), None (none stored)."""
    async with services.db.session() as db:
        link = await intervals_links.get(db, runner_id)
    return None if link is None else link.refused_at is None


@dataclass(frozen=True)
class PollNotice:
    """Something a poll found that the runner hears about (the job sends it)."""

    runner_id: int
    chat_id: int
    outcome: RunOutcome | None = None
    """A new activity recorded; None when the key was refused (told once, polling stops).
    Whoever tells the runner calls `send_session_now` next."""


@dataclass(frozen=True)
class _Due:
    runner_id: int
    chat_id: int
    key: str
    zone: ZoneInfo
    today: date


async def _poll_window(
    db: AsyncSession, runner: Runner, connected_at: datetime, now: datetime
) -> tuple[date, ZoneInfo] | None:
    """Today's date and zone when today is a run day and `now` is in its polling window."""
    profile = planning.profile_of(runner)
    zone = profile.zone
    today = now.astimezone(zone).date()
    _, run_days, _ = planning_inputs(profile, stored_calendar(runner.profile), today)
    if not (await _run_kind(db, runner.id, run_days, today)).is_run:
        return None
    finish = profile.time_for(Weekday.of(today))
    if run_days.source(today) == "calendar":
        dated = run_days.run(today)
        finish = timing.run_finish(finish, dated.time, dated.end)
    opens = timing.local_to_utc(today, finish, zone)
    closes = max(opens, connected_at) + POLL_FOR
    return (today, zone) if opens <= now <= closes else None


async def poll_intervals(services: Services, *, only: int | None = None) -> list[PollNotice]:
    """One polling pass: each connected runner in their run day's window, not asked within
    `POLL_EVERY` and with no run recorded yet today, is asked for today's activities.
    `only` polls that runner alone (just connected)."""
    now = services.now()
    due: list[_Due] = []
    last_before = now - POLL_EVERY + timedelta(seconds=5)  # a pass a little early still asks
    async with services.db.session() as db, db.begin():
        for link, runner in await intervals_links.pollable(db, now=now):
            if only is not None and runner.id != only:
                continue
            if link.polled_at is not None and link.polled_at >= last_before:
                continue
            try:
                window = await _poll_window(db, runner, link.connected_at, now)
            except ValueError:  # a profile that no longer validates: not ours to fix here
                continue
            if window is None:
                continue
            today, zone = window
            if await run_rows.first_arrivals(db, runner.id, [today]):
                continue  # today's run is in: nothing more to wait for
            if await intervals_links.claim_poll(db, runner.id, now=now, last_before=last_before):
                due.append(_Due(runner.id, runner.chat_id, link.api_key, zone, today))
    slots = asyncio.Semaphore(POLL_CONCURRENCY)

    async def one(item: _Due) -> list[PollNotice]:
        async with slots:
            return await _poll_one(services, item)

    found = await asyncio.gather(*(one(item) for item in due))
    return [notice for notices in found for notice in notices]


async def _poll_one(services: Services, item: _Due) -> list[PollNotice]:
    now = services.now()
    try:
        activities = await services.intervals.activities(
            item.key, item.today, item.today, item.zone
        )
    except IntervalsKeyRefused:
        await _mark(services, item.runner_id, refused_at=now, polled_at=now)
        return [PollNotice(item.runner_id, item.chat_id)]
    except IntervalsRateLimited as limited:
        wait = now + timedelta(seconds=limited.retry_after_s)
        await _mark(services, item.runner_id, wait_until=wait, polled_at=now)
        return []
    except IntervalsUnavailable as error:
        log.warning("intervals.icu poll for runner %s failed: %s", item.runner_id, error)
        await _mark(services, item.runner_id, polled_at=now)
        return []
    await _mark(services, item.runner_id, polled_at=now)
    notices = []
    for activity in activities:
        outcome = await record_run(services, item.runner_id, RunArrival.of_activity(activity))
        if outcome is not None and not outcome.repeated:
            notices.append(PollNotice(item.runner_id, item.chat_id, outcome))
    return notices


async def _mark(services: Services, runner_id: int, **values: datetime) -> None:
    async with services.db.session() as db, db.begin():
        link = await intervals_links.get(db, runner_id)
        if link is not None:
            for name, value in values.items():
                setattr(link, name, value)


def quiet_now(services: Services, timezone: str) -> bool:
    """Whether it is quiet hours for the runner: a poll's news waits (the reminder is held)."""
    return timing.in_quiet(services.now(), ZoneInfo(timezone), services.settings.quiet_window)
