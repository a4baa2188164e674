"""The question registry: order and follow-ups derived from it, every button fits, and the recipe
"Add an onboarding question" (CONTRIBUTING.md) proven with a throw-away question."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

import pytest

from bot.core.answers import AnswerError
from bot.core.domain.statuses import DraftKind
from bot.services.onboarding import EDITING, END, SUMMARY
from handlers.callbacks import LONGEST_OWNER_ID, MAX_CALLBACK_BYTES
from handlers.questions import REGISTRY, Answer, Asking, Question, Questions, Rows, question
from tests.fakes import ChatHarness
from tests.handlers.onboarding_steps import TYPED_ANSWERS

UID = 611


def test_question_order_with_follow_ups() -> None:
    data: dict[str, object] = {"race_distance": "marathon", "goal": None}
    assert REGISTRY.next_step(DraftKind.ONBOARDING, "goal", data) == "race_date"
    assert REGISTRY.next_step(DraftKind.ONBOARDING, "race_date", data) == "experience"
    assert REGISTRY.previous_step(DraftKind.ONBOARDING, "experience", data) == "race_date"
    separate = {"placement": "separate_days"}
    assert REGISTRY.next_step(DraftKind.ONBOARDING, "placement", separate) == "session_time"
    assert REGISTRY.next_step(DraftKind.ONBOARDING, "session_time", separate) == "limitations"
    assert REGISTRY.next_step(DraftKind.ONBOARDING, "units", {}) == SUMMARY
    assert REGISTRY.previous_step(DraftKind.ONBOARDING, "week", {}) is None
    assert REGISTRY.next_step(DraftKind.ONBOARDING, "units", {EDITING: True}) == SUMMARY
    assert REGISTRY.next_step(DraftKind.ONBOARDING, "week", {EDITING: True}) == SUMMARY
    assert REGISTRY.next_step(DraftKind.SETTINGS, "units", {}) == END


def test_the_order_runners_see_is_the_registry_order() -> None:
    assert list(REGISTRY.titles()) == [
        "week",
        "run_time",
        "timezone",
        "goal",
        "experience",
        "equipment",
        "sessions",
        "placement",
        "limitations",
        "units",
    ]
    assert REGISTRY.previous_step(DraftKind.ONBOARDING, SUMMARY, {}) == "units"
    assert REGISTRY.previous_step(DraftKind.ONBOARDING, "experience", {"goal": {"x": 1}}) == "goal"


def test_every_button_of_every_question_fits_in_64_bytes() -> None:
    data: dict[str, Any] = {"race_distance": "marathon", "placement": "separate_days"}
    for kind in (DraftKind.ONBOARDING, DraftKind.SETTINGS):
        asking = Asking(kind, LONGEST_OWNER_ID, date(2026, 12, 1), "America/Los_Angeles")
        for entry in REGISTRY.entries:
            _, markup = question(entry.key, data, asking)  # encode raises on overflow
            for row in markup.inline_keyboard:
                for button in row:
                    assert len(str(button.callback_data).encode()) <= MAX_CALLBACK_BYTES


def test_a_broken_registry_is_refused() -> None:
    with pytest.raises(ValueError, match="unique"):
        Questions([*REGISTRY.entries, REGISTRY.get("units")])
    with pytest.raises(ValueError, match="follow-up"):
        Questions([*REGISTRY.entries, Question("x", "x", _ask_shoes, _apply_shoes, follows="zz")])


# --- the recipe: a throw-away question, one entry -------------------------------------------

SHOES = {"road": "Road", "trail": "Trail"}


def _ask_shoes(data: Mapping[str, Any], asking: Asking) -> tuple[str, Rows]:
    buttons = [asking.button(label, "shoes", value) for value, label in SHOES.items()]
    return "<b>Road or trail?</b>", [buttons]


def _apply_shoes(data: dict[str, Any], answer: Answer, asking: Asking) -> None:
    value = (answer.text or answer.arg).strip().casefold()
    if value not in SHOES:
        raise AnswerError("Road or trail? Tap one.")
    data["shoes"] = value


@pytest.fixture
def shoes() -> Iterator[Question]:
    entry = Question(
        key="shoes",
        field="shoes",
        title="Shoes",
        prompt=_ask_shoes,
        apply=_apply_shoes,
        describe=lambda data: SHOES.get(str(data.get("shoes")), "—"),
    )
    with REGISTRY.added(entry, after="goal"):
        yield entry
    assert "shoes" not in REGISTRY


async def test_an_added_question_is_asked_summarised_changed_and_offered_in_settings(
    harness: ChatHarness, shoes: Question
) -> None:
    await harness.send(UID, "/start")
    for text in TYPED_ANSWERS[:4]:  # week, time, zone, goal
        await harness.send(UID, text)
    assert "Road or trail?" in harness.last(UID).text
    await harness.send(UID, "banana")
    assert "Tap one" in harness.texts(UID)[-2] and "Road or trail?" in harness.last(UID).text
    await harness.press(UID, "⬅ Back")
    assert "training for a race" in harness.last(UID).text
    await harness.send(UID, TYPED_ANSWERS[3])
    await harness.press(UID, "Trail")
    assert "How much have you lifted" in harness.last(UID).text
    await harness.press(UID, "⬅ Back")
    assert "Road or trail?" in harness.last(UID).text
    await harness.press(UID, "Trail")
    for text in TYPED_ANSWERS[4:-1]:
        await harness.send(UID, text)
    assert "<b>Goal:</b> Half marathon on 14 March 2027\n<b>Shoes:</b> Trail" in (
        harness.last(UID).text
    )
    await harness.press(UID, "✏️ Change something")
    await harness.press(UID, "Shoes")
    await harness.press(UID, "Road")
    assert "<b>Shoes:</b> Road" in harness.last(UID).text
    await harness.send(UID, "yes")
    assert any("All set!" in t for t in harness.texts(UID)[-3:])
    await harness.send(UID, "/settings")
    assert "<b>Shoes:</b>" in harness.last(UID).text
    await harness.press(UID, "Shoes")
    assert "Road or trail?" in harness.last(UID).text
    await harness.press(UID, "Trail")
    assert "Saved" in "\n".join(harness.texts(UID)[-2:])
