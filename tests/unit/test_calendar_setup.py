"""What a calendar says of a runner at set-up: its zone, usual finish time and goal race."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from bot.core.calendar.reader import CalendarRuns, Race
from bot.core.calendar.setup import calendar_zone, setup_facts, usual_finish
from bot.core.domain.profile import Goal, RaceDistance
from bot.core.domain.rundays import DatedRun, RunKind

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "calendars"


@pytest.mark.parametrize(
    ("name", "zone"),
    [
        ("club_weekly_rrule.ics", "Europe/London"),  # X-WR-TIMEZONE
        ("coach_platform_tzid.ics", "America/New_York"),  # the TZID of its runs
        ("app_half_marathon_utc.ics", None),  # UTC ("Z") names no place
        ("marathon_taper_all_day.ics", None),  # all-day events: no times at all
    ],
)
def test_the_zone_a_calendar_names(name: str, zone: str | None) -> None:
    assert calendar_zone((FIXTURES / name).read_text()) == zone


def event(start: str, summary: str) -> str:
    return f"BEGIN:VEVENT\r\nDTSTART{start}\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\n"


def test_the_zone_most_runs_start_in_wins_and_meetings_do_not_count() -> None:
    text = (
        "BEGIN:VCALENDAR\r\n"
        + event(";TZID=Europe/Berlin:20261201T063000", "Tempo Run")
        + event(";TZID=Europe/Berlin:20261203T063000", "Easy Run")
        + event(";TZID=America/Chicago:20261202T090000", "Team meeting")
        + event(";TZID=America/Chicago:20261204T090000", "Dentist")
        + event(";TZID=America/Chicago:20261205T090000", "Standup")
        + "END:VCALENDAR\r\n"
    )
    assert calendar_zone(text) == "Europe/Berlin"


@pytest.mark.parametrize(
    "header",
    ["X-WR-TIMEZONE:UTC", "X-WR-TIMEZONE:Etc/GMT", "X-WR-TIMEZONE:Eastern Standard Time"],
)
def test_a_zone_that_names_no_place_is_not_taken(header: str) -> None:
    text = f"BEGIN:VCALENDAR\r\n{header}\r\n" + event(":20261201T063000Z", "Tempo Run")
    assert calendar_zone(text + "END:VCALENDAR\r\n") is None


def runs(*days: tuple[int, RunKind, time | None]) -> CalendarRuns:
    return CalendarRuns(
        runs={
            date(2026, 12, d): DatedRun(kind, time(6, 30) if end else None, "", end)
            for d, kind, end in days
        }
    )


def test_the_usual_finish_is_the_most_common_end_of_the_hard_runs() -> None:
    found = runs(
        (1, RunKind.TEMPO, time(7, 35)),
        (2, RunKind.EASY, time(18, 40)),
        (3, RunKind.INTERVALS, time(7, 35)),
        (4, RunKind.EASY, time(18, 40)),
        (5, RunKind.EASY, time(18, 40)),
        (8, RunKind.TEMPO, time(7, 20)),
    )
    assert usual_finish(found) == time(7, 35)


def test_the_usual_finish_is_the_median_when_no_end_repeats() -> None:
    found = runs(
        (1, RunKind.EASY, time(7, 0)),
        (2, RunKind.LONG, time(9, 30)),
        (3, RunKind.EASY, time(7, 40)),
    )
    assert usual_finish(found) == time(7, 40)


def test_all_day_runs_give_no_finish_time() -> None:
    assert usual_finish(runs((1, RunKind.TEMPO, None), (3, RunKind.LONG, None))) is None


def test_the_goal_is_the_planners_race_and_no_finish_time_without_a_known_zone() -> None:
    found = CalendarRuns(
        runs={date(2026, 12, 1): DatedRun(RunKind.TEMPO, time(6, 30), "", time(7, 35))},
        races=(
            Race(date(2027, 2, 6), RaceDistance.FIVE_K, "parkrun"),
            Race(date(2027, 3, 14), RaceDistance.HALF_MARATHON, "Berlin Half"),
        ),
    )
    facts = setup_facts(found, zone=None, zone_known=False, today=date(2026, 11, 24))
    assert facts.goal == Goal(
        race_distance=RaceDistance.HALF_MARATHON, race_date=date(2027, 3, 14)
    )
    assert facts.timezone is None and facts.finish is None
    known = setup_facts(found, zone="Europe/Berlin", zone_known=True, today=date(2026, 11, 24))
    assert known.timezone == "Europe/Berlin" and known.finish == time(7, 35)
