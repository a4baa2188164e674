"""The calendar reader reads a runner's .ics as a coach would."""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path

import pytest

from bot.core.calendar import classify, read_calendar
from bot.core.calendar.reader import CalendarRuns
from bot.core.domain.errors import CalendarError
from bot.core.domain.profile import RaceDistance
from bot.core.domain.rundays import RunKind

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "calendars"


def read(name: str, start: date, weeks: int, zone: str = "Europe/London") -> CalendarRuns:
    return read_calendar(
        (FIXTURES / name).read_bytes(),
        start=start,
        end=start + timedelta(weeks=weeks),
        zone=zone,
        name=name,
    )


def kinds(runs: CalendarRuns) -> dict[str, str]:
    return {f"{day:%a %d %b}": run.kind.value for day, run in runs.runs.items()}


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Tempo @ half-marathon pace", "tempo"),
        ("Threshold 3x10min", "tempo"),
        ("Cruise intervals 4 x 1 mile", "tempo"),
        ("T pace 4 mi", "tempo"),
        ("5 mi @ HMP", "tempo"),
        ("6x800m", "intervals"),
        ("6x1km @ race pace", "intervals"),
        ("Intervals: 5 x 1000m @ 5K pace", "intervals"),
        ("Track night – 400m reps", "intervals"),
        ("VO2 max session", "intervals"),
        ("Hills 8x60s", "intervals"),
        ("Fartlek 40 min", "intervals"),
        ("Long run 18 km", "long"),
        ("LSR 20 mi", "long"),
        ("Long run with 6 mi @ MP", "long"),
        ("Run 30 km", "long"),
        ("Easy 5 mi", "easy"),
        ("Recovery run 5 km", "easy"),
        ("Jog", "easy"),
        ("Pre-race shakeout", "easy"),
        ("Easy 6 mi + 6x20s strides", "easy"),
        ("Half Marathon Plan: Tempo Run 6km", "tempo"),
        ("Bike 60 min", "cross"),
        ("Bike intervals", "cross"),
        ("Swim – 1500m easy", "cross"),
        ("Yoga (cross-training)", "cross"),
        ("Rest day", "rest"),
        ("No run today", "rest"),
        ("Aerobic Endurance", "easy"),
        ("Recovery", "easy"),
        ("Speed", "intervals"),
        ("5K Time Trial", "tempo"),
        ("Race week: easy 3 mi", "easy"),
        ("Long run (race simulation)", "long"),
        ("Team run then breakfast", "easy"),
    ],
)
def test_titles_read_as_a_coach_would(title: str, kind: str) -> None:
    reading = classify(title)
    assert reading is not None and reading.kind.value == kind


@pytest.mark.parametrize(
    ("title", "distance"),
    [
        ("Half Marathon", RaceDistance.HALF_MARATHON),  # a half, not a marathon
        ("Race Day: Brighton Half Marathon", RaceDistance.HALF_MARATHON),
        ("Berlin Marathon", RaceDistance.MARATHON),
        ("London Marathon 🏁", RaceDistance.MARATHON),
        ("10K race", RaceDistance.TEN_K),
        ("parkrun", RaceDistance.FIVE_K),
        ("Turkey Trot 5K", RaceDistance.FIVE_K),
        ("Ultra 50K", RaceDistance.ULTRA),
        ("Race", None),
    ],
)
def test_races_and_their_distances(title: str, distance: RaceDistance | None) -> None:
    reading = classify(title)
    assert reading is not None and reading.kind is RunKind.RACE
    assert reading.distance is distance


@pytest.mark.parametrize(
    "title",
    [
        "Dentist",
        "Yoga",
        "Team meeting",
        "Long weekend",
        "Caribbean cruise",
        "Christmas Day",
        "Tempo (cancelled)",
        "Race committee meeting",
        "Disaster recovery meeting",
        "",
    ],
)
def test_events_that_are_not_training_are_ignored(title: str) -> None:
    assert classify(title) is None


