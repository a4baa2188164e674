"""Showing a recorded run, and judging it against the run that was planned."""

from __future__ import annotations

from datetime import tzinfo
from statistics import median

from bot.core.domain.runs import RunRecord

_SPORT_WORDS = {"run": "Run", "ride": "Ride", "swim": "Swim", "walk": "Walk", "other": "Activity"}


def format_duration(seconds: int) -> str:
    """m:ss under an hour, h:mm:ss from an hour on: how watches show moving time."""
    hours, rest = divmod(max(seconds, 0), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_run_line(record: RunRecord, tz: tzinfo) -> str:
    """One line such as "Run Sun 1 Mar 07:30 · 10.2 km · 50:00 · avg HR 148" in `tz`."""
    local = record.start.astimezone(tz)
    parts = [
        f"{_SPORT_WORDS[record.sport]} {local:%a %-d %b %H:%M}",
        f"{record.distance_m / 1000:.1f} km",
        format_duration(record.moving_time_s),
    ]
    if record.average_hr is not None:
        parts.append(f"avg HR {record.average_hr}")
    return " · ".join(parts)


def is_overrun(actual_s: int, planned_s: int) -> bool:
    """The run took at least half as long again as planned (moving time): a bigger day than
    the plan assumed, worth asking about before strength."""
    return planned_s > 0 and 2 * actual_s >= 3 * planned_s


def planned_duration(calendar_minutes: int | None, recorded_same_kind_s: list[int]) -> int | None:
    """The planned run's length in seconds: the calendar event's duration when it has one,
    else the median of the runs of that kind already recorded, else unknown (None)."""
    if calendar_minutes is not None and calendar_minutes > 0:
        return calendar_minutes * 60
    recorded = [seconds for seconds in recorded_same_kind_s if seconds > 0]
    return round(median(recorded)) if recorded else None
