"""The session-action registry: each entry is a button under a reminder that a runner can press.

Start, Snooze, Skip and Move have their own journeys in test_reminders.py; here: readiness and
swap from the reminder, what is offered when, keys that messages already sent carry, and the
"Add a session action" recipe (one entry, nothing else).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.context import RunliftApplication
from bot.services.container import Services
from bot.services.session_buttons import ButtonResult, Outcome
from handlers import session_actions
from handlers.callbacks import EXPIRED, Action, encode
from handlers.session_actions import SESSION_ACTIONS, Reply, SessionAction
from tests.fakes import ChatHarness, MutableClock
from tests.handlers.test_reminders import RUNNER, at, reminded
from tests.scheduler.support import SEED_WEEK, onboard


async def test_tired_under_the_reminder_trims_that_session_and_keeps_the_buttons(
    app: RunliftApplication, services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    await onboard(services)
    reminder = await reminded(app, services, clock, harness, at(13))
    assert "Power" in reminder.text
    sent = await harness.press(RUNNER, "😴 Tired")
    text = "\n".join(m.text for m in sent)
    assert "trimmed" in text and "Session A" in text and "Power" not in text
    assert harness.request.messages[reminder.message_id].buttons()  # Move is still there
    await harness.press(RUNNER, "😀 Fresh", message_id=reminder.message_id)
    assert "Power" in harness.last(RUNNER).text  # changed their mind: the full session again


async def test_swap_under_the_reminder_offers_that_sessions_exercises(
    app: RunliftApplication, services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    await onboard(services)
    await reminded(app, services, clock, harness, at(13))
    await harness.press(RUNNER, "🔁 Swap an exercise")
    offer = harness.last(RUNNER)
    assert "Which exercise of Tuesday 24 Nov's session" in offer.text
    assert "Back squat" in [label for label, _ in offer.buttons()]


async def test_a_sunday_session_is_not_offered_move_to_tomorrow(
    app: RunliftApplication, services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    week = {**SEED_WEEK, "tue": "easy", "thu": "tempo", "fri": "easy", "sun": "intervals"}
    await onboard(services, week=week, run_times={"thu": "12:00", "sun": "12:00"})
    reminder = await reminded(app, services, clock, harness, at(13, day=29))
    labels = [label for label, _ in reminder.buttons()]
    assert "📅 Move to tomorrow" not in labels and "⏭ Skip today" in labels


async def test_a_press_after_the_day_is_over_gets_a_short_answer(
    app: RunliftApplication, services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    await onboard(services)
    reminder = await reminded(app, services, clock, harness, at(13))
    clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    await harness.press(RUNNER, "😴 Tired", message_id=reminder.message_id)
    assert (
        harness.callback_answers()[-1]
        == "That day is over; the plan goes on (no need to make it up)."
    )


async def test_keys_of_buttons_already_sent_keep_their_meaning() -> None:
    """Reminders in runners' chats carry these keys; renaming one breaks their buttons."""
    keys = [action.key for action in SESSION_ACTIONS]
    assert {"start", "snooze", "skip", "move"} <= set(keys)
    assert len(keys) == len(set(keys))


async def test_an_unknown_key_is_answered_as_expired(
    app: RunliftApplication, services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    await onboard(services)
    reminder = await reminded(app, services, clock, harness, at(13))
    session_id = int(str(reminder.buttons()[0][1]).split(":")[3])
    await harness.press_data(
        RUNNER, reminder.message_id, encode(Action.SESSION, RUNNER, session_id, "retired")
    )
    assert harness.callback_answers()[-1] == EXPIRED


async def test_adding_a_session_action_is_one_entry(
    app: RunliftApplication,
    services: Services,
    clock: MutableClock,
    harness: ChatHarness,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """CONTRIBUTING.md's recipe: an entry alone puts the button on the reminder and runs it."""
    pressed: list[int] = []

    async def note(services: Services, owner_id: int, session_id: int) -> ButtonResult:
        pressed.append(session_id)
        return ButtonResult(Outcome.OK)

    entry = SessionAction(
        "note", "📝 Note", row=4, use_case=note, reply=lambda result: Reply("Noted.", "Noted!")
    )
    actions = (*SESSION_ACTIONS, entry)
    monkeypatch.setattr(session_actions, "SESSION_ACTIONS", actions)
    monkeypatch.setattr(session_actions, "BY_KEY", {a.key: a for a in actions})
    await onboard(services)
    reminder = await reminded(app, services, clock, harness, at(13))
    assert reminder.buttons()[-1][0] == "📝 Note"
    await harness.press(RUNNER, "📝 Note")
    assert pressed and harness.callback_answers()[-1] == "Noted."
    assert harness.last(RUNNER).text == "Noted!"
