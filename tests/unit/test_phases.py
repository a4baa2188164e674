"""Phases, frequency and race-week rules (docs/coaching.md §2, PH1–PH4, L6)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from bot.core.domain.plan import Phase
from bot.core.domain.profile import Experience, Goal, RaceDistance, RunnerProfile
from bot.core.planner import build_plan
from bot.core.planner.phases import phase_for_week, sessions_for, week_context

MONDAY = date(2026, 11, 23)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SEED_000 = ("rest", "tempo", "easy", "rest", "intervals", "easy", "long")


def profile(
    race: date | None = None,
    distance: str = "half_marathon",
    kinds: tuple[str, ...] = SEED_000,
    **extra: Any,
) -> RunnerProfile:
    goal = {"race_distance": distance, "race_date": race.isoformat()} if race else None
    return RunnerProfile.model_validate(
        {"week": dict(zip(DAYS, kinds, strict=True)), "goal": goal, **extra}
    )


def goal(days_from_monday: int, distance: RaceDistance = RaceDistance.HALF_MARATHON) -> Goal:
    return Goal(race_distance=distance, race_date=MONDAY + timedelta(days=days_from_monday))


def test_no_race_is_always_base() -> None:
    assert phase_for_week(MONDAY, None) is Phase.BASE


@pytest.mark.parametrize(
    ("weeks_out", "phase"),
    [
        (30, Phase.BASE),
        (17, Phase.BASE),
        (16, Phase.BUILD),
        (5, Phase.BUILD),
        (4, Phase.RACE_SEASON),
        (3, Phase.RACE_SEASON),
    ],
)
def test_phase_table_by_weeks_to_the_race(weeks_out: int, phase: Phase) -> None:
    """§2: base > 16 weeks, build 16 → 5, race season 4 → taper (5K: short taper)."""
    assert phase_for_week(MONDAY, goal(weeks_out * 7 + 6, RaceDistance.FIVE_K)) is phase


@pytest.mark.parametrize(
    ("distance", "taper_weeks"),
    [
        (RaceDistance.FIVE_K, 1),
        (RaceDistance.TEN_K, 1),
        (RaceDistance.HALF_MARATHON, 1),
        (RaceDistance.MARATHON, 2),
        (RaceDistance.ULTRA, 2),
    ],
)
def test_taper_length_by_distance(distance: RaceDistance, taper_weeks: int) -> None:
    """Taper 10 / 14 / 21 days: a Sunday race gets this many taper weeks before race week."""
    race = MONDAY + timedelta(days=6 + 7 * 6)  # a Sunday six weeks later
    phases = [
        phase_for_week(
            MONDAY + timedelta(days=7 * w), Goal(race_distance=distance, race_date=race)
        )
        for w in range(7)
    ]
    assert phases[-1] is Phase.RACE_WEEK
    assert phases.count(Phase.TAPER) == taper_weeks
    assert phases[-1 - taper_weeks - 1] is Phase.RACE_SEASON


def test_recovery_then_base_after_the_race_ph4() -> None:
    race = MONDAY - timedelta(days=1)  # yesterday, a marathon: 14 days of recovery
    g = Goal(race_distance=RaceDistance.MARATHON, race_date=race)
    assert phase_for_week(MONDAY, g) is Phase.RECOVERY
    assert phase_for_week(MONDAY + timedelta(days=7), g) is Phase.RECOVERY
    assert phase_for_week(MONDAY + timedelta(days=14), g) is Phase.BASE


def test_race_date_passed_plans_recovery_then_base_and_asks_for_a_goal_ph4() -> None:
    plan = build_plan(profile(MONDAY - timedelta(days=1)), MONDAY, 3)
    assert [w.phase for w in plan.weeks] == [Phase.RECOVERY, Phase.BASE, Phase.BASE]
    assert plan.weeks[0].sessions == ()
    assert any("next goal" in note for note in plan.weeks[0].notes)
    assert len(plan.weeks[1].sessions) == 2


def test_long_past_race_is_base_with_a_request_for_the_next_goal_ph4() -> None:
    plan = build_plan(profile(date(2025, 4, 1)), MONDAY)
    assert plan.weeks[0].phase is Phase.BASE
    assert any("next goal" in note for note in plan.weeks[0].notes)


def test_race_tomorrow_plans_nothing_before_it_ph4() -> None:
    friday = MONDAY + timedelta(days=4)
    plan = build_plan(profile(friday + timedelta(days=1)), friday)
    assert plan.sessions() == ()
    assert any("Race day is close" in note for note in plan.weeks[0].notes)


def test_race_today_plans_nothing_ph4() -> None:
    plan = build_plan(profile(MONDAY + timedelta(days=3)), MONDAY + timedelta(days=3))
    assert plan.sessions() == ()


def test_race_week_one_primer_at_least_three_days_before_ph3() -> None:
    race = MONDAY + timedelta(days=6)  # Sunday
    plan = build_plan(profile(race, "10k"), MONDAY)
    sessions = plan.weeks[0].sessions
    assert len(sessions) == 1
    primer = sessions[0]
    assert (race - primer.date).days >= 3
    assert primer.name == "Primer"
    for ex in primer.exercises():
        assert ex.sets <= 2 or ex.id == "hip_ankle_mobility"
        if ex.load.pct_1rm is not None:
            assert ex.load.pct_1rm[1] <= 75
        if ex.load.rir is not None and not isinstance(ex.load.rir, int):
            assert ex.load.rir[0] >= 3


def test_race_in_less_than_10_days_keeps_heavy_lower_body_away_ph3() -> None:
    """Half marathon in 9 days: the last heavy lower-body session is ≥ 10 days before."""
    race = MONDAY + timedelta(days=9)
    plan = build_plan(profile(race), MONDAY, 2)
    lower = {"back_squat", "deadlift", "romanian_deadlift", "trap_bar_deadlift", "power_clean"}
    for session in plan.sessions():
        assert session.date < race
        for ex in session.exercises():
            if ex.id in lower and ex.load.pct_1rm is not None:
                assert ex.load.pct_1rm[1] <= 75


def test_marathon_last_10_days_has_no_lower_body_and_no_plyometrics_late_ph3() -> None:
    race = MONDAY + timedelta(days=6)
    plan = build_plan(profile(race, "marathon"), MONDAY)
    for session in plan.sessions():
        kinds = {b.kind.value for b in session.blocks}
        assert "power" not in kinds
        ids = {ex.id for ex in session.exercises()}
        assert not ids & {"back_squat", "deadlift", "step_up", "goblet_squat", "hip_thrust"}


def test_sessions_honour_the_request_up_to_the_phase_maximum_ph1() -> None:
    assert sessions_for(Phase.BASE, Experience.INTERMEDIATE, 3).count == 3
    capped = sessions_for(Phase.BASE, Experience.NOVICE, 3)
    assert capped.count == 2 and capped.note
    season = sessions_for(Phase.RACE_SEASON, Experience.ADVANCED, 2)
    assert season.count == 1 and "one session a week keeps your strength" in (season.note or "")
    # PH6: recovery is counted in days; the week keeps one session for a free day after them
    assert sessions_for(Phase.RECOVERY, Experience.ADVANCED, 2).count == 1


def test_at_least_one_session_outside_taper_race_week_and_recovery_ph2() -> None:
    for phase in (Phase.BASE, Phase.BUILD, Phase.RACE_SEASON):
        for experience in Experience:
            assert sessions_for(phase, experience, 1).count >= 1
            assert sessions_for(phase, experience, None).count >= 1


def test_race_season_plans_one_session_and_says_why_ph1() -> None:
    plan = build_plan(profile(MONDAY + timedelta(days=27)), MONDAY)
    week = plan.weeks[0]
    assert week.phase is Phase.RACE_SEASON
    assert len(week.sessions) == 1
    assert "Race season" in week.sessions[0].reason


def test_deload_every_fourth_week_l6() -> None:
    flags = [week_context(MONDAY + timedelta(days=7 * w), None, MONDAY).deload for w in range(8)]
    assert flags == [False, False, False, True, False, False, False, True]


def test_deload_week_halves_work_sets_and_lightens_l6() -> None:
    plan = build_plan(profile(), MONDAY, 4)
    normal = {ex.id: ex for ex in plan.weeks[0].sessions[0].exercises()}
    deload = {ex.id: ex for ex in plan.weeks[3].sessions[0].exercises()}
    assert plan.weeks[3].deload
    squat, light = normal["back_squat"], deload["back_squat"]
    assert light.sets == max(1, squat.sets // 2)
    assert light.load.pct_1rm is not None and squat.load.pct_1rm is not None
    assert light.load.pct_1rm[1] < squat.load.pct_1rm[1]
