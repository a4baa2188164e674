"""Progression from logged sets through the planner (L1–L7, PH3, X4), the owned bells (L4/S6)
and `runlift plan --history`."""

from __future__ import annotations

import argparse
import json
import math
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from bot.cli_plan import add_plan_parsers
from bot.core.catalogue.loader import LoadKind
from bot.core.domain.logs import ExerciseLog
from bot.core.domain.plan import BlockKind, Phase, Prescription
from bot.core.domain.profile import Experience, Units
from bot.core.planner import build_plan
from bot.core.planner.progression import advise, log_e1rm
from tests.unit.coaching.conftest import CAT, MONDAY, block, logged, runner

TUESDAY = MONDAY + timedelta(days=1)


def _first(plan_sessions: Any, exercise_id: str) -> Prescription:
    for session in plan_sessions:
        for ex in session.exercises():
            if ex.id == exercise_id:
                return ex  # type: ignore[no-any-return]
    raise AssertionError(f"{exercise_id} not planned")


def test_l1_kilograms_once_logged_percent_before() -> None:
    """L1: %1RM and RIR guidance without a log; kilograms from the log once there is one."""
    plain = _first(build_plan(runner(), MONDAY).sessions(), "back_squat")
    assert plain.load.pct_1rm is not None and plain.load.kg is None
    history = {"back_squat": [logged("back_squat", MONDAY - timedelta(days=6), [8, 8, 8], 60)]}
    with_log = _first(build_plan(runner(), MONDAY, history=history).sessions(), "back_squat")
    assert with_log.load.kg is not None


def test_l3_a_set_below_the_target_rir_is_not_a_success() -> None:
    """L3: every set at the top of the range but at RIR 1 when the target is 2–3: no raise."""
    squat = CAT.get("back_squat")
    logs = [logged("back_squat", MONDAY, [5, 5, 5], 100, rir=1, target=(3, 5))]
    advice = advise(
        squat,
        (3, 5),
        logs,
        experience=Experience.INTERMEDIATE,
        units=Units.KG,
        target_rir=2,
        today=MONDAY + timedelta(days=3),
    )
    assert advice is not None and advice.action == "hold" and advice.load is not None
    assert advice.load.kg == 100  # 86 % of its e1RM: within a plate of L10's 85 % cap
    easy = [logged("back_squat", MONDAY, [5, 5, 5], 100, rir=2, target=(3, 5))]
    raised = advise(
        squat, (3, 5), easy, experience=Experience.INTERMEDIATE, units=Units.KG, target_rir=2
    )
    assert raised is not None and raised.load is not None and raised.load.kg == 102.5


def test_l3_the_planner_judges_a_log_against_the_doses_rir() -> None:
    """L3 through the planner: 3 × 8 at RIR 1 against a target of 3 in reserve holds the load."""
    history = {
        "back_squat": [logged("back_squat", MONDAY - timedelta(days=6), [8, 8, 8], 60, rir=1)]
    }
    squat = _first(build_plan(runner(), MONDAY, history=history).sessions(), "back_squat")
    assert squat.load.kg == 60


def test_l7_layoff_restarts_lighter_and_needs_today() -> None:
    """L7: more than 2 weeks without strength restarts 10–20 % lighter, and the week is a
    lighter re-entry; it is `today` that shows the break (before: it was never passed)."""
    last = MONDAY - timedelta(days=30)
    history = {"back_squat": [logged("back_squat", last, [8, 8, 8], 100, rir=3)]}
    plan = build_plan(runner(), MONDAY, 1, history=history, today=MONDAY)
    squat = _first(plan.sessions(), "back_squat")
    assert squat.load.kg is not None and 80 <= squat.load.kg <= 90
    focus = plan.sessions()[0].focus
    assert focus is not None and "break" in focus
    fresh = build_plan(runner(), MONDAY, 1, history=history, today=last + timedelta(days=7))
    projected = _first(fresh.sessions(), "back_squat")  # no break as of that day
    # L11: three weeks after the next session, the plan shows the progression it expects
    assert projected.load.kg is not None and projected.load.kg >= 102.5
    assert projected.note is not None and "Planned progression" in projected.note


