"""The planner's fast paths give exactly what the plain code gives (bench/planner.py's speed).

The shortcuts: plan models built without pydantic's per-field search
(`bot.core.domain.plan._Trusted`), a log's work sets read once per log
(`bot.core.planner.progression._digest`), a session's trim taking several sets or rests in one
step (`bot.core.planner.sessions._Budget.shed`, `_Budget.shorten_rests`) and a short session's
mobility lengthened in one step (`_Budget.lengthen`).
"""

from __future__ import annotations

import copy
import random
from datetime import date
from typing import Any, TypeVar

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from bench.planner import random_history, random_profile
from bot.core.catalogue.loader import load_catalogue
from bot.core.domain.logs import ExerciseLog, LoggedSet
from bot.core.domain.plan import Block, BlockKind, Load, Prescription, Session
from bot.core.domain.profile import Weekday
from bot.core.planner import build_plan, progression
from bot.core.planner.sessions import _Budget, session_minutes

M = TypeVar("M", bound=BaseModel)


def _pydantic_construct(cls: type[M], **values: object) -> M:
    return BaseModel.model_construct.__func__(cls, **values)  # type: ignore[attr-defined, no-any-return]


def test_a_plan_built_the_fast_way_is_the_model_pydantic_builds() -> None:
    squat: dict[str, Any] = {
        "id": "back_squat",
        "name": "Back squat",
        "sets": 3,
        "reps": (5, 5),
        "load": Load.model_construct(kg=60.0, rir=(2, 3)),
        "rest_s": 150,
    }
    session: dict[str, Any] = {
        "date": date(2026, 12, 7),
        "weekday": Weekday.MON,
        "after_run": None,
        "name": "A",
        "reason": "After your tempo run.",
        "duration_min": 40,
        "blocks": (
            Block.model_construct(
                kind=BlockKind.STRENGTH, exercises=(Prescription.model_construct(**squat),)
            ),
        ),
    }
    fast = Session.model_construct(**session)
    plain = _pydantic_construct(Session, **session)
    assert fast == plain
    assert fast.model_dump(mode="json") == plain.model_dump(mode="json")
    assert fast.model_dump(mode="json") == Session.model_validate(session).model_dump(mode="json")
    assert fast.model_fields_set == plain.model_fields_set
    assert list(fast.__dict__) == list(Session.model_fields)  # fields in declaration order
    assert fast.blocks[0].exercises[0].warmup_sets == 0  # the default filled in
    assert fast.model_dump(exclude_unset=True) == plain.model_dump(exclude_unset=True)


def test_a_construct_missing_a_field_or_naming_an_unknown_one_is_pydantics_own() -> None:
    partial = Load.model_construct(_fields_set={"kg"}, kg=5.0, unknown=1)  # type: ignore[call-arg]
    assert partial == _pydantic_construct(Load, _fields_set={"kg"}, kg=5.0, unknown=1)
    assert not hasattr(partial, "unknown")
    missing = Prescription.model_construct(id="plank")  # type: ignore[call-arg]  # pydantic leaves the rest unset
    assert "sets" not in missing.__dict__


def _log(load: float, reps: int, rir: int | None) -> ExerciseLog:
    return ExerciseLog(
        exercise_id="back_squat",
        performed_on=date(2026, 11, 30),
        sets=(
            LoggedSet(set_no=1, reps=5, load_kg=40.0),  # a warm-up set: not work
            *(LoggedSet(set_no=n, reps=reps, load_kg=load, rir=rir) for n in (2, 3, 4)),
        ),
    )


def test_a_log_is_read_once_and_a_new_log_never_gets_an_old_logs_reading() -> None:
    log = _log(80.0, 5, 2)
    assert progression.log_e1rm(log) == progression.log_e1rm(log)
    assert progression._digest(log) is progression._digest(log)  # read once
    other = _log(100.0, 3, 0)
    # another log stored under this one's id (ids are reused once an object is gone)
    progression._DIGESTS[id(log)] = (other, progression._digest(other))
    assert progression._digest(log).work_load == 80.0
    assert progression.log_e1rm(copy.deepcopy(log)) == progression.log_e1rm(log)


