"""Read an .ics calendar into dated runs in the runner's zone.

Parsing and recurrence are left to well-kept libraries (icalendar, recurring-ical-events); this
module reads the result as a coach would:

- Events are expanded over the planning window (RRULE, RDATE, EXDATE, RECURRENCE-ID overrides;
  X-WR-TIMEZONE honoured). STATUS:CANCELLED occurrences are not runs: the expansion library
  returns them too, so they are filtered here.
- Timed events land on the runner's local date: UTC (`Z`) and TZID times are converted to the
  runner's zone, floating times are taken as the runner's own clock. All-day events keep their
  date. The local start time of a timed run is the reminder time for that day.
- Each event is classified from its SUMMARY (and DESCRIPTION, see `classify`); events that are
  not training (Dentist, holidays) are counted and ignored.
- Two runs on one day count as the harder one (race > long > intervals > tempo > easy).

A calendar is untrusted input, and a few bytes of recurrence rule can describe millions of
occurrences (`FREQ=SECONDLY`) or never advance at all (`INTERVAL=0`). So rules that never move
or repeat within a day are refused before any expansion, and occurrences are counted as they
are made, stopping at `MAX_OCCURRENCES` rather than after the whole list exists. The caller
still runs this in a killable worker (`bot.services.calendar_reading`): the limits here keep a
hostile file cheap, the worker bounds whatever slips past them.

Pure: the caller passes the window and zone; nothing here reads the clock or the network.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import recurring_ical_events
from icalendar import Calendar, Component

from bot.core.calendar.classify import classify
from bot.core.domain.errors import CalendarError
from bot.core.domain.profile import Goal, RaceDistance
from bot.core.domain.rundays import DatedRun, RunKind

MAX_BYTES = 2_000_000
"""A running plan's calendar is a few kilobytes; two megabytes is far beyond any real one."""

MAX_OCCURRENCES = 20_000
"""A calendar expanding to more occurrences in the window is refused (a daily event over a year
is 366; twenty daily meetings beside the runs are still well below)."""

MAX_PER_DAY = 4
"""A rule may repeat an event at most this many times a day (BYHOUR × BYMINUTE × BYSECOND)."""

_SUB_DAILY = {"SECONDLY": "second", "MINUTELY": "minute", "HOURLY": "hour"}


@dataclass(frozen=True, slots=True)
class Race:
    """A race found in the calendar: its local date, distance (when named) and title.

    `recurring` races (a weekly or monthly parkrun) are race days, protected like any race
    (P3, P5), but never the goal to taper toward.
    """

    day: date
    distance: RaceDistance | None
    title: str
    recurring: bool = False


@dataclass(frozen=True)
class CalendarRuns:
    """What a calendar holds for the window: dated runs, races and how much was ignored."""

    runs: dict[date, DatedRun]
    races: tuple[Race, ...] = ()
    ignored: int = 0
    cancelled: int = 0
    start: date = date.min
    end: date = date.max
    notes: tuple[str, ...] = field(default=())

    @property
    def run_count(self) -> int:
        return sum(1 for run in self.runs.values() if run.kind.is_run)

    def goal(self, today: date) -> Goal | None:
        """The race to plan toward: the longest one-off race ahead with a known distance, the
        first of equals. A parkrun a month before the marathon does not replace the marathon."""
        order = list(RaceDistance)
        ahead = [
            (order.index(r.distance), -r.day.toordinal(), r.distance, r.day)
            for r in self.races
            if r.day >= today and r.distance is not None and not r.recurring
        ]
        if not ahead:
            return None
        _, _, distance, day = max(ahead)
        return Goal(race_distance=distance, race_date=day)


def _series_uids(calendars: list[Calendar]) -> set[str]:
    """UIDs of repeating events (RRULE/RDATE, or a base event with overrides)."""
    counts: Counter[str] = Counter()
    repeating: set[str] = set()
    for calendar in calendars:
        for event in calendar.walk("VEVENT"):
            uid = _text(event, "UID")
            if not uid:
                continue
            counts[uid] += 1
            if event.get("RRULE") is not None or event.get("RDATE") is not None:
                repeating.add(uid)
    return repeating | {uid for uid, n in counts.items() if n > 1}


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    for encoding in ("utf-8-sig", "cp1252"):
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode(encoding)
    return data.decode("latin-1")


