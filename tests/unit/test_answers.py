"""Typed onboarding answers: what runners write is read the way a coach would read it."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.core.answers import (
    AnswerError,
    answers_of,
    build_profile,
    format_week,
    parse_equipment,
    parse_equipment_loads,
    parse_experience,
    parse_goal,
    parse_limitations,
    parse_placement,
    parse_race_date,
    parse_run_times,
    parse_sessions,
    parse_time,
    parse_timezone,
    parse_units,
    parse_week,
    timezone_at,
)
from bot.core.domain.profile import (
    DayKind,
    Equipment,
    Experience,
    Limitation,
    Placement,
    RaceDistance,
    Units,
    Weekday,
)

TODAY = date(2026, 11, 24)
SEED_000 = "Mon rest, Tue tempo, Wed easy, Thu rest, Fri intervals, Sat easy, Sun long"


@pytest.mark.parametrize(
    "text",
    [
        "tue tempo, fri intervals, sun long, wed easy, sat easy, rest otherwise",
        "mon rest tue tempo wed easy thu rest fri intervals sat easy sun long run",
        "Tuesday tempo; Friday intervals; Sunday long run; Wed, Sat easy; otherwise rest",
        "tempo on tuesday, intervals on friday, long run sunday, easy wed and sat",
        "tue tempo, fri intervls, sun long, wed easy, sat easy",
    ],
)
def test_week_lines_read_as_seed_000(text: str) -> None:
    assert format_week(parse_week(text)) == SEED_000


def test_week_synonyms() -> None:
    week = parse_week("tue workout, thu threshold, sat bike, sun swim, rest of the week easy")
    assert week[Weekday.TUE] is DayKind.INTERVALS
    assert week[Weekday.THU] is DayKind.TEMPO
    assert week[Weekday.SAT] is DayKind.CROSS
    assert week[Weekday.SUN] is DayKind.CROSS
    assert week[Weekday.MON] is DayKind.EASY


def test_week_round_trips_through_its_own_format() -> None:
    week = parse_week("tue tempo, fri intervals, sun long, sat cross")
    assert parse_week(format_week(week)) == week


@pytest.mark.parametrize("text", ["", "blah blah", "mon rest, tue rest", "tue", "tempo"])
def test_unreadable_weeks_get_an_example(text: str) -> None:
    with pytest.raises(AnswerError, match=r"e\.g\."):
        parse_week(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7am", time(7, 0)),
        ("18:30", time(18, 30)),
        ("6.30pm", time(18, 30)),
        ("6:30 p.m.", time(18, 30)),
        ("0630", time(6, 30)),
        ("noon", time(12, 0)),
        ("12am", time(0, 0)),
    ],
)
def test_times(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "13pm", "soon", "7:75"])
def test_bad_times(text: str) -> None:
    with pytest.raises(AnswerError):
        parse_time(text)


def test_run_times_per_day_and_usual() -> None:
    both = parse_run_times("7am, fri 18:30")
    assert both.usual == time(7, 0)
    assert both.days == {Weekday.FRI: time(18, 30)}
    per_day = parse_run_times("tue 7:00, fri 18:30")
    assert per_day.usual is None
    assert per_day.days == {Weekday.TUE: time(7, 0), Weekday.FRI: time(18, 30)}


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("London", "Europe/London"),
        ("New York", "America/New_York"),
        ("sydney", "Australia/Sydney"),
        ("europe/berlin", "Europe/Berlin"),
        ("Mumbai, India", "Asia/Kolkata"),
        ("UTC+2", "Etc/GMT-2"),
        ("GMT-3", "Etc/GMT+3"),
        ("+3", "Etc/GMT-3"),
        ("UTC", "UTC"),
    ],
)
def test_timezones(text: str, zone: str) -> None:
    assert parse_timezone(text) == zone


def test_half_hour_offsets_ask_for_a_city() -> None:
    with pytest.raises(AnswerError, match="city"):
        parse_timezone("+05:30")


def test_unknown_places_get_suggestions() -> None:
    with pytest.raises(AnswerError) as caught:
        parse_timezone("Manchesterr")
    assert "Manchester" in caught.value.suggestions


def test_location_gives_the_zone() -> None:
    assert timezone_at(40.71, -74.0) == "America/New_York"


@pytest.mark.parametrize(
    ("text", "distance", "race_date"),
    [
        ("half marathon on 14 March", RaceDistance.HALF_MARATHON, date(2027, 3, 14)),
        ("marathon 2027-04-20", RaceDistance.MARATHON, date(2027, 4, 20)),
        ("10k in 6 weeks", RaceDistance.TEN_K, date(2027, 1, 5)),
        ("5K on December 6th", RaceDistance.FIVE_K, date(2026, 12, 6)),
        ("ultra", RaceDistance.ULTRA, None),
        ("general fitness", None, None),
        ("none", None, None),
    ],
)
def test_goals(text: str, distance: RaceDistance | None, race_date: date | None) -> None:
    answer = parse_goal(text, TODAY)
    assert (answer.distance, answer.race_date) == (distance, race_date)


@pytest.mark.parametrize(
    ("text", "says"),
    [("marathon on 1 Jan 2026", "passed"), ("half 2029-01-01", "two years"), ("a race", "e.g.")],
)
def test_goal_dates_in_the_past_or_far_away_are_refused(text: str, says: str) -> None:
    with pytest.raises(AnswerError, match=says):
        parse_goal(text, TODAY)


def test_race_date_without_year_is_the_next_one() -> None:
    assert parse_race_date("20 November", TODAY) == date(2027, 11, 20)
    assert parse_race_date("in 3 months", TODAY) == date(2027, 2, 24)


def test_experience_equipment_sessions_placement_limitations_units() -> None:
    assert parse_experience("new to lifting") is Experience.NOVICE
    assert parse_experience("some") is Experience.INTERMEDIATE
    assert parse_experience("experienced") is Experience.ADVANCED
    assert parse_equipment("dumbbells, a band and a pull-up bar") == (
        Equipment.DUMBBELLS,
        Equipment.PULLUP_BAR,
        Equipment.BAND,
    )
    assert parse_equipment("bodyweight only") == (Equipment.BODYWEIGHT,)
    assert parse_sessions("twice") == 2
    assert parse_sessions("3") == 3
    assert parse_placement("separate days") is Placement.SEPARATE_DAYS
    assert parse_placement("after my hard runs") is Placement.AFTER_HARD_RUNS
    assert parse_limitations("knee and achilles") == (Limitation.KNEE, Limitation.ACHILLES)
    assert parse_limitations("none") == ()
    assert parse_units("lbs") is Units.LB


@pytest.mark.parametrize(
    ("parser", "text"),
    [
        (parse_equipment, "a spaceship"),
        (parse_sessions, "5"),
        (parse_limitations, "my elbow"),
        (parse_units, "stone"),
        (parse_experience, "banana"),
    ],
)
def test_bad_answers_are_refused(parser: object, text: str) -> None:
    with pytest.raises(AnswerError):
        parser(text)  # type: ignore[operator]


def test_answers_build_a_valid_profile_and_back() -> None:
    answers = {
        "week": {d.value: k.value for d, k in parse_week(SEED_000).items()},
        "run_time": "18:30",
        "run_times": {"fri": "07:00"},
        "timezone": "Europe/London",
        "goal": {"race_distance": "half_marathon", "race_date": "2027-03-14"},
        "experience": "novice",
        "equipment": ["dumbbells", "band"],
        "sessions_per_week": 2,
        "placement": "after_hard_runs",
        "limitations": ["knee"],
        "units": "kg",
    }
    profile = build_profile(answers)
    assert profile.run_times[Weekday.TUE] == time(18, 30)
    assert profile.run_times[Weekday.FRI] == time(7, 0)
    assert Weekday.MON not in profile.run_times
    assert build_profile(answers_of(profile)) == profile


NATURAL_TIMES = [
    ("usually done by 7am", time(7, 0)),
    ("after work, about 6:30 pm", time(18, 30)),
    ("i'm usually back home by 19:00", time(19, 0)),
    ("7 in the morning", time(7, 0)),
    ("around 6ish in the evening", time(18, 0)),
    ("done by half six in the evening", time(18, 30)),
    ("normally finished around 12:30", time(12, 30)),
    ("I run at lunch, back by 1", time(13, 0)),
    ("mornings, finished by half 7", time(7, 30)),
    ("evenings ~7pm", time(19, 0)),
    ("evenings, around 7", time(19, 0)),
    ("at night, 9ish", time(21, 0)),
]


@pytest.mark.parametrize(("text", "expected"), NATURAL_TIMES)
def test_a_finish_time_in_passing_words_is_read_the_first_time(text: str, expected: time) -> None:
    assert parse_run_times(text).usual == expected


NATURAL_ANSWERS: list[tuple[object, str, object]] = [
    (lambda t: parse_goal(t, TODAY).distance, "just general fitness", None),
    (lambda t: parse_goal(t, TODAY).distance, "nothing booked yet", None),
    (lambda t: parse_goal(t, TODAY).distance, "no race yet, just want to stay healthy", None),
    (lambda t: parse_goal(t, TODAY).distance, "just a 10k for fun", RaceDistance.TEN_K),
    (lambda t: parse_goal(t, TODAY).distance, "nothing specific", None),
    (lambda t: parse_goal(t, TODAY).race_date, "london marathon april 26", date(2027, 4, 26)),
    (lambda t: parse_goal(t, TODAY).race_date, "marathon in 3 months", date(2027, 2, 24)),
    (lambda t: parse_experience(t), "i've done some gym work years ago", Experience.INTERMEDIATE),
    (parse_equipment, "gym membership", (Equipment.GYM,)),
    (parse_equipment, "only a pair of dumbbells at home", (Equipment.DUMBBELLS,)),
    (parse_equipment, "a couple of kettlebells in the garage", (Equipment.KETTLEBELL,)),
    (parse_equipment, "i've got some adjustable dumbbells", (Equipment.DUMBBELLS,)),
    (parse_limitations, "achilles is a bit cranky", (Limitation.ACHILLES,)),
    (parse_limitations, "left knee is dodgy after an old injury", (Limitation.KNEE,)),
    (parse_limitations, "my lower back gets grumpy", (Limitation.LOWER_BACK,)),
    (parse_limitations, "my calf keeps tightening", (Limitation.CALF,)),
    (parse_limitations, "achilles and a dodgy calf", (Limitation.ACHILLES, Limitation.CALF)),
]


@pytest.mark.parametrize(("parse", "text", "expected"), NATURAL_ANSWERS)
def test_natural_answers_are_taken_the_first_time(
    parse: object, text: str, expected: object
) -> None:
    assert callable(parse)
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("half marathon in april", "Which day in April?"),
        ("ultra in june", "Which day in June?"),
        ("10k next month", "Which day of the month?"),
        ("5k on 31 february", "That day doesn't exist"),
    ],
)
def test_a_race_date_without_its_day_is_asked_about_not_guessed(text: str, asks: str) -> None:
    with pytest.raises(AnswerError, match=asks):
        parse_goal(text, TODAY)


@pytest.mark.parametrize(
    ("text", "dumbbells"),
    [
        ("two 8 kg dumbbells", (8.0,)),
        ("adjustable dumbbells up to 20kg", (2.5, 5.0, 7.5, 10.0, 12.5, 15.0, 17.5, 20.0)),
    ],
)
def test_owned_dumbbells_said_in_passing(text: str, dumbbells: tuple[float, ...]) -> None:
    answer = parse_equipment_loads(text)
    assert answer.equipment == (Equipment.DUMBBELLS,)
    assert answer.dumbbells_kg == dumbbells


def test_a_body_part_the_plan_cannot_work_around_is_asked_about() -> None:
    with pytest.raises(AnswerError):
        parse_limitations("my ankle")


@pytest.mark.parametrize(
    ("text", "week"),
    [
        ("tenpo wed, track fri, long sun", {"wed": "tempo", "fri": "intervals", "sun": "long"}),
        ("temop wed, track session fri", {"wed": "tempo", "fri": "intervals"}),
        (
            "tmepo tue, intervals thu, sun long",
            {"tue": "tempo", "thu": "intervals", "sun": "long"},
        ),
    ],
)
def test_run_kinds_with_a_slip_of_the_thumb(text: str, week: dict[str, str]) -> None:
    read = {d.value: k.value for d, k in parse_week(text).items() if k is not DayKind.REST}
    assert read == week


@pytest.mark.parametrize(
    ("text", "equipment", "dumbbells", "kettlebells"),
    [
        ("dumbbells 5, 10 and 12.5 kg", {Equipment.DUMBBELLS}, (5, 10, 12.5), ()),
        (
            "16 and 24kg kettlebells, dumbbells 5 10",
            {Equipment.DUMBBELLS, Equipment.KETTLEBELL},
            (5, 10),
            (16, 24),
        ),
        ("kettlebell 16kg and a band", {Equipment.KETTLEBELL, Equipment.BAND}, (), (16,)),
        (
            "dumbbells, band, pull-up bar",
            {Equipment.DUMBBELLS, Equipment.BAND, Equipment.PULLUP_BAR},
            (),
            (),
        ),
    ],
)
def test_the_bells_owned_are_read_with_the_equipment(
    text: str,
    equipment: set[Equipment],
    dumbbells: tuple[float, ...],
    kettlebells: tuple[float, ...],
) -> None:
    read = parse_equipment_loads(text)
    assert set(read.equipment) == equipment
    assert read.dumbbells_kg == dumbbells and read.kettlebells_kg == kettlebells


def test_a_weight_with_no_bell_is_asked_about() -> None:
    with pytest.raises(AnswerError, match="Which weights"):
        parse_equipment_loads("a band and 12kg")


def test_owned_dumbbells_reach_the_profile_and_back() -> None:
    answers = {
        "week": {d.value: k.value for d, k in parse_week(SEED_000).items()},
        "timezone": "Europe/London",
        "experience": "novice",
        "equipment": ["dumbbells"],
        "dumbbells_kg": [5, 10, 12.5],
    }
    profile = build_profile(answers)
    assert profile.dumbbells_kg == (5, 10, 12.5)
    assert build_profile(answers_of(profile)) == profile
    assert build_profile({**answers, "equipment": ["bodyweight"]}).dumbbells_kg is None
