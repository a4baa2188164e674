"""A season of races (docs/coaching.md PH5, PH6, P9, S12): every race protected, the goal the A
race.

The fixtures in tests/fixtures/season are the runners a coach brought: an in-season 5K racer
with her calendar (races every 2–3 weeks, goal 5K on 3 Jul, tune-up 17 Apr), an ultra runner
with back-to-back weekend long runs, six run days with intervals the day after the long run, a
half marathon four weeks before a marathon, and an advanced runner asking for three sessions.
Where `../shared/tools/plancheck.py` (the rulebook made executable) is present, each plan is also
judged by it, and so are random runners with random race calendars (Hypothesis).
"""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.cli_plan import calendar_inputs, exercise_json
from bot.core.calendar.inputs import choose_goal
from bot.core.catalogue.loader import load_catalogue
from bot.core.domain.plan import BlockKind, Phase, Plan, Session
from bot.core.domain.profile import Goal, Priority, RaceDistance, RunnerProfile
from bot.core.planner import build_plan
from bot.core.planner.plan import THIRD, THIRD_NOTE
from bot.core.planner.season import classify, season_of
from tests.unit.coaching.conftest import CAT, DAYS, FRESH, SEED_000, ids, runner

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "season"
TOOLS = Path(__file__).resolve().parents[4] / "shared" / "tools"
SEASON_RULES = ("PH5", "PH6", "P9", "S12", "P3", "P4", "P5", "PH2")
"""The rules of the season and the placement; the dose rules are judged in their own tests."""

JUMPS = {e.id for e in CAT if e.is_plyometric}
HINGES = {"deadlift", "romanian_deadlift", "power_clean", "hip_thrust", "trap_bar_deadlift"}


def fixture(name: str) -> RunnerProfile:
    return RunnerProfile.model_validate_json((FIXTURES / f"{name}.json").read_text())


def heaviest(session: Session, exercise_ids: set[str]) -> int:
    """The top %1RM prescribed for those lifts in the session (0 when none is a %1RM)."""
    return max(
        (
            ex.load.pct_1rm[1]
            for ex in session.exercises()
            if ex.id in exercise_ids and ex.load.pct_1rm
        ),
        default=0,
    )


def lower_pct(session: Session) -> int:
    return max(
        (
            ex.load.pct_1rm[1]
            for ex in session.exercises()
            if ex.load.pct_1rm and CAT.get(ex.id).is_lower_body
        ),
        default=0,
    )


def racer_plan() -> tuple[RunnerProfile, Plan, list[str]]:
    """The 5K racer's season with her calendar, as `runlift plan --calendar` plans it."""
    start = date(2027, 3, 29)
    profile, run_days, notes = calendar_inputs(
        str(FIXTURES / "racer_5k.ics"), fixture("racer_5k"), start, 16
    )
    return profile, build_plan(profile, start, 16, run_days=run_days), notes


# --- PH5 ---------------------------------------------------------------------------------------


def test_ph5_other_races_are_b_when_half_the_distance_within_ten_weeks_else_c() -> None:
    goal = Goal(race_distance=RaceDistance.MARATHON, race_date=date(2027, 4, 25))
    assert classify(date(2027, 3, 28), RaceDistance.HALF_MARATHON, goal) is Priority.B
    assert classify(date(2027, 3, 28), RaceDistance.TEN_K, goal) is Priority.C  # < half
    assert classify(date(2027, 1, 10), RaceDistance.HALF_MARATHON, goal) is Priority.C  # > 10 wk
    assert classify(date(2027, 5, 9), RaceDistance.HALF_MARATHON, goal) is Priority.C  # after
    assert classify(date(2027, 3, 28), RaceDistance.HALF_MARATHON, None) is Priority.C


