"""`runlift run` as a real process over HTTP: it starts, sets its menu, and answers a runner."""

from __future__ import annotations

import pytest

from bot.localapi import LocalBotApi
from tests.e2e.conftest import StartBot, wait_for_text
from tests.localapi_client import LocalApiClient

pytestmark = pytest.mark.e2e

RUNNER = 7001


async def test_start_and_help_over_http(
    start_bot: StartBot, client: LocalApiClient, local_api: LocalBotApi
) -> None:
    bot = await start_bot()
    commands = [entry["command"] for entry in await client.commands()]
    assert {"start", "plan", "today", "help", "settings"} <= set(commands)

    await client.create_user(RUNNER, first_name="Ada")
    sent = await client.send_text(RUNNER, "/start")
    replies = await client.wait_for_bot_messages(RUNNER, after=sent["message_id"], timeout=10)
    assert replies, f"no answer to /start:\n{bot.log()}"
    assert "Ada" in replies[0]["text"] or "week" in replies[0]["text"].lower()

    sent = await client.send_text(RUNNER, "/help")
    await wait_for_text(client, RUNNER, "/plan", after=sent["message_id"])
    assert "Traceback" not in bot.log()
    assert await bot.stop() == 0


async def test_unknown_command_and_gibberish_are_answered(
    start_bot: StartBot, client: LocalApiClient
) -> None:
    await start_bot()
    await client.create_user(RUNNER + 1, first_name="Bo")
    sent = await client.send_text(RUNNER + 1, "/teleport")
    reply = await wait_for_text(client, RUNNER + 1, "/help", after=sent["message_id"])
    assert "I don't know /teleport" in reply["text"]
