"""How runners actually say their week, their aches, their swaps, their races.

A corpus written from club chats, coaching forums and training logs: the way people type on a
phone, typos and all. Each line is what a runner would send and what the coach must understand.
None of these phrasings is taken from the parser's own word lists.
"""

from __future__ import annotations

from collections.abc import Sized
from datetime import date

import pytest

from bot.core.answers import parse_week
from bot.core.catalogue.loader import load_catalogue
from bot.core.domain.adjustments import Readiness
from bot.core.domain.profile import WEEKDAYS, DayKind, Equipment, Limitation, RaceDistance
from bot.core.language.dates import parse_date_words
from bot.core.language.intents import (
    Context,
    PainReport,
    RaceAction,
    RaceChange,
    ReadinessReport,
    SwapRequest,
    WeekChange,
    read_confirmation,
    read_intent,
    read_score,
)
from bot.core.language.week import WeekScope

R, E, T, I, L, X = "rest", "easy", "tempo", "intervals", "long", "cross"  # noqa: E741
TODAY = date(2026, 12, 1)  # a Tuesday


def week(*kinds: str) -> dict[str, str]:
    return {d.value: k for d, k in zip(WEEKDAYS, kinds, strict=True)}


WEEKS: list[tuple[str, dict[str, str]]] = [
    (
        "intervals on monday, tempo thursday, long run sunday, easy tuesday and friday, "
        "wednesday and saturday off",
        week(I, E, R, T, E, R, L),
    ),
    ("mon-fri easy, long run sat, sunday off", week(E, E, E, E, E, L, R)),
    (
        "Mo rest\nTu tempo\nWe easy\nTh intervals\nFr rest\nSa easy\nSu long",
        week(R, T, E, I, R, E, L),
    ),
    (
        "Monday: rest\nTuesday: track\nWednesday: easy 8k\nThursday: tempo\nFriday: rest\n"
        "Saturday: parkrun\nSunday: long run 18k",
        week(R, I, E, T, R, T, L),
    ),
    ("tues - threshold, thurs - hills, sun - LSR", week(R, T, R, I, R, R, L)),
    (
        "I do a cruise intervals session on wednesday, long on sunday and easy runs tue and fri",
        week(R, E, T, R, E, R, L),
    ),
    ("parkrun saturday, long sunday, speed tuesday, rest otherwise", week(R, I, R, R, R, T, L)),
    ("easy mon wed fri, tempo tue, long sat", week(E, T, E, R, E, L, R)),
    (
        "tempo tuesday intervals thursday long sunday. actually thursday is tempo",
        week(R, T, R, T, R, R, L),
    ),
    (
        "tue tempo thu intervals sun long, actually make it saturday long",
        week(R, T, R, I, R, L, L),
    ),
    ("long run sunday, everything else easy", week(E, E, E, E, E, E, L)),
    ("I run every day, long on sunday, intervals on tuesday", week(E, I, E, E, E, E, L)),
    (
        "tuesday vo2 session, friday progression run, sunday long, monday and thursday easy",
        week(E, I, R, E, T, R, L),
    ),
    ("swim monday, bike wednesday, tempo thursday, long saturday", week(X, R, X, T, R, L, R)),
    ("cross training on mon and fri, reps on wed, long run on sun", week(X, R, I, R, X, R, L)),
    ("thrusday tempo, sundy long, wendesday intervls", week(R, R, I, T, R, R, L)),
    ("tuseday easy, thurday speed, satuday long", week(R, E, R, I, R, L, R)),
    ("weekdays easy, weekends long", week(E, E, E, E, E, L, L)),
    ("mon to thu easy, fri off, sat intervals, sun long", week(E, E, E, E, R, I, L)),
    ("monday through friday easy except wednesday tempo, sunday long", week(E, E, T, E, E, R, L)),
    ("easy every day except sunday long", week(E, E, E, E, E, E, L)),
    (
        "rest days are monday and friday, tempo tuesday, long sunday, the rest easy",
        week(R, T, E, E, R, E, L),
    ),
    ("Tue: 6x800 on the track\nThu: 5k tempo\nSun: 25k long", week(R, I, R, T, R, R, L)),
    ("tuesday tempo. wednesday rest. thursday easy. sunday long", week(R, T, R, E, R, R, L)),
    ("long slow run on saturday and a threshold on wednesday", week(R, R, T, R, R, L, R)),
    (
        "hills tue, easy wed, fartlek thu, rest fri, parkrun sat, long sun, mon off",
        week(R, I, E, I, R, T, L),
    ),
    ("tempo on tue, intervals on thu, long on sun, easy wed and sat", week(R, T, E, I, R, E, L)),
    ("easy tue, thu, sat and tempo wed", week(R, E, T, E, R, E, R)),
    (
        "MON REST TUE TEMPO WED EASY THU INTERVALS FRI REST SAT EASY SUN LONG",
        week(R, T, E, I, R, E, L),
    ),
    ("sunday long run, tuesday is my club track night", week(R, I, R, R, R, R, L)),
    ("tu tempo th reps su lsr", week(R, T, R, I, R, R, L)),
    (
        "my long run is on sunday and i do intervals on wednesday, other days rest",
        week(R, R, I, R, R, R, L),
    ),
    (
        "yoga monday, tempo tuesday, easy wednesday, intervals thursday, off friday, "
        "easy saturday, long sunday",
        week(X, T, E, I, R, E, L),
    ),
    (
        "Tuesday: tempo\nFriday: intervals\nSunday: long\nWednesday, Saturday: easy",
        week(R, T, E, R, I, E, L),
    ),
    ("race on saturday, easy on tuesday and thursday", week(R, E, R, E, R, T, R)),
    (
        "monday nothing, tuesday threshold, wed nothing, thu easy, fri nothing, sat long, "
        "sun recovery jog",
        week(R, T, R, E, R, L, E),
    ),
    ("speedwork weds, tempo fri, long sun, easy tue and thu", week(R, E, I, E, T, R, L)),
    (
        "tue intervals, thu tempo, sat long, no running on mon or fri, rest easy",
        week(R, I, E, T, R, L, E),
    ),
    ("tempo on the tuesday, long on the sunday, spin class wednesday", week(R, T, X, R, R, R, L)),
    (
        "I usually do easy runs on monday and thursday, a tempo on wednesday and my long run "
        "saturday",
        week(E, R, T, E, R, L, R),
    ),
    (
        "sat long. sun off. tues speed. thurs steady. rest of the week nothing",
        week(R, I, R, E, R, L, R),
    ),
    ("intervals tuesday. long run sunday. oh and easy on friday", week(R, I, R, R, E, R, L)),
    ("wed: hill reps\nsat: long\nsun: easy", week(R, R, I, R, R, L, E)),
    (
        "Tuesday intervals, Thursday tempo, Sunday long, sorry I meant Saturday long",
        week(R, I, R, T, R, L, L),
    ),
    (
        "Intervals Mon / Tempo Thu / Long Sun / Easy Tue+Fri / Rest Wed+Sat",
        week(I, E, R, T, E, R, L),
    ),
    (
        "mon: track, thu: threshold, sun: LSR, tue & fri: easy, wed/sat: rest",
        week(I, E, R, T, E, R, L),
    ),
    ("M intervals, T easy, W off, Th tempo, F easy, Sa off, Su long", week(I, E, R, T, E, R, L)),
    ("easy runs: tue, fri. hard: mon intervals, thu tempo. long: sun", week(I, E, R, T, E, R, L)),
    (
        "Mondays I do intervals, Thursdays tempo, Sundays long. Tuesday and Friday easy, rest on "
        "Wednesday and Saturday.",
        week(I, E, R, T, E, R, L),
    ),
    ("mon easy tue easy wed tempo thu easy fri rest sat long sun rest", week(E, E, T, E, R, L, R)),
]