def test_ph5_a_stated_priority_is_honoured_and_the_goal_is_the_one_a_race() -> None:
    profile = runner(
        goal={"race_distance": "5k", "race_date": "2027-07-03"},
        races=[
            {"race_date": "2027-04-17", "race_distance": "5k", "priority": "b"},
            {"race_date": "2027-06-19", "race_distance": "5k", "priority": "C"},
            {"race_date": "2027-05-01", "race_distance": "5k", "priority": "A"},
            {"race_date": "2027-06-05", "race_distance": "10k"},
        ],
    )
    season = {race.day: race.priority for race in season_of(profile).races}
    assert season == {
        date(2027, 4, 17): Priority.B,
        date(2027, 5, 1): Priority.B,  # a second "A" beside the goal is kept as a B race
        date(2027, 6, 5): Priority.B,
        date(2027, 6, 19): Priority.C,
        date(2027, 7, 3): Priority.A,
    }


def test_ph5_a_calendar_never_replaces_a_stated_goal_and_cli_and_bot_decide_alike() -> None:
    stated = Goal(race_distance=RaceDistance.FIVE_K, race_date=date(2027, 7, 3))
    found = Goal(race_distance=RaceDistance.FIVE_K, race_date=date(2027, 4, 17))
    kept = choose_goal(stated, found, words="5K on 17 Apr", stated_words="5K on 3 Jul")
    assert kept.goal == stated and kept.offered == found and "goal stays" in (kept.note or "")
    assert choose_goal(stated, found, accepted=True).goal == found  # the runner said yes
    assert choose_goal(stated, found, declined=found).note is None  # asked once
    assert choose_goal(None, found).goal == found  # no goal: the calendar's race
    profile, plan, notes = racer_plan()
    assert profile.goal == stated and "goal stays the A race" in notes[0]
    races = {r.race_date: r.priority for r in plan.races}
    assert races[date(2027, 7, 3)] is Priority.A and races[date(2027, 4, 17)] is Priority.B


def test_ph5_the_goal_race_weeks_are_taper_and_race_week_whatever_else_is_in_the_season() -> None:
    _, plan, _ = racer_plan()
    phases = {week.week_start: week.phase for week in plan.weeks}
    assert phases[date(2027, 6, 28)] is Phase.RACE_WEEK
    assert phases[date(2027, 6, 21)] is Phase.TAPER
    assert Phase.BASE not in {phases[m] for m in phases if m < date(2027, 6, 28)}


def test_ph5_a_b_race_gets_one_light_primer_and_no_heavy_legs_or_jumps_before_it() -> None:
    profile, plan, _ = racer_plan()
    for race in season_of(profile).others():
        before = [s for s in plan.sessions() if 0 < (race.day - s.date).days <= 7]
        assert all((race.day - s.date).days > 2 for s in before), race  # PH3/PH5: last 2 days
        for session in before:
            left = (race.day - session.date).days
            if left <= 4:
                assert not ids(session) & JUMPS, (race, session.date)
            if race.priority is Priority.B:
                assert session.name == "Primer", (race, session.date)
                assert lower_pct(session) <= 75 and all(ex.sets <= 2 for ex in session.exercises())
        if race.priority is Priority.B:
            assert len(before) <= 1, race  # one session in the 7-day mini-taper


def test_ph5_a_half_four_weeks_before_a_marathon_is_protected_like_a_race() -> None:
    """Defect: squat and deadlift at 80–85 % five days before the half and two days after."""
    plan = build_plan(fixture("half_before_marathon"), date(2027, 1, 4), 18)
    half = date(2027, 3, 28)
    for session in plan.sessions():
        gap = (half - session.date).days
        if 0 < gap <= 5:
            assert lower_pct(session) < 80, session.date
        assert not -7 <= gap <= 0, f"a session {-gap} days after the half (PH6: 7 days)"


# --- PH6 ---------------------------------------------------------------------------------------


