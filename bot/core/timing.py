"""When each reminder is due, in UTC, from the runner's local wall-clock times (pure: no clock).

Decisions (tested in tests/unit/test_timing.py):

- Local → UTC goes through `zoneinfo` with `fold=0`. A local time that does not exist (the spring
  gap) therefore lands on the same instant shifted forward by the gap (01:30 → 02:30 BST), and an
  ambiguous one (autumn) takes its first occurrence. Each day is converted on its own, so a 07:00
  run stays 07:00 local on both sides of a DST switch.
- Delays are added in absolute time (60 minutes after the run is 60 real minutes, DST or not).
- Quiet hours (`QUIET_HOURS`, local, may wrap midnight) are a half-open window [start, end).
  A `session` reminder that would fall in them is only useful the same day, so: if the window ends
  on the session's date (an early run, 05:00 + 60 min → 06:00 quiet), it goes at the window's end;
  otherwise (an evening run, 21:00 + 60 min → 22:00) it is pulled back to `QUIET_MARGIN` before
  the window starts (21:20), or to the finish time itself when that is later and not quiet.
  An `ask_log` prompt keeps until the morning, so it is pushed to the end of the window.
  The weekly preview (Sunday 18:00 local) follows the session rule for its Sunday.
- Delivery after downtime (`delivery_verdict`): a session reminder or preview whose local day is
  over, or that comes due inside quiet hours, is missed (never sent late at night); a log prompt
  keeps one more day and waits for the morning when it falls in quiet hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.core.dates import monday_of

QuietWindow = tuple[time, time] | None
"""(start, end) local times; end < start means the window wraps midnight; None = off."""

QUIET_MARGIN = timedelta(minutes=10)
"""How far before quiet hours a pulled-back session reminder goes (room for a busy queue)."""

PREVIEW_AT = time(18, 0)
"""The weekly preview: Sunday evening, the runner's time."""

SUMMARY_AT = time(19, 0)
"""The weekly summary: Sunday evening, the runner's time, an hour after the preview."""

SNOOZE = timedelta(hours=1)


class Kind(StrEnum):
    """What a reminder row is for (the `reminders.kind` column)."""

    SESSION = "session"
    ASK_LOG = "ask_log"
    WEEKLY_PREVIEW = "weekly_preview"
    WEEKLY_SUMMARY = "weekly_summary"


def local_to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a local wall-clock time (spring gap → forward, autumn → first)."""
    return datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=zone).astimezone(UTC)


def local(moment: datetime, zone: ZoneInfo) -> datetime:
    """The runner's wall clock at an aware instant."""
    return moment.astimezone(zone)


def quiet_interval(
    moment: datetime, zone: ZoneInfo, quiet: QuietWindow
) -> tuple[datetime, datetime] | None:
    """The quiet window (UTC start, UTC end) that contains `moment`, or None if it is not quiet."""
    if quiet is None or quiet[0] == quiet[1]:
        return None
    start, end = quiet
    wall = local(moment, zone)
    day, now_t = wall.date(), wall.time().replace(tzinfo=None)
    if start < end:
        if not start <= now_t < end:
            return None
        first, last = day, day
    elif now_t >= start:
        first, last = day, day + timedelta(days=1)
    elif now_t < end:
        first, last = day - timedelta(days=1), day
    else:
        return None
    begin_utc, end_utc = local_to_utc(first, start, zone), local_to_utc(last, end, zone)
    if not begin_utc <= moment < end_utc:  # a DST edge moved the window off this instant
        return None
    return begin_utc, end_utc


def in_quiet(moment: datetime, zone: ZoneInfo, quiet: QuietWindow) -> bool:
    return quiet_interval(moment, zone, quiet) is not None


def _same_day_fit(
    due: datetime, day: date, earliest: datetime, zone: ZoneInfo, quiet: QuietWindow
) -> datetime:
    """Moves a due time out of quiet hours while keeping it on `day` where possible."""
    window = quiet_interval(due, zone, quiet)
    if window is None:
        return due
    begin, end = window
    if local(end, zone).date() == day:
        return end
    back = begin - QUIET_MARGIN
    if earliest > back and not in_quiet(earliest, zone, quiet):
        return earliest
    return back


FINISH_SLACK = timedelta(hours=2)
"""A stated finish this long after a calendar run's end is another time of day (the usual
week's evening run), not when this run is over."""


def run_finish(stated: time, start: time | None, end: time | None) -> time:
    """When the runner is done on a calendar day: the later of the event's end and the finish
    time they gave, when that time belongs to this run (a run ending 07:35 for someone done by
    07:45 is over at 07:45; an 18:30 usual finish says nothing about a 06:30 run).

    Without a real end (none, or a zero-length event) the event's start stands in for it.
    """
    if start is None:
        return stated
    ends = end if end is not None and end > start else start
    day = date(2000, 1, 3)  # any date: only the times of one day are compared
    latest = datetime.combine(day, ends) + FINISH_SLACK
    if start <= stated and datetime.combine(day, stated) <= latest:
        return max(ends, stated)
    return ends