@pytest.mark.parametrize(("text", "expected"), WEEKS)
def test_a_week_in_the_runners_own_words_is_understood(
    text: str, expected: dict[str, str]
) -> None:
    read = {d.value: k.value for d, k in parse_week(text).items()}
    assert read == expected


CTX = Context(
    today=TODAY,
    zone="Europe/London",
    usual_week={d: DayKind(k) for d, k in zip(WEEKDAYS, (E, T, R, I, R, E, L), strict=True)},
    catalogue=load_catalogue(),
)

PAIN: list[tuple[str, Limitation, int | None]] = [
    ("my knee hurts 6/10", Limitation.KNEE, 6),
    ("knee pain, about a 4", Limitation.KNEE, 4),
    ("left knee is at 7 out of 10 today", Limitation.KNEE, 7),
    ("achilles sore", Limitation.ACHILLES, None),
    ("my achilles is a bit grumpy, maybe 2/10", Limitation.ACHILLES, 2),
    ("calf feels tight", Limitation.CALF, None),
    ("back is tight", Limitation.LOWER_BACK, None),
    ("lower back has been aching since yesterday", Limitation.LOWER_BACK, None),
    ("knee is fine now", Limitation.KNEE, 0),
    ("knee's much better, no pain", Limitation.KNEE, 0),
    ("achilles is ok now", Limitation.ACHILLES, 0),
    ("hip flexor is niggling 3/10", Limitation.HIP, 3),
    ("sharp pain in my knee on the stairs", Limitation.KNEE, None),
    ("shoulder hurts when i lift my arm, 5 out of 10", Limitation.SHOULDER, 5),
    ("hamstring pulled, feels bad", Limitation.HIP, None),
    ("shin splints are playing up", Limitation.ACHILLES, None),
    ("ankle is swollen", Limitation.ACHILLES, None),
    ("my IT band is sore on the outside of my knee", Limitation.KNEE, None),
    ("back pain 8/10", Limitation.LOWER_BACK, 8),
    ("plantar fasciitis flaring up again", Limitation.ACHILLES, None),
]


