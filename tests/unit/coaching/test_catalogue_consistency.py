"""Every catalogue entry is coherent: load kind, level, aliases and substitutes (§7, S6, X1)."""

from __future__ import annotations

import pytest

from bot.core.catalogue.loader import Body, Category, Exercise, LoadKind, load_catalogue
from bot.core.domain.profile import Equipment, Limitation

CAT = load_catalogue()
_LOADED = {Equipment.DUMBBELLS, Equipment.KETTLEBELL, Equipment.GYM}


def _compatible(a: Body, b: Body) -> bool:
    lower = {Body.LOWER, Body.FULL}
    return a == b or (a in lower and b in lower)


@pytest.mark.parametrize("exercise", list(CAT), ids=lambda e: e.id)
def test_load_kind_matches_the_equipment_s6(exercise: Exercise) -> None:
    """A barbell lift needs a gym; a dumbbell or kettlebell lift needs weights (S6)."""
    if exercise.load_kind is LoadKind.BARBELL:
        assert exercise.equipment == {Equipment.GYM}
    if exercise.load_kind in (LoadKind.DUMBBELL, LoadKind.KETTLEBELL):
        assert exercise.equipment <= _LOADED


def test_plyometric_levels_and_contacts_are_consistent_s5_s8() -> None:
    for exercise in CAT:
        lower_plyo = exercise.is_plyometric and exercise.body is not Body.UPPER
        assert (exercise.level is not None) == lower_plyo, exercise.id
        assert (exercise.contacts > 0) == lower_plyo, exercise.id


def test_only_heavy_lifts_are_marked_heavy_p4() -> None:
    """P4's 48 h rule and PH3's cut-offs apply to loaded lower-body lifts, not to a chair squat."""
    for exercise in CAT:
        if exercise.heavy:
            assert exercise.is_lower_body and exercise.load_kind is not LoadKind.BODYWEIGHT
    assert not CAT.get("box_squat").heavy


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("hops", "pogo_hops"), ("bounds", "single_leg_bounds"), ("ohp", "overhead_press")],
)
def test_aliases_name_the_exercise_runners_mean(typed: str, expected: str) -> None:
    found = CAT.find(typed)
    assert found is not None and found.id == expected


def test_hang_clean_is_not_a_power_clean() -> None:
    found = CAT.find("hang clean")
    assert found is None or found.id != "power_clean"


def test_substitutes_keep_the_body_part() -> None:
    """A calf raise is replaced by calf work, a squat by a leg exercise (S3: keep the pattern)."""
    for exercise in CAT:
        for sub in exercise.substitutes:
            other = CAT.get(sub)
            if exercise.category is Category.MOBILITY:
                continue
            assert _compatible(exercise.body, other.body) or other.body is Body.CORE, (
                exercise.id,
                sub,
            )
    assert CAT.get("calf_raise").substitutes[0] == "single_leg_calf_raise"
    assert CAT.get("ring_row").substitutes[0] == "inverted_row"


@pytest.mark.parametrize("limitation", list(Limitation))
def test_every_avoided_exercise_has_a_substitute_that_suits_x1(limitation: Limitation) -> None:
    """X1: an exercise a limitation rules out always leads to one that limitation allows."""
    for exercise in CAT:
        if limitation not in exercise.avoid or not exercise.substitutes:
            continue
        if limitation is Limitation.ACHILLES and exercise.is_plyometric:
            continue  # X1: achilles means no plyometrics at all; the power block just goes
        chain = CAT.substitution_chain(exercise.id)[1:]
        assert any(limitation not in e.avoid for e in chain), (exercise.id, limitation)


def test_knee_and_hip_rule_out_every_bound_and_jump_x1() -> None:
    for ident in ("single_leg_bounds", "bounds_in_place", "broad_jump", "depth_jump"):
        assert {Limitation.KNEE, Limitation.HIP} <= CAT.get(ident).avoid, ident


def test_weighted_alternatives_exist_for_barbell_lifts_s6() -> None:
    """Dumbbell-only runners keep the pattern: each barbell lift leads to a weights version."""
    for ident in ("back_squat", "deadlift", "hip_thrust", "overhead_press", "bench_press"):
        chain = CAT.substitution_chain(ident)
        assert any(e.load_kind is LoadKind.DUMBBELL for e in chain), ident