def _calendars(text: str, name: str) -> list[Calendar]:
    """The VCALENDARs in `text` (some feeds concatenate several)."""
    if not text.strip():
        raise CalendarError(f"{name}: the calendar is empty")
    if "BEGIN:VCALENDAR" not in text.upper():
        raise CalendarError(f"{name}: not an iCalendar file (an .ics starts with BEGIN:VCALENDAR)")
    try:
        calendars = Calendar.from_ical(text, multiple=True)
    except MemoryError:  # out of the reader's memory (bot/services/calendar_reading.py)
        raise
    except Exception as error:  # icalendar raises ValueError, KeyError, IndexError …
        raise CalendarError(f"{name}: not a readable iCalendar file ({_short(error)})") from None
    found = [c for c in calendars if isinstance(c, Calendar)]
    if not found:
        raise CalendarError(f"{name}: not an iCalendar file (an .ics starts with BEGIN:VCALENDAR)")
    return found


def _short(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 80 else text[:77] + "…"


def _text(component: Component, key: str) -> str:
    value = component.get(key)
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value)


def _local(value: Any, zone: ZoneInfo) -> tuple[date, time | None] | None:
    """An occurrence's local date and time: aware → runner's zone; floating → as written."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.date(), value.time().replace(second=0, microsecond=0)
        local = value.astimezone(zone)
        return local.date(), local.time().replace(second=0, microsecond=0)
    if isinstance(value, date):
        return value, None
    return None


_RULE_LINE = re.compile(r"^(?:RRULE|EXRULE)(?:;[^:\n]*)?:(.*)$", re.IGNORECASE | re.MULTILINE)
_FOLD = re.compile(r"\r?\n[ \t]")


def _rule_parts(text: str) -> Iterator[dict[str, list[str]]]:
    """Each RRULE/EXRULE of the (unfolded) text as {KEY: [values]}, read from the raw text so a
    rule the parser kept as broken is judged too."""
    for match in _RULE_LINE.finditer(_FOLD.sub("", text)):
        parts: dict[str, list[str]] = {}
        for pair in match.group(1).strip().split(";"):
            key, _, value = pair.partition("=")
            parts[key.strip().upper()] = [v.strip() for v in value.split(",") if v.strip()]
        yield parts


def refuse_runaway_rules(text: str, name: str) -> None:
    """Refuse rules whose expansion never ends or explodes, before expanding anything.

    INTERVAL=0 never advances (an endless loop in the expansion); a rule repeating every
    second, minute or hour, or many times a day, is millions of occurrences in a year. No
    training calendar needs either, so the runner is told which one it is.

    Raises:
        CalendarError: one line naming the rule.
    """
    for rule in _rule_parts(text):
        for interval in rule.get("INTERVAL", []):
            if interval.lstrip("+-").isdigit() and int(interval) <= 0:
                raise CalendarError(
                    f"{name}: it repeats an event endlessly (INTERVAL={interval}), "
                    "so I cannot read it"
                )
        for freq in rule.get("FREQ", []):
            unit = _SUB_DAILY.get(freq.upper())
            if unit is not None:
                raise CalendarError(
                    f"{name}: it repeats an event every {unit} (FREQ={freq.upper()}); "
                    "I read events that repeat daily at most"
                )
        per_day = 1
        for key in ("BYHOUR", "BYMINUTE", "BYSECOND"):
            per_day *= max(1, len(rule.get(key, [])))
        if per_day > MAX_PER_DAY:
            raise CalendarError(
                f"{name}: it repeats an event {per_day} times a day; "
                f"I read at most {MAX_PER_DAY} a day"
            )


def _end(event: Component, began: Any, zone: ZoneInfo, day: date) -> time | None:
    """The local time an occurrence starting at `began` ends on its own day.

    The event is the series' own component (see `_occurrences`), so its DTEND belongs to the
    first occurrence: the end is `began` plus the event's length (DTEND − DTSTART, else
    DURATION).
    """
    start, finish, length = event.get("DTSTART"), event.get("DTEND"), event.get("DURATION")
    if start is None or not isinstance(began, datetime):
        return None
    try:
        span = finish.dt - start.dt if finish is not None else length.dt if length else None
    except TypeError:  # a date DTEND against a datetime DTSTART: no usable length
        return None
    if not isinstance(span, timedelta) or span <= timedelta(0):
        return None
    ended = _local(began + span, zone)
    if ended is None or ended[0] != day or ended[1] is None:
        return None
    return ended[1]


def _too_big(name: str) -> CalendarError:
    return CalendarError(
        f"{name}: the calendar is too big to read (more than {MAX_OCCURRENCES:,} events "
        "in the coming year)"
    )


def _occurrences(
    calendars: list[Calendar], start: date, end: date, name: str
) -> list[tuple[Any, Component]]:
    """Every occurrence in the window (a day either side) as (start, its event), counted as
    it is made.

    The event is the series' own component (or its RECURRENCE-ID override), not a copy per
    occurrence: the library's `as_component` copy is most of the cost of a large calendar and
    only DTSTART differs. A series the library cannot read is skipped whole, as
    `skip_bad_series` does.

    Raises:
        CalendarError: more than `MAX_OCCURRENCES`, or a broken series that cannot be skipped.
    """
    # A day either side: a UTC event late on the 31st may be the runner's 1st.
    low, high = start - timedelta(days=1), end + timedelta(days=1)
    found: list[tuple[Any, Component]] = []
    for calendar in calendars:
        try:
            query = recurring_ical_events.of(calendar, skip_bad_series=True)
            skipped = tuple(query.suppressed_errors)
            for series in query.series:
                made: list[tuple[Any, Component]] = []
                with contextlib.suppress(*skipped):
                    for occurrence in series.between(low, high):
                        # recurring-ical-events 3.x: the occurrence's source component
                        made.append((occurrence.start, occurrence._adapter._component))
                        if len(found) + len(made) > MAX_OCCURRENCES:
                            raise _too_big(name)
                    found.extend(made)
        except (CalendarError, MemoryError):
            raise
        except Exception as error:  # a broken series the library could not skip
            raise CalendarError(
                f"{name}: its repeating events cannot be read ({_short(error)})"
            ) from None
    return found


def read_calendar(
    data: bytes | str,
    *,
    start: date,
    end: date,
    zone: ZoneInfo | str,
    name: str = "calendar",
) -> CalendarRuns:
    """Dated runs of an .ics calendar between `start` (inclusive) and `end` (exclusive).

    Args:
        data: the file's bytes or text.
        start: the first local date wanted.
        end: the day after the last local date wanted.
        zone: the runner's IANA zone; every run lands on its local date there.
        name: how errors name the calendar (a file name or "your calendar").

    Returns:
        The runs by date (the harder of two on one day), the races, and counts of ignored and
        cancelled events.

    Raises:
        CalendarError: the data is not iCalendar, holds no events, repeats an event endlessly
            or by the second/minute/hour, expands to more than `MAX_OCCURRENCES`, or holds no
            runs in the window; the message is one line a runner understands.
    """
    zone = ZoneInfo(zone) if isinstance(zone, str) else zone
    text = _decode(data)
    if len(text) > MAX_BYTES:
        raise CalendarError(f"{name}: the calendar is larger than {MAX_BYTES // 1_000_000} MB")
    calendars = _calendars(text, name)
    if not any(c.walk("VEVENT") for c in calendars):
        raise CalendarError(f"{name}: the calendar holds no events")
    runs: dict[date, DatedRun] = {}
    races: dict[date, Race] = {}
    race_uids: dict[date, str] = {}
    ignored = cancelled = 0
    refuse_runaway_rules(text, name)
    events = _occurrences(calendars, start, end, name)
    for began, event in events:
        if _text(event, "STATUS").strip().upper() == "CANCELLED":
            cancelled += 1
            continue
        when = _local(began, zone)
        if when is None:
            continue
        day, at = when
        if not start <= day < end:
            continue
        summary = _text(event, "SUMMARY")
        reading = classify(summary, _text(event, "DESCRIPTION"))
        if reading is None:
            ignored += 1
            continue
        run = DatedRun(
            reading.kind, at, " ".join(summary.split())[:80], _end(event, began, zone, day)
        )
        held = runs.get(day)
        if held is None or run.kind.hardness > held.kind.hardness:
            runs[day] = run
        if reading.kind is RunKind.RACE:
            known = races.get(day)
            if known is None or (known.distance is None and reading.distance is not None):
                races[day] = Race(day, reading.distance, run.title)
                race_uids[day] = _text(event, "UID")
    series = _series_uids(calendars)
    races = {day: replace(race, recurring=race_uids[day] in series) for day, race in races.items()}
    result = CalendarRuns(
        runs=dict(sorted(runs.items())),
        races=tuple(race for _, race in sorted(races.items())),
        ignored=ignored,
        cancelled=cancelled,
        start=start,
        end=end,
    )
    if result.run_count == 0:
        raise CalendarError(_no_runs(name, start, end, ignored))
    return result


def _no_runs(name: str, start: date, end: date, ignored: int) -> str:
    last = end - timedelta(days=1)
    span = f"{name}: no runs between {start:%-d %b %Y} and {last:%-d %b %Y}"
    if not ignored:
        return f"{span} (none of its events falls in those dates)"
    what = "its one event there is" if ignored == 1 else f"none of its {ignored} events there is"
    if ignored == 1:
        what += " not"
    return f"{span}: {what} a run (titles like “Easy 5 km”, “Tempo”, “Long run” are read as runs)"
