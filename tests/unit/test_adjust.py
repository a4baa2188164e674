"""The plan bends to what the runner said: pain (X2), swaps (S6), tired days, a new week (X3)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from bot.core.catalogue.loader import load_catalogue
from bot.core.domain.adjustments import (
    PainAdjustment,
    Readiness,
    ReadinessAdjustment,
    SwapAdjustment,
    WeekAdjustment,
)
from bot.core.domain.plan import BlockKind, Plan, Session
from bot.core.domain.profile import DayKind, Limitation, RunnerProfile, Weekday
from bot.core.planner import build_plan
from bot.core.planner.adjust import LOADS, Taken, plan_with_adjustments, substitutes
from bot.core.planner.placement import blocked_reason

CATALOGUE = load_catalogue()
MONDAY = date(2026, 11, 23)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SEED_000 = ("rest", "tempo", "easy", "rest", "intervals", "easy", "long")


def profile(kinds: tuple[str, ...] = SEED_000, **extra: Any) -> RunnerProfile:
    return RunnerProfile.model_validate({"week": dict(zip(DAYS, kinds, strict=True)), **extra})


def ids(session: Session) -> list[str]:
    return [p.id for p in session.exercises()]


def adjusted(p: RunnerProfile, *adjustments: Any, start: date = MONDAY, **kw: Any) -> Plan:
    return plan_with_adjustments(p, start, 2, list(adjustments), catalogue=CATALOGUE, **kw)


def test_no_adjustments_is_the_plain_plan() -> None:
    p = profile()
    assert adjusted(p) == build_plan(p, MONDAY, 2, catalogue=CATALOGUE)


def test_knee_at_6_loads_no_knee_at_all_and_says_see_a_physio_x2() -> None:
    pain = PainAdjustment(
        starts=MONDAY,
        reason="Knee 6/10: no knee-loading strength until it settles; see a physiotherapist.",
        part=Limitation.KNEE,
        score=6,
    )
    plan = adjusted(profile(experience="advanced"), pain)
    loads_knee = LOADS[Limitation.KNEE]
    for session in plan.sessions():
        assert not [i for i in ids(session) if loads_knee(CATALOGUE.get(i))], session.name
        assert session.exercises(), "the session keeps its upper body and core"
        assert "physiotherapist" in session.reason
    assert any("physiotherapist" in n for n in plan.weeks[0].notes)
    # back squat's place goes to a knee-sparing substitute rather than vanishing
    a = next(s for s in plan.sessions() if s.name == "A")
    assert any(b.kind is BlockKind.STRENGTH and len(b.exercises) == 2 for b in a.blocks)


def test_knee_at_5_is_20_percent_lighter_and_swaps_what_the_knee_must_avoid_x2() -> None:
    pain = PainAdjustment(starts=MONDAY, reason="Knee 5/10.", part=Limitation.KNEE, score=5)
    p = profile(experience="advanced")
    plain = build_plan(p, MONDAY, 1, catalogue=CATALOGUE).weeks[0].sessions[0]
    sore = adjusted(p, pain).weeks[0].sessions[0]
    squat = next(x for x in plain.exercises() if x.id == "back_squat")
    lighter = next(x for x in sore.exercises() if x.id == "back_squat")
    assert squat.load.pct_1rm is not None and lighter.load.pct_1rm is not None
    assert lighter.load.pct_1rm[1] == round(squat.load.pct_1rm[1] * 0.8)
    assert "single_leg_bounds" in ids(plain)
    assert "single_leg_bounds" not in ids(sore)  # X1: knee avoids bounds; substitute instead


def test_pain_at_3_or_better_changes_nothing_x2() -> None:
    pain = PainAdjustment(starts=MONDAY, reason="Knee 3/10.", part=Limitation.KNEE, score=3)
    p = profile()
    assert adjusted(p, pain).sessions() == build_plan(p, MONDAY, 2, catalogue=CATALOGUE).sessions()


def test_the_latest_report_for_a_part_wins_x2() -> None:
    bad = PainAdjustment(starts=MONDAY, reason="Knee 7/10.", part=Limitation.KNEE, score=7)
    better = PainAdjustment(
        starts=MONDAY + timedelta(days=1), reason="Knee 1/10.", part=Limitation.KNEE, score=1
    )
    plan = adjusted(profile(), bad, better, start=MONDAY + timedelta(days=1))
    assert any(i == "back_squat" for s in plan.sessions() for i in ids(s))


def test_a_swap_replaces_back_squat_in_that_session_only_s6() -> None:
    p = profile(experience="advanced")
    first = build_plan(p, MONDAY, 2, catalogue=CATALOGUE).sessions()
    a_sessions = [s for s in first if "back_squat" in ids(s)]
    assert len(a_sessions) >= 2
    swap = SwapAdjustment(
        starts=a_sessions[0].date,
        ends=a_sessions[0].date,
        reason="Swapped: goblet squat for back squat.",
        exercise_id="back_squat",
        replacement_id="goblet_squat",
    )
    plan = adjusted(p, swap)
    by_date = {s.date: s for s in plan.sessions()}
    assert "goblet_squat" in ids(by_date[a_sessions[0].date])
    assert "back_squat" not in ids(by_date[a_sessions[0].date])
    assert "back_squat" in ids(by_date[a_sessions[1].date])
    assert "Swapped" in by_date[a_sessions[0].date].reason


def test_an_always_swap_holds_for_every_later_session_s6() -> None:
    swap = SwapAdjustment(
        starts=MONDAY,
        reason="Always: split squat.",
        exercise_id="back_squat",
        replacement_id="split_squat",
    )
    plan = adjusted(profile(experience="advanced"), swap)
    assert all("back_squat" not in ids(s) for s in plan.sessions())
    assert any("split_squat" in ids(s) for s in plan.sessions())


def test_substitutes_fit_the_equipment_and_the_kit_of_the_day_s6() -> None:
    p = profile(equipment=["gym"])
    subs = substitutes("back_squat", p, CATALOGUE)
    assert len(subs) >= 2
    no_rack = frozenset(e for e in p.equipment) - set()
    hotel = substitutes(
        "back_squat",
        p,
        CATALOGUE,
        kit=frozenset({"dumbbells", "bodyweight"}),  # type: ignore[arg-type]
    )
    assert len(hotel) >= 2
    assert all(s.load_kind.value != "barbell" for s in hotel)
    assert no_rack
    home = substitutes("back_squat", profile(equipment=["bodyweight"]), CATALOGUE)
    assert home and all(s.load_kind.value in ("bodyweight", "none") for s in home)


def test_a_tired_day_is_trimmed_and_fresh_changes_nothing() -> None:
    p = profile(experience="advanced")
    plain = build_plan(p, MONDAY, 1, catalogue=CATALOGUE).weeks[0].sessions[0]
    tired = ReadinessAdjustment(
        starts=plain.date, ends=plain.date, reason="Tired: trimmed.", state=Readiness.TIRED
    )
    fresh = ReadinessAdjustment(
        starts=plain.date, ends=plain.date, reason="Fresh.", state=Readiness.FRESH
    )
    trimmed = adjusted(p, tired).weeks[0].sessions[0]
    assert all(b.kind is not BlockKind.POWER for b in trimmed.blocks)
    before = {x.id: x for x in plain.exercises()}
    for x in trimmed.exercises():
        if x.id in before and any(
            b.kind is BlockKind.STRENGTH and x in b.exercises for b in trimmed.blocks
        ):
            assert x.sets == max(1, before[x.id].sets - 1)
    assert "Tired" in trimmed.reason
    assert adjusted(p, fresh).weeks[0].sessions[0].exercises() == plain.exercises()


def test_a_one_off_week_change_moves_that_weeks_sessions_within_p3_p5_x3() -> None:
    # Seed 000 usually lifts Tue (tempo) and Fri (intervals). This week tempo is Thursday.
    p = profile()
    change = WeekAdjustment(
        starts=MONDAY,
        ends=MONDAY + timedelta(days=6),
        reason="Moved: your tempo is on Thursday this week",
        days={Weekday.THU: DayKind.TEMPO, Weekday.TUE: DayKind.REST},
    )
    plan = adjusted(p, change)
    this_week = plan.weeks[0].sessions
    changed = p.model_copy(update={"week": {**p.week, **change.days}})
    assert [s.weekday for s in this_week] != ["tue", "fri"]
    for s in this_week:
        assert blocked_reason(changed, s.date) is None
        assert "Moved: your tempo is on Thursday" in s.reason
    gaps = [(b.date - a.date).days for a, b in itertools.pairwise(this_week)]
    assert all(g >= 2 for g in gaps)
    assert "Moved: your tempo is on Thursday this week" in plan.weeks[0].notes
    # next week is the usual one again
    assert [s.weekday.value for s in plan.weeks[1].sessions] == ["tue", "fri"]


def test_a_done_session_is_not_doubled_up_after_a_week_change_x3() -> None:
    p = profile()
    tuesday = MONDAY + timedelta(days=1)
    change = WeekAdjustment(
        starts=MONDAY,
        ends=MONDAY + timedelta(days=6),
        reason="Moved: intervals on Wednesday",
        days={Weekday.WED: DayKind.INTERVALS, Weekday.FRI: DayKind.EASY},
    )
    plan = adjusted(
        p, change, start=tuesday + timedelta(days=1), taken=Taken(frozenset({tuesday}))
    )
    week = plan.weeks[0].sessions
    assert all((s.date - tuesday).days >= 2 for s in week)
    assert len(week) <= 1


def test_knee_pain_over_5_outranks_an_always_swap_to_a_knee_loader_x2_s6() -> None:
    """Active pain excludes its loaders everywhere, a swap chosen earlier included."""
    always = SwapAdjustment(
        starts=MONDAY,
        reason="Swapped for good: Goblet squat instead of Back squat",
        exercise_id="back_squat",
        replacement_id="goblet_squat",
    )
    pain = PainAdjustment(
        starts=MONDAY, reason="Knee 6/10; see a physiotherapist.", part=Limitation.KNEE, score=6
    )
    loads_knee = LOADS[Limitation.KNEE]
    for session in adjusted(profile(), always, pain).sessions():
        assert not [i for i in ids(session) if loads_knee(CATALOGUE.get(i))], session.name
    offered = substitutes(
        "kettlebell_swing", profile(), CATALOGUE, spared=[Limitation.KNEE], limit=20
    )
    assert offered and not [e.id for e in offered if loads_knee(e)]


def test_a_one_session_swap_follows_its_session_to_its_moved_day_s6_x3() -> None:
    tuesday = MONDAY + timedelta(days=1)
    swap = SwapAdjustment(
        starts=tuesday,
        ends=tuesday,
        reason="Swapped: Goblet squat instead of Back squat this session",
        exercise_id="back_squat",
        replacement_id="goblet_squat",
        session="A",
    )
    moved = Taken(frozenset({tuesday + timedelta(days=1)}), ((tuesday, tuesday + timedelta(1)),))
    plan = adjusted(profile(), swap, start=tuesday + timedelta(days=1), taken=moved)
    first = plan.sessions()[0]
    assert first.date == tuesday + timedelta(days=1) and "Moved from Tuesday" in first.reason
    assert "goblet_squat" in ids(first) and "back_squat" not in ids(first)


def test_x2_a_lighter_load_for_pain_is_one_the_runner_owns() -> None:
    """Knee 4/10 with 5/8/12 kg dumbbells: goblet squat at 12 kg was shown at 9.5 kg (not
    loadable) beside the log's "That is your heaviest weight" note."""
    from bot.core.domain.plan import Load, Prescription
    from bot.core.planner.adjust import lighter

    squat = Prescription(
        id="goblet_squat",
        name="Goblet squat",
        sets=2,
        reps=(8, 10),
        load=Load(kg=12.0),
        rest_s=90,
        note="That is your heaviest weight: same weight, add 2 reps.",
    )
    eased = lighter(squat, (5.0, 8.0, 12.0))
    assert eased.load.kg == 8.0 and eased.note is None
    assert lighter(squat, ()).load.kg == 9.5  # a gym: any weight
    assert lighter(squat.model_copy(update={"load": Load(kg=5.0)}), (5.0, 8.0)).load.kg == 5.0
