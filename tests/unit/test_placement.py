"""Which days get strength (docs/coaching.md P1–P8) and the edge-case weeks."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from bot.core.domain.plan import Phase
from bot.core.domain.profile import RunnerProfile
from bot.core.planner import build_plan
from bot.core.planner.placement import blocked_reason, choose_days

MONDAY = date(2026, 11, 23)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SEED_000 = ("rest", "tempo", "easy", "rest", "intervals", "easy", "long")


def profile(kinds: tuple[str, ...] = SEED_000, **extra: Any) -> RunnerProfile:
    return RunnerProfile.model_validate({"week": dict(zip(DAYS, kinds, strict=True)), **extra})


def weekdays(p: RunnerProfile, start: date = MONDAY) -> list[str]:
    return [s.weekday.value for s in build_plan(p, start).weeks[0].sessions]


def test_seed_000_week_gives_tuesday_and_friday_p1() -> None:
    assert weekdays(profile()) == ["tue", "fri"]


def test_seed_000_reasons_name_the_rule_p8() -> None:
    sessions = build_plan(profile(), MONDAY).weeks[0].sessions
    assert sessions[0].reason == "After your tempo run: hard days hard, easy days easy."
    assert sessions[0].after_run is not None and sessions[0].after_run.value == "tempo"
    assert all(s.reason and "\n" not in s.reason for s in sessions)


def test_separate_days_falls_back_when_rest_days_precede_key_runs_p6() -> None:
    """Seed 000's rest days (Mon, Thu) both sit the day before a key run (P3)."""
    p = profile(placement="separate_days")
    assert weekdays(p) == ["tue", "fri"]
    assert "free days" in build_plan(p, MONDAY).weeks[0].sessions[0].reason


def test_separate_days_prefers_days_without_running_p2() -> None:
    p = profile(
        ("easy", "tempo", "rest", "easy", "intervals", "rest", "long"), placement="separate_days"
    )
    # Wednesday is free; Saturday is too but sits before Sunday's long run (P3), so the
    # second session falls back to Friday's intervals (P6).
    assert weekdays(p) == ["wed", "fri"]


def test_rest_day_reason_says_why_p8() -> None:
    p = profile(
        ("easy", "tempo", "easy", "rest", "easy", "easy", "long"), placement="separate_days"
    )
    sessions = build_plan(p, MONDAY).weeks[0].sessions
    thursday = [s for s in sessions if s.weekday.value == "thu"]
    assert thursday and thursday[0].reason.startswith("Thursday is free of running and three days")


def test_never_the_day_before_a_key_run_or_on_a_long_run_day_p3_p5() -> None:
    p = profile()
    assert blocked_reason(p, MONDAY) is not None  # Monday: tempo on Tuesday
    assert blocked_reason(p, MONDAY + timedelta(days=6)) is not None  # Sunday: long run
    assert blocked_reason(p, MONDAY + timedelta(days=5)) is not None  # Saturday: before long
    assert blocked_reason(p, MONDAY + timedelta(days=1)) is None


def test_never_two_days_in_a_row_and_spread_evenly_p4_p7() -> None:
    p = profile(("rest", "rest", "rest", "rest", "rest", "rest", "rest"), sessions_per_week=3)
    days = [d.day.weekday() for d in choose_days(p, MONDAY, 3, Phase.BASE)[0]]
    assert len(days) == 3
    assert all(b - a >= 2 for a, b in itertools.pairwise(days))
    assert days == [0, 2, 4]


def test_no_hard_days_falls_back_to_rest_then_easy_days_p6() -> None:
    p = profile(("rest", "easy", "easy", "rest", "easy", "easy", "long"))
    days = weekdays(p)
    assert days == ["mon", "thu"]


def test_running_seven_days_uses_hard_days_after_the_run() -> None:
    p = profile(("easy", "tempo", "easy", "intervals", "easy", "easy", "long"))
    assert weekdays(p) == ["tue", "thu"]


def test_back_to_back_hard_days_only_after_the_second_p3() -> None:
    """Tuesday tempo then Wednesday intervals: strength on Tuesday would blunt Wednesday."""
    p = profile(("rest", "tempo", "intervals", "easy", "easy", "easy", "long"))
    days = weekdays(p)
    assert "tue" not in days and "wed" in days
    assert len(days) == 2


def test_long_run_the_day_after_a_tempo_keeps_saturday_free_p3() -> None:
    p = profile(("rest", "easy", "intervals", "easy", "rest", "tempo", "long"))
    days = weekdays(p)
    assert "sat" not in days and "sun" not in days
    assert "wed" in days


def test_fewer_sessions_with_a_note_when_nothing_else_fits_p6() -> None:
    p = profile(("tempo", "long", "tempo", "long", "tempo", "long", "tempo"))
    week = build_plan(p, MONDAY).weeks[0]
    # every day is a long run or the day before a key run: nothing fits
    assert len(week.sessions) == 0
    assert any("fits this week" in note for note in week.notes)


def test_sessions_before_start_are_dropped_in_the_first_week() -> None:
    wednesday = MONDAY + timedelta(days=2)
    assert weekdays(profile(), wednesday) == ["fri"]
    # the plan stays the same plan: Friday is still session B
    assert build_plan(profile(), wednesday).weeks[0].sessions[0].name == "B"


def test_no_back_to_back_sessions_across_weeks_p4() -> None:
    p = profile(
        ("intervals", "easy", "rest", "easy", "rest", "easy", "tempo"), placement="after_hard_runs"
    )
    plan = build_plan(p, MONDAY, 3)
    dates = [s.date for s in plan.sessions()]
    assert all((b - a).days >= 2 for a, b in itertools.pairwise(dates))