@pytest.mark.parametrize(("text", "part", "score"), PAIN)
def test_pain_is_read_by_body_part_and_score(
    text: str, part: Limitation, score: int | None
) -> None:
    found = read_intent(text, CTX)
    assert isinstance(found, PainReport)
    assert found.part is part
    if score is not None:
        assert found.score == score
    else:
        assert found.estimated and 1 <= found.score <= 10


READINESS: list[tuple[str, Readiness]] = [
    ("legs are wrecked", Readiness.TIRED),
    ("slept badly", Readiness.TIRED),
    ("only got 4 hours sleep", Readiness.TIRED),
    ("absolutely knackered today", Readiness.TIRED),
    ("feeling a bit run down", Readiness.TIRED),
    ("heavy legs after yesterday", Readiness.TIRED),
    ("bit of a cold coming on", Readiness.TIRED),
    ("legs are so sore from the long run", Readiness.SORE),
    ("got bad doms", Readiness.SORE),
    ("everything aches", Readiness.SORE),
    ("feeling fresh!", Readiness.FRESH),
    ("good to go", Readiness.FRESH),
    ("slept great, feel strong", Readiness.FRESH),
]


@pytest.mark.parametrize(("text", "state"), READINESS)
def test_how_the_runner_feels_today_is_read(text: str, state: Readiness) -> None:
    found = read_intent(text, CTX)
    assert isinstance(found, ReadinessReport)
    assert found.state is state


SWAPS: list[tuple[str, str | None, bool, bool]] = [
    # text, exercise id wanted out, kit limited, always
    ("no rack today", None, True, False),
    ("the squat rack is taken", None, True, False),
    ("swap squats", "back_squat", False, False),
    ("can I swap the deadlifts for something?", "deadlift", False, False),
    ("hotel gym this week", None, True, False),
    ("only have dumbbells today", None, True, False),
    ("at home today, no equipment", None, True, False),
    ("i hate lunges, always swap them", "reverse_lunge", False, True),
    ("replace pull ups please", "pull_up", False, False),
    ("something other than box jumps", "box_jump", False, False),
    ("can't do step ups, no box", "step_up", False, False),
    ("swap the rdl", "romanian_deadlift", False, False),
]


