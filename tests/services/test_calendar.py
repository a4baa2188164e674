"""The stored calendar beside the profile: goal, fixes, and what survives."""

from __future__ import annotations

from datetime import date

from bot.core.domain.profile import Goal, RaceDistance, RunnerProfile
from bot.core.domain.rundays import RunKind
from bot.services.calendar_state import (
    StoredCalendar,
    StoredRace,
    StoredRun,
    planning_inputs,
    stored_calendar,
)
from bot.services.planning import profile_of
from bot.storage.tables import Runner

WEEK = {"mon": "rest", "tue": "tempo", "wed": "easy", "thu": "rest", "fri": "intervals"}
TODAY = date(2026, 11, 24)


def runner_profile(**extra: object) -> RunnerProfile:
    return RunnerProfile.model_validate({"week": {**WEEK, "sat": "easy", "sun": "long"}, **extra})


def calendar(**extra: object) -> StoredCalendar:
    return StoredCalendar(
        name="plan.ics",
        synced_on=TODAY,
        runs={
            date(2026, 11, 25): StoredRun(kind=RunKind.TEMPO),
            date(2027, 3, 7): StoredRun(kind=RunKind.RACE, title="Big Half"),
        },
        races=(
            StoredRace(
                day=date(2027, 3, 7), distance=RaceDistance.HALF_MARATHON, title="Big Half"
            ),
        ),
        **extra,
    )


def test_the_calendars_race_is_the_goal_only_when_none_was_given_or_the_runner_agrees() -> None:
    planned, _, notes = planning_inputs(runner_profile(), calendar(), TODAY)
    assert planned.goal == Goal(race_distance="half_marathon", race_date=date(2027, 3, 7))
    # PH5: the same decision and words as `runlift plan --calendar`
    assert notes == ("Goal race from your calendar: half marathon on Sun 7 Mar 2027.",)
    own = {"race_distance": "marathon", "race_date": "2027-04-25"}
    planned, _, notes = planning_inputs(runner_profile(goal=own), calendar(), TODAY)
    assert planned.goal is not None and planned.goal.race_distance is RaceDistance.MARATHON
    assert "Send /calendar race" in notes[0] and "half marathon on Sun 7 Mar 2027" in notes[0]
    # PH5: the calendar's race stays in the season as a B race (>= half, within 10 weeks)
    assert [(r.race_date, r.priority) for r in planned.races] == [(date(2027, 3, 7), None)]
    agreed = calendar(use_calendar_race=True)
    planned, _, _ = planning_inputs(runner_profile(goal=own), agreed, TODAY)
    assert planned.goal is not None and planned.goal.race_date == date(2027, 3, 7)


def test_a_fix_wins_over_what_was_read_and_a_race_fixed_away_is_no_goal() -> None:
    fixed = calendar(fixes={date(2026, 11, 25): RunKind.EASY, date(2027, 3, 7): RunKind.LONG})
    planned, run_days, _ = planning_inputs(runner_profile(), fixed, TODAY)
    assert run_days.kind(date(2026, 11, 25)) is RunKind.EASY
    assert planned.goal is None


def test_the_profile_reads_the_same_with_a_calendar_beside_it() -> None:
    data = runner_profile().model_dump(mode="json")
    runner = Runner(
        id=1, chat_id=1, profile={**data, "calendar": calendar().model_dump(mode="json")}
    )
    assert profile_of(runner) == runner_profile()
    assert stored_calendar(runner.profile) == calendar()
    assert stored_calendar({**data, "calendar": {"name": 3}}) is None  # unreadable: ignored
