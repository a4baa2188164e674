"""What a calendar changes for the planner: the dated run days, the season's races, the goal.

The planner has one input for running: `RunDays`, template days by default,
calendar days for the weeks the calendar covers. PH5: a race in the calendar becomes the goal
only when the runner has none (or said yes, in the bot); a goal the runner stated stays the A
race and the calendar's races join the season as B or C races. The decision is
`choose_goal`, the same for the CLI and the bot.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.calendar.reader import CalendarRuns
from bot.core.domain.profile import (
    WEEKDAYS,
    DayKind,
    Goal,
    RaceDistance,
    RunnerProfile,
    SeasonRace,
    Weekday,
)
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
class GoalChoice:
    """The goal to plan toward, and the note a runner should read about the calendar's race."""

    goal: Goal | None
    note: str | None
    offered: Goal | None
    """The calendar's race the runner may switch to (PH5: offered, never imposed)."""


def choose_goal(
    stated: Goal | None,
    found: Goal | None,
    *,
    accepted: bool = False,
    declined: Goal | None = None,
    words: str = "",
    stated_words: str = "",
    how_to_accept: str = "Send /calendar race to plan to it.",
) -> GoalChoice:
    """PH5: the calendar-versus-goal decision, the one for the CLI and the bot.

    A calendar's race becomes the goal only when the runner stated none or said yes
    (`accepted`); otherwise the stated goal stays the A race, the calendar's race is offered
    (unless the runner declined that very race) and it stays in the season as a B or C race.
    """
    if found is None:
        return GoalChoice(stated, None, None)
    if stated is None:
        return GoalChoice(found, f"Goal race from your calendar: {words}.", None)
    if accepted:
        return GoalChoice(found, None, None)
    if found in (stated, declined):
        return GoalChoice(stated, None, None)
    return GoalChoice(
        stated,
        f"Your calendar's race ({words}) is not your goal ({stated_words}): your goal stays the "
        f"A race and the calendar's race is planned as a tune-up. {how_to_accept}",
        found,
    )


def with_races(profile: RunnerProfile, found: list[tuple[date, RaceDistance]]) -> RunnerProfile:
    """The profile with a calendar's races added to its season (a stated entry wins, PH5)."""
    known = {race.race_date for race in profile.races}
    goal_day = profile.goal.race_date if profile.goal else None
    extra = [
        SeasonRace(race_date=day, race_distance=distance)
        for day, distance in found
        if day not in known and day != goal_day
    ]
    if not extra:
        return profile
    return profile.model_copy(update={"races": tuple(extra) + profile.races})


@dataclass(frozen=True)
class CalendarPlanInput:
    """The profile to plan with (goal possibly from the calendar), its run days, and notes."""

    profile: RunnerProfile
    run_days: RunDays
    notes: tuple[str, ...]
    calendar_goal: Goal | None
    goal_differs: bool


def plan_inputs(
    profile: RunnerProfile,
    calendar: CalendarRuns,
    today: date,
    *,
    accepted: bool = False,
    declined: Goal | None = None,
    how_to_accept: str = "Make it the goal in your profile to plan to it.",
) -> CalendarPlanInput:
    """Combine the runner's profile with what their calendar says (PH5).

    Args:
        profile: the runner; its weekly template stays the fallback for weeks without runs.
        calendar: what `read_calendar` found.
        today: the runner's local date (races before it are over).
        accepted: the runner said yes to planning to the calendar's race (the bot asks).
        declined: the calendar race the runner said no to (not offered again).
        how_to_accept: how this runner says yes (the CLI edits the profile, the bot asks).

    Returns:
        The inputs for `build_plan` (the profile with the calendar's races in its season) and
        the notes a runner should read first.
    """
    run_days = RunDays(profile.week, calendar.runs, template_times=profile.run_times)
    notes: list[str] = []
    found = calendar.goal(today)
    stated = profile.goal
    choice = choose_goal(
        stated,
        found,
        accepted=accepted,
        declined=declined,
        words=goal_words(found) if found else "",
        stated_words=goal_words(stated) if stated else "",
        how_to_accept=how_to_accept,
    )
    differs = choice.offered is not None
    if choice.note:
        notes.append(choice.note)
    if choice.goal != stated:
        profile = profile.model_copy(update={"goal": choice.goal})
    profile = with_races(
        profile,
        [
            (race.day, race.distance)
            for race in calendar.races
            if race.distance is not None and not race.recurring and race.day >= today
        ],
    )
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
