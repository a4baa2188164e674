"""What a calendar changes for the planner: the dated run days, the season's races, the goal.

The planner has one input for running (DESIGN.md wave 2): `RunDays`, template days by default,
calendar days for the weeks the calendar covers. PH5: a race in the calendar becomes the goal
only when the runner has none (or said yes, in the bot); a goal the runner stated stays the A
race and the calendar's races join the season as B or C races. The decision is
`bot.core.planner.season.choose_goal`, the same for the CLI and the bot.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.calendar.reader import CalendarRuns
from bot.core.domain.profile import WEEKDAYS, DayKind, Goal, RaceDistance, RunnerProfile, Weekday
from bot.core.domain.rundays import RunDays, RunKind, monday_of
from bot.core.planner.season import choose_goal, with_races

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
