"""The planner's fast paths give exactly what the plain code gives (bench/planner.py's speed).

Three shortcuts: plan models built without pydantic's per-field search
(`bot.core.domain.plan._Trusted`), a log's work sets read once per log
(`bot.core.planner.progression._digest`) and a session's trim taking several sets in one step
(`bot.core.planner.sessions._Budget.shed`).
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any, TypeVar

from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from bot.core.domain.logs import ExerciseLog, LoggedSet
from bot.core.domain.plan import Block, BlockKind, Load, Prescription, Session
from bot.core.domain.profile import Weekday
from bot.core.planner import progression
from bot.core.planner.sessions import _Budget

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
