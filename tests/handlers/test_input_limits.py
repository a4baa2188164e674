"""An over-long message gets one short answer and reaches no reader; dates are read only from
short text (dateparser held the event loop for seconds on a 4,096-character `/race`)."""

from __future__ import annotations

from typing import Any

import dateparser
import dateparser.search
import pytest

from bot.services.container import Services
from handlers.input_limits import MAX_INPUT, TOO_LONG
from tests.fakes import ChatHarness
from tests.scheduler.support import onboard

RUNNER = 42


@pytest.fixture
def date_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The length of every text handed to dateparser."""
    lengths: list[int] = []
    parse, search = dateparser.parse, dateparser.search.search_dates

    def spy_parse(text: str, *args: Any, **kwargs: Any) -> Any:
        lengths.append(len(text))
        return parse(text, *args, **kwargs)

    def spy_search(text: str, *args: Any, **kwargs: Any) -> Any:
        lengths.append(len(text))
        return search(text, *args, **kwargs)

    monkeypatch.setattr(dateparser, "parse", spy_parse)
    monkeypatch.setattr(dateparser.search, "search_dates", spy_search)
    return lengths


@pytest.mark.parametrize(
    "text",
    ["/race " + "1 " * 2045, "squat 4x5 " + "<" * 4000, "x" * 4096, "10k race on " + "1 " * 600],
    ids=["race-command", "set-log", "gibberish", "race-in-words"],
)
async def test_an_over_long_message_gets_one_short_answer_and_no_reader(
    services: Services, harness: ChatHarness, date_reads: list[int], text: str
) -> None:
    await onboard(services, RUNNER)
    sent = await harness.send(RUNNER, text)
    assert [m.text for m in sent] == [TOO_LONG]
    assert date_reads == []


async def test_a_long_race_text_under_the_cap_is_not_handed_to_dateparser(
    services: Services, harness: ChatHarness, date_reads: list[int]
) -> None:
    await onboard(services, RUNNER)
    text = "/race " + "1 " * ((MAX_INPUT - 10) // 2)
    sent = await harness.send(RUNNER, text)
    assert sent and all(len(m.text) < 500 and "1 1 1 1" not in m.text for m in sent)
    assert all(length <= 200 for length in date_reads), date_reads


async def test_a_race_in_a_few_words_is_still_read(
    services: Services, harness: ChatHarness, date_reads: list[int]
) -> None:
    await onboard(services, RUNNER)
    sent = await harness.send(RUNNER, "/race 10k on 12 april")
    assert "12 Apr" in sent[-1].text or "April" in sent[-1].text, [m.text for m in sent]
    assert date_reads