def test_description_gives_the_kind_when_the_title_only_says_run() -> None:
    """Coach platforms title everything "Run" and write the workout underneath."""
    tempo = classify("Run: Quality", "WU 15' easy\nMain set: 3 x 10' @ threshold\nCD easy")
    intervals = classify("Run – Workout", "WU 2 mi. 6 x 800m @ 5K pace w/ 400m jog.")
    assert tempo is not None and tempo.kind is RunKind.TEMPO
    assert intervals is not None and intervals.kind is RunKind.INTERVALS
    # ... but an explicit title wins, and a meeting stays a meeting whatever its notes say.
    easy = classify("Easy run", "the day after your long run")
    assert easy is not None and easy.kind is RunKind.EASY
    assert classify("Team meeting", "discuss the long run") is None


def test_app_plan_weeks_differ_and_the_half_marathon_is_the_goal() -> None:
    runs = read("app_half_marathon_utc.ics", date(2027, 1, 4), 8)
    week1 = kinds(runs)
    assert week1["Tue 05 Jan"] == "tempo" and week1["Thu 07 Jan"] == "intervals"
    assert week1["Mon 11 Jan"] == "intervals" and week1["Wed 13 Jan"] == "tempo"
    assert week1["Tue 02 Feb"] == "tempo"  # "@ half-marathon pace" is a workout
    assert week1["Thu 04 Feb"] == "intervals"  # "6x1km @ race pace" too
    assert runs.runs[date(2027, 1, 5)].time == time(6, 30)  # 06:30Z is 06:30 in London in January
    goal = runs.goal(date(2027, 1, 4))
    assert goal is not None
    assert (goal.race_distance, goal.race_date) == (RaceDistance.HALF_MARATHON, date(2027, 2, 28))


def test_coach_platform_tzid_and_utc_land_on_the_runners_local_date() -> None:
    runs = read("coach_platform_tzid.ics", date(2027, 3, 1), 4, zone="America/New_York")
    read_kinds = kinds(runs)
    assert read_kinds["Mon 01 Mar"] == "easy"  # "Run" + "Recovery. 40' very easy …"
    assert read_kinds["Tue 02 Mar"] == "tempo"
    assert read_kinds["Thu 04 Mar"] == "intervals"
    # 03:30Z on Saturday is 22:30 on Friday in New York.
    assert read_kinds["Fri 05 Mar"] == "easy" and "Sat 06 Mar" not in read_kinds
    assert runs.runs[date(2027, 3, 5)].time == time(22, 30)
    assert read_kinds["Sat 13 Mar"] == "cross"
    assert "Wed 03 Mar" not in read_kinds and "Fri 12 Mar" not in read_kinds  # gym, yoga
    # After the DST change on 14 March, a TZID time stays the runner's wall-clock time.
    assert runs.runs[date(2027, 3, 16)].time == time(17, 30)
    goal = runs.goal(date(2027, 3, 1))
    assert goal is not None and goal.race_date == date(2027, 3, 21)
    assert goal.race_distance is RaceDistance.TEN_K


def test_coach_platform_read_from_another_zone_moves_with_the_runner() -> None:
    """A runner in London reads the same New York 17:30 run as 22:30 the same day."""
    runs = read("coach_platform_tzid.ics", date(2027, 3, 1), 1)
    assert runs.runs[date(2027, 3, 2)].time == time(22, 30)
    assert date(2027, 3, 6) in runs.runs  # 03:30Z Saturday is Saturday in London


def test_club_rrules_exdate_override_and_cancelled_occurrence() -> None:
    runs = read("club_weekly_rrule.ics", date(2027, 1, 4), 10)
    read_kinds = kinds(runs)
    assert read_kinds["Tue 05 Jan"] == "intervals" and read_kinds["Tue 12 Jan"] == "intervals"
    assert "Tue 19 Jan" not in read_kinds  # EXDATE
    assert read_kinds["Wed 27 Jan"] == "tempo" and "Thu 28 Jan" not in read_kinds  # moved
    assert "Sun 07 Feb" not in read_kinds and read_kinds["Sun 14 Feb"] == "long"  # cancelled
    assert runs.cancelled == 1
    assert "Fri 22 Jan" not in read_kinds  # the social is not a run
    assert read_kinds["Sat 09 Jan"] == "race"
    # A monthly club parkrun is a race day, not a goal to taper toward.
    assert runs.goal(date(2027, 1, 4)) is None
    assert all(race.recurring for race in runs.races)


