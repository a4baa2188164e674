"""What every runner gets in any flow: /help, the command menu, and no message unanswered."""

from __future__ import annotations

import pytest
from telegram import Update
from telegram.ext import CommandHandler

from bot.context import RunliftApplication, RunliftContext
from tests.fakes import ChatHarness, RecordingRequest

RUNNER = 501


async def test_help_lists_the_commands(harness: ChatHarness) -> None:
    sent = await harness.send(RUNNER, "/help")
    assert len(sent) == 1
    assert "/start" in sent[0].text
    assert "squat 4x5 60kg" in sent[0].text


async def test_command_menu_is_set_on_start(
    app: object, request_recorder: RecordingRequest
) -> None:
    menus = [params for method, params in request_recorder.calls if method == "setMyCommands"]
    assert menus, "setMyCommands was not called on start"
    names = [command["command"] for command in menus[-1]["commands"]]
    for expected in ("start", "plan", "today", "settings", "help", "pause", "resume", "export"):
        assert expected in names


async def test_unknown_command_gets_a_pointer_to_help(harness: ChatHarness) -> None:
    sent = await harness.send(RUNNER, "/frobnicate now")
    assert len(sent) == 1
    assert "I don't know /frobnicate" in sent[0].text
    assert "/help" in sent[0].text


async def test_a_garbled_button_is_answered_not_crashed(harness: ChatHarness) -> None:
    shown = await harness.send(RUNNER, "/help")
    await harness.press_data(RUNNER, shown[0].message_id, "\x00not-ours::")
    assert harness.callback_answers(), "the button press got no answer"


@pytest.mark.expect_handler_error(RuntimeError, reason="the test handler raises on purpose")
async def test_an_unexpected_error_is_apologised_for_without_a_traceback(
    app: RunliftApplication, harness: ChatHarness
) -> None:
    async def explode(update: Update, context: RunliftContext) -> None:
        raise RuntimeError("database on fire")

    app.add_handler(CommandHandler("explode", explode), group=-5)
    sent = await harness.send(RUNNER, "/explode")
    texts = [message.text for message in sent]
    assert any("something went wrong" in text for text in texts)
    assert not any("database on fire" in text or "Traceback" in text for text in texts)


async def test_cancel_with_nothing_in_progress_says_so(harness: ChatHarness) -> None:
    sent = await harness.send(RUNNER, "/cancel")
    assert len(sent) == 1
    assert "Nothing to cancel" in sent[0].text
