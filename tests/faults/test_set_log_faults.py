"""The Bot API failing on the answer to a set log: the log is kept once, and the apology says
it was saved instead of asking for it again."""

from __future__ import annotations

import pytest
from telegram import Update
from telegram.error import NetworkError

from bot.context import RunliftApplication
from bot.services import set_logging as logging_service
from bot.services.container import Services
from bot.storage import set_logs
from tests.fakes import ChatHarness, RecordingRequest
from tests.scheduler.support import onboard

RUNNER = 42


async def _sets(services: Services) -> int:
    async with services.db.session() as session:
        return len(await set_logs.all_sets(session, RUNNER))


@pytest.mark.expect_handler_error(NetworkError, reason="the Bot API fails on the confirmation")
async def test_a_log_whose_confirmation_failed_is_apologised_for_as_saved_and_kept_once(
    app: RunliftApplication,
    services: Services,
    harness: ChatHarness,
    request_recorder: RecordingRequest,
) -> None:
    await onboard(services)
    await harness.api.create_user(RUNNER)
    await harness.api.send_text(RUNNER, "squat 3x5 60kg")
    update = harness.api.updates[-1].payload  # what Telegram would deliver again
    request_recorder.fail_next["sendMessage"] = (502, "Bad Gateway", None)
    await harness._handle_pending()  # the bot fetches and handles the update

    [apology] = [m.text for m in harness.chat(RUNNER)]
    assert "saved" in apology.lower()
    assert "try again" not in apology.lower()
    assert await _sets(services) == 3

    await app.process_update(Update.de_json(update, app.bot))  # delivered a second time
    assert await _sets(services) == 3
    assert "Logged" in harness.chat(RUNNER)[-1].text


@pytest.mark.expect_handler_error(NetworkError, reason="the Bot API fails on the answer")
async def test_a_failure_before_anything_was_stored_still_asks_to_send_it_again(
    services: Services, harness: ChatHarness, request_recorder: RecordingRequest
) -> None:
    request_recorder.fail_next["sendMessage"] = (502, "Bad Gateway", None)
    await harness.send(RUNNER, "/help")  # nothing stored: sending it again is right
    [apology] = [m.text for m in harness.chat(RUNNER)]
    assert "try again" in apology.lower()
    assert not await logging_service.stored_from_message(services, RUNNER, 1)
