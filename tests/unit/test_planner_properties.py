"""Hypothesis properties of the planner over random valid profiles.

Exception to the 30–45 minute budget (S2): race-week primers, a marathon/ultra runner's
upper-body-only sessions in the last 10 days (PH3), and deload and taper sessions (L6, Bosquet
2007: padding must not re-add the sets they cut) are short on purpose; they stay ≤ 45.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.core.catalogue.loader import available_equipment, load_catalogue
from bot.core.domain.plan import Phase
from bot.core.domain.profile import (
    WEEKDAYS,
    DayKind,
    Equipment,
    Experience,
    Goal,
    Limitation,
    Placement,
    RaceDistance,
    RunnerProfile,
)
from bot.core.planner import build_plan
from bot.core.planner.phases import NO_LOWER_BODY_DAYS, is_long_distance, max_sessions
from bot.core.planner.plan import THIRD
from bot.core.planner.season import RECOVERY_DAYS
from bot.core.planner.sessions import PLYO_CONTACTS, contacts

CATALOGUE = load_catalogue()
EPOCH = date(2026, 1, 5)  # a Monday

goals = st.one_of(
    st.none(),
    st.builds(
        Goal,
        race_distance=st.sampled_from(list(RaceDistance)),
        race_date=st.integers(min_value=-40, max_value=200).map(
            lambda d: EPOCH + timedelta(days=d)
        ),
    ),
)

profiles = st.builds(
    RunnerProfile,
    week=st.lists(st.sampled_from(list(DayKind)), min_size=7, max_size=7).map(
        lambda kinds: dict(zip(WEEKDAYS, kinds, strict=True))
    ),
    goal=goals,
    experience=st.sampled_from(list(Experience)),
    equipment=st.lists(st.sampled_from(list(Equipment)), min_size=1, max_size=3, unique=True).map(
        tuple
    ),
    sessions_per_week=st.one_of(st.none(), st.integers(min_value=1, max_value=3)),
    placement=st.sampled_from(list(Placement)),
    limitations=st.lists(st.sampled_from(list(Limitation)), max_size=3, unique=True).map(tuple),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    profile=profiles,
    offset=st.integers(min_value=0, max_value=30),
    weeks_before=st.integers(min_value=0, max_value=20),
    weeks=st.integers(min_value=1, max_value=4),
)
@example(  # S2: a lower-back runner's restart after a 5K kept three single jumps at 46 min
    profile=RunnerProfile(
        week=dict.fromkeys(WEEKDAYS, DayKind.REST),
        goal=Goal(race_distance=RaceDistance.FIVE_K, race_date=date(2026, 2, 5)),
        experience=Experience.INTERMEDIATE,
        equipment=(Equipment.GYM,),
        limitations=(Limitation.LOWER_BACK,),
    ),
    offset=14,
    weeks_before=11,
    weeks=4,
)
def test_plans_keep_every_rule(
    profile: RunnerProfile, offset: int, weeks_before: int, weeks: int
) -> None:
    start = EPOCH + timedelta(days=offset)
    block_start = start - timedelta(weeks=weeks_before)
    plan = build_plan(profile, start, weeks, block_start=block_start)
    have = available_equipment(profile.equipment)
    race = profile.goal.race_date if profile.goal else None
    assert len(plan.weeks) == weeks

    all_sessions = plan.sessions()
    for before, after in itertools.pairwise(all_sessions):
        assert (after.date - before.date).days >= 2  # P4: never on consecutive days

    for week in plan.weeks:
        # PH1: within the phase maximum; S12: a third, upper-body session beyond it when asked
        third = [s for s in week.sessions if s.name == THIRD]
        assert len(week.sessions) - len(third) <= max_sessions(week.phase, profile.experience)
        assert len(third) <= 1 and (not third or profile.sessions_per_week == 3)
        for session in week.sessions:
            day = session.date
            assert day >= start
            assert profile.day_kind(day) is not DayKind.LONG  # P5
            assert not profile.day_kind(day + timedelta(days=1)).is_key  # P3
            if race is not None:
                assert day != race  # P5
                assert day + timedelta(days=1) != race  # P3
                if week.phase is Phase.RACE_WEEK and day < race:
                    assert (race - day).days >= 3  # PH3
                if day > race and profile.goal is not None:  # PH6: after the recovery days
                    assert (day - race).days > RECOVERY_DAYS[profile.goal.race_distance]
            primer = (
                week.phase is Phase.RACE_WEEK
                or session.name in (THIRD, "Primer")
                or (
                    profile.goal is not None
                    and is_long_distance(profile.goal.race_distance)
                    and race is not None
                    and (race - day).days <= NO_LOWER_BODY_DAYS
                )
            )
            assert session.duration_min <= 45  # S2
            # L6/taper: light weeks are short on purpose; nothing pads their sets back
            light = week.deload or week.phase in (Phase.TAPER, Phase.RACE_WEEK)
            if not primer and not light:
                assert session.duration_min >= 30, session  # S2
            # S8: never more plyometric contacts than the experience allows
            assert contacts(session.exercises(), CATALOGUE) <= PLYO_CONTACTS[profile.experience][1]
            kinds = [b.kind for b in session.blocks]
            assert kinds and kinds[-1].value == "core"  # S1: every session has core
            for ex in session.exercises():
                exercise = CATALOGUE.get(ex.id)
                assert exercise.usable_with(have), (ex.id, profile.equipment)  # S6
                assert exercise.suits(profile.limitations), ex.id  # X1
                assert exercise.auto  # S7: no crunches
                if exercise.load_kind.value != "barbell":
                    assert ex.load.pct_1rm is None  # S6: no %1RM without a barbell
                assert 1 <= ex.sets <= 4
                assert ex.reps[0] <= ex.reps[1]
