"""`runlift run` as a real process over HTTP: it starts, sets its menu, and answers a runner."""

from __future__ import annotations

import socket

import pytest

from devtools.localapi import LocalBotApi
from tests.e2e.conftest import TOKEN, StartBot, wait_for_text
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


async def test_webhook_mode_receives_updates_and_answers(
    start_bot: StartBot, client: LocalApiClient, local_api: LocalBotApi
) -> None:
    port = _free_port()
    await start_bot(WEBHOOK_URL=f"http://127.0.0.1:{port}", WEBHOOK_PORT=str(port))
    info = await local_api.call(TOKEN, "getWebhookInfo", {})
    assert info["url"] == f"http://127.0.0.1:{port}/{TOKEN.split(':')[0]}"
    await client.create_user(RUNNER + 2, first_name="Wes")
    sent = await client.send_text(RUNNER + 2, "/help")
    await wait_for_text(client, RUNNER + 2, "/plan", after=sent["message_id"])
    assert local_api.stats()["webhook_deliveries"] >= 1


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