def test_l6_after_a_deload_the_block_reanchors_on_the_last_pre_deload_performance() -> None:
    """L6: the deload's lighter sets are not the new baseline."""
    week3 = MONDAY + timedelta(weeks=2, days=1)
    deload = MONDAY + timedelta(weeks=3, days=1)
    history = {
        "back_squat": [
            logged("back_squat", week3, [6, 6, 6], 100, rir=2, target=(5, 6)),
            logged("back_squat", deload, [6], 90, rir=5, target=(5, 6)),
        ]
    }
    start = MONDAY + timedelta(weeks=4)
    plan = build_plan(runner(), start, 1, history=history, block_start=MONDAY, today=start)
    squat = _first(plan.sessions(), "back_squat")
    # L9: the new block's 6–8 @ RIR 3 comes from the pre-deload e1RM (100 × 6 @ RIR 2), not
    # from the deload's 90 kg carried over
    e1rm = 100 * 36 / (37 - 8)
    assert squat.load.kg == math.floor(e1rm * (37 - 9) / 36 / 2.5) * 2.5


def test_ph3_a_strong_runners_race_week_from_logged_history() -> None:
    """PH3: race-week kilograms stay ≤ 75 % of the e1RM the log shows (before: "last load
    −10 %" was ~82 %), with ≤ 2 work sets."""
    profile = runner(
        experience="advanced", goal={"race_distance": "10k", "race_date": "2026-12-06"}
    )
    history = {
        "back_squat": [
            logged("back_squat", date(2026, 11, 10), [5, 5, 5], 140, rir=2, target=(3, 5)),
            logged("back_squat", date(2026, 11, 17), [5, 5, 5], 145, rir=1, target=(3, 5)),
        ]
    }
    e1rm = max(log_e1rm(log) or 0 for log in history["back_squat"])
    plan = build_plan(profile, MONDAY, 2, history=history, today=MONDAY)
    race_week = plan.weeks[-1]
    assert race_week.phase is Phase.RACE_WEEK
    for session in race_week.sessions:
        for ex in block(session, BlockKind.STRENGTH):
            assert ex.sets <= 2
            if ex.id == "back_squat":
                assert ex.load.kg is not None and ex.load.kg <= 0.75 * e1rm


# --- the loads a runner owns (L4, L5, S6) -----------------------------------------------------

BELLS = [12.0, 16.0, 24.0]


def _kettlebell_runner(**extra: Any) -> Any:
    return runner(equipment=["kettlebell"], kettlebells_kg=[24, 12, 16], **extra)


def test_l4_kettlebell_loads_are_bells_the_runner_owns() -> None:
    """L4/S6: loads are bells they own (a logged 20 kg holds at 16); L9/L11: the next bell up
    (24) is not doable for 8 reps after 16 × 10 @ RIR 3, so the 16 kg bell stays with more reps
    and a slower lowering."""
    day = MONDAY - timedelta(days=4)
    history = {
        "goblet_squat": [logged("goblet_squat", day, [10, 10], 16, rir=3, target=(8, 10))],
        "kettlebell_swing": [logged("kettlebell_swing", day, [9, 9], 20, rir=3, target=(8, 12))],
    }
    plan = build_plan(_kettlebell_runner(), MONDAY, 2, history=history, block_start=MONDAY)
    goblet = _first(plan.sessions(), "goblet_squat")
    assert goblet.load.kg == 16 and goblet.reps[1] >= 12 and goblet.tempo == "3 s down"
    assert _first(plan.sessions(), "kettlebell_swing").load.kg == 16
    for session in plan.sessions():
        for ex in session.exercises():
            kind = CAT.get(ex.id).load_kind
            if ex.load.kg is not None and kind in (LoadKind.KETTLEBELL, LoadKind.DUMBBELL):
                assert ex.load.kg in BELLS, ex


def test_l5_at_the_heaviest_bell_progress_by_reps_and_tempo() -> None:
    """L5: at the heaviest bell the load stays and the note says how to progress."""
    history = {
        "goblet_squat": [
            logged("goblet_squat", MONDAY - timedelta(days=4), [10, 10], 24, rir=3, target=(8, 10))
        ]
    }
    plan = build_plan(_kettlebell_runner(), MONDAY, 1, history=history, block_start=MONDAY)
    squat = _first(plan.sessions(), "goblet_squat")
    assert squat.load.kg == 24
    assert squat.note is not None and "heaviest" in squat.note and "3 seconds" in squat.note


