"""The forgiving set-log parser: real-world lines, L8 bounds, names and typos."""

from __future__ import annotations

import pytest

from bot.core.domain.errors import SetLogParseError
from bot.core.domain.plan import KG_PER_LB
from bot.core.domain.profile import Units
from bot.core.setlog import format_sets, parse_set_log, parse_set_log_strict

# (line, exercise id, [(reps, load_kg, hold_s), ...] as written, rir, per_side, bodyweight)
VALID = [
    ("squat 4x5 60", "back_squat", [(5, 60, None)] * 4, None, False, False),
    ("squat 4x5 @ 60kg", "back_squat", [(5, 60, None)] * 4, None, False, False),
    (
        "squat 5,5,5,4 @ 62.5",
        "back_squat",
        [(5, 62.5, None)] * 3 + [(4, 62.5, None)],
        None,
        False,
        False,
    ),
    ("deadlift 3x3 100kg rir2", "deadlift", [(3, 100, None)] * 3, 2, False, False),
    ("split squat 3x8/side 16kg", "split_squat", [(8, 16, None)] * 3, None, True, False),
    ("calf raise 3x12 each", "calf_raise", [(12, None, None)] * 3, None, True, False),
    ("plank 3x40s", "plank", [(None, None, 40)] * 3, None, False, False),
    ("dead bug 2x10", "dead_bug", [(10, None, None)] * 2, None, False, False),
    ("pull ups 4x5 bw", "pull_up", [(5, None, None)] * 4, None, False, True),
    ("Squat 4 x 5 60", "back_squat", [(5, 60, None)] * 4, None, False, False),
    ("squat 4×5 60", "back_squat", [(5, 60, None)] * 4, None, False, False),
    ("squat 4*5 60", "back_squat", [(5, 60, None)] * 4, None, False, False),
    ("squat 4X5 60kg", "back_squat", [(5, 60, None)] * 4, None, False, False),
    ("squat 5x4 60", "back_squat", [(4, 60, None)] * 5, None, False, False),
    ("squat 60kg x 5 x 3", "back_squat", [(5, 60, None)] * 3, None, False, False),
    ("squat 100x5x3", "back_squat", [(5, 100, None)] * 3, None, False, False),
    ("squat 3x5x100", "back_squat", [(5, 100, None)] * 3, None, False, False),
    ("squat 60kg x 5", "back_squat", [(5, 60, None)], None, False, False),
    ("plank 1:30", "plank", [(None, None, 90)], None, False, False),
    ("plank 3x1:30", "plank", [(None, None, 90)] * 3, None, False, False),
    ("plank 90s", "plank", [(None, None, 90)], None, False, False),
    ("plank 2min", "plank", [(None, None, 120)], None, False, False),
    ("plank 3 x 1 min", "plank", [(None, None, 60)] * 3, None, False, False),
    ("plank 40s x 3", "plank", [(None, None, 40)] * 3, None, False, False),
    ("plank 3x40", "plank", [(None, None, 40)] * 3, None, False, False),
    ("plank 3x45 sec", "plank", [(None, None, 45)] * 3, None, False, False),
    ("side plank 2x30s each", "side_plank", [(None, None, 30)] * 2, None, True, False),
    ("squat 3x5 @ 60 @ rpe8", "back_squat", [(5, 60, None)] * 3, 2, False, False),
    ("squat 3x5 60 rpe 9", "back_squat", [(5, 60, None)] * 3, 1, False, False),
    ("squat 3x5 60 rpe 8.5", "back_squat", [(5, 60, None)] * 3, 1, False, False),
    ("squat 3x5 60 rir 2", "back_squat", [(5, 60, None)] * 3, 2, False, False),
    ("squat 3x5 60 2 rir", "back_squat", [(5, 60, None)] * 3, 2, False, False),
    ("pull ups 4x5 +10kg", "pull_up", [(5, 10, None)] * 4, None, False, True),
    ("pull ups 4x5 bw +10", "pull_up", [(5, 10, None)] * 4, None, False, True),
    ("pull ups bw 4x5", "pull_up", [(5, None, None)] * 4, None, False, True),
    ("squat 4x5 62,5kg", "back_squat", [(5, 62.5, None)] * 4, None, False, False),
    ("squat 5,5,5 @ 62,5", "back_squat", [(5, 62.5, None)] * 3, None, False, False),
    ("sqaut 3x5 50", "back_squat", [(5, 50, None)] * 3, None, False, False),
    ("squats 3x5 50", "back_squat", [(5, 50, None)] * 3, None, False, False),
    ("sqwat 3x5 50", "back_squat", [(5, 50, None)] * 3, None, False, False),
    ("deadlit 3x3 100", "deadlift", [(3, 100, None)] * 3, None, False, False),
    ("romanain deadlift 3x8 60", "romanian_deadlift", [(8, 60, None)] * 3, None, False, False),
    ("RDL 3x8 60kg", "romanian_deadlift", [(8, 60, None)] * 3, None, False, False),
    ("OHP 3x6 35", "overhead_press", [(6, 35, None)] * 3, None, False, False),
    ("Squat: 4x5 @ 60kg", "back_squat", [(5, 60, None)] * 4, None, False, False),
    ("- squat 4x5 60", "back_squat", [(5, 60, None)] * 4, None, False, False),
    ("1. squat 4x5 60", "back_squat", [(5, 60, None)] * 4, None, False, False),
    ("4x5 squat @ 60", "back_squat", [(5, 60, None)] * 4, None, False, False),
    ("squat 3 sets of 5 @ 60kg", "back_squat", [(5, 60, None)] * 3, None, False, False),
    ("squat 3x5 reps 60kg", "back_squat", [(5, 60, None)] * 3, None, False, False),
    (
        "squat 3x5 60, 1x3 70",
        "back_squat",
        [(5, 60, None)] * 3 + [(3, 70, None)],
        None,
        False,
        False,
    ),
    ("squat 4x5 60 felt heavy", "back_squat", [(5, 60, None)] * 4, None, False, False),
    ("goblet squat 3x10 20kg", "goblet_squat", [(10, 20, None)] * 3, None, False, False),
    ("kb swings 3x12 24kg", "kettlebell_swing", [(12, 24, None)] * 3, None, False, False),
    ("push ups 3x12", "push_up", [(12, None, None)] * 3, None, False, False),
    ("pull ups 8", "pull_up", [(8, None, None)], None, False, False),
    (
        "pull ups 8,7,6",
        "pull_up",
        [(8, None, None), (7, None, None), (6, None, None)],
        None,
        False,
        False,
    ),
    ("step ups 3x10 per leg", "step_up", [(10, None, None)] * 3, None, True, False),
    (
        "bulgarian split squat 3x8 12kg",
        "bulgarian_split_squat",
        [(8, 12, None)] * 3,
        None,
        True,
        False,
    ),
    ("farmers walk 3x40s 24kg", "farmers_carry", [(None, 24, 40)] * 3, None, False, False),
    (
        "copenhagen plank 2x10 reps/side",
        "copenhagen_plank",
        [(10, None, None)] * 2,
        None,
        True,
        False,
    ),
    ("hip thrust 3x10 @ 80 kgs", "hip_thrust", [(10, 80, None)] * 3, None, False, False),
    ("squat 4x5 0kg", "back_squat", [(5, 0, None)] * 4, None, False, False),
    ("skipping 3x20", "skipping", [(20, None, None)] * 3, None, False, False),
]


