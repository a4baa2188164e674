"""What the runner sees of the coaching (X4, L1, P8, PH4, S2)."""

from __future__ import annotations

from datetime import date, timedelta

from bot.core.domain.profile import Units
from bot.core.planner import build_plan
from bot.core.planner.plan import REENTRY_NOTE
from bot.core.planner.render import TELEGRAM_LIMIT, plan_text, rest_words, session_text
from bot.core.planner.sessions import session_minutes
from tests.unit.coaching.conftest import CAT, MONDAY, runner


def test_x4_the_cue_reaches_the_runner_the_first_two_times() -> None:
    """X4: a new exercise starts with a cue; by the third time it is gone."""
    sessions = build_plan(runner(), MONDAY, 3).sessions()
    squat_cue = CAT.get("back_squat").cue
    shown = [squat_cue in session_text(s, Units.KG) for s in sessions if s.name == "A"]
    assert shown == [True, True, False]


def test_l1_session_text_says_target_effort_in_words_rest_and_why() -> None:
    """L1/S4/P8: sets × reps @ %1RM, "a weight you could lift N more times", the rest, and the
    session's why (phase and week)."""
    session = build_plan(runner(), MONDAY).sessions()[0]
    text = session_text(session, Units.KG)
    assert "Back squat 3 × 6–8 @ 70–75% 1RM" in text
    assert "a weight you could lift 4 more times" in text
    assert "rest 2½ min" in text and "warm-up set first" in text
    assert "Base phase, loading week 1 of 3" in text
    assert len(text) <= TELEGRAM_LIMIT


def test_x4_every_session_message_fits_telegram() -> None:
    for experience in ("novice", "intermediate", "advanced"):
        profile = runner(
            experience=experience, goal={"race_distance": "marathon", "race_date": "2027-03-14"}
        )
        for session in build_plan(profile, MONDAY, 16).sessions():
            assert len(session_text(session, Units.KG)) <= TELEGRAM_LIMIT


def test_l6_deload_and_taper_sessions_say_why() -> None:
    weeks = build_plan(runner(), MONDAY, 4).weeks
    assert all("Deload week" in (s.focus or "") for s in weeks[3].sessions)
    taper = build_plan(
        runner(goal={"race_distance": "10k", "race_date": "2026-12-06"}), MONDAY, 1
    ).sessions()
    assert taper and "Taper" in (taper[0].focus or "")
    assert "focus: Taper" in plan_text(
        build_plan(runner(goal={"race_distance": "10k", "race_date": "2026-12-06"}), MONDAY, 1)
    )


def test_ph4_after_the_race_recovery_then_a_lighter_reentry_and_the_next_goal() -> None:
    """PH4: recovery (no strength), then a lighter first week back that asks for the next goal."""
    race = date(2026, 11, 29)  # a Sunday marathon
    profile = runner(goal={"race_distance": "marathon", "race_date": race.isoformat()})
    weeks = build_plan(profile, race + timedelta(days=1), 4).weeks
    assert [w.phase.value for w in weeks[:2]] == ["recovery", "recovery"]
    assert not weeks[0].sessions and not weeks[1].sessions
    back = weeks[2]
    assert back.phase.value == "base" and REENTRY_NOTE in back.notes
    assert all("Welcome back" in (s.focus or "") for s in back.sessions)
    assert REENTRY_NOTE not in weeks[3].notes


def test_p6_no_odd_only_no_session_note() -> None:
    """P6: a week where nothing fits says so plainly (before: "Only no session fits")."""
    every_day_long = runner(("long",) * 7)
    notes = build_plan(every_day_long, MONDAY).weeks[0].notes
    assert notes and not any(note.startswith("Only no") for note in notes)
    assert any(note.startswith("No session fits") for note in notes)


def test_s2_duration_counts_what_the_session_holds() -> None:
    """S2: the stated minutes are the estimate of the session's own content (warm-ups, rests,
    setting up, circuits), and 2–3 minute rests are never missing from it."""
    for session in build_plan(runner(experience="advanced"), MONDAY, 8).sessions():
        assert session.duration_min == session_minutes(session, CAT)
    assert rest_words(150) == "rest 2½ min" and rest_words(45) == "rest 45 s"


def test_l11_a_headline_over_lifts_set_by_owned_weights_names_their_reps() -> None:
    """L11: with 3/5/8 kg dumbbells the goblet squat goes by 10–15 reps; the session's focus
    said "heavy, 3–5 reps" above it. It now names the reps the runner's weights call for."""
    profile = runner(experience="intermediate", equipment=["dumbbells"], dumbbells_kg=[3, 5, 8])
    sessions = build_plan(profile, MONDAY, 12).sessions()
    owned = [
        (s, ex)
        for s in sessions
        for ex in s.exercises()
        if ex.load.kg is not None and ex.reps[1] >= 12 and CAT.get(ex.id).is_lower_body
    ]
    assert owned
    for session, ex in owned:
        assert f"go by reps instead: {ex.reps[0]}–{ex.reps[1]}" in (session.focus or ""), (
            session.date,
            session.focus,
        )
    assert not any(
        "go by reps" in (s.focus or "") for s in build_plan(runner(), MONDAY, 4).sessions()
    )
