"""Whatever a runner types, the readers answer with a value or their own error, never a crash."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.catalogue.loader import load_catalogue
from bot.core.domain.profile import WEEKDAYS, DayKind
from bot.core.language.intents import Context, read_confirmation, read_intent, read_score
from bot.core.language.week import WeekWordsError, parse_week_words

CTX = Context(
    today=date(2026, 12, 1),
    zone="Europe/London",
    usual_week=dict.fromkeys(WEEKDAYS, DayKind.EASY),
    catalogue=load_catalogue(),
)
_VOCABULARY = (
    "mon tue thu sun tempo long easy off rest and , . - / knee 6/10 sore swap squats no rack "
    "this week skipped race 10k on 12 april actually is the my legs wrecked 😀 ÿ 999 x"
)
WORDS = st.sampled_from(_VOCABULARY.split(" "))
TEXT = st.one_of(st.text(max_size=80), st.lists(WORDS, max_size=14).map(" ".join))


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_the_week_reader_returns_a_week_or_says_what_it_needs(text: str) -> None:
    try:
        reading = parse_week_words(text)
    except WeekWordsError as error:
        reason = error.reason
    else:
        assert set(reading.full()) == set(WEEKDAYS)
        return
    assert reason


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_intents_never_raise(text: str) -> None:
    read_intent(text, CTX)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 10),
    st.sampled_from(("{}", "{}/10", "about a {} out of 10", "a {}", "maybe {}ish", "it's {}")),
)
def test_any_score_on_the_scale_answers_how_bad(score: int, phrasing: str) -> None:
    """X2: however the runner phrases a 0–10 score, "How bad is it?" gets that score."""
    assert read_score(phrasing.format(score)) == score


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_the_answer_readers_never_raise(text: str) -> None:
    score = read_score(text)
    assert score is None or 0 <= score <= 10
    assert read_confirmation(text) in (True, False, None)
