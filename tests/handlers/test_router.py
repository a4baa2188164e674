"""One message, one reading: the open question first, then a set log, then an intent, then help."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.domain.logs import ParsedLog
from bot.services.container import Services
from tests.fakes import ChatHarness, SentMessage
from tests.handlers.onboarding_steps import onboard_by_buttons

UID = 907


def texts(sent: list[SentMessage]) -> str:
    return "\n".join(m.text for m in sent)


async def test_a_skipped_long_run_while_sick_changes_the_week_not_todays_logged_session(
    harness: ChatHarness,
) -> None:
    await onboard_by_buttons(harness, UID)
    await harness.send(UID, "squat 3x5 60kg")
    before = texts(await harness.send(UID, "/today"))
    sent = texts(await harness.send(UID, "skipped the long run this week, sick"))
    assert "long run" in sent and "trimmed" not in sent
    after = texts(await harness.send(UID, "/today"))
    assert after == before and "Power" in after and "Back squat 3 × 6–8" in after


async def test_a_typed_score_answers_how_bad_after_pain_and_a_tapped_part(
    harness: ChatHarness,
) -> None:
    await onboard_by_buttons(harness, UID)
    await harness.send(UID, "/pain")
    asked = texts(await harness.press(UID, "Knee"))
    assert "How bad is your knee, 0–10?" in asked
    sent = texts(await harness.send(UID, "6"))
    assert "couldn't log" not in sent and "Which exercise" not in sent
    assert "knee" in sent and "6/10" in sent


async def test_a_score_in_words_answers_how_bad_after_pain_with_a_part(
    harness: ChatHarness,
) -> None:
    await onboard_by_buttons(harness, UID)
    assert "How bad is your Achilles" in texts(await harness.send(UID, "/pain achilles"))
    sent = texts(await harness.send(UID, "about a 6 out of 10"))
    assert "At 6/10" in sent and "Achilles" in sent and "couldn't log" not in sent


async def test_the_question_is_asked_once_so_the_next_set_line_is_a_log(
    harness: ChatHarness,
) -> None:
    await onboard_by_buttons(harness, UID)
    await harness.send(UID, "/pain knee")
    await harness.send(UID, "4")
    sent = texts(await harness.send(UID, "squat 3x5 60kg"))
    assert "Logged" in sent


async def test_yes_to_is_that_right_changes_the_usual_week(harness: ChatHarness) -> None:
    await onboard_by_buttons(harness, UID)
    await harness.send(UID, "/week")
    table = texts(await harness.send(UID, "mon intervals, thu tempo, sat long, easy otherwise"))
    assert "Is that right?" in table
    sent = texts(await harness.send(UID, "yep, that's right"))
    assert "your usual week is now" in sent and "couldn't log" not in sent
    plan = texts(await harness.send(UID, "/plan"))
    assert "Monday 30 Nov" in plan and "Thursday 3 Dec" in plan


async def test_no_to_is_that_right_keeps_the_week(harness: ChatHarness) -> None:
    await onboard_by_buttons(harness, UID)
    await harness.send(UID, "/week mon intervals, thu tempo, sun long, easy otherwise")
    sent = texts(await harness.send(UID, "no"))
    assert "stays as it was" in sent
    plan = texts(await harness.send(UID, "/plan"))
    assert "Tuesday 1 Dec" in plan and "Monday 30 Nov" not in plan


async def test_one_typed_set_line_is_parsed_once_over_four_database_checkouts(
    harness: ChatHarness, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read once: the open questions in one statement, the line parsed once, stored once."""
    from sqlalchemy import event

    from bot.core import setlog
    from bot.services import set_logging as log_service

    await onboard_by_buttons(harness, UID)
    checkouts: list[str] = []
    db = services.db
    # on PostgreSQL the three share the writer's pool: each checkout is counted once
    pools: dict[Any, str] = {}
    for name, engine in {
        "write": db.engine,
        "read": db.read_engine,
        "peek": db.peek_engine,
    }.items():
        pools.setdefault(engine.sync_engine.pool, name)
    for pool, name in pools.items():
        event.listen(pool, "checkout", lambda *_, name=name: checkouts.append(name))
    parses: list[str] = []
    original = setlog.parse_set_log

    def counting(text: str, **kwargs: Any) -> ParsedLog:
        parses.append(text)
        return original(text, **kwargs)

    monkeypatch.setattr(setlog, "parse_set_log", counting)
    monkeypatch.setattr(log_service, "parse_set_log", counting)
    sent = texts(await harness.send(UID, "squat 3x5 60kg"))
    assert "Logged" in sent
    assert len(parses) == 1
    assert len(checkouts) <= 4, checkouts


async def test_a_bare_score_after_pain_asks_which_part_again(harness: ChatHarness) -> None:
    await onboard_by_buttons(harness, UID)
    await harness.send(UID, "/pain")
    sent = texts(await harness.send(UID, "6"))
    assert "Which part hurts?" in sent and "couldn't log" not in sent
    answer = texts(await harness.send(UID, "knee, 6"))
    assert "At 6/10" in answer


async def test_undo_typed_takes_back_the_last_log_as_the_command_does(
    harness: ChatHarness, services: Services
) -> None:
    from bot.storage import set_logs

    await onboard_by_buttons(harness, UID)
    await harness.send(UID, "squat 3x5 60kg")
    sent = texts(await harness.send(UID, "undo"))
    assert "couldn't log" not in sent
    async with services.db.session() as session:
        assert list(await set_logs.all_sets(session, UID)) == []
