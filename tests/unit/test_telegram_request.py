"""The bot's Bot API client (aiohttp under PTB's `BaseRequest`): what PTB and the delivery rely on.

A real PTB `Bot` on `AiohttpRequest` talks to the local Bot API server for the happy paths; a
bare aiohttp server that stalls or closes stands in for a sick Bot API.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Awaitable, Callable

import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, NetworkError, TimedOut

from bot.telegram_request import (
    AiohttpRequest,
    Pace,
    SendCalledOffError,
    before_the_wire,
    never_reached_telegram,
)
from devtools.localapi import LocalBotApi
from tests.localapi.test_with_ptb import _png

TOKEN = "123:abc"
RUNNER = 42


def _bot(api: LocalBotApi, **options: float) -> Bot:
    return Bot(
        TOKEN,
        base_url=api.base_url,
        base_file_url=api.base_file_url,
        request=AiohttpRequest(4, **options),  # type: ignore[arg-type]
        get_updates_request=AiohttpRequest(1),
    )


async def test_a_message_with_buttons_reaches_the_runner(api: LocalBotApi) -> None:
    await api.create_user(RUNNER)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Tue ✓", callback_data="d:tue")]])
    async with _bot(api) as bot:
        sent = await bot.send_message(RUNNER, "Which days do you run? 🏃", reply_markup=keyboard)
    [seen] = await api.history(RUNNER)
    assert seen["text"] == "Which days do you run? 🏃"
    assert sent.reply_markup == keyboard
    assert sent.message_id == seen["message_id"]


async def test_a_chart_upload_arrives_whole_and_downloads_again(api: LocalBotApi) -> None:
    await api.create_user(RUNNER)
    png = _png(4, 3)
    async with _bot(api) as bot:
        message = await bot.send_photo(RUNNER, png, caption="Squat e1RM up 2.5 kg")
        photo = message.photo[-1]
        assert (photo.width, photo.height) == (4, 3)
        assert message.caption == "Squat e1RM up 2.5 kg"
        downloaded = await (await bot.get_file(photo.file_id)).download_as_bytearray()
    assert bytes(downloaded) == png


async def test_long_polling_returns_the_runners_message(api: LocalBotApi) -> None:
    await api.create_user(RUNNER)
    async with _bot(api) as bot:
        polling = asyncio.create_task(bot.get_updates(timeout=5))
        await asyncio.sleep(0.2)
        await api.send_text(RUNNER, "squat 4x5 60kg")
        updates = await asyncio.wait_for(polling, 10)
    assert [u.message.text for u in updates if u.message] == ["squat 4x5 60kg"]


async def test_a_bot_api_error_reaches_ptb_as_its_own_error(api: LocalBotApi) -> None:
    async with _bot(api) as bot:
        with pytest.raises(BadRequest, match="Chat not found"):
            await bot.send_message(999_999, "hello")


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def _sick_api(handler: Handler) -> tuple[web.AppRunner, str]:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{port}/bot{TOKEN}/sendMessage"


async def test_a_stalled_answer_is_a_timeout_that_may_have_reached_telegram() -> None:
    async def stall(request: web.Request) -> web.Response:
        await asyncio.sleep(5)
        return web.json_response({"ok": True, "result": True})

    runner, url = await _sick_api(stall)
    request = AiohttpRequest(1, read_timeout=0.2)
    await request.initialize()
    try:
        with pytest.raises(TimedOut) as caught:
            await request.post(url)
        assert not never_reached_telegram(caught.value)
    finally:
        await request.shutdown()
        await runner.cleanup()


async def test_no_free_connection_is_a_timeout_that_never_left() -> None:
    arrived: list[str] = []

    async def stall(request: web.Request) -> web.Response:
        arrived.append(request.path)
        await asyncio.sleep(2)
        return web.json_response({"ok": True, "result": True})

    runner, url = await _sick_api(stall)
    request = AiohttpRequest(1, pool_timeout=0.2, read_timeout=5)
    await request.initialize()
    try:
        first = asyncio.create_task(request.post(url))
        await asyncio.sleep(0.1)
        with pytest.raises(TimedOut) as caught:
            await request.post(url)
        assert never_reached_telegram(caught.value)
        assert await first is True
        assert arrived == [f"/bot{TOKEN}/sendMessage"]  # the second one was never sent
    finally:
        await request.shutdown()
        await runner.cleanup()


async def test_a_dropped_connection_is_a_network_error() -> None:
    async def drop(request: web.Request) -> web.Response:
        assert request.transport is not None
        request.transport.close()
        return web.Response()

    runner, url = await _sick_api(drop)
    request = AiohttpRequest(1)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as caught:
            await request.post(url)
        assert not isinstance(caught.value, TimedOut)
    finally:
        await request.shutdown()
        await runner.cleanup()


async def test_nothing_listening_is_a_network_error_not_a_crash() -> None:
    url = f"http://127.0.0.1:{_free_port()}/bot{TOKEN}/sendMessage"
    request = AiohttpRequest(1)
    await request.initialize()
    try:
        with pytest.raises(NetworkError):
            await request.post(url)
    finally:
        await request.shutdown()


async def test_a_request_before_initialize_says_so() -> None:
    with pytest.raises(NetworkError, match="not initialized"):
        await AiohttpRequest(1).post("http://127.0.0.1:9/x")


def _free_port() -> int:
    """A port that was free a moment ago (bound, read, closed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_requests_go_through_the_proxy_the_environment_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[str] = []

    async def proxy(request: web.Request) -> web.Response:
        seen.append(str(request.url))
        return web.json_response({"ok": True, "result": True})

    runner, url = await _sick_api(proxy)
    proxy_url = url.split("/bot")[0]
    monkeypatch.setenv("HTTP_PROXY", proxy_url)
    monkeypatch.setenv("NO_PROXY", "direct.example")
    request = AiohttpRequest(1)
    await request.initialize()
    try:
        assert await request.post(f"http://api.example/bot{TOKEN}/getMe") is True
        assert seen == [f"http://api.example/bot{TOKEN}/getMe"]
        with pytest.raises(NetworkError):  # not proxied: the name does not resolve
            await request.post(f"http://direct.example/bot{TOKEN}/getMe")
        assert len(seen) == 1
    finally:
        await request.shutdown()
        await runner.cleanup()


async def test_the_last_step_before_the_wire_runs_once_a_connection_is_held() -> None:
    """The reminder delivery marks a row in flight there: never while it still queues."""
    arrived: list[str] = []
    held = asyncio.Event()

    async def stall(request: web.Request) -> web.Response:
        arrived.append(request.path)
        await held.wait()
        return web.json_response({"ok": True, "result": True})

    runner, url = await _sick_api(stall)
    request = AiohttpRequest(1, pool_timeout=5)
    await request.initialize()
    steps: list[str] = []

    async def send(name: str) -> object:
        async def mark() -> None:
            steps.append(name)

        with before_the_wire(mark):
            return await request.post(url)

    try:
        first = asyncio.create_task(send("first"))
        await asyncio.sleep(0.1)
        second = asyncio.create_task(send("second"))
        await asyncio.sleep(0.2)
        assert steps == ["first"]  # the second waits for the one connection, unmarked
        held.set()
        await asyncio.gather(first, second)
        assert steps == ["first", "second"]

        async def call_off() -> None:
            raise SendCalledOffError("the claim was taken back")

        with before_the_wire(call_off), pytest.raises(SendCalledOffError):
            await request.post(url)
        assert len(arrived) == 2  # called off: nothing reached the Bot API
    finally:
        await request.shutdown()
        await runner.cleanup()


async def _paced_send(pace: Pace) -> tuple[list[float], int]:
    """Sends one message through `pace`; returns when it reached the Bot API (UNIX times) and
    how many moments it booked."""
    arrived: list[float] = []
    bookings = 0

    async def ok(request: web.Request) -> web.Response:
        arrived.append(time.time())
        return web.json_response({"ok": True, "result": True})

    async def booking(chat: int | None) -> tuple[float, float]:
        nonlocal bookings
        bookings += 1
        return await pace(chat)

    runner, url = await _sick_api(ok)
    request = AiohttpRequest(1, pace=booking)
    await request.initialize()
    try:
        assert await request.post(url) is True
    finally:
        await request.shutdown()
        await runner.cleanup()
    return arrived, bookings


async def test_a_booking_read_late_books_again_rather_than_bunch_with_sends_on_time() -> None:
    """The replica's loop was busy when the database answered: the moment has passed by then,
    and the send books a new one instead of going 0.3 s behind its place."""
    stalled = False

    async def pace(chat: int | None) -> tuple[float, float]:
        nonlocal stalled
        now = time.time()
        if not stalled:
            stalled = True
            time.sleep(0.3)  # noqa: ASYNC251 - the answer sits unread while the loop is busy
        return now + 0.05, now

    arrived, bookings = await _paced_send(pace)
    assert bookings == 2
    assert len(arrived) == 1


@pytest.mark.parametrize("offset", [1000.0, -1000.0])
async def test_a_database_on_another_clock_paces_from_its_answer(offset: float) -> None:
    """Clocks apart (no NTP): the booked wait counts from the answer, once, never early."""

    async def pace(chat: int | None) -> tuple[float, float]:
        now = time.time() + offset
        return now + 0.1, now

    started = time.time()
    arrived, bookings = await _paced_send(pace)
    assert bookings == 1
    assert len(arrived) == 1 and arrived[0] >= started + 0.1
