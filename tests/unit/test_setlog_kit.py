"""A log line names the lift the runner did with what they own: a bare "squat" from a runner
without a gym is not the barbell back squat (bot/core/setlog.py, `_for_kit`)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.catalogue.loader import Exercise, available_equipment, load_catalogue
from bot.core.domain.profile import Equipment
from bot.core.setlog import parse_set_log

CATALOGUE = load_catalogue()
DUMBBELLS = available_equipment([Equipment.DUMBBELLS])


@pytest.mark.parametrize(
    ("line", "stored", "load"),
    [
        ("squat 3x10 10kg each hand", "goblet_squat", 10.0),
        ("rdl 2x10 10kg each hand", "dumbbell_rdl", 10.0),
        ("deadlift 3x8 12kg", "dumbbell_rdl", 12.0),
        ("bench 3x10 w/ 12s", "dumbbell_bench_press", 12.0),
        ("hip thrust 3x10 20kg", "dumbbell_hip_thrust", 20.0),
    ],
)
def test_a_dumbbell_runner_logs_the_dumbbell_lift(line: str, stored: str, load: float) -> None:
    parsed = parse_set_log(line, catalogue=CATALOGUE, kit=DUMBBELLS)
    assert not parsed.problems
    (entry,) = parsed.entries
    assert entry.exercise_id == stored
    assert {s.load_kg for s in entry.sets} == {load}
    assert not any(s.per_side for s in entry.sets)  # "each hand" is the load per dumbbell


@pytest.mark.parametrize("line", ["back squat 3x5 60kg", "pull ups 3x5"])
def test_a_lift_named_in_full_is_stored_as_named_whatever_the_kit(line: str) -> None:
    named = parse_set_log(line, catalogue=CATALOGUE).entries[0].exercise_id
    for kit in (DUMBBELLS, available_equipment([])):
        assert parse_set_log(line, catalogue=CATALOGUE, kit=kit).entries[0].exercise_id == named


def test_a_gym_runner_squat_is_the_back_squat() -> None:
    gym = available_equipment([Equipment.GYM])
    parsed = parse_set_log("squat 4x5 60kg", catalogue=CATALOGUE, kit=gym)
    assert parsed.entries[0].exercise_id == "back_squat"


@given(
    kit=st.sets(st.sampled_from([e for e in Equipment if e is not Equipment.GYM])).map(
        available_equipment
    ),
    exercise=st.sampled_from([e for e in CATALOGUE if e.equipment == {Equipment.GYM}]),
    loaded=st.booleans(),
)
def test_a_gym_lift_is_reread_only_as_the_same_movement_the_kit_allows(
    kit: frozenset[Equipment], exercise: Exercise, loaded: bool
) -> None:
    line = f"{exercise.name} 3x8" + (" 10kg" if loaded else "")
    parsed = parse_set_log(line, catalogue=CATALOGUE, kit=kit)
    for entry in parsed.entries:
        stored = CATALOGUE.get(entry.exercise_id)
        assert stored.category is exercise.category
        assert stored.per_side == exercise.per_side
        assert stored.id == exercise.id or stored.equipment & kit
