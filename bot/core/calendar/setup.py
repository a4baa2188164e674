"""What a runner's calendar already says about them, so onboarding need not ask it again.

A calendar sent during set-up holds the runner's time zone (its X-WR-TIMEZONE, else the TZID
its runs are written in), when their runs usually end, and perhaps the race they train for.
Those become the draft's answers where the runner has not given one yet.

The zone is scanned from the text before the calendar is read (the runs are then read in it),
so the scan is a cheap linear pass over at most `MAX_SCANNED` events, never a parse.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.calendar.classify import classify
from bot.core.calendar.reader import CalendarRuns
from bot.core.domain.profile import Goal

MAX_SCANNED = 200
"""Events looked at for their TZID: a plan's calendar names its zone within the first few."""

_READ_CHARS = 300
"""Of a title or description, what the scan classifies (a run says what it is early on)."""
_FOLD = re.compile(r"\r?\n[ \t]")
_LINE = re.compile(r"^([A-Za-z-]+)((?:;[^:\r\n]*)?):(.*?)\r?$", re.MULTILINE)
_TZID = re.compile(r';TZID="?([^;:"]+)"?', re.IGNORECASE)
_NOT_A_PLACE = re.compile(r"^(?:Etc/.*|UTC|GMT|UCT|Z|Zulu|Universal|Greenwich)$", re.IGNORECASE)


def place_zone(name: str) -> str | None:
    """`name` when it is an IANA zone of a place (UTC and Etc/… say nothing about where the
    runner lives); a leading "/" some exporters write is dropped."""
    value = name.strip().lstrip("/")
    if not value or _NOT_A_PLACE.match(value):
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return value


def calendar_zone(text: str) -> str | None:
    """The calendar's own zone: X-WR-TIMEZONE, else the TZID most of its runs start in.

    UTC ("Z") or floating times name no zone: None, and onboarding asks as usual.
    """
    text = _FOLD.sub("", text)
    counts: Counter[str] = Counter()
    scanned = 0
    in_event = False
    summary = description = ""
    zone: str | None = None
    for match in _LINE.finditer(text):
        key, params, value = match.group(1).upper(), match.group(2), match.group(3)
        if key == "X-WR-TIMEZONE" and not in_event:
            named = place_zone(value)
            if named is not None:
                return named
        elif key == "BEGIN" and value.strip().upper() == "VEVENT":
            in_event, summary, description, zone = True, "", "", None
        elif key == "END" and value.strip().upper() == "VEVENT" and in_event:
            in_event = False
            reading = classify(summary, description)
            if zone is not None and reading is not None and reading.kind.is_run:
                counts[zone] += 1
            scanned += 1
            if scanned >= MAX_SCANNED:
                break
        elif in_event and key == "SUMMARY":
            summary = value[:_READ_CHARS]
        elif in_event and key == "DESCRIPTION":
            description = value[:_READ_CHARS]
        elif in_event and key == "DTSTART":
            found = _TZID.search(params)
            zone = place_zone(found.group(1)) if found else None
    return counts.most_common(1)[0][0] if counts else None


def usual_finish(calendar: CalendarRuns) -> time | None:
    """When the runner's runs usually end: the most common end time of the hard runs (where
    strength goes, P1), else of all runs; the median when no end time repeats. None when the
    calendar gives no end times (all-day events)."""
    ends = [run.end for run in calendar.runs.values() if run.kind.is_hard and run.end]
    if not ends:
        ends = [run.end for run in calendar.runs.values() if run.kind.is_run and run.end]
    if not ends:
        return None
    (common, count), *_ = Counter(ends).most_common(1)
    if count > 1:
        return common
    return sorted(ends)[(len(ends) - 1) // 2]


@dataclass(frozen=True)
class SetupFacts:
    """The answers a calendar gives at set-up; None where it does not say."""

    timezone: str | None
    finish: time | None
    goal: Goal | None


def setup_facts(
    calendar: CalendarRuns, *, zone: str | None, zone_known: bool, today: date
) -> SetupFacts:
    """The calendar's zone, usual finish time and goal race.

    Args:
        calendar: the runs, read in `zone` when it is known.
        zone: the calendar's own zone (`calendar_zone`), if any.
        zone_known: the runs were read in the runner's real zone (the calendar's or one they
            gave); without it the end times are a guess in the bot's default zone, so no
            finish time is taken.
        today: the runner's local date; the goal is the race ahead by the rule the planner
            uses (`CalendarRuns.goal`).
    """
    return SetupFacts(
        timezone=zone,
        finish=usual_finish(calendar) if zone_known else None,
        goal=calendar.goal(today),
    )