@settings(max_examples=40, deadline=None)
@given(
    st.integers(10, 16),  # the reps of every logged set, at the top of its 10–15 range or past it
    st.sampled_from([None, 2, 3, 4]),  # the logged reserve
    st.sampled_from([(6.0, 10.0, 14.0), (4.0, 8.0), (14.0,), (10.0, 12.0)]),
)
def test_l11_at_the_heaviest_weight_the_note_asks_no_reps_past_the_range(
    reps: int, rir: int | None, dumbbells: tuple[float, ...]
) -> None:
    """L5/L11: at the heaviest owned weight the note asked for "2 more reps per set" even when
    the runner's 3 × 15 was past the range the session showed (10–13, chosen so the weight lands
    at the target reserve). Reps are asked for only up to the range's top; past it, the tempo."""
    heaviest = max(dumbbells)
    history = {
        "goblet_squat": [
            logged(
                "goblet_squat",
                MONDAY - timedelta(days=4),
                [reps] * 3,
                heaviest,
                rir=rir,
                target=(10, 15),
            )
        ]
    }
    profile = runner(equipment=["dumbbells"], dumbbells_kg=list(dumbbells))
    plan = build_plan(profile, MONDAY, 1, history=history, block_start=MONDAY)
    squat = _first(plan.sessions(), "goblet_squat")
    note = squat.note or ""
    if "heaviest" not in note:
        return  # another rule spoke (a rep range re-derived, a cap): not this one's note
    high = squat.reps[1]
    if reps >= high:
        assert "more rep" not in note and "3 seconds" in note, (squat.reps, note)
        assert str(reps) in note  # the runner is told why: their reps already pass the range
    else:
        assert f"up to {high}" in note, (squat.reps, note)


def test_owned_loads_are_optional_positive_and_sorted() -> None:
    assert runner().kettlebells_kg is None
    assert _kettlebell_runner().kettlebells_kg == (12.0, 16.0, 24.0)
    with pytest.raises(ValidationError):
        runner(dumbbells_kg=[-4])


# --- runlift plan --history -------------------------------------------------------------------


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="runlift")
    add_plan_parsers(parser.add_subparsers())
    args = parser.parse_args(argv)
    code = args.handler(args)
    out, err = capsys.readouterr()
    return code, out, err


def _files(tmp_path: Path, sets: list[dict[str, Any]], **export: Any) -> tuple[Path, Path]:
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps({"week": dict(runner().week)}))
    logs = tmp_path / "logs.json"
    logs.write_text(json.dumps({"sets": sets, **export}))
    return profile, logs


def _squat_sets(
    load: float, *, entry_id: int = 1, day: str = "2026-11-17"
) -> list[dict[str, Any]]:
    return [
        {
            "entry_id": entry_id,
            "date": day,
            "exercise_id": "back_squat",
            "set_number": n,
            "target_reps": [6, 8],
            "reps": 8,
            "load_kg": load,
            "rir": 3,
        }
        for n in (1, 2, 3)
    ]


def test_cli_history_turns_logged_sets_into_kilograms(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """L1/L3 from the command line: /export's sets in, the next squat in kilograms out."""
    profile, logs = _files(
        tmp_path,
        _squat_sets(60) + _squat_sets(200, entry_id=2),
        log_entries=[{"id": 1, "undone": False}, {"id": 2, "undone": True}],
    )
    argv = ["plan", "--profile", str(profile), "--history", str(logs), "--start", "2026-11-23"]
    code, out, _ = _run([*argv, "--format", "json"], capsys)
    assert code == 0
    sessions = json.loads(out)["weeks"][0]["sessions"]
    squat = next(
        ex for b in sessions[0]["blocks"] for ex in b["exercises"] if ex["id"] == "back_squat"
    )
    assert squat["load"]["kg"] == 62.5  # the undone 200 kg entry is ignored


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{", "logs.json: not valid JSON"),
        ("[]", 'logs.json: expected the /export JSON, an object with a "sets" list'),
        (
            json.dumps({"sets": [{"date": "2026-13-01", "exercise_id": "back_squat"}]}),
            "logs.json: sets[0].date:",
        ),
        (
            json.dumps(
                {"sets": [{"date": "2026-11-01", "exercise_id": "sqaut", "set_number": 1}]}
            ),
            "logs.json: sets[0].exercise_id: 'sqaut' is not in the catalogue",
        ),
        (
            json.dumps(
                {
                    "sets": [
                        {
                            "date": "2026-11-01",
                            "exercise_id": "back_squat",
                            "set_number": 1,
                            "reps": 80,
                        }
                    ]
                }
            ),
            "logs.json: sets[0].reps:",
        ),
    ],
)
def test_l8_cli_bad_history_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, expected: str
) -> None:
    profile, logs = _files(tmp_path, [])
    logs.write_text(content)
    code, out, err = _run(["plan", "--profile", str(profile), "--history", str(logs)], capsys)
    assert code == 2 and out == ""
    assert err.startswith(expected) and err.count("\n") == 1, err