@pytest.mark.parametrize(("line", "exercise", "sets", "rir", "per_side", "bodyweight"), VALID)
def test_reads_real_world_lines(line, exercise, sets, rir, per_side, bodyweight) -> None:
    parsed = parse_set_log(line)
    assert parsed.kind == "sets"
    assert parsed.problems == ()
    [entry] = parsed.entries
    assert entry.exercise_id == exercise
    assert [(s.reps, s.load_kg, s.hold_s) for s in entry.sets] == sets
    assert [s.set_no for s in entry.sets] == list(range(1, len(sets) + 1))
    assert {s.rir for s in entry.sets} == {rir}
    assert {s.per_side for s in entry.sets} == {per_side}
    assert {s.bodyweight for s in entry.sets} == {bodyweight}


def test_pounds_are_stored_in_kg_and_keep_the_typed_number() -> None:
    [entry] = parse_set_log("bench 3x5 135lb").entries
    assert entry.exercise_id == "bench_press" and entry.units is Units.LB
    assert entry.sets[0].load_kg == pytest.approx(61.235, abs=1e-3)
    assert format_sets([entry], units=Units.KG) == "Bench press 3x5 @ 135 lb"


def test_bare_weights_are_in_the_runners_units() -> None:
    [entry] = parse_set_log("squat 3x5 135", units=Units.LB).entries
    assert entry.units is Units.LB and entry.sets[0].load_kg == 135 * KG_PER_LB


def test_several_exercises_by_line_or_semicolon() -> None:
    parsed = parse_set_log("squat 4x5 60\nbench 3x5 40; plank 3x40s\n\n")
    assert [e.exercise_id for e in parsed.entries] == ["back_squat", "bench_press", "plank"]
    assert parsed.problems == ()