def test_all_day_marathon_plan_with_a_tune_up_half() -> None:
    runs = read("marathon_taper_all_day.ics", date(2027, 3, 15), 7)
    read_kinds = kinds(runs)
    assert read_kinds["Tue 16 Mar"] == "tempo"  # "Tempo @ marathon pace"
    assert read_kinds["Thu 18 Mar"] == "intervals"  # "6x1km @ race pace"
    assert read_kinds["Sun 28 Mar"] == "race"  # the tune-up half
    assert runs.runs[date(2027, 3, 16)].time is None  # all-day: no time
    goal = runs.goal(date(2027, 3, 15))
    assert goal is not None
    assert (goal.race_distance, goal.race_date) == (RaceDistance.MARATHON, date(2027, 4, 25))
    after_half = runs.goal(date(2027, 3, 29))
    assert after_half is not None and after_half.race_date == date(2027, 4, 25)


def test_messy_file_crlf_folded_floating_and_two_runs_a_day() -> None:
    runs = read("messy_personal_crlf.ics", date(2027, 2, 1), 2, zone="Australia/Sydney")
    read_kinds = kinds(runs)
    # The morning jog and the evening club reps: the day counts as the harder one.
    assert read_kinds["Tue 02 Feb"] == "intervals"
    assert "repetition" in runs.runs[date(2027, 2, 2)].title  # a folded line, unfolded
    # Floating times are the runner's own clock, whatever their zone.
    assert runs.runs[date(2027, 2, 1)].time == time(6, 30)
    assert read_kinds["Sun 07 Feb"] == "long" and read_kinds["Tue 09 Feb"] == "cross"
    assert runs.ignored == 5  # dentist, meeting, yoga, holiday, birthday
    assert runs.races == ()


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("not_icalendar.ics", "not an iCalendar file"),
        ("empty.ics", "empty"),
        ("meetings_only.ics", "no runs between"),
    ],
)
def test_a_bad_file_gets_one_clear_line(name: str, says: str) -> None:
    with pytest.raises(CalendarError) as error:
        read(name, date(2027, 1, 4), 8)
    message = str(error.value)
    assert message.startswith(f"{name}: ") and says in message and "\n" not in message


def test_runs_outside_the_window_are_no_runs_with_the_dates_named() -> None:
    with pytest.raises(CalendarError, match="no runs between 4 Jan 2026 and 31 Jan 2026"):
        read("app_half_marathon_utc.ics", date(2026, 1, 4), 4)


def test_a_truncated_file_is_one_line_not_a_traceback() -> None:
    text = (FIXTURES / "club_weekly_rrule.ics").read_text()
    broken = text.replace("RRULE:FREQ=WEEKLY;BYDAY=SU;COUNT=9", "RRULE:FREQ=SOMETIMES;;")
    runs = read_calendar(broken, start=date(2027, 1, 4), end=date(2027, 2, 1), zone="UTC")
    # The broken series is skipped; the Tuesday and Thursday runs are still read.
    assert date(2027, 1, 10) not in runs.runs and runs.runs[date(2027, 1, 5)].kind.is_hard


def test_every_occurrence_of_a_repeating_run_ends_at_its_own_end_time() -> None:
    """A weekly tempo 06:30–07:35 ends at 07:35 every week, not only in its first week."""
    ics = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:t@x\r\n"
        "DTSTART;TZID=Europe/London:20261201T063000\r\n"
        "DTEND;TZID=Europe/London:20261201T073500\r\n"
        "SUMMARY:Tempo run\r\nRRULE:FREQ=WEEKLY;COUNT=6\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    runs = read_calendar(
        ics, start=date(2026, 12, 1), end=date(2027, 1, 12), zone="Europe/London"
    ).runs
    assert len(runs) == 6
    assert {(run.time, run.end) for run in runs.values()} == {(time(6, 30), time(7, 35))}