def session_due(
    day: date, finish: time, zone: ZoneInfo, *, delay: timedelta, quiet: QuietWindow
) -> datetime:
    """The `session` reminder: `delay` after the usual finish time on `day`, outside quiet hours.

    Args:
        day: the session's local date.
        finish: when the runner is usually done that day (`RunnerProfile.time_for`).
        zone: the runner's time zone.
        delay: REMINDER_DELAY_MINUTES.
        quiet: the quiet window, or None.
    """
    finished = local_to_utc(day, finish, zone)
    return _same_day_fit(finished + delay, day, finished, zone, quiet)


def run_arrival_due(
    day: date, arrived: datetime, zone: ZoneInfo, quiet: QuietWindow
) -> datetime | None:
    """The session reminder of `day` once its run has arrived (a file, intervals.icu): at once,
    or at the end of quiet hours when those end on `day`; None when the run arrived on another
    local day (an earlier run sent late brings nothing forward) or only quiet is left of it."""
    if local(arrived, zone).date() != day:
        return None
    window = quiet_interval(arrived, zone, quiet)
    if window is None:
        return arrived
    return window[1] if local(window[1], zone).date() == day else None


def ask_log_due(
    reminded: datetime, zone: ZoneInfo, *, delay: timedelta, quiet: QuietWindow
) -> datetime:
    """The log prompt: `delay` after the session reminder, pushed to the morning if quiet."""
    due = reminded + delay
    window = quiet_interval(due, zone, quiet)
    return window[1] if window else due


def preview_due(week_start: date, zone: ZoneInfo, quiet: QuietWindow) -> datetime:
    """The weekly preview of the week starting `week_start`: the Sunday before, 18:00 local."""
    sunday = week_start - timedelta(days=1)
    at = local_to_utc(sunday, PREVIEW_AT, zone)
    return _same_day_fit(at, sunday, at, zone, quiet)


def next_preview_week(now: datetime, zone: ZoneInfo, quiet: QuietWindow) -> date:
    """The Monday of the first week whose preview is still ahead of `now`."""
    today = local(now, zone).date()
    monday = monday_of(today) + timedelta(days=7)
    if preview_due(monday, zone, quiet) <= now:
        monday += timedelta(days=7)
    return monday


def summary_due(week_start: date, zone: ZoneInfo, quiet: QuietWindow) -> datetime:
    """The summary of the week starting `week_start`: its Sunday, 19:00 local, outside quiet
    hours (pulled back before them on the same Sunday, like the preview)."""
    sunday = week_start + timedelta(days=6)
    at = local_to_utc(sunday, SUMMARY_AT, zone)
    return _same_day_fit(at, sunday, at, zone, quiet)


def next_summary_week(now: datetime, zone: ZoneInfo, quiet: QuietWindow) -> date:
    """The Monday of the first week whose summary is still ahead of `now`."""
    monday = monday_of(local(now, zone).date())
    if summary_due(monday, zone, quiet) <= now:
        monday += timedelta(days=7)
    return monday


class Action(StrEnum):
    SEND = "send"
    DEFER = "defer"
    MISS = "miss"


@dataclass(frozen=True, slots=True)
class Verdict:
    """What to do with a reminder that is due now: send it, wait until `at`, or drop it."""

    action: Action
    at: datetime | None = None


ASK_LOG_KEEPS_DAYS = 1
"""A log prompt is still worth sending the day after its due day (not later)."""


def delivery_verdict(
    kind: str, due_at: datetime, now: datetime, zone: ZoneInfo, quiet: QuietWindow
) -> Verdict:
    """Whether an overdue reminder is still useful now (after downtime, a lost job, a pause)."""
    due_day = local(due_at, zone).date()
    today = local(now, zone).date()
    window = quiet_interval(now, zone, quiet)
    if kind == Kind.ASK_LOG:
        last_day = due_day + timedelta(days=ASK_LOG_KEEPS_DAYS)
        if today > last_day:
            return Verdict(Action.MISS)
        if window is not None:
            if local(window[1], zone).date() > last_day:
                return Verdict(Action.MISS)
            return Verdict(Action.DEFER, window[1])
        return Verdict(Action.SEND)
    if today > due_day or window is not None:
        return Verdict(Action.MISS)
    return Verdict(Action.SEND)


def catch_up(
    kind: str, due_at: datetime, now: datetime, zone: ZoneInfo, quiet: QuietWindow
) -> datetime | None:
    """A new reminder's due time given `now`: as planned, soon if late but useful, else None.

    A runner who finishes onboarding at 15:00 on a tempo day whose reminder was due at 11:00
    still gets today's session now rather than never.
    """
    if due_at >= now:
        return due_at
    verdict = delivery_verdict(kind, due_at, now, zone, quiet)
    if verdict.action is Action.SEND:
        return now
    if verdict.action is Action.DEFER:
        return verdict.at
    return None


def snooze_until(
    now: datetime, zone: ZoneInfo, quiet: QuietWindow, delta: timedelta = SNOOZE
) -> datetime | None:
    """The snoozed due time, or None when it would leave today or reach quiet hours."""
    later = now + delta
    if local(later, zone).date() != local(now, zone).date() or in_quiet(later, zone, quiet):
        return None
    return later