def test_the_same_exercise_on_two_lines_is_one_entry() -> None:
    [entry] = parse_set_log("squat 3x5 60\nsquat 1x3 70").entries
    assert [(s.set_no, s.reps, s.load_kg) for s in entry.sets] == [
        (1, 5, 60),
        (2, 5, 60),
        (3, 5, 60),
        (4, 3, 70),
    ]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("done", "done"),
        ("Done as planned!", "done"),
        ("✅", "done"),
        ("all done", "done"),
        ("skip", "skip"),
        ("Skipped", "skip"),
        ("skipped today", "skip"),
        ("same", "same"),
        ("Same as last time", "same"),
        ("same as last time.", "same"),
    ],
)
def test_one_word_answers(text: str, kind: str) -> None:
    parsed = parse_set_log(text)
    assert parsed.kind == kind and parsed.entries == () and parsed.problems == ()


def test_rdl_per_side_on_a_single_leg_rdl_day_is_the_single_leg_rdl() -> None:
    """A bodyweight runner's "rdl 1x10/side" was stored as the barbell Romanian deadlift, per
    side; the sides say it is the day's single-leg RDL. Without sides it stays the named lift."""
    day = ["single_leg_rdl", "bodyweight_split_squat"]
    for text in ("rdl 1x10/side", "rdl 3x10 each leg"):
        [entry] = parse_set_log(text, session_exercises=day).entries
        assert entry.exercise_id == "single_leg_rdl", text
    [entry] = parse_set_log("rdl 3x8 60kg", session_exercises=day).entries
    assert entry.exercise_id == "romanian_deadlift"
    [entry] = parse_set_log("rdl 3x8/side 20kg", session_exercises=["romanian_deadlift"]).entries
    assert entry.exercise_id == "romanian_deadlift"


def test_session_exercises_are_preferred() -> None:
    [entry] = parse_set_log("squat 3x10 20", session_exercises=["goblet_squat"]).entries
    assert entry.exercise_id == "goblet_squat"
    [entry] = parse_set_log("plnak 3x40s", session_exercises=["plank"]).entries
    assert entry.exercise_id == "plank"


# (line, words the problem message must contain)
INVALID = [
    ("squat 4x5 600kg", "600 kg back squat? That's past what I can store"),
    ("squat 4x5 500.5", "500.5 kg back squat?"),
    ("bench 3x5 1200lb", "1200 lb bench press?"),
    ("squat 60x5", "60 sets?"),
    ("squat 11x5 60", "11 sets?"),
    ("squat 0x5 60", "0 sets?"),
    ("squat 4x55 60", "55 reps?"),
    ("squat 4x0 60", "0 reps?"),
    ("squat 4x5.5 60", "5.5 reps? Reps are whole numbers"),
    ("plank 3x700s", "700 s hold?"),
    ("plank 3x11min", "660 s hold?"),
    ("squat 4x5 60 rir 12", "RIR 12?"),
    ("squat 4x5 60 rpe 11", "RPE 11?"),
    ("sqwaat 3x5 60", "I don't know 'sqwaat' — did you mean back squat"),
    ("zercher squat 3x5 60", "I don't know 'zercher squat'"),
    ("hello there", "I don't know 'hello there'"),
    ("squat", "I found back squat but no sets or reps"),
    ("squat 4x5 60 bench 3x5 40", "put each exercise on its own line"),
    ("squat 4x5 60kg 70kg", "two weights"),
    ("squat 4x5 60 2", "couldn't place the number 2"),
    ("squat 5x5x5", "can't tell the weight"),
    ("squat 3x5 60kg, 1x5 140lb", "both kg and lb"),
    ("4x5 @ 60kg", "Which exercise"),
]


@pytest.mark.parametrize(("line", "message"), INVALID)
def test_problems_say_what_is_wrong_with_an_example(line: str, message: str) -> None:
    parsed = parse_set_log(line)
    assert parsed.entries == ()
    [problem] = parsed.problems
    assert message in problem.message
    assert problem.raw == line
    example = parse_set_log(problem.example)
    assert example.entries and not example.problems, problem.example


def test_a_half_read_message_returns_both() -> None:
    parsed = parse_set_log("squat 4x5 60\nsqwaat 3x5 60\nplank 3x40s")
    assert [e.exercise_id for e in parsed.entries] == ["back_squat", "plank"]
    assert [p.raw for p in parsed.problems] == ["sqwaat 3x5 60"]
    assert not parsed.complete


