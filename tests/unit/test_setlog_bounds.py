"""L8 fuzzed: a value outside its bounds gets a question, never a silent store.

Lines are built the way runners write them (`squat 3x5 60kg`, `squat 3x5 @ 60`, `plank 3x40s`),
then one value is pushed out of bounds: a sign in front of any number, zero sets or reps,
absurd sets, reps, loads or holds, two units in one line. Whatever the line, the parser must
return a problem for it and store nothing.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.core.catalogue.loader import LoadKind, load_catalogue
from bot.core.setlog import parse_set_log

CATALOGUE = load_catalogue()
LOADED = sorted(
    ex.name.lower()
    for ex in CATALOGUE
    if ex.load_kind is not LoadKind.BODYWEIGHT and not ex.timed  # a timed "1x51" is a 51 s hold
)
TIMED = sorted(ex.name.lower() for ex in CATALOGUE if ex.timed)
SEPARATORS = st.sampled_from([" ", " @ ", " @", " at "])
UNITS = st.sampled_from(["", "kg", " kg", "lb", " lbs"])
MINUS = st.sampled_from(["-", "−", "–"])


def assert_asked(line: str) -> None:
    parsed = parse_set_log(line)
    assert parsed.entries == (), f"{line!r} was stored as {parsed.entries}"
    assert parsed.problems, f"{line!r} got no question"


@st.composite
def set_lines(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A valid loaded line and its numbers in order: (line template with {0},{1},{2}, numbers)."""
    name = draw(st.sampled_from(LOADED))
    sets = str(draw(st.integers(1, 10)))
    reps = str(draw(st.integers(1, 50)))
    load = str(draw(st.integers(1, 200)))
    template = f"{name} {{0}}x{{1}}{draw(SEPARATORS)}{{2}}{draw(UNITS)}"
    return template, [sets, reps, load]


@given(set_lines(), st.integers(0, 2), MINUS)
def test_l8_a_sign_before_any_number_is_asked_about(
    line: tuple[str, list[str]], which: int, minus: str
) -> None:
    template, numbers = line
    assert parse_set_log(template.format(*numbers)).entries, "the unsigned line must parse"
    numbers[which] = minus + numbers[which]
    assert_asked(template.format(*numbers))


@given(set_lines(), st.integers(0, 1))
def test_l8_zero_sets_or_zero_reps_are_asked_about(
    line: tuple[str, list[str]], which: int
) -> None:
    template, numbers = line
    numbers[which] = "0"
    assert_asked(template.format(*numbers))


@given(set_lines(), st.integers(11, 99))
def test_l8_more_than_ten_sets_is_asked_about(line: tuple[str, list[str]], sets: int) -> None:
    template, numbers = line
    numbers[0] = str(sets)
    assert_asked(template.format(*numbers))


@given(set_lines(), st.integers(51, 999))
def test_l8_more_than_fifty_reps_is_asked_about(line: tuple[str, list[str]], reps: int) -> None:
    template, numbers = line
    numbers[1] = str(reps)
    assert_asked(template.format(*numbers))


@given(st.sampled_from(LOADED), st.integers(501, 99_999))
def test_l8_an_absurd_load_in_kg_is_asked_about(name: str, load: int) -> None:
    assert_asked(f"{name} 3x5 {load}kg")


@given(st.sampled_from(LOADED), st.integers(1101, 99_999))
def test_l8_an_absurd_load_in_pounds_is_asked_about(name: str, load: int) -> None:
    assert_asked(f"{name} 3x5 {load}lb")


@given(st.sampled_from(TIMED), st.integers(11, 60))
def test_l8_a_hold_over_ten_minutes_is_asked_about(name: str, minutes: int) -> None:
    assert_asked(f"{name} 2x{minutes}min")


@given(st.sampled_from(LOADED), st.integers(20, 100), st.integers(20, 200))
def test_l8_two_units_in_one_line_are_asked_about(name: str, kg: int, lb: int) -> None:
    assert_asked(f"{name} 3x5 {kg}kg {lb}lb")


def test_hyphens_inside_names_and_after_numbers_are_not_signs() -> None:
    parsed = parse_set_log("step-up 3x8 16kg\nsquat 3x5 60 - felt good")
    assert [(e.exercise_id, len(e.sets)) for e in parsed.entries] == [
        ("step_up", 3),
        ("back_squat", 3),
    ]
    assert parsed.entries[1].sets[0].load_kg == 60.0
