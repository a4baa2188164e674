"""Hypothesis: whatever `format_sets` writes, `parse_set_log` reads back to the same sets."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.catalogue.loader import LoadKind, load_catalogue
from bot.core.domain.logs import LoggedSet, ParsedEntry
from bot.core.domain.plan import KG_PER_LB
from bot.core.domain.profile import Units
from bot.core.setlog import format_sets, parse_set_log

CATALOGUE = load_catalogue()
EXERCISES = sorted(CATALOGUE, key=lambda ex: ex.id)


@st.composite
def groups(draw: st.DrawFn, exercise_id: str, units: Units) -> list[LoggedSet]:
    """Sets written together: same load, RIR, side and bodyweight; reps or holds."""
    exercise = CATALOGUE.get(exercise_id)
    count = draw(st.integers(1, 4))
    bodyweight = draw(st.booleans()) if exercise.load_kind is LoadKind.BODYWEIGHT else False
    per_side = exercise.per_side or draw(st.booleans())
    if draw(st.booleans()):
        quarter = draw(st.integers(0, 2000 if units is Units.KG else 4400))
        value = quarter / 4
        load: float | None = value if units is Units.KG else value * KG_PER_LB
    else:
        load = None
    rir = draw(st.none() | st.integers(0, 5))
    holds = (exercise.timed and draw(st.booleans())) or draw(st.integers(0, 9)) == 0
    if holds:
        hold = draw(st.integers(1, 600))
        shape: list[tuple[int | None, int | None]] = [(None, hold)] * count
    else:
        shape = [(draw(st.integers(1, 50)), None) for _ in range(count)]
    return [
        LoggedSet(
            set_no=0,
            reps=reps,
            hold_s=hold_s,
            load_kg=load,
            rir=rir,
            per_side=per_side,
            bodyweight=bodyweight,
        )
        for reps, hold_s in shape
    ]


@st.composite
def entries(draw: st.DrawFn) -> list[ParsedEntry]:
    chosen = draw(
        st.lists(st.sampled_from(EXERCISES), min_size=1, max_size=4, unique_by=lambda ex: ex.id)
    )
    result = []
    for exercise in chosen:
        units = draw(st.sampled_from(Units))
        sets: list[LoggedSet] = []
        for _ in range(draw(st.integers(1, 3))):
            sets.extend(draw(groups(exercise.id, units)))
        sets = sets[:10]
        numbered = tuple(s.model_copy(update={"set_no": i + 1}) for i, s in enumerate(sets))
        result.append(
            ParsedEntry(
                exercise_id=exercise.id, exercise_name=exercise.name, sets=numbered, units=units
            )
        )
    return result


def comparable(entry: ParsedEntry) -> tuple[object, ...]:
    has_load = any(s.load_kg is not None for s in entry.sets)
    return (entry.exercise_id, entry.sets, entry.units if has_load else None)


@settings(max_examples=300, deadline=None)
@given(entries(), st.sampled_from(Units))
def test_parse_reads_back_what_format_writes(written: list[ParsedEntry], units: Units) -> None:
    text = format_sets(written, units=units)
    parsed = parse_set_log(text, units=units)
    assert parsed.problems == (), text
    assert [comparable(e) for e in parsed.entries] == [comparable(e) for e in written], text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_text_gives_entries_or_problems_never_an_exception(text: str) -> None:
    parsed = parse_set_log(text)
    if parsed.kind == "sets":
        assert parsed.entries or parsed.problems
    for entry in parsed.entries:
        for logged in entry.sets:
            assert logged.reps is None or 1 <= logged.reps <= 50
            assert logged.hold_s is None or 1 <= logged.hold_s <= 600
            assert logged.load_kg is None or 0 <= logged.load_kg <= 500
        assert 1 <= len(entry.sets) <= 10


HELD = [ex for ex in EXERCISES if not ex.timed and not ex.per_side]


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(HELD),
    st.integers(1, 5),
    st.integers(1, 20),
    st.integers(1, 80).map(lambda q: q / 2),
    st.sampled_from(("each hand", "per hand", "in each hand")),
    st.sampled_from(("w/ {}s", "with the {}s", "with {}kg", "w {}s")),
)
def test_hands_and_bells_held_read_as_the_plain_load(
    exercise: object, sets: int, reps: int, load: float, hand: str, held: str
) -> None:
    """Naming the hand or the bells held changes nothing but the load: no side, no set added."""
    from bot.core.catalogue.loader import Exercise

    assert isinstance(exercise, Exercise)
    name = exercise.name.lower()
    weight = f"{load:g}"
    plain = parse_set_log(f"{name} {sets}x{reps} {weight}kg")
    assert plain.problems == ()
    for line in (
        f"{name} {sets}x{reps} {weight}kg {hand}",
        f"{name} {sets}x{reps} " + held.format(weight),
    ):
        parsed = parse_set_log(line)
        assert parsed.problems == (), line
        assert [e.sets for e in parsed.entries] == [e.sets for e in plain.entries], line
