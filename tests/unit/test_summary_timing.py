"""The weekly summary goes on Sunday evening in the runner's zone, outside quiet hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.core.timing import next_summary_week, summary_due

MONDAY = date(2026, 11, 23)


def test_sunday_at_seven_in_the_evening_local() -> None:
    due = summary_due(MONDAY, ZoneInfo("Europe/London"), None)
    assert due == datetime(2026, 11, 29, 19, 0, tzinfo=UTC)
    tokyo = summary_due(MONDAY, ZoneInfo("Asia/Tokyo"), None)
    assert tokyo == datetime(2026, 11, 29, 10, 0, tzinfo=UTC)


def test_quiet_hours_pull_it_back_to_the_same_sunday() -> None:
    zone = ZoneInfo("Europe/London")
    due = summary_due(MONDAY, zone, (time(18, 30), time(7, 0)))
    assert due.astimezone(zone).date() == date(2026, 11, 29)
    assert due.astimezone(zone).time() < time(18, 30)


def test_the_next_summary_is_this_weeks_until_it_has_gone() -> None:
    zone = ZoneInfo("Europe/London")
    assert next_summary_week(datetime(2026, 11, 29, 12, 0, tzinfo=UTC), zone, None) == MONDAY
    later = next_summary_week(datetime(2026, 11, 29, 20, 0, tzinfo=UTC), zone, None)
    assert later == date(2026, 11, 30)
