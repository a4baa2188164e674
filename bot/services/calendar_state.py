"""A runner's calendar as stored: what was read, the runner's fixes, and where it came from.

Kept as the `calendar` key beside the profile in the runner's stored JSON (no new table): the
profile stays the runner's answers, this is the dated input the planner reads on top of it
(calendar days override template days for the weeks they cover).
"""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from bot.core.calendar import CalendarRuns, plan_inputs
from bot.core.calendar.reader import Race
from bot.core.domain.profile import Goal, RaceDistance, RunnerProfile
from bot.core.domain.rundays import DatedRun, RunDays, RunKind

CALENDAR_KEY = "calendar"


class StoredRun(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: RunKind
    time: dt.time | None = None
    title: str = ""
    end: dt.time | None = None


class StoredRace(BaseModel):
    model_config = ConfigDict(frozen=True)

    day: date
    distance: RaceDistance | None = None
    title: str = ""
    recurring: bool = False


class StoredCalendar(BaseModel):
    """What the bot read from the runner's calendar, and how to read it again."""

    model_config = ConfigDict(frozen=True)

    name: str
    url: str | None = None
    synced_on: date
    runs: dict[date, StoredRun]
    races: tuple[StoredRace, ...] = ()
    fixes: dict[date, RunKind] = {}
    """Days the runner corrected with /calendar; they win over what a re-sync reads."""
    use_calendar_race: bool = False
    """The runner agreed to plan to the calendar's race instead of the goal they gave."""
    declined_race: Goal | None = None
    """The calendar's race the runner chose not to plan to (not asked about again)."""
    last_error: str | None = None

    @classmethod
    def from_runs(
        cls, runs: CalendarRuns, *, name: str, url: str | None, today: date
    ) -> StoredCalendar:
        return cls(
            name=name,
            url=url,
            synced_on=today,
            runs={
                day: StoredRun(kind=run.kind, time=run.time, title=run.title, end=run.end)
                for day, run in runs.runs.items()
            },
            races=tuple(
                StoredRace(day=r.day, distance=r.distance, title=r.title, recurring=r.recurring)
                for r in runs.races
            ),
        )

    def calendar_runs(self) -> CalendarRuns:
        """Back to the core's form, the runner's fixes applied."""
        runs = {d: DatedRun(r.kind, r.time, r.title, r.end) for d, r in self.runs.items()}
        for day, kind in self.fixes.items():
            held = runs.get(day)
            runs[day] = DatedRun(
                kind,
                held.time if held else None,
                held.title if held else "",
                held.end if held else None,
            )
        races = tuple(
            Race(r.day, r.distance, r.title, r.recurring)
            for r in self.races
            if self.fixes.get(r.day, RunKind.RACE) is RunKind.RACE
        )
        return CalendarRuns(runs=runs, races=races)


def stored_calendar(data: dict[str, Any] | None) -> StoredCalendar | None:
    """The calendar kept in a runner's stored JSON, if any (an unreadable one counts as none)."""
    if not data or not isinstance(data.get(CALENDAR_KEY), dict):
        return None
    try:
        return StoredCalendar.model_validate(data[CALENDAR_KEY])
    except ValueError:
        return None


def planning_inputs(
    profile: RunnerProfile, calendar: StoredCalendar | None, today: date
) -> tuple[RunnerProfile, RunDays, tuple[str, ...]]:
    """The profile to plan with, the dated run days, and the notes the runner should see.

    PH5: the same decision as `runlift plan --calendar` (`bot.core.calendar.plan_inputs`): the
    calendar's race is the goal when the runner has none or agreed; otherwise it is offered and
    stays in the season as a B or C race."""
    if calendar is None:
        return profile, RunDays(profile.week, template_times=profile.run_times), ()
    inputs = plan_inputs(
        profile,
        calendar.calendar_runs(),
        today,
        accepted=calendar.use_calendar_race,
        declined=calendar.declined_race,
        how_to_accept="Send /calendar race to plan to it.",
    )
    return inputs.profile, inputs.run_days, inputs.notes


def calendar_goal(calendar: StoredCalendar, today: date) -> Goal | None:
    return calendar.calendar_runs().goal(today)