# --- properties over random logs -------------------------------------------------------------

LIFTS = ["back_squat", "deadlift", "goblet_squat", "kettlebell_swing", "bench_press"]

random_logs = st.dictionaries(
    keys=st.sampled_from(LIFTS),
    values=st.lists(
        st.builds(
            lambda days, reps, load, rir, n: logged(
                "x", MONDAY - timedelta(days=days), [reps] * n, load, rir=rir, target=(3, 8)
            ),
            days=st.integers(min_value=1, max_value=60),
            reps=st.integers(min_value=1, max_value=12),
            load=st.sampled_from([8.0, 12.0, 16.0, 24.0, 40.0, 60.0, 100.0, 150.0]),
            rir=st.one_of(st.none(), st.integers(min_value=0, max_value=5)),
            n=st.integers(min_value=1, max_value=4),
        ),
        min_size=1,
        max_size=4,
    ),
    max_size=4,
)


def _fix_ids(history: dict[str, list[ExerciseLog]]) -> dict[str, list[ExerciseLog]]:
    return {
        key: sorted(
            (log.model_copy(update={"exercise_id": key}) for log in logs),
            key=lambda log: log.performed_on,
        )
        for key, logs in history.items()
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    history=random_logs,
    distance=st.sampled_from(["5k", "10k", "half_marathon", "marathon"]),
    days_to_race=st.integers(min_value=3, max_value=60),
    experience=st.sampled_from(list(Experience)),
    bells=st.booleans(),
)
def test_random_logs_keep_the_rulebook(
    history: dict[str, list[ExerciseLog]],
    distance: str,
    days_to_race: int,
    experience: Experience,
    bells: bool,
) -> None:
    """L3/L4/L6/L7/PH3 over random logs: loads are positive; never above the last load after a
    failed set; never above 75 % of the logged e1RM in race week; owned bells only."""
    history = _fix_ids(history)
    extra: dict[str, Any] = {"kettlebells_kg": BELLS} if bells else {}
    equipment = ["kettlebell"] if bells else ["gym"]
    profile = runner(
        experience=experience.value,
        equipment=equipment,
        goal={
            "race_distance": distance,
            "race_date": (MONDAY + timedelta(days=days_to_race)).isoformat(),
        },
        **extra,
    )
    plan = build_plan(profile, MONDAY, 2, history=history, block_start=MONDAY, today=MONDAY)
    for week in plan.weeks:
        for session in week.sessions:
            for ex in session.exercises():
                kg = ex.load.kg
                if kg is None or ex.id not in history:
                    continue
                assert kg >= 0
                last = history[ex.id][-1]
                last_load = max(s.load_kg or 0 for s in last.sets)
                failed = any((s.reps or 0) < 3 for s in last.sets)
                if failed:  # L3: never up after a failed set (the lightest owned bell is a floor)
                    assert kg <= max(last_load, min(BELLS) if bells else 0) + 1e-6, ex
                if week.phase is Phase.RACE_WEEK:
                    e1rm = log_e1rm(last)
                    if e1rm is not None and not bells:
                        assert kg <= 0.75 * e1rm + 1e-6, (ex, e1rm)
                kind = CAT.get(ex.id).load_kind
                if bells and kind in (LoadKind.KETTLEBELL, LoadKind.DUMBBELL):
                    assert kg in BELLS, ex
