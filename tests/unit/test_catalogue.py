"""The exercise catalogue (docs/coaching.md §7, S6, S7, X1) and its validating loader."""

from __future__ import annotations

import pytest

from bot.core.catalogue.loader import (
    Category,
    available_equipment,
    load_catalogue,
    parse_catalogue,
)
from bot.core.domain.errors import CatalogueError, UnknownExerciseError
from bot.core.domain.profile import Equipment, Limitation

SEED_NAMES = [
    "back squat",
    "goblet squat",
    "deadlift",
    "Romanian deadlift",
    "single-leg RDL",
    "power clean",
    "hip thrust",
    "step-up",
    "split squat",
    "reverse lunge",
    "walking lunge",
    "single-leg calf raise",
    "calf raise",
    "single-leg bounds",
    "depth jump",
    "broad jump",
    "box jump",
    "skipping",
    "pogo hops",
    "pull-up",
    "ring row",
    "inverted row",
    "push-up",
    "bench press",
    "overhead press",
    "dumbbell row",
    "dead bug",
    "plank",
    "side plank",
    "Pallof press",
    "bird dog",
    "farmer's carry",
    "Russian twist",
    "bicycle crunch",
    "kettlebell swing",
    "jump squat",
    "hip and ankle mobility drills",
    "medicine ball throw",
]


def test_catalogue_has_at_least_40_exercises_including_every_seed_exercise() -> None:
    catalogue = load_catalogue()
    assert len(catalogue) >= 40
    missing = [name for name in SEED_NAMES if catalogue.find(name) is None]
    assert missing == []


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("squats", "back_squat"),
        ("sqaut", "back_squat"),
        ("rdl", "romanian_deadlift"),
        ("OHP", "overhead_press"),
        ("pullups", "pull_up"),
        ("pull ups", "pull_up"),
        ("Pull-Ups", "pull_up"),
        ("bench", "bench_press"),
        ("farmers walk", "farmers_carry"),
        ("dead bugs", "dead_bug"),
        ("kb swings", "kettlebell_swing"),
        ("  Goblet  Squat ", "goblet_squat"),
    ],
)
def test_find_understands_what_runners_type(typed: str, expected: str) -> None:
    found = load_catalogue().find(typed)
    assert found is not None and found.id == expected


def test_find_returns_none_for_unknown_text() -> None:
    assert load_catalogue().find("underwater basket weaving") is None
    assert load_catalogue().find("") is None


def test_get_unknown_id_raises_a_domain_error() -> None:
    with pytest.raises(UnknownExerciseError):
        load_catalogue().get("no_such_lift")


def test_every_entry_is_complete_and_substitutes_exist() -> None:
    catalogue = load_catalogue()
    for exercise in catalogue:
        assert exercise.cue and exercise.equipment and exercise.category in Category
        for sub in exercise.substitutes:
            assert sub in catalogue, (exercise.id, sub)


def test_every_non_bodyweight_lift_has_a_bodyweight_way_out() -> None:
    """S6: a bodyweight-only runner can always be given something for each lift."""
    catalogue = load_catalogue()
    body = available_equipment([Equipment.BODYWEIGHT])
    for exercise in catalogue:
        if exercise.category is Category.MOBILITY:
            continue
        chain = catalogue.substitution_chain(exercise.id)
        assert any(e.usable_with(body) for e in chain), exercise.id


def test_back_squat_substitution_chain_follows_coaching_s6() -> None:
    chain = [e.id for e in load_catalogue().substitution_chain("back_squat")]
    assert chain[:4] == ["back_squat", "goblet_squat", "split_squat", "bodyweight_split_squat"]


def test_x1_limitations_are_carried_by_the_catalogue() -> None:
    catalogue = load_catalogue()
    assert Limitation.KNEE in catalogue.get("depth_jump").avoid
    assert Limitation.KNEE in catalogue.get("single_leg_bounds").avoid
    assert Limitation.ACHILLES in catalogue.get("pogo_hops").avoid
    assert Limitation.HIP in catalogue.get("single_leg_bounds").avoid
    assert Limitation.LOWER_BACK in catalogue.get("deadlift").avoid
    assert Limitation.LOWER_BACK in catalogue.get("back_squat").avoid
    assert Limitation.LOWER_BACK in catalogue.get("power_clean").avoid
    assert Limitation.SHOULDER in catalogue.get("overhead_press").avoid


def test_s7_crunches_are_in_the_catalogue_but_never_auto_planned() -> None:
    crunch = load_catalogue().get("bicycle_crunch")
    assert crunch.auto is False


def _toml(*entries: str) -> str:
    return "\n".join(entries)


_SQUAT = """[[exercise]]
id = "squat"
name = "Squat"
aliases = ["squats"]
category = "strength_bilateral"
equipment = ["gym"]
load_kind = "barbell"
body = "lower"
cue = "Sit down."
substitutes = []
"""


def test_loader_rejects_duplicate_ids() -> None:
    with pytest.raises(CatalogueError, match="duplicate id"):
        parse_catalogue(_toml(_SQUAT, _SQUAT))


def test_loader_rejects_an_alias_owned_by_another_exercise() -> None:
    other = _SQUAT.replace('id = "squat"', 'id = "front_squat"').replace(
        'name = "Squat"', 'name = "Front squat"'
    )
    with pytest.raises(CatalogueError, match="squats"):
        parse_catalogue(_toml(_SQUAT, other))


def test_loader_rejects_unknown_substitutes_and_values() -> None:
    with pytest.raises(CatalogueError, match="nope"):
        parse_catalogue(_SQUAT.replace("substitutes = []", 'substitutes = ["nope"]'))
    with pytest.raises(CatalogueError, match="equipment"):
        parse_catalogue(_SQUAT.replace('["gym"]', '["barbell"]'))
    with pytest.raises(CatalogueError, match="avoid"):
        parse_catalogue(_SQUAT + 'avoid = ["elbow"]\n')


def test_a_dumbbell_only_runner_sees_a_dumbbell_swing_and_can_name_it() -> None:
    from bot.core.catalogue.loader import available_equipment
    from bot.core.domain.profile import Equipment

    catalogue = load_catalogue()
    swing = catalogue.get("kettlebell_swing")
    assert swing.name_for(available_equipment([Equipment.DUMBBELLS])) == "Dumbbell swing"
    assert swing.name_for(available_equipment([Equipment.KETTLEBELL])) == "Kettlebell swing"
    assert swing.name_for(available_equipment([Equipment.GYM])) == "Kettlebell swing"
    assert catalogue.find("dumbbell swing") is swing