def test_ph6_recovery_after_every_race_is_counted_in_days_then_a_free_day_has_a_session() -> None:
    profile = runner(
        FRESH,
        goal={"race_distance": "10k", "race_date": "2027-06-13"},
        races=[{"race_date": "2027-04-11", "race_distance": "5k", "priority": "C"}],
    )
    plan = build_plan(profile, date(2027, 3, 1), 16)
    after_c = [s.date for s in plan.sessions() if date(2027, 4, 12) <= s.date <= date(2027, 4, 18)]
    assert after_c and all(d > date(2027, 4, 15) for d in after_c)  # 4 days, then Thursday
    after_a = [s.date for s in plan.sessions() if date(2027, 6, 14) <= s.date <= date(2027, 6, 20)]
    assert after_a == [date(2027, 6, 18)]  # the A race's recovery week still has its session
    recovery = next(w for w in plan.weeks if w.week_start == date(2027, 6, 14))
    assert recovery.phase is Phase.RECOVERY


def test_ph6_race_season_starts_with_b_races_closer_than_three_weeks() -> None:
    _, plan, _ = racer_plan()
    by_week = {w.week_start: w for w in plan.weeks}
    # the 17 Apr and 1 May B races are two weeks apart: race season from 17 Apr's week
    assert by_week[date(2027, 4, 5)].phase is Phase.BUILD
    for monday in (date(2027, 4, 12), date(2027, 5, 3), date(2027, 5, 31)):
        assert by_week[monday].phase is Phase.RACE_SEASON
        assert len(by_week[monday].sessions) <= 1


# --- P9 ----------------------------------------------------------------------------------------


def test_p9_no_jumps_or_heavy_hinges_in_the_48_hours_before_a_long_run() -> None:
    """Seed 000's Friday session sits two days before Sunday's long run: a lighter one."""
    plan = build_plan(runner(SEED_000, experience="advanced"), date(2027, 1, 4), 8)
    for session in plan.sessions():
        if session.date.weekday() != 4:
            continue
        assert not ids(session) & JUMPS, session.date
        assert heaviest(session, HINGES) < 80 and lower_pct(session) <= 75
        assert "two days away" in session.reason


def test_p9_back_to_back_weekend_long_runs_keep_thursday_light() -> None:
    plan = build_plan(fixture("ultra_back_to_back"), date(2027, 3, 1), 6)
    thursdays = [s for s in plan.sessions() if s.date.weekday() == 3]
    assert thursdays
    for session in thursdays:
        assert not ids(session) & JUMPS and lower_pct(session) <= 75, session.date
    assert all(s.date.weekday() not in (4, 5, 6) for s in plan.sessions())  # P3, P5


def test_p9_the_second_hard_day_in_a_row_gives_way_to_a_later_day() -> None:
    """Intervals the day after the long run: the session goes to a later valid day."""
    plan = build_plan(fixture("six_days_intervals_after_long"), date(2027, 1, 25), 8)
    assert plan.sessions()
    assert all(s.date.weekday() != 0 for s in plan.sessions())  # never the Monday intervals
    assert all(lower_pct(s) < 80 or s.date.weekday() != 0 for s in plan.sessions())


# --- S12 ---------------------------------------------------------------------------------------


def test_s12_a_third_session_asked_for_is_upper_body_core_and_calves() -> None:
    week = ("rest", "easy", "tempo", "easy", "intervals", "easy", "long")  # Mon, Wed, Fri free
    profile = runner(
        week,
        experience="intermediate",
        sessions_per_week=3,
        goal={"race_distance": "half_marathon", "race_date": "2027-04-25"},
    )
    plan = build_plan(profile, date(2027, 1, 4), 3, block_start=date(2026, 11, 2))
    build = [w for w in plan.weeks if w.phase in (Phase.BASE, Phase.BUILD) and not w.deload]
    assert build and all(any(s.name == THIRD for s in w.sessions) for w in build)
    for week_plan in build:
        thirds = [s for s in week_plan.sessions if s.name == THIRD]
        if len(week_plan.sessions) >= 3 and thirds:
            third = thirds[0]
            kinds = {b.kind for b in third.blocks}
            assert BlockKind.POWER not in kinds and third.duration_min <= 35
            assert any(CAT.get(ex.id).is_upper_body for ex in third.exercises())
            assert "calf" in " ".join(ids(third))
            assert not any(
                CAT.get(ex.id).is_lower_body and "calf" not in ex.id
                for ex in third.exercises()
                if CAT.get(ex.id).category.value != "mobility"
            )
        else:
            assert THIRD_NOTE in week_plan.notes or len(week_plan.sessions) >= 3


