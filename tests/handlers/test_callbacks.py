"""Callback data: versioned, ≤ 64 bytes for every button we build, owner checked on every press."""

from __future__ import annotations

import pytest

from handlers import session_actions
from handlers.callbacks import (
    LONGEST_OWNER_ID,
    MAX_CALLBACK_BYTES,
    STALE_VERSION,
    VERSION,
    Action,
    decode,
    encode,
)
from tests.fakes import ChatHarness
from tests.handlers.onboarding_steps import onboard_by_buttons

UID = 801
LONGEST_ID = 2**31 - 1


def test_round_trip_carries_version_action_owner_and_args() -> None:
    data = encode(Action.SESSION, UID, 42, "snooze")
    assert data == f"{VERSION}:rs:{UID}:42:snooze"
    decoded = decode(data)
    assert decoded is not None
    assert (decoded.action, decoded.owner_id, decoded.args) == (
        Action.SESSION,
        UID,
        ("42", "snooze"),
    )


@pytest.mark.parametrize(
    "data", [None, "", "rs:801:42", "0:rs:801:42", f"{VERSION}:zz:801", f"{VERSION}:rs:me:1"]
)
def test_older_formats_and_garbage_are_not_read(data: str | None) -> None:
    assert decode(data) is None


def test_overflow_raises_when_the_button_is_built() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        encode(Action.ONBOARDING, LONGEST_OWNER_ID, "x" * MAX_CALLBACK_BYTES)
    with pytest.raises(ValueError, match="must not contain"):
        encode(Action.ONBOARDING, UID, "a:b")


def test_every_action_fits_with_the_longest_owner_id() -> None:
    for action in Action:
        assert len(encode(action, LONGEST_OWNER_ID, LONGEST_ID, LONGEST_ID).encode()) <= 64


def test_reminder_keyboards_fit_with_the_longest_ids() -> None:
    markup = session_actions.session_keyboard(LONGEST_OWNER_ID, LONGEST_ID)
    for row in markup.inline_keyboard:
        for button in row:
            assert len(str(button.callback_data).encode()) <= MAX_CALLBACK_BYTES


async def test_a_button_from_an_older_release_is_answered_politely(harness: ChatHarness) -> None:
    await onboard_by_buttons(harness, UID)
    last = harness.last(UID)
    for old in (f"rs:{UID}:1", f"ob:{UID}:week:done", f"ld:{UID}:3", f"0:rs:{UID}:1:start"):
        await harness.press_data(UID, last.message_id, old)
    assert harness.callback_answers()[-4:] == [STALE_VERSION] * 4
