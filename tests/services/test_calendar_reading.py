"""A calendar is read in a killable child: a read that runs away ends at its deadline or its
memory ceiling with one line, and the event loop keeps serving other runners meanwhile."""

from __future__ import annotations

import asyncio
import time
from datetime import date, timedelta

import pytest

from bot.core.calendar import read_calendar
from bot.core.domain.errors import CalendarError
from bot.services import calendar_reading
from bot.services.calendar_reading import MAX_READERS, read_untrusted
from tests.calendar_bombs import daily_series, repeating

START = date(2026, 11, 23)
END = START + timedelta(days=367)


async def test_a_calendar_is_read_in_the_child_as_in_the_reader() -> None:
    data = repeating("FREQ=WEEKLY")
    runs = await read_untrusted(data, start=START, end=END, zone="Europe/London", name="p.ics")
    assert runs.run_count == 52  # every Sunday of the year
    assert runs == read_calendar(data, start=START, end=END, zone="Europe/London", name="p.ics")


async def test_an_endless_rule_is_one_line_from_the_child() -> None:
    with pytest.raises(CalendarError, match=r"plan.ics: it repeats an event endlessly"):
        await read_untrusted(
            repeating("FREQ=DAILY;INTERVAL=0"),
            start=START,
            end=END,
            zone="Europe/London",
            name="plan.ics",
        )


async def test_a_read_past_its_deadline_is_killed_and_the_loop_stays_free() -> None:
    """The hard bound is the behaviour: a slow read ends at its deadline, and while it runs the
    event loop keeps ticking (another runner's /help would be answered)."""
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    began = time.monotonic()
    with pytest.raises(CalendarError, match=r"too big to read \(still not read after 0.3 s"):
        await read_untrusted(
            daily_series(1000),
            start=START,
            end=END,
            zone="Europe/London",
            name="plan.ics",
            deadline=0.3,
        )
    took = time.monotonic() - began
    ticker.cancel()
    assert took < 5
    assert ticks >= 10  # the loop ran all along


async def test_a_read_past_its_memory_ceiling_is_one_line() -> None:
    with pytest.raises(CalendarError, match=r"too big to read \(it needs more than 48 MB\)"):
        await read_untrusted(
            daily_series(1000),
            start=START,
            end=END,
            zone="Europe/London",
            name="plan.ics",
            memory=48 * 2**20,
        )


async def test_with_every_reader_busy_a_read_waits_no_longer_than_its_deadline() -> None:
    # every reader held (as long reads would hold them), however fast this machine refuses files
    readers = calendar_reading._slot()
    for _ in range(MAX_READERS):
        await readers.acquire()
    try:
        with pytest.raises(CalendarError, match=r"b\.ics: I am busy reading other calendars"):
            await read_untrusted(
                repeating("FREQ=WEEKLY"),
                start=START,
                end=END,
                zone="UTC",
                name="b.ics",
                deadline=0.5,
            )
        # a re-sync nobody waits on queues for its turn instead, then reads within its deadline
        asyncio.get_running_loop().call_later(1.0, readers.release)
        runs = await read_untrusted(
            repeating("FREQ=WEEKLY"),
            start=START,
            end=END,
            zone="UTC",
            name="c.ics",
            deadline=3,
            queue_for=30,
        )
        assert runs.run_count == 52
    finally:
        for _ in range(MAX_READERS - 1):
            readers.release()


async def test_a_thousand_daily_series_are_refused_within_a_small_ceiling() -> None:
    """368,000 occurrences used to be built first (866 MB, half a minute); counted as they are
    made, the read stops at the cap well inside 256 MB and the deadline."""
    with pytest.raises(CalendarError, match=r"too big to read \(more than 20,000 events"):
        await read_untrusted(
            daily_series(1000),
            start=START,
            end=END,
            zone="Europe/London",
            name="plan.ics",
            memory=256 * 2**20,
        )