@pytest.mark.parametrize(("text", "exercise", "kit", "always"), SWAPS)
def test_a_swap_names_the_exercise_or_the_kit_there_is(
    text: str, exercise: str | None, kit: bool, always: bool
) -> None:
    found = read_intent(text, CTX)
    assert isinstance(found, SwapRequest)
    if exercise is not None:
        assert found.exercise_id == exercise
    assert (found.kit is not None) is kit
    if kit:
        assert found.kit is not None and Equipment.GYM not in found.kit
    assert found.always is always


WEEK_CHANGES: list[tuple[str, dict[str, str]]] = [
    # usual week: mon easy, tue tempo, wed rest, thu intervals, fri rest, sat easy, sun long
    ("this week my tempo is on thursday", {"thu": T, "tue": I}),
    ("skipped the long run", {"sun": R}),
    ("no intervals this week, I'm away", {"thu": R}),
    ("doing my long run on saturday this week", {"sat": L, "sun": E}),
    ("moving tempo to wednesday this week", {"wed": T, "tue": R}),
    ("missed my tempo", {"tue": R}),
    ("next week the long run is on saturday", {"sat": L, "sun": E}),
    # a skipped run wins over the reason given (which alone would read as a tired day)
    ("skipped the long run this week, sick", {"sun": R}),
    ("missed my long run, was ill", {"sun": R}),
    ("no long run this week", {"sun": R}),
    ("couldn't do my long run on sunday, flu", {"sun": R}),
    ("won't do intervals thursday, feeling ill", {"thu": R}),
    ("can't make the long run sunday, away", {"sun": R}),
    ("cancel thursday's intervals", {"thu": R}),
    ("no long run this week, got a cold", {"sun": R}),
    ("couldn't do my tempo, felt rough", {"tue": R}),
    ("knackered, skipping intervals this week", {"thu": R}),
]


@pytest.mark.parametrize(("text", "days"), WEEK_CHANGES)
def test_a_changed_week_is_read_against_the_usual_one(text: str, days: dict[str, str]) -> None:
    found = read_intent(text, CTX)
    assert isinstance(found, WeekChange)
    assert {d.value: k.value for d, k in found.edit.days.items()} == days
    assert found.edit.reason


RACES: list[tuple[str, RaceAction, RaceDistance | None, date | None]] = [
    ("10k on 12 april", RaceAction.NEW, RaceDistance.TEN_K, date(2027, 4, 12)),
    (
        "signed up for a half marathon on 14 march",
        RaceAction.NEW,
        RaceDistance.HALF_MARATHON,
        date(2027, 3, 14),
    ),
    (
        "I've entered a marathon in 16 weeks",
        RaceAction.NEW,
        RaceDistance.MARATHON,
        date(2027, 3, 23),
    ),
    ("race moved to 3 may", RaceAction.MOVED, None, date(2027, 5, 3)),
    ("my race got postponed to the 20th of june", RaceAction.MOVED, None, date(2027, 6, 20)),
    ("dropped my race", RaceAction.DROPPED, None, None),
    (
        "pulled out of the marathon, not racing this spring",
        RaceAction.DROPPED,
        RaceDistance.MARATHON,
        None,
    ),
    ("ran my 10k yesterday!", RaceAction.DONE, RaceDistance.TEN_K, None),
    ("doing a 5k next saturday", RaceAction.NEW, RaceDistance.FIVE_K, date(2026, 12, 5)),
]


@pytest.mark.parametrize(("text", "action", "distance", "when"), RACES)
def test_a_race_change_is_read(
    text: str, action: RaceAction, distance: RaceDistance | None, when: date | None
) -> None:
    found = read_intent(text, CTX)
    assert isinstance(found, RaceChange)
    assert found.action is action
    if distance is not None:
        assert found.distance is distance
    assert found.race_date == when


