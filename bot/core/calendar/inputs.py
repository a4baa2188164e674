"""What a calendar changes for the planner: the dated run days and, perhaps, the goal race.

The planner has one input for running (DESIGN.md wave 2): `RunDays`, template days by default,
calendar days for the weeks the calendar covers. A race in the calendar becomes the goal when the
runner has none; when the runner gave another goal, the calendar's race is planned to (it is the
plan the runner actually follows) and a note says so, so the runner can put it right.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.calendar.reader import CalendarRuns
from bot.core.domain.profile import WEEKDAYS, DayKind, Goal, RaceDistance, RunnerProfile, Weekday
from bot.core.domain.rundays import RunDays, RunKind, monday_of

_DISTANCE_WORDS: dict[RaceDistance, str] = {
    RaceDistance.FIVE_K: "5K",
    RaceDistance.TEN_K: "10K",
    RaceDistance.HALF_MARATHON: "half marathon",
    RaceDistance.MARATHON: "marathon",
    RaceDistance.ULTRA: "ultra",
}


def goal_words(goal: Goal) -> str:
    """ "half marathon on Sun 11 Apr 2027" """
    return f"{_DISTANCE_WORDS[goal.race_distance]} on {goal.race_date:%a %-d %b %Y}"


@dataclass(frozen=True)
class CalendarPlanInput:
    """The profile to plan with (goal possibly from the calendar), its run days, and notes."""

    profile: RunnerProfile
    run_days: RunDays
    notes: tuple[str, ...]
    calendar_goal: Goal | None
    goal_differs: bool


def plan_inputs(profile: RunnerProfile, calendar: CalendarRuns, today: date) -> CalendarPlanInput:
    """Combine the runner's profile with what their calendar says.

    Args:
        profile: the runner; its weekly template stays the fallback for weeks without runs.
        calendar: what `read_calendar` found.
        today: the runner's local date (races before it are over).

    Returns:
        The inputs for `build_plan` and the notes a runner should read first.
    """
    run_days = RunDays(profile.week, calendar.runs, template_times=profile.run_times)
    notes: list[str] = []
    found = calendar.goal(today)
    differs = False
    if found is not None and profile.goal is None:
        notes.append(f"Goal race from your calendar: {goal_words(found)}.")
        profile = profile.model_copy(update={"goal": found})
    elif found is not None and profile.goal is not None and found != profile.goal:
        differs = True
        notes.append(
            f"Your calendar's race ({goal_words(found)}) is not the goal you gave "
            f"({goal_words(profile.goal)}): planning to the calendar's race."
        )
        profile = profile.model_copy(update={"goal": found})
    unnamed = [r for r in calendar.races if r.distance is None and r.day >= today]
    if unnamed and found is None:
        race = unnamed[0]
        notes.append(
            f"“{race.title}” on {race.day:%a %-d %b} looks like a race but names no distance: "
            "no strength on it or the day before, but no taper toward it."
        )
    return CalendarPlanInput(profile, run_days, tuple(notes), found, differs)


def usual_week(calendar: CalendarRuns) -> dict[Weekday, DayKind]:
    """The weekly template a calendar implies: each weekday's most frequent kind in its weeks.

    The template stays the fallback for weeks the calendar leaves empty, so a runner who brings a
    calendar at set-up need not type their week as well. A race counts as a long-run day (P5);
    ties go to the harder kind, so a key run is never hidden by an easy one (P3).
    """
    weeks = {monday_of(day) for day, run in calendar.runs.items() if run.kind.is_run}
    counts: dict[Weekday, Counter[RunKind]] = {day: Counter() for day in WEEKDAYS}
    for monday in weeks:
        for offset, weekday in enumerate(WEEKDAYS):
            run = calendar.runs.get(monday + timedelta(days=offset))
            counts[weekday][run.kind if run else RunKind.REST] += 1
    week: dict[Weekday, DayKind] = {}
    for weekday in WEEKDAYS:
        if not counts[weekday]:
            week[weekday] = DayKind.REST
            continue
        kind = max(counts[weekday], key=lambda k: (counts[weekday][k], k.hardness))
        week[weekday] = DayKind.LONG if kind is RunKind.RACE else DayKind(kind.value)
    return week
