"""When a run's arrival brings the session reminder: at once, at the end of quiet hours, or
not at all (`bot.core.timing.run_arrival_due`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.core.timing import run_arrival_due

LONDON = ZoneInfo("Europe/London")
QUIET = (time(21, 30), time(7, 0))
TUESDAY = date(2026, 11, 24)


def test_a_run_in_the_day_brings_the_reminder_at_once() -> None:
    arrived = datetime(2026, 11, 24, 9, 5, tzinfo=UTC)
    assert run_arrival_due(TUESDAY, arrived, LONDON, QUIET) == arrived


def test_a_dawn_run_waits_for_the_end_of_quiet_hours() -> None:
    arrived = datetime(2026, 11, 24, 6, 10, tzinfo=UTC)
    assert run_arrival_due(TUESDAY, arrived, LONDON, QUIET) == datetime(
        2026, 11, 24, 7, 0, tzinfo=UTC
    )


def test_a_late_evening_file_or_another_days_run_brings_nothing() -> None:
    late = datetime(2026, 11, 24, 22, 0, tzinfo=UTC)
    assert run_arrival_due(TUESDAY, late, LONDON, QUIET) is None
    next_day = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    assert run_arrival_due(TUESDAY, next_day, LONDON, QUIET) is None


def test_without_quiet_hours_any_time_of_the_day_is_at_once() -> None:
    arrived = datetime(2026, 11, 24, 23, 0, tzinfo=UTC)
    assert run_arrival_due(TUESDAY, arrived, LONDON, None) == arrived
