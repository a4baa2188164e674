"""A hostile .ics is refused with one line instead of freezing the bot (a few hundred bytes of
recurrence rule must not cost minutes of CPU or gigabytes of memory)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from bot.core.calendar import read_calendar
from bot.core.calendar.reader import MAX_OCCURRENCES, CalendarRuns
from bot.core.domain.errors import CalendarError
from tests.calendar_bombs import daily_series, repeating

START = date(2026, 11, 23)
END = START + timedelta(days=367)


def read(data: bytes) -> CalendarRuns:
    return read_calendar(data, start=START, end=END, zone="Europe/London", name="plan.ics")


@pytest.mark.parametrize(
    ("rule", "says"),
    [
        ("FREQ=DAILY;INTERVAL=0", "repeats an event endlessly (INTERVAL=0)"),
        ("FREQ=WEEKLY;INTERVAL=-1", "repeats an event endlessly (INTERVAL=-1)"),
        ("FREQ=SECONDLY", "repeats an event every second"),
        ("FREQ=MINUTELY", "repeats an event every minute"),
        ("FREQ=HOURLY;INTERVAL=6", "repeats an event every hour"),
        ("freq=minutely;count=100000", "repeats an event every minute"),
        ("FREQ=DAILY;BYHOUR=0,6,12,18;BYMINUTE=0,30", "repeats an event 8 times a day"),
    ],
)
def test_a_rule_that_never_ends_or_explodes_is_refused_in_one_line(rule: str, says: str) -> None:
    with pytest.raises(CalendarError, match="^" + re.escape(f"plan.ics: it {says}")) as error:
        read(repeating(rule))
    assert "\n" not in str(error.value)


def test_a_rule_folded_over_lines_is_still_judged() -> None:
    folded = repeating("FREQ=DAILY;INTERVAL=0").replace(b";INTERVAL", b"\r\n ;INTERVAL")
    with pytest.raises(CalendarError, match="INTERVAL=0"):
        read(folded)


def test_many_daily_series_are_refused_as_too_big_once_the_cap_is_reached() -> None:
    """1,000 events repeating daily are 368,000 occurrences in the year: counted as they are
    made, the read stops at the cap instead of building them all first."""
    with pytest.raises(CalendarError, match=f"too big to read \\(more than {MAX_OCCURRENCES:,}"):
        read(daily_series(1000))


def test_daily_series_below_the_cap_are_read() -> None:
    runs = read(daily_series(3))
    assert runs.run_count == (END - START).days
