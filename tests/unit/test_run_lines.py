"""How a recorded run is shown, and judged against the run that was planned."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.runs import RunRecord, format_run_line, is_overrun, planned_duration


def run(**changes: object) -> RunRecord:
    values: dict[str, object] = {
        "start": datetime(2026, 3, 1, 6, 30, tzinfo=UTC),
        "distance_m": 10_234.0,
        "moving_time_s": 3_000,
        "average_hr": 148,
        "sport": "run",
        "source": "fit",
    }
    return RunRecord.model_validate(values | changes)


def test_a_run_line_shows_local_day_and_time_distance_moving_time_and_heart_rate() -> None:
    line = format_run_line(run(), ZoneInfo("Europe/Paris"))

    assert line == "Run Sun 1 Mar 07:30 · 10.2 km · 50:00 · avg HR 148"


def test_a_run_just_after_midnight_utc_shows_on_the_runners_own_day() -> None:
    late = run(start=datetime(2026, 3, 2, 3, 15, tzinfo=UTC), average_hr=None)

    line = format_run_line(late, ZoneInfo("America/Los_Angeles"))

    assert line == "Run Sun 1 Mar 19:15 · 10.2 km · 50:00"


@pytest.mark.parametrize(
    ("seconds", "shown"), [(59, "0:59"), (754, "12:34"), (3_600, "1:00:00"), (13_505, "3:45:05")]
)
def test_moving_time_reads_as_a_watch_shows_it(seconds: int, shown: str) -> None:
    line = format_run_line(run(moving_time_s=seconds), UTC)
    assert f" · {shown}" in line


def test_a_ride_says_ride() -> None:
    assert format_run_line(run(sport="ride"), UTC).startswith("Ride ")


@pytest.mark.parametrize(
    ("actual", "planned", "overrun"),
    [(2_700, 1_800, True), (2_699, 1_800, False), (5_400, 1_800, True), (1_800, 1_800, False)],
)
def test_a_run_half_as_long_again_as_planned_is_an_overrun(
    actual: int, planned: int, overrun: bool
) -> None:
    assert is_overrun(actual, planned) is overrun


def test_nothing_is_an_overrun_of_an_unknown_plan() -> None:
    assert not is_overrun(5_000, 0)


def test_the_calendar_event_says_how_long_the_run_was_planned() -> None:
    assert planned_duration(45, [3_000, 3_600]) == 2_700


def test_without_a_calendar_duration_the_median_recorded_run_of_that_kind_stands_in() -> None:
    assert planned_duration(None, [2_400, 3_000, 9_000]) == 3_000
    assert planned_duration(0, [2_400, 3_000]) == 2_700


def test_with_neither_the_planned_duration_is_unknown() -> None:
    assert planned_duration(None, []) is None