def test_s12_a_third_session_that_fits_no_day_is_offered_never_silently_dropped() -> None:
    plan = build_plan(fixture("advanced_three_sessions"), date(2027, 2, 22), 4)
    for week_plan in plan.weeks:
        if week_plan.phase not in (Phase.BASE, Phase.BUILD) or week_plan.deload:
            continue
        assert len(week_plan.sessions) >= 3 or THIRD_NOTE in week_plan.notes
        assert "upper-body" in THIRD_NOTE and "push-ups" in THIRD_NOTE


# --- what the plan shows ------------------------------------------------------------------------


def test_ph5_the_plan_json_shows_its_run_days_and_the_seasons_races() -> None:
    _, plan, _ = racer_plan()
    data = plan.model_dump(mode="json")
    assert data["run_days"]["2027-04-17"] == {"kind": "race", "distance": "5k", "priority": "B"}
    assert data["run_days"]["2027-07-03"] == {"kind": "race", "distance": "5k", "priority": "A"}
    assert data["run_days"]["2027-03-30"] == {"kind": "intervals"}
    assert {"race_date": "2027-07-03", "race_distance": "5k", "priority": "A"} in data["races"]
    assert len(data["run_days"]) == 7 * 16


# --- judged by the rulebook made executable -----------------------------------------------------


def _plancheck() -> ModuleType:
    if not (TOOLS / "plancheck.py").exists():
        pytest.skip("../shared/tools/plancheck.py is not here (e.g. in CI)")
    sys.path.insert(0, str(TOOLS))
    import plancheck  # type: ignore[import-not-found]

    return plancheck  # type: ignore[no-any-return]


CATALOGUE_JSON = {"exercises": [exercise_json(e) for e in load_catalogue()]}


def season_violations(
    profile: RunnerProfile, plan: Plan, start: date, weeks: int, *, calendar: bool = False
) -> list[str]:
    plancheck = _plancheck()
    verdict = plancheck.judge(
        profile.model_dump(mode="json"),
        plan.model_dump(mode="json"),
        CATALOGUE_JSON,
        start=start.isoformat(),
        weeks=weeks,
        calendar=calendar,
    )
    # P6 over PH2: a week where no day keeps P3–P5 plans none and says so
    empty = {
        w.week_start
        for w in plan.weeks
        if not w.sessions and any(n.startswith("No session fits") for n in w.notes)
    }
    return [
        f"{v.rule} {v.date} {v.exercise}: {v.what}"
        for v in verdict
        if v.rule in SEASON_RULES and not (v.rule == "PH2" and v.date in empty)
    ]


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("ultra_back_to_back", date(2027, 3, 1)),
        ("six_days_intervals_after_long", date(2027, 1, 25)),
        ("half_before_marathon", date(2027, 1, 4)),
        ("advanced_three_sessions", date(2027, 2, 22)),
    ],
)
def test_ph5_ph6_p9_s12_the_coachs_runners_break_no_season_rule(name: str, start: date) -> None:
    profile = fixture(name)
    plan = build_plan(profile, start, 18)
    assert season_violations(profile, plan, start, 18) == []


def test_ph5_ph6_p9_the_5k_racer_with_her_calendar_breaks_no_season_rule() -> None:
    _, plan, _ = racer_plan()
    stated = fixture("racer_5k")
    assert season_violations(stated, plan, date(2027, 3, 29), 16, calendar=True) == []


_KINDS = ("rest", "easy", "tempo", "intervals", "long", "cross")
_DISTANCES = [d.value for d in RaceDistance]

