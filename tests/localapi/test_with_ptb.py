"""A real python-telegram-bot BotApp against the local Bot API server over HTTP.

Each test asserts what a runner (or the bot's author) would notice: replies arrive, buttons
work, and the server refuses what Telegram refuses with the error PTB raises in production.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import struct
import warnings
import zlib

import aiohttp
import pytest
from aiohttp import web
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from devtools.localapi import LocalBotApi
from tests.localapi.conftest import TOKEN, BotApp

RUNNER = 42


def _png(width: int, height: int) -> bytes:
    """A valid 1-colour PNG, so the photo has real dimensions."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _seconds(error: RetryAfter) -> int:
    with warnings.catch_warnings():  # PTB 22 warns that retry_after becomes a timedelta
        warnings.simplefilter("ignore")
        value = error.retry_after
    return int(value.total_seconds()) if isinstance(value, dt.timedelta) else int(value)


async def test_get_me_describes_a_bot_from_the_token(api: LocalBotApi, bot_app: BotApp) -> None:
    me = await bot_app.bot.get_me()
    assert (me.id, me.is_bot, me.username, me.first_name) == (
        123,
        True,
        "runlift_test_bot",
        "runlift",
    )


async def test_command_and_text_get_replies(api: LocalBotApi, bot_app: BotApp) -> None:
    await api.create_user(RUNNER, first_name="Ann")
    sent = await api.send_text(RUNNER, "/start@runlift_test_bot")
    assert sent["entities"] == [{"type": "bot_command", "offset": 0, "length": 23}]
    [welcome] = await api.wait_for_bot_messages(RUNNER, sent["message_id"], 5)
    assert welcome["text"] == "Welcome"
    assert welcome["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "go"

    await api.send_text(RUNNER, "easy 5k done")
    [echo] = await api.wait_for_bot_messages(RUNNER, welcome["message_id"], 5)
    assert echo["text"] == "echo easy 5k done"
    assert echo["entities"] == [{"type": "bold", "offset": 0, "length": 4}]
    assert echo["text_html"] == "<b>echo</b> easy 5k done"
    ids = [m["message_id"] for m in await api.history(RUNNER)]
    assert ids == sorted(ids) == list(range(1, 5))


async def test_button_press_is_answered_and_edits_the_message(
    api: LocalBotApi,
    bot_app: BotApp,
) -> None:
    await api.send_text(RUNNER, "/start")
    [welcome] = await api.wait_for_bot_messages(RUNNER, 0, 5)
    since = max(e["seq"] for e in await api.wait_for_events(RUNNER, 0, 0))
    press = await api.press(RUNNER, welcome["message_id"], "go")

    answer = await api.wait_for_callback_answer(press["callback_query_id"], 5)
    assert answer is not None
    assert answer["text"] == "got go"
    edited = None
    for _ in range(50):
        events = await api.wait_for_events(RUNNER, since, 5)
        since = events[-1]["seq"]
        edited = next((e for e in events if e["type"] == "message_edited"), None)
        if edited:
            break
    assert edited is not None
    message = edited["message"]
    assert (message["text"], message["edits"], message["reply_markup"]) == (
        "You pressed go",
        1,
        None,  # an edit without reply_markup drops the keyboard, as at Telegram
    )


async def test_pressing_a_button_that_is_not_there_is_refused(
    api: LocalBotApi,
    bot_app: BotApp,
) -> None:
    await api.send_text(RUNNER, "/start")
    [welcome] = await api.wait_for_bot_messages(RUNNER, 0, 5)
    with pytest.raises(Exception, match="button not found"):
        await api.press(RUNNER, welcome["message_id"], "forged")


async def test_telegram_limits_are_enforced(api: LocalBotApi, bot_app: BotApp) -> None:
    bot = bot_app.bot
    await api.create_user(RUNNER)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(RUNNER, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)text is empty"):
        await bot.send_message(RUNNER, "   ")
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(
            RUNNER,
            "pick",
            reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("a", callback_data="d" * 65)]]
            ),
        )
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(RUNNER, "<b>unclosed", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(999, "hello stranger")
    longest = await bot.send_message(
        RUNNER,
        "x" * 4096,
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="d" * 64)]]),
    )
    assert longest.text == "x" * 4096
    assert [m["message_id"] for m in await api.history(RUNNER)] == [longest.message_id]


async def test_edits_follow_telegram_rules(api: LocalBotApi, bot_app: BotApp) -> None:
    bot = bot_app.bot
    await api.create_user(RUNNER)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Done", callback_data="done")]])
    message = await bot.send_message(RUNNER, "Squat 3x5", reply_markup=keyboard)
    assert message.date.tzinfo is not None
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Squat 3x5", RUNNER, message.message_id, reply_markup=keyboard)
    edited = await bot.edit_message_text("Squat 3x5 ✓", RUNNER, message.message_id)
    assert edited.text == "Squat 3x5 ✓"
    assert edited.reply_markup is None
    assert edited.edit_date is not None
    again = await bot.edit_message_reply_markup(RUNNER, message.message_id, reply_markup=keyboard)
    assert again.reply_markup == keyboard
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("nope", RUNNER, 999)
    assert await bot.delete_message(RUNNER, message.message_id)
    assert await api.history(RUNNER) == []