DATES: list[tuple[str, date]] = [
    ("next sunday", date(2026, 12, 6)),
    ("12 april", date(2027, 4, 12)),
    ("in 6 weeks", date(2027, 1, 12)),
    ("April 12th", date(2027, 4, 12)),
    ("2027-04-20", date(2027, 4, 20)),
    ("tomorrow", date(2026, 12, 2)),
    ("in a fortnight", date(2026, 12, 15)),
    ("on the 3rd of may", date(2027, 5, 3)),
    ("in five days", date(2026, 12, 6)),
    ("14/03/2027", date(2027, 3, 14)),
]


@pytest.mark.parametrize(("text", "expected"), DATES)
def test_dates_in_words_are_read_from_the_runners_today(text: str, expected: date) -> None:
    assert parse_date_words(text, TODAY, "Europe/London") == expected


NOTHING = [
    "what's the weather like",
    "thanks!",
    "hello coach",
    "how are you",
]


@pytest.mark.parametrize("text", NOTHING)
def test_chat_that_is_not_an_intent_is_left_alone(text: str) -> None:
    assert read_intent(text, CTX) is None


def test_the_corpus_holds_at_least_a_hundred_phrasings() -> None:
    corpora: list[Sized] = [WEEKS, PAIN, READINESS, SWAPS, WEEK_CHANGES, RACES, DATES]
    total = sum(len(corpus) for corpus in corpora) + len(NOTHING)
    assert total >= 100


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("6", 6),
        ("about a 6 out of 10", 6),
        ("six", 6),
        ("7/10", 7),
        ("it's a 3", 3),
        ("0", 0),
        ("pretty bad, 7", 7),
        ("not bad, 3ish", 3),
        ("its about a 5 i guess", 5),
    ],
)
def test_a_typed_answer_to_how_bad_is_a_score(text: str, score: int) -> None:
    assert read_score(text) == score


@pytest.mark.parametrize("text", ["squat 4x5 60", "11", "pretty bad", "done", "my knee hurts, 12"])
def test_what_is_not_a_score_is_left_for_the_other_readers(text: str) -> None:
    assert read_score(text) is None


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("yes", True),
        ("yep, that's right", True),
        ("Looks good!", True),
        ("use this week", True),
        ("that's it", True),
        ("\U0001f44d", True),
        ("no", False),
        ("nope, wrong", False),
        ("squat 4x5 60kg", None),
        ("my knee hurts", None),
    ],
)
def test_is_that_right_is_answered_yes_or_no(text: str, answer: bool | None) -> None:
    assert read_confirmation(text) is answer


def test_on_a_sunday_a_run_moved_this_week_is_about_the_coming_week() -> None:
    sunday = Context(
        today=date(2026, 12, 6),
        zone="Europe/London",
        usual_week=CTX.usual_week,
        catalogue=CTX.catalogue,
    )
    found = read_intent("tempo's on wednesday this week instead of tuesday", sunday)
    assert isinstance(found, WeekChange) and found.edit.scope is WeekScope.NEXT
    # a run missed earlier in the week is still about this one
    missed = read_intent("missed my tempo", sunday)
    assert isinstance(missed, WeekChange) and missed.edit.scope is WeekScope.THIS


def test_a_session_asked_for_another_day_never_rests_the_runs() -> None:
    text = "cant do it today, work is mental. can i do it thursday instead?"
    assert not isinstance(read_intent(text, CTX), WeekChange)


def test_a_race_month_without_its_day_is_never_a_guessed_date() -> None:
    """ "10k in april" in the chat is a race still without its date (the bot asks), not the
    6th or the 1st of April."""
    found = read_intent("my 10k is in april", CTX)
    assert isinstance(found, RaceChange) and found.race_date is None
    assert parse_date_words("half in june 2027", TODAY) is None
    assert parse_date_words("half on 26 april", TODAY) == date(2027, 4, 26)