races_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "race_date": st.integers(min_value=0, max_value=160),
            "race_distance": st.sampled_from(_DISTANCES),
        },
        optional={"priority": st.sampled_from(["A", "B", "C"])},
    ),
    max_size=5,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    week=st.lists(st.sampled_from(_KINDS), min_size=7, max_size=7).filter(
        lambda kinds: any(k != "rest" for k in kinds)
    ),
    goal_in=st.one_of(st.none(), st.integers(min_value=20, max_value=170)),
    goal_distance=st.sampled_from(_DISTANCES),
    races=races_strategy,
    experience=st.sampled_from(["novice", "intermediate", "advanced"]),
    sessions=st.one_of(st.none(), st.integers(min_value=1, max_value=3)),
    placement=st.sampled_from(["after_hard_runs", "separate_days"]),
)
def test_ph5_ph6_p9_s12_random_runners_with_random_race_calendars(
    week: list[str],
    goal_in: int | None,
    goal_distance: str,
    races: list[dict[str, Any]],
    experience: str,
    sessions: int | None,
    placement: str,
) -> None:
    """Property: whatever the week, the goal and the other races (several, on any day, any
    priority or none), no plan breaks a season or placement rule (by plancheck)."""
    start = date(2027, 1, 4)
    data: dict[str, Any] = {
        "week": dict(zip(DAYS, week, strict=True)),
        "experience": experience,
        "placement": placement,
        "races": [
            {**race, "race_date": (start + timedelta(days=race["race_date"])).isoformat()}
            for race in races
        ],
    }
    if goal_in is not None:
        data["goal"] = {
            "race_distance": goal_distance,
            "race_date": (start + timedelta(days=goal_in)).isoformat(),
        }
    if sessions is not None:
        data["sessions_per_week"] = sessions
    profile = RunnerProfile.model_validate(data)
    plan = build_plan(profile, start, 20)
    assert season_violations(profile, plan, start, 20) == [], json.dumps(data)


def test_ph5_without_a_goal_the_race_marked_a_is_the_goal() -> None:
    profile = runner(
        races=[
            {"race_date": "2027-04-11", "race_distance": "10k"},
            {"race_date": "2027-05-16", "race_distance": "half_marathon", "priority": "A"},
        ]
    )
    assert profile.goal == Goal(
        race_distance=RaceDistance.HALF_MARATHON, race_date=date(2027, 5, 16)
    )
    # a 10K is less than half a half marathon: a C race (PH5)
    assert {r.day: r.priority for r in season_of(profile).races}[date(2027, 4, 11)] is Priority.C


@pytest.mark.parametrize(
    ("text", "distance", "day", "priority"),
    [
        ("race 5k on 17 april b", RaceDistance.FIVE_K, date(2027, 4, 17), Priority.B),
        (
            "parkrun on saturday is just a C race",
            RaceDistance.FIVE_K,
            date(2027, 4, 3),
            Priority.C,
        ),
        (
            "half marathon on 28 april is a tune-up",
            RaceDistance.HALF_MARATHON,
            date(2027, 4, 28),
            Priority.B,
        ),
        ("my 10k on 2 may is an A race", RaceDistance.TEN_K, date(2027, 5, 2), Priority.A),
        ("the 10k on 2 may is a c race", RaceDistance.TEN_K, date(2027, 5, 2), Priority.C),
        ("10k on 12 april", RaceDistance.TEN_K, date(2027, 4, 12), None),
    ],
)
def test_ph5_a_race_and_its_priority_in_the_runners_words(
    text: str, distance: RaceDistance, day: date, priority: Priority | None
) -> None:
    from bot.core.language.intents import Context, RaceAction, RaceChange, read_intent

    found = read_intent(text, Context(today=date(2027, 3, 30), zone="Europe/London"))
    assert isinstance(found, RaceChange) and found.action is RaceAction.NEW, found
    assert (found.distance, found.race_date, found.priority) == (distance, day, priority)