async def test_injected_429_and_rate_limits_raise_retry_after(
    api: LocalBotApi,
    bot_app: BotApp,
) -> None:
    bot = bot_app.bot
    await api.create_user(RUNNER)
    await api.add_fault("sendMessage", "429", retry_after=7)
    with pytest.raises(RetryAfter) as injected:
        await bot.send_message(RUNNER, "hi")
    assert _seconds(injected.value) == 7
    await bot.send_message(RUNNER, "the fault was used up")

    await api.set_rate_limits(per_chat_per_second=1, per_chat_burst=1)
    await bot.send_message(RUNNER, "one")
    with pytest.raises(RetryAfter) as limited:
        await bot.send_message(RUNNER, "two in the same second")
    assert _seconds(limited.value) == 1
    stats = api.stats()
    assert stats["rate_limited"] == 2
    assert stats["messages_sent"] == 2


async def test_server_errors_reach_the_bot_as_network_errors(
    api: LocalBotApi,
    bot_app: BotApp,
) -> None:
    await api.create_user(RUNNER)
    await api.add_fault("sendMessage", "error", status=502, count=2)
    for _ in range(2):
        with pytest.raises(NetworkError):
            await bot_app.bot.send_message(RUNNER, "hi")
    await bot_app.bot.send_message(RUNNER, "third time lucky")
    assert [m["text"] for m in await api.history(RUNNER)] == ["third time lucky"]


async def test_a_runner_who_blocked_the_bot_gives_forbidden(
    api: LocalBotApi,
    bot_app: BotApp,
) -> None:
    await api.create_user(RUNNER)
    await api.set_blocked(RUNNER, True)
    with pytest.raises(Forbidden, match=r"(?i)blocked by the user"):
        await bot_app.bot.send_message(RUNNER, "time for your session")
    await api.set_blocked(RUNNER, False)
    await bot_app.bot.send_message(RUNNER, "welcome back")


async def test_photo_and_document_uploads_can_be_downloaded(
    api: LocalBotApi,
    bot_app: BotApp,
) -> None:
    bot = bot_app.bot
    await api.create_user(RUNNER)
    png = _png(3, 2)
    message = await bot.send_photo(RUNNER, png, caption="<i>Progress</i>", parse_mode="HTML")
    photo = message.photo[-1]
    assert (photo.width, photo.height, photo.file_size) == (3, 2, len(png))
    assert message.caption == "Progress"
    telegram_file = await bot.get_file(photo.file_id)
    assert bytes(await telegram_file.download_as_bytearray()) == png

    csv = b"date,exercise,reps\n2025-01-01,squat,5\n"
    doc = await bot.send_document(RUNNER, csv, filename="export.csv")
    assert doc.document is not None
    assert doc.document.file_name == "export.csv"
    [_, seen] = await api.history(RUNNER)
    async with aiohttp.ClientSession() as session, session.get(seen["file_url"]) as response:
        assert await response.read() == csv


async def test_unknown_methods_answer_501(api: LocalBotApi) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{api.base_url}{TOKEN}/sendDice", json={"chat_id": 1}) as response,
    ):
        body = await response.json()
    assert response.status == 501
    assert body["ok"] is False
    assert body["error_code"] == 501
    assert "sendDice is not implemented" in body["description"]


async def test_get_updates_holds_and_honours_offset(api: LocalBotApi) -> None:
    """Without PTB: the long poll must wait for an update and never deliver one twice."""
    url = f"{api.base_url}{TOKEN}/getUpdates"
    async with aiohttp.ClientSession() as session:

        async def poll(**params: int) -> list[dict[str, object]]:
            async with session.post(url, json=params) as response:
                body = await response.json()
            return list(body["result"])

        held = asyncio.create_task(poll(timeout=5))
        await asyncio.sleep(0.3)
        assert not held.done()
        await api.send_text(RUNNER, "first")
        [first] = await held
        assert first["message"]["text"] == "first"  # type: ignore[index]

        [again] = await poll(timeout=0)  # not confirmed yet: delivered again, as at Telegram
        assert again["update_id"] == first["update_id"]
        await api.send_text(RUNNER, "second")
        [second] = await poll(offset=int(first["update_id"]) + 1, timeout=0)  # type: ignore[call-overload]
        assert second["message"]["text"] == "second"  # type: ignore[index]
        assert await poll(offset=int(second["update_id"]) + 1, timeout=0) == []  # type: ignore[call-overload]


async def test_updates_go_to_the_webhook_when_one_is_set(api: LocalBotApi) -> None:
    received: list[tuple[str | None, dict[str, object]]] = []
    arrived = asyncio.Event()

    async def hook(request: web.Request) -> web.Response:
        received.append(
            (request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json())
        )
        arrived.set()
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with aiohttp.ClientSession() as session:
            base = f"{api.base_url}{TOKEN}"
            setting = {"url": f"http://127.0.0.1:{port}/hook", "secret_token": "s3cret"}
            async with session.post(f"{base}/setWebhook", json=setting) as response:
                assert (await response.json())["result"] is True
            await api.send_text(RUNNER, "via webhook")
            await asyncio.wait_for(arrived.wait(), 5)
            async with session.post(f"{base}/getUpdates") as response:
                assert response.status == 409
        [(secret, update)] = received
        assert secret == "s3cret"
        assert update["message"]["text"] == "via webhook"  # type: ignore[index]
    finally:
        await runner.cleanup()