_items = st.lists(
    st.tuples(
        st.integers(1, 6),  # sets
        st.one_of(st.none(), st.integers(10, 90)),  # hold
        st.integers(0, 180),  # rest
        st.sampled_from([-1, -1, 0, 1, 2]),  # own rests, paired, circuits
        st.booleans(),  # alive
        st.integers(0, 2),  # warm-ups
    ),
    min_size=1,
    max_size=9,
)


def _budget(items: list[tuple[int, int | None, int, int, bool, int]]) -> _Budget:
    n = len(items)
    return _Budget(
        blocks=[BlockKind.ACCESSORY] * n,
        sets=[i[0] for i in items],
        holds=[i[1] for i in items],
        sides=[1 + (k % 2) for k in range(n)],
        rep_work=[24] * n,
        rest=[i[2] for i in items],
        warmups=[i[5] for i in items],
        setup=[60] * n,
        per_set_contacts=[0] * n,
        upper=[False] * n,
        alive=[i[4] for i in items],
        group=[i[3] for i in items],
    )


@given(_items, st.integers(0, 3), st.integers(300, 3000), st.data())
def test_shedding_sets_in_one_step_ends_where_one_set_at_a_time_ends(
    items: list[tuple[int, int | None, int, int, bool, int]],
    floor: int,
    limit_s: int,
    data: st.DataObject,
) -> None:
    index = data.draw(st.integers(0, len(items) - 1))
    one_step, one_at_a_time = _budget(items), _budget(items)
    one_step.shed(index, floor, limit_s)
    while one_at_a_time.seconds() > limit_s and one_at_a_time.sets[index] > floor:
        one_at_a_time.sets[index] -= 1
    assert one_step.sets == one_at_a_time.sets
    assert one_step.seconds() == one_at_a_time.seconds()


@given(_items, st.integers(30, 150), st.integers(300, 3000), st.data())
def test_shortening_rests_in_one_step_ends_where_one_step_at_a_time_ends(
    items: list[tuple[int, int | None, int, int, bool, int]],
    least_s: int,
    limit_s: int,
    data: st.DataObject,
) -> None:
    index = data.draw(st.integers(0, len(items) - 1))
    one_step, one_at_a_time = _budget(items), _budget(items)
    one_step.shorten_rests(index, 30, least_s, limit_s)
    while one_at_a_time.seconds() > limit_s and one_at_a_time.rest[index] > least_s:
        one_at_a_time.rest[index] -= 30
    assert one_step.rest == one_at_a_time.rest
    assert one_step.seconds() == one_at_a_time.seconds()


@given(_items, st.integers(600, 3000), st.data())
def test_lengthening_a_hold_in_one_step_ends_where_a_minute_at_a_time_ends(
    items: list[tuple[int, int | None, int, int, bool, int]],
    until_s: int,
    data: st.DataObject,
) -> None:
    index = data.draw(st.integers(0, len(items) - 1))
    most_s = data.draw(st.integers(0, 700))
    one_step, one_at_a_time = _budget(items), _budget(items)
    one_step.lengthen(index, 60, most_s, until_s)
    while one_at_a_time.seconds() <= until_s:
        hold = one_at_a_time.holds[index]
        if hold is None or hold >= most_s:
            break
        one_at_a_time.holds[index] = hold + 60
    assert one_step.holds == one_at_a_time.holds
    assert one_step.seconds() == one_at_a_time.seconds()


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.booleans())
def test_the_minutes_the_fit_counted_are_the_finished_sessions_minutes(
    seed: int, logged: bool
) -> None:
    """S2: the fit's own count (`_Budget.seconds`, on plain numbers) says what the finished
    session's estimate says, for generated runners with and without logs."""
    rng, start = random.Random(seed), date(2026, 11, 23)
    profile = random_profile(rng, start)
    history = random_history(rng, start) if logged else None
    catalogue = load_catalogue()
    for session in build_plan(profile, start, 6, history=history, today=start).sessions():
        assert session.duration_min == session_minutes(session, catalogue), session.name
