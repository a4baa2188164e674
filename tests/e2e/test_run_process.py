"""`runlift run` as a real process over HTTP: it starts, sets its menu, and answers a runner."""

from __future__ import annotations

import asyncio
import socket
from datetime import UTC, datetime

import aiohttp
import pytest
from telegram import Chat, Message, MessageEntity, Update, User

from devtools.localapi import LocalBotApi
from tests.e2e.conftest import TOKEN, StartBot, wait_for_text
from tests.localapi_client import LocalApiClient

pytestmark = pytest.mark.e2e

RUNNER = 7001
WEBHOOK_SECRET = "e2e-webhook-secret_0123456789abcdef"


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
    await start_bot(
        WEBHOOK_URL=f"http://127.0.0.1:{port}",
        WEBHOOK_PORT=str(port),
        WEBHOOK_SECRET=WEBHOOK_SECRET,
    )
    info = await local_api.call(TOKEN, "getWebhookInfo", {})
    assert info["url"] == f"http://127.0.0.1:{port}/{TOKEN.split(':')[0]}"
    assert local_api.webhook_secret == WEBHOOK_SECRET  # its own secret, nothing of the token
    await client.create_user(RUNNER + 2, first_name="Wes")
    sent = await client.send_text(RUNNER + 2, "/help")
    await wait_for_text(client, RUNNER + 2, "/plan", after=sent["message_id"])
    assert local_api.stats()["webhook_deliveries"] >= 1


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Telegram-Bot-Api-Secret-Token": "not-the-secret-0123456789abcdefghij"}],
    ids=["no-secret-header", "wrong-secret-header"],
)
async def test_a_webhook_update_without_the_secret_is_refused_and_not_answered(
    start_bot: StartBot,
    client: LocalApiClient,
    local_api: LocalBotApi,
    headers: dict[str, str],
) -> None:
    port = _free_port()
    bot = await start_bot(
        WEBHOOK_URL=f"http://127.0.0.1:{port}",
        WEBHOOK_PORT=str(port),
        WEBHOOK_SECRET=WEBHOOK_SECRET,
    )
    victim = RUNNER + 3
    await client.create_user(victim, first_name="Vi")
    forged = _command_update(victim, "/help")
    url = f"http://127.0.0.1:{port}/{TOKEN.split(':')[0]}"
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=forged, headers=headers) as response,
    ):
        assert response.status in (401, 403), await response.text()

    # A real update through Telegram (the local server sends the secret) is answered; by then
    # the forged one would have been answered too, had it been processed.
    sent = await client.send_text(victim, "/today")
    await wait_for_text(client, victim, "/start", after=sent["message_id"])
    await asyncio.sleep(0.5)
    answers = await client.wait_for_bot_messages(victim, after=0, timeout=0.1, count=99)
    assert len(answers) == 1, [m.get("text") for m in answers]
    assert "/plan" not in str(answers[0].get("text")), "the forged /help was answered"
    assert "Traceback" not in bot.log()


def _command_update(user_id: int, command: str) -> str:
    """A Bot API update as Telegram would POST it, built from PTB's own classes."""
    user = User(id=user_id, first_name="Vi", is_bot=False)
    message = Message(
        message_id=1,
        date=datetime(2026, 11, 24, 10, 0, tzinfo=UTC),
        chat=Chat(id=user_id, type=Chat.PRIVATE, first_name="Vi"),
        from_user=user,
        text=command,
        entities=[MessageEntity(MessageEntity.BOT_COMMAND, 0, len(command))],
    )
    return Update(900_001, message=message).to_json()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_the_webhook_serves_its_urls_path_and_refuses_before_reading_a_body(
    start_bot: StartBot, client: LocalApiClient, local_api: LocalBotApi
) -> None:
    port = _free_port()
    bot = await start_bot(
        WEBHOOK_URL=f"http://127.0.0.1:{port}/hooks/runlift",
        WEBHOOK_PORT=str(port),
        WEBHOOK_SECRET=WEBHOOK_SECRET,
    )
    path = f"/hooks/runlift/{TOKEN.split(':')[0]}"
    await client.create_user(RUNNER + 4, first_name="Pat")
    sent = await client.send_text(RUNNER + 4, "/help")
    await wait_for_text(client, RUNNER + 4, "/plan", after=sent["message_id"])

    # 50 MB announced and not one byte of it sent: only the headers can earn this answer
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        head = f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {50 * 1024 * 1024}\r\n\r\n"
        writer.write(head.encode())
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), 10)
    finally:
        writer.close()
    assert answer.startswith(b"HTTP/1.1 403"), answer[:80]
    assert await bot.stop() == 0, bot.log()  # SIGTERM: a clean stop
    assert "Traceback" not in bot.log() and "Unclosed" not in bot.log(), bot.log()


async def test_the_webhook_drops_a_client_whose_headers_never_finish(
    start_bot: StartBot, client: LocalApiClient
) -> None:
    port = _free_port()
    await start_bot(
        WEBHOOK_URL=f"http://127.0.0.1:{port}",
        WEBHOOK_PORT=str(port),
        WEBHOOK_SECRET=WEBHOOK_SECRET,
    )
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(f"POST /{TOKEN.split(':')[0]} HTTP/1.1\r\nHost: x\r\n".encode())
        await writer.drain()
        # the listener allows 10 s for headers; the bound only ends the test if it never drops
        assert await asyncio.wait_for(reader.read(), 30) == b""
    finally:
        writer.close()
    await client.create_user(RUNNER + 5, first_name="Sam")  # and it still serves runners
    sent = await client.send_text(RUNNER + 5, "/help")
    await wait_for_text(client, RUNNER + 5, "/plan", after=sent["message_id"])
