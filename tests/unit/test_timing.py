"""When reminders are due: DST, far-off zones, midnight, quiet hours (pure, no clock)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core import timing
from bot.core.timing import Action, Kind

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
KIRITIMATI = ZoneInfo("Pacific/Kiritimati")  # UTC+14
BAKER = ZoneInfo("Etc/GMT+12")  # UTC-12 (POSIX sign)
QUIET = (time(21, 30), time(7, 0))
HOUR = timedelta(hours=1)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def wall(moment: datetime, zone: ZoneInfo) -> tuple[date, time]:
    local = moment.astimezone(zone)
    return local.date(), local.time().replace(tzinfo=None)


@pytest.mark.parametrize(
    ("zone", "before", "after"),
    [
        (LONDON, date(2026, 3, 28), date(2026, 3, 30)),  # spring forward 29 Mar
        (LONDON, date(2026, 10, 24), date(2026, 10, 26)),  # fall back 25 Oct
        (NEW_YORK, date(2026, 3, 7), date(2026, 3, 9)),  # spring forward 8 Mar
        (NEW_YORK, date(2026, 10, 31), date(2026, 11, 2)),  # fall back 1 Nov
    ],
)
def test_a_seven_oclock_run_stays_seven_local_on_both_sides_of_dst(
    zone: ZoneInfo, before: date, after: date
) -> None:
    for day in (before, after):
        due = timing.session_due(day, time(7, 0), zone, delay=HOUR, quiet=QUIET)
        assert wall(due, zone) == (day, time(8, 0))
    first = timing.session_due(before, time(7, 0), zone, delay=HOUR, quiet=QUIET)
    second = timing.session_due(after, time(7, 0), zone, delay=HOUR, quiet=QUIET)
    assert second - first != timedelta(days=2)  # the UTC gap absorbs the switch


def test_london_switch_moves_the_utc_time_not_the_local_one() -> None:
    saturday = timing.session_due(date(2026, 3, 28), time(7, 0), LONDON, delay=HOUR, quiet=QUIET)
    monday = timing.session_due(date(2026, 3, 30), time(7, 0), LONDON, delay=HOUR, quiet=QUIET)
    assert saturday == utc(2026, 3, 28, 8, 0)  # GMT
    assert monday == utc(2026, 3, 30, 7, 0)  # BST


def test_a_time_in_the_spring_gap_moves_forward_by_the_gap() -> None:
    # 01:30 does not exist in London on 29 Mar 2026 (01:00 → 02:00).
    moment = timing.local_to_utc(date(2026, 3, 29), time(1, 30), LONDON)
    assert moment == utc(2026, 3, 29, 1, 30)
    assert wall(moment, LONDON) == (date(2026, 3, 29), time(2, 30))


def test_an_ambiguous_autumn_time_takes_the_first_occurrence() -> None:
    # 01:30 happens twice in London on 25 Oct 2026: first in BST (00:30 UTC).
    assert timing.local_to_utc(date(2026, 10, 25), time(1, 30), LONDON) == utc(2026, 10, 25, 0, 30)
    # New York, 1 Nov 2026: 01:30 EDT (05:30 UTC) comes before 01:30 EST.
    assert timing.local_to_utc(date(2026, 11, 1), time(1, 30), NEW_YORK) == utc(2026, 11, 1, 5, 30)


def test_utc_plus_14_keeps_the_local_day_even_though_utc_is_yesterday() -> None:
    due = timing.session_due(date(2026, 11, 24), time(7, 0), KIRITIMATI, delay=HOUR, quiet=QUIET)
    assert due == utc(2026, 11, 23, 18, 0)
    assert wall(due, KIRITIMATI) == (date(2026, 11, 24), time(8, 0))


def test_utc_minus_12_keeps_the_local_day_even_though_utc_is_tomorrow() -> None:
    due = timing.session_due(date(2026, 11, 24), time(18, 0), BAKER, delay=HOUR, quiet=QUIET)
    assert due == utc(2026, 11, 25, 7, 0)
    assert wall(due, BAKER) == (date(2026, 11, 24), time(19, 0))


def test_a_run_at_2330_is_reminded_before_quiet_hours_the_same_day() -> None:
    due = timing.session_due(date(2026, 11, 24), time(23, 30), LONDON, delay=HOUR, quiet=QUIET)
    assert wall(due, LONDON) == (date(2026, 11, 24), time(21, 20))


def test_without_quiet_hours_a_run_at_2330_is_reminded_after_midnight() -> None:
    due = timing.session_due(date(2026, 11, 24), time(23, 30), LONDON, delay=HOUR, quiet=None)
    assert wall(due, LONDON) == (date(2026, 11, 25), time(0, 30))


def test_a_run_at_2300_with_quiet_off_lands_exactly_on_midnight() -> None:
    due = timing.session_due(date(2026, 12, 31), time(23, 0), LONDON, delay=HOUR, quiet=None)
    assert wall(due, LONDON) == (date(2027, 1, 1), time(0, 0))


def test_an_evening_run_is_reminded_just_before_quiet_hours_not_next_morning() -> None:
    due = timing.session_due(date(2026, 11, 24), time(21, 0), LONDON, delay=HOUR, quiet=QUIET)
    assert wall(due, LONDON) == (date(2026, 11, 24), time(21, 20))


def test_a_run_finishing_just_before_quiet_hours_is_reminded_at_the_finish() -> None:
    due = timing.session_due(date(2026, 11, 24), time(21, 25), LONDON, delay=HOUR, quiet=QUIET)
    assert wall(due, LONDON) == (date(2026, 11, 24), time(21, 25))


def test_an_early_run_is_reminded_when_quiet_hours_end() -> None:
    due = timing.session_due(date(2026, 11, 24), time(5, 0), LONDON, delay=HOUR, quiet=QUIET)
    assert wall(due, LONDON) == (date(2026, 11, 24), time(7, 0))


def test_a_quiet_window_that_does_not_wrap_pushes_forward_the_same_day() -> None:
    siesta = (time(13, 0), time(15, 0))
    due = timing.session_due(date(2026, 11, 24), time(12, 30), LONDON, delay=HOUR, quiet=siesta)
    assert wall(due, LONDON) == (date(2026, 11, 24), time(15, 0))


@pytest.mark.parametrize(
    ("reminded_local", "expected"),
    [
        (time(19, 30), (date(2026, 11, 25), time(7, 0))),  # 22:30 → next morning
        (time(2, 0), (date(2026, 11, 24), time(7, 0))),  # 05:00 → this morning
        (time(12, 0), (date(2026, 11, 24), time(15, 0))),  # outside quiet → as is
    ],
)
def test_the_log_prompt_never_lands_in_quiet_hours(
    reminded_local: time, expected: tuple[date, time]
) -> None:
    reminded = timing.local_to_utc(date(2026, 11, 24), reminded_local, LONDON)
    due = timing.ask_log_due(reminded, LONDON, delay=3 * HOUR, quiet=QUIET)
    assert wall(due, LONDON) == expected


def test_the_log_prompt_after_a_spring_forward_night_lands_at_seven_bst() -> None:
    reminded = timing.local_to_utc(date(2026, 3, 28), time(21, 0), LONDON)
    due = timing.ask_log_due(reminded, LONDON, delay=3 * HOUR, quiet=QUIET)
    assert due == utc(2026, 3, 29, 6, 0)
    assert wall(due, LONDON) == (date(2026, 3, 29), time(7, 0))


def test_quiet_hours_wrap_midnight() -> None:
    assert timing.in_quiet(utc(2026, 11, 24, 23, 59), LONDON, QUIET)
    assert timing.in_quiet(utc(2026, 11, 25, 0, 0), LONDON, QUIET)
    assert timing.in_quiet(utc(2026, 11, 25, 6, 59), LONDON, QUIET)
    assert not timing.in_quiet(utc(2026, 11, 25, 7, 0), LONDON, QUIET)
    assert not timing.in_quiet(utc(2026, 11, 24, 21, 29), LONDON, QUIET)
    assert not timing.in_quiet(utc(2026, 11, 24, 23, 0), LONDON, None)


def test_the_weekly_preview_is_sunday_evening_local_even_on_the_dst_sunday() -> None:
    due = timing.preview_due(date(2026, 10, 26), LONDON, QUIET)
    assert due == utc(2026, 10, 25, 18, 0)  # GMT again that evening
    assert wall(due, KIRITIMATI)[0] == date(2026, 10, 26)  # just checking it is absolute
    assert wall(timing.preview_due(date(2026, 10, 26), NEW_YORK, QUIET), NEW_YORK) == (
        date(2026, 10, 25),
        time(18, 0),
    )


def test_the_next_preview_after_sunday_evening_is_a_week_later() -> None:
    before = timing.local_to_utc(date(2026, 11, 29), time(17, 0), LONDON)  # Sunday 17:00
    after = timing.local_to_utc(date(2026, 11, 29), time(19, 0), LONDON)
    assert timing.next_preview_week(before, LONDON, QUIET) == date(2026, 11, 30)
    assert timing.next_preview_week(after, LONDON, QUIET) == date(2026, 12, 7)


def test_a_session_reminder_late_on_its_day_is_still_sent() -> None:
    due = timing.local_to_utc(date(2026, 11, 24), time(11, 0), LONDON)
    now = timing.local_to_utc(date(2026, 11, 24), time(15, 0), LONDON)
    assert timing.delivery_verdict(Kind.SESSION, due, now, LONDON, QUIET).action is Action.SEND
    assert timing.catch_up(Kind.SESSION, due, now, LONDON, QUIET) == now


def test_a_session_reminder_is_never_sent_late_at_night_or_the_next_day() -> None:
    due = timing.local_to_utc(date(2026, 11, 24), time(19, 0), LONDON)
    at_night = timing.local_to_utc(date(2026, 11, 24), time(23, 0), LONDON)
    next_day = timing.local_to_utc(date(2026, 11, 25), time(10, 0), LONDON)
    for now in (at_night, next_day):
        assert timing.delivery_verdict(Kind.SESSION, due, now, LONDON, QUIET).action is (
            Action.MISS
        )
        assert timing.catch_up(Kind.SESSION, due, now, LONDON, QUIET) is None


def test_a_log_prompt_due_in_the_night_waits_for_the_morning_then_expires() -> None:
    due = timing.local_to_utc(date(2026, 11, 24), time(20, 0), LONDON)
    at_night = timing.local_to_utc(date(2026, 11, 24), time(23, 0), LONDON)
    verdict = timing.delivery_verdict(Kind.ASK_LOG, due, at_night, LONDON, QUIET)
    assert verdict.action is Action.DEFER and verdict.at is not None
    assert wall(verdict.at, LONDON) == (date(2026, 11, 25), time(7, 0))
    two_days_on = timing.local_to_utc(date(2026, 11, 26), time(10, 0), LONDON)
    assert timing.delivery_verdict(Kind.ASK_LOG, due, two_days_on, LONDON, QUIET).action is (
        Action.MISS
    )


def test_snooze_stays_within_the_day_and_out_of_quiet_hours() -> None:
    afternoon = timing.local_to_utc(date(2026, 11, 24), time(15, 0), LONDON)
    assert timing.snooze_until(afternoon, LONDON, QUIET) == afternoon + HOUR
    evening = timing.local_to_utc(date(2026, 11, 24), time(21, 0), LONDON)
    assert timing.snooze_until(evening, LONDON, QUIET) is None
    late = timing.local_to_utc(date(2026, 11, 24), time(23, 30), LONDON)
    assert timing.snooze_until(late, LONDON, None) is None  # would be tomorrow


def test_a_calendar_run_is_over_at_its_end_or_the_stated_finish_when_that_is_this_runs() -> None:
    from bot.core.timing import run_finish

    assert run_finish(time(7, 45), time(6, 30), time(7, 35)) == time(7, 45)
    assert run_finish(time(7, 0), time(6, 30), time(7, 35)) == time(7, 35)
    assert run_finish(time(18, 30), time(6, 30), time(7, 35)) == time(7, 35)  # another run's time
    assert run_finish(time(18, 30), time(6, 30), None) == time(6, 30)
    assert run_finish(time(18, 30), time(6, 30), time(6, 30)) == time(6, 30)  # zero-length event
    assert run_finish(time(18, 30), None, None) == time(18, 30)


def test_the_timing_rules_load_no_database_telegram_or_scheduler() -> None:
    """The due times are pure core: importing them loads none of the adapters' libraries."""
    import subprocess
    import sys

    code = (
        "import sys, bot.core.timing; "
        "print(sorted(m for m in ('sqlalchemy', 'telegram', 'apscheduler') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
