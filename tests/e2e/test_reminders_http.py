"""A tempo run finished just now: the session reminder, then the log prompt, arrive over HTTP."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.ports import OffsetClock
from tests.e2e.conftest import StartBot, wait_for_text
from tests.localapi_client import LocalApiClient

pytestmark = pytest.mark.e2e

RUNNER = 8301


async def _answer(client: LocalApiClient, text: str) -> None:
    sent = await client.send_text(RUNNER, text)
    await wait_for_text(client, RUNNER, "", after=sent["message_id"])


async def test_reminder_then_log_prompt_after_a_tempo_run_today(
    start_bot: StartBot, client: LocalApiClient, bot_clock: OffsetClock
) -> None:
    local = bot_clock.now().astimezone(ZoneInfo("Europe/London"))
    if local.hour == 23 and local.minute >= 55:
        pytest.skip("too close to local midnight for a same-day reminder")
    today = local.strftime("%a").lower()[:3]
    later = (local + timedelta(days=3)).strftime("%a").lower()[:3]
    bot = await start_bot(
        REMINDER_DELAY_MINUTES="0", LOG_PROMPT_DELAY_MINUTES="0", QUIET_HOURS="off"
    )
    await client.create_user(RUNNER, first_name="Tess")
    for text in (
        "/start",
        f"{today} tempo, {later} intervals, rest otherwise",
        local.strftime("%H:%M"),  # finished running just now
        "London",
        "general fitness",
        "some",
        "full gym",
        "2",
        "after hard runs",
        "none",
        "kg",
    ):
        await _answer(client, text)
    confirm = await client.send_text(RUNNER, "yes")
    await wait_for_text(client, RUNNER, "All set", after=confirm["message_id"])

    reminder = await wait_for_text(
        client, RUNNER, "here's today's session", after=confirm["message_id"], within=45
    )
    labels = [b["text"] for row in reminder["reply_markup"]["inline_keyboard"] for b in row]
    assert any("Snooze" in label for label in labels)
    assert any("Skip" in label for label in labels)

    prompt = await wait_for_text(
        client, RUNNER, "strength session go?", after=reminder["message_id"], within=45
    )
    labels = [b["text"] for row in prompt["reply_markup"]["inline_keyboard"] for b in row]
    assert any("Done as planned" in label for label in labels)

    history = await client.history(RUNNER)
    texts = [str(m["text"]) for m in history if m["from_bot"]]
    assert sum("Here's today's session" in text for text in texts) == 1, "sent once"
    assert sum("strength session go?" in text for text in texts) == 1, "asked once"

    # the runner replies with their reps: stored, confirmed, and next week's squat goes up
    reply = await client.send_text(RUNNER, "squat 3x8 60kg")
    confirmation = await wait_for_text(client, RUNNER, "Logged", after=reply["message_id"])
    assert "Back squat 3x8 @ 60 kg" in confirmation["text"]
    assert "Back squat 62.5 kg" in confirmation["text"]

    export = await client.send_text(RUNNER, "/export")
    document = await wait_for_text(client, RUNNER, "every set", after=export["message_id"])
    rows = (await client.download(document["file_url"])).decode().splitlines()
    assert rows[0].startswith("date,exercise,set_number")
    assert sum(",Back squat," in row and ",60.0," in row for row in rows) == 3
    assert "Traceback" not in bot.log()
