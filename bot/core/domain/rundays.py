"""Dated run days: the one input the planner plans from (docs/coaching.md, CONTRIBUTING.md).

The weekly template, an .ics calendar and (later) a one-off change all become the same thing:
for each date, the run kind and, when known, its time. Template days are the default; calendar
days override them for the weeks the calendar covers. A week counts as a *calendar week* when the
calendar holds at least one run in it (its other days are rest); a week with no run in the
calendar (only meetings, or nothing) falls back to the template, which stays required.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from enum import StrEnum
from typing import Literal

from bot.core.domain.profile import DayKind, Weekday


class RunKind(StrEnum):
    """A day's running as a coach reads it: the template's kinds plus `race` (docs/coaching.md
    §1)."""

    REST = "rest"
    EASY = "easy"
    TEMPO = "tempo"
    INTERVALS = "intervals"
    LONG = "long"
    CROSS = "cross"
    RACE = "race"

    @classmethod
    def of(cls, kind: DayKind) -> RunKind:
        return cls(kind.value)

    @property
    def is_hard(self) -> bool:
        """Hard runs (tempo, intervals) are where strength goes by default (P1)."""
        return self in (RunKind.TEMPO, RunKind.INTERVALS)

    @property
    def is_key(self) -> bool:
        """Key runs and races must not follow a strength day (P3)."""
        return self in (RunKind.TEMPO, RunKind.INTERVALS, RunKind.LONG, RunKind.RACE)

    @property
    def is_run(self) -> bool:
        """A run of any kind: what makes a week a calendar week."""
        return self in (
            RunKind.EASY,
            RunKind.TEMPO,
            RunKind.INTERVALS,
            RunKind.LONG,
            RunKind.RACE,
        )

    @property
    def hardness(self) -> int:
        """Two runs on one day count as the harder one: race > long > intervals > tempo …"""
        return _HARDNESS[self]

    @property
    def day_kind(self) -> DayKind | None:
        """The template kind a session reports as `after_run`; a race has none (P5)."""
        return None if self is RunKind.RACE else DayKind(self.value)


_HARDNESS: dict[RunKind, int] = {
    RunKind.REST: 0,
    RunKind.CROSS: 1,
    RunKind.EASY: 2,
    RunKind.TEMPO: 3,
    RunKind.INTERVALS: 4,
    RunKind.LONG: 5,
    RunKind.RACE: 6,
}


_Clock = time
"""`time` by another name: inside `DatedRun` the field `time` hides the type."""


@dataclass(frozen=True, slots=True)
class DatedRun:
    """What one date holds: its (hardest) run kind, the local start time and the title read."""

    kind: RunKind
    time: time | None = None
    title: str = ""
    end: _Clock | None = None
    """The local time the event ends, when the calendar says (a reminder waits for it)."""


_REST = DatedRun(RunKind.REST)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class RunDays:
    """For each date, the run kind: the template by default, the calendar for its weeks.

    Args:
        template: the runner's weekly template (`RunnerProfile.week`).
        calendar: dated entries read from a calendar (runs, cross, rest); empty for none.
        template_times: the template's run times (`RunnerProfile.run_times`).
    """

    template: Mapping[Weekday, DayKind]
    calendar: Mapping[date, DatedRun] = field(default_factory=dict)
    template_times: Mapping[Weekday, time] = field(default_factory=dict)
    calendar_weeks: frozenset[date] = field(init=False)
    _template_kinds: tuple[RunKind, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        weeks = frozenset(monday_of(day) for day, run in self.calendar.items() if run.kind.is_run)
        object.__setattr__(self, "calendar_weeks", weeks)
        kinds = tuple(RunKind.of(self.template[weekday]) for weekday in Weekday)
        object.__setattr__(self, "_template_kinds", kinds)

    def source(self, day: date) -> Literal["calendar", "template"]:
        """Where the day's running comes from."""
        return "calendar" if monday_of(day) in self.calendar_weeks else "template"

    def run(self, day: date) -> DatedRun:
        """The day's running, with the time if known."""
        if monday_of(day) in self.calendar_weeks:
            return self.calendar.get(day, DatedRun(RunKind.REST))
        weekday = Weekday.of(day)
        return DatedRun(RunKind.of(self.template[weekday]), self.template_times.get(weekday))

    def kind(self, day: date) -> RunKind:
        """The day's run kind (the planner asks this for every day it places: kept cheap)."""
        if self.calendar_weeks and monday_of(day) in self.calendar_weeks:
            return self.calendar.get(day, _REST).kind
        return self._template_kinds[day.weekday()]

    def time(self, day: date) -> time | None:
        """The run's local start time on `day`: the calendar's, else the template's."""
        return self.run(day).time

    def is_calendar_week(self, monday: date) -> bool:
        return monday_of(monday) in self.calendar_weeks