def test_more_than_ten_sets_across_lines_is_asked_about() -> None:
    parsed = parse_set_log("squat 6x5 60\nsquat 6x5 60")
    assert len(parsed.entries[0].sets) == 6
    assert "more than 10 sets" in parsed.problems[0].message


def test_empty_message_is_a_problem() -> None:
    assert parse_set_log("   ").problems[0].message == "There's nothing I can log in that."


def test_strict_parse_raises_with_every_problem() -> None:
    with pytest.raises(SetLogParseError, match="sqwaat"):
        parse_set_log_strict("squat 4x5 60\nsqwaat 3x5")
    assert parse_set_log_strict("squat 4x5 60").entries


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("squat 4x5 @ 60kg rir 2", "Back squat 4x5 @ 60 kg rir 2"),
        ("squat 5,5,5,4 @ 62.5", "Back squat 5,5,5,4 @ 62.5 kg"),
        ("plank 3x40s", "Plank 3x40s"),
        ("split squat 3x8 16kg", "Split squat 3x8/side @ 16 kg"),
        ("pull ups 4x5 +10kg", "Pull-up 4x5 bw +10 kg"),
        ("squat 3x5 60, 1x3 70", "Back squat 3x5 @ 60 kg then 1x3 @ 70 kg"),
        ("copenhagen 2x10 reps each", "Copenhagen plank 2x10 reps/side"),
    ],
)
def test_format_writes_the_canonical_form(line: str, expected: str) -> None:
    entries = parse_set_log(line).entries
    assert format_sets(entries, units=Units.KG) == expected
    assert parse_set_log(expected).entries == tuple(
        e.model_copy(update={"raw": expected}) for e in entries
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("rdl 2x10 10kg each hand", "Romanian deadlift 2x10 @ 10 kg"),
        ("rdl 2x10 10kg per hand", "Romanian deadlift 2x10 @ 10 kg"),
        ("rdl 3x8 12.5kg in each hand", "Romanian deadlift 3x8 @ 12.5 kg"),
        ("step ups 2x10 each leg w/ 20s", "Step-up 2x10/side @ 20 kg"),
        ("step ups 2x10 w 20s", "Step-up 2x10/side @ 20 kg"),
        ("goblet squat 3x10 with the 20s", "Goblet squat 3x10 @ 20 kg"),
        ("rdl with the 16s 3x8", "Romanian deadlift 3x8 @ 16 kg"),
        ("farmer carry 3x40s with 24s", "Farmer's carry 3x40s @ 24 kg"),
        ("rdl 3x8 with a pair of 12s", "Romanian deadlift 3x8 @ 12 kg"),
        ("rdl 3x8 w/ 16kg dumbbells", "Romanian deadlift 3x8 @ 16 kg"),
    ],
)
def test_dumbbells_held_are_the_load_not_a_side_or_a_hold(line: str, expected: str) -> None:
    """“each hand” is the weight of one dumbbell (how loads are stored), not per side; “w/ 20s”
    is the 20 kg pair held, never an extra 20-second set."""
    parsed = parse_set_log(line)
    assert parsed.problems == ()
    assert format_sets(parsed.entries) == expected


@pytest.mark.parametrize("line", ["rdl 2x10 20s", "step ups 2x10 each leg 20s"])
def test_a_bare_20s_after_reps_is_asked_about_not_stored_as_a_hold(line: str) -> None:
    """Nothing invented: “20s” after reps may be the 20 kg pair held or a 20-second hold."""
    parsed = parse_set_log(line)
    assert parsed.entries == ()
    assert "w/ 20s" in parsed.problems[0].message


@pytest.mark.parametrize(
    "text",
    [
        "same as last time",
        "Same again!",
        "repeat last session",
        "did the same as last time",
        "ditto",
        "same as last week",
    ],
)
def test_same_as_last_time_in_the_runners_words(text: str) -> None:
    assert parse_set_log(text).kind == "same"


def test_a_load_typed_in_pounds_by_a_kg_runner_reads_back_in_pounds() -> None:
    """/history showed "Back squat 3x5 @ 27.2155422 kg" for "squat 3x5 60lbs"."""
    (entry,) = parse_set_log("squat 3x5 60lbs").entries
    stored = entry.model_copy(update={"units": Units.KG})  # as rows are read back for a kg runner
    text = format_sets([stored], units=Units.KG)
    assert text == "Back squat 3x5 @ 60 lb"
    (again,) = parse_set_log(text).entries
    assert [s.load_kg for s in again.sets] == [s.load_kg for s in entry.sets]
