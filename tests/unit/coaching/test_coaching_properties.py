"""Hypothesis: the dose rules hold for random valid profiles.

Every plan, whatever the week, goal, experience, equipment and limitations: race-week caps
(PH3), the marathon's last 10 days (PH3), deloads (L6), coherent loads (S4/L2), plyometric order
and gate (S1/S5), X1 for knee and hip, A/B by placed sessions (S3), cues twice (X4).
"""

from __future__ import annotations

import itertools
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.catalogue.loader import PlyoLevel
from bot.core.domain.plan import BlockKind, Phase
from bot.core.domain.profile import Limitation, RunnerProfile
from bot.core.planner import build_plan
from bot.core.planner.dose import reps_in_reserve
from bot.core.planner.phases import NO_LOWER_BODY_DAYS, is_long_distance
from bot.core.planner.season import NO_PLYO_DAYS
from bot.core.planner.sessions import contacts
from tests.unit.coaching.conftest import CAT
from tests.unit.test_planner_properties import EPOCH, profiles

_ORDER = {PlyoLevel.LOW: 0, PlyoLevel.MODERATE: 1, PlyoLevel.HIGH: 2}
_KNEE_HIP_BANNED = {"single_leg_bounds", "bounds_in_place", "broad_jump", "depth_jump"}


def _low_rir(rir: tuple[int, int] | int) -> int:
    return rir if isinstance(rir, int) else rir[0]


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    profile=profiles,
    offset=st.integers(min_value=0, max_value=30),
    weeks_before=st.integers(min_value=0, max_value=20),
    weeks=st.integers(min_value=1, max_value=5),
)
def test_dose_rules_hold_for_random_runners(
    profile: RunnerProfile, offset: int, weeks_before: int, weeks: int
) -> None:
    start = EPOCH + timedelta(days=offset)
    plan = build_plan(profile, start, weeks, block_start=start - timedelta(weeks=weeks_before))
    goal = profile.goal
    seen: dict[str, int] = {}
    names = [
        (s.name, week.deload and len(week.sessions) == 1)
        for week in plan.weeks
        for s in week.sessions
        if s.name in ("A", "B")
    ]
    for (before, _), (after, lone_deload) in itertools.pairwise(names):
        # S3: A/B alternate by the sessions placed; L6: a once-a-week deload repeats last
        # week's session, lighter
        assert before != after or lone_deload
    for week in plan.weeks:
        for session in week.sessions:
            to_race = (goal.race_date - session.date).days if goal else None
            power = [
                CAT.get(ex.id)
                for ex in next(
                    (b.exercises for b in session.blocks if b.kind is BlockKind.POWER), ()
                )
            ]
            levels = [_ORDER[e.level or PlyoLevel.LOW] for e in power]
            assert levels == sorted(levels)  # S1: lowest level first
            if week.phase not in (Phase.BASE, Phase.BUILD):
                assert all(e.level is not PlyoLevel.HIGH for e in power)  # S5
            if {Limitation.KNEE, Limitation.HIP} & set(profile.limitations):
                assert not {ex.id for ex in session.exercises()} & _KNEE_HIP_BANNED  # X1
            if to_race is not None and 0 < to_race <= NO_PLYO_DAYS:
                assert contacts(session.exercises(), CAT) == 0  # PH3
            if (
                goal is not None
                and to_race is not None
                and is_long_distance(goal.race_distance)
                and 0 < to_race <= NO_LOWER_BODY_DAYS
            ):
                for ex in session.exercises():
                    exercise = CAT.get(ex.id)
                    assert not exercise.is_lower_body or exercise.category.value == "mobility"
            for b in session.blocks:
                for ex in b.exercises:
                    count = seen.get(ex.id, 0)
                    assert ex.show_cue == (count < 2)  # X4: the cue the first two times
                    seen[ex.id] = count + 1
                    if b.kind is not BlockKind.STRENGTH:
                        continue
                    pct, rir = ex.load.pct_1rm, ex.load.rir
                    if week.phase is Phase.RACE_WEEK:
                        assert ex.sets <= 2  # PH3
                        if pct is not None:
                            assert pct[1] <= 75
                        if rir is not None:
                            assert _low_rir(rir) >= 3
                    if pct is not None and rir is not None:  # S4/L2: possible as written
                        assert reps_in_reserve(ex.reps[0], pct[1]) >= _low_rir(rir) - 1
