"""The runner-side HTTP API, as end-to-end tests, the demo and benchmarks use it."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import aiohttp
import pytest
from telegram import ChatFullInfo, Update

from devtools.localapi import LocalBotApi
from tests.localapi.conftest import TOKEN
from tests.localapi_client import LocalApiClient, LocalApiError


async def _bot(api: LocalBotApi, method: str, **params: object) -> dict[str, object]:
    """Call a Bot API method over HTTP as the bot would, returning the raw JSON body."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{api.base_url}{TOKEN}/{method}", json=params) as response,
    ):
        return dict(await response.json())


async def test_runner_talks_and_reads_history_over_http(
    api: LocalBotApi, client: LocalApiClient
) -> None:
    runner = await client.create_user(7, first_name="Bea", username="bea_runs")
    assert (runner["id"], runner["is_bot"], runner["blocked"]) == (7, False, False)
    sent = await client.send_text(7, "/plan next week")
    assert sent["entities"] == [{"type": "bot_command", "offset": 0, "length": 5}]

    waiting = asyncio.create_task(client.wait_for_bot_messages(7, sent["message_id"], 5))
    await asyncio.sleep(0.1)
    keyboard = {"inline_keyboard": [[{"text": "Done", "callback_data": "log:1"}]]}
    reply = await _bot(api, "sendMessage", chat_id=7, text="Your week", reply_markup=keyboard)
    assert reply["ok"] is True
    [bot_message] = await waiting
    assert bot_message["text"] == "Your week"

    query_id = await client.press(7, bot_message["message_id"], text="Done")
    assert await client.callback_answer(7, query_id, timeout=0) is None
    await _bot(api, "answerCallbackQuery", callback_query_id=query_id, text="Logged")
    answer = await client.callback_answer(7, query_id, timeout=1)
    assert answer is not None
    assert answer["text"] == "Logged"

    await client.send_text(7, "thanks", reply_to_message_id=bot_message["message_id"])
    history = await client.history(7)
    assert [(m["from_bot"], m["text"]) for m in history] == [
        (False, "/plan next week"),
        (True, "Your week"),
        (False, "thanks"),
    ]
    assert history[1]["callback_answers"][0]["text"] == "Logged"
    assert history[2]["reply_to_message_id"] == bot_message["message_id"]


async def test_updates_parse_with_ptb(api: LocalBotApi) -> None:
    """Every update the server makes must be something PTB's Update.de_json accepts."""
    await api.create_user(8, first_name="Cy")
    await api.send_text(8, "/start")
    sent = await _bot(
        api,
        "sendMessage",
        chat_id=8,
        text="Pick",
        reply_markup={"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]},
    )
    message_id = sent["result"]["message_id"]  # type: ignore[index]
    await api.press(8, message_id, "a")
    await api.send_location(8, 52.37, 4.89)
    body = await _bot(api, "getUpdates", timeout=0)
    updates = [Update.de_json(raw, None) for raw in body["result"]]  # type: ignore[attr-defined]
    assert updates[0].message is not None
    assert updates[0].message.text == "/start"
    query = updates[1].callback_query
    assert query is not None
    assert query.data == "a"
    assert query.chat_instance
    assert query.message is not None
    assert query.message.message_id == message_id
    assert updates[2].message is not None
    assert updates[2].message.location is not None
    assert updates[2].message.location.latitude == pytest.approx(52.37)


async def test_refusals_are_clear(api: LocalBotApi, client: LocalApiClient) -> None:
    with pytest.raises(LocalApiError, match="does not exist"):
        await client.history(12345)
    await client.create_user(9)
    with pytest.raises(LocalApiError, match="not found"):
        await client.press(9, 1, "x")
    with pytest.raises(LocalApiError, match="too long"):
        await client.send_text(9, "y" * 4097)


async def test_faults_blocks_limits_and_stats_over_http(
    api: LocalBotApi, client: LocalApiClient
) -> None:
    await client.create_user(10)
    await client.add_fault("sendMessage", "hang", seconds=0.05, then_process=False)
    hung = await _bot(api, "sendMessage", chat_id=10, text="slow")
    assert hung["error_code"] == 504
    await client.add_fault("*", "error", status=500, description="Internal Server Error")
    failed = await _bot(api, "getMe")
    assert (failed["error_code"], failed["description"]) == (500, "Internal Server Error")

    await client.block(10)
    blocked = await _bot(api, "sendMessage", chat_id=10, text="hi")
    assert (blocked["error_code"], blocked["description"]) == (
        403,
        "Forbidden: bot was blocked by the user",
    )
    await client.unblock(10)

    await client.set_rate_limits(max_per_second=1, global_burst=1)
    assert (await _bot(api, "sendMessage", chat_id=10, text="one"))["ok"] is True
    limited = await _bot(api, "sendMessage", chat_id=10, text="two")
    assert limited["error_code"] == 429
    assert limited["parameters"] == {"retry_after": 1}
    assert limited["description"] == "Too Many Requests: retry after 1"

    stats = await client.stats()
    assert stats["rate_limited"] == 1
    assert stats["messages_sent"] == 1
    assert stats["calls"]["sendMessage"] == 4
    await client.reset()
    assert (await client.stats())["messages_sent"] == 0


async def test_subscribers_see_live_events(api: LocalBotApi) -> None:
    queue = api.subscribe()
    await api.create_user(11)
    await api.send_text(11, "hello")
    sent = await _bot(api, "sendMessage", chat_id=11, text="hi there")
    message_id = sent["result"]["message_id"]  # type: ignore[index]
    await _bot(api, "editMessageText", chat_id=11, message_id=message_id, text="hi again")
    await _bot(api, "deleteMessage", chat_id=11, message_id=message_id)
    kinds = [queue.get_nowait()["type"] for _ in range(queue.qsize())]
    assert kinds == ["user_message", "message_sent", "message_edited", "message_deleted"]
    api.unsubscribe(queue)


async def test_commands_menu_round_trip(api: LocalBotApi, client: LocalApiClient) -> None:
    commands = [{"command": "start", "description": "Set up your plan"}]
    assert (await _bot(api, "setMyCommands", commands=commands))["ok"] is True
    assert (await _bot(api, "getMyCommands"))["result"] == commands
    assert await client.commands() == commands
    bad = await _bot(api, "setMyCommands", commands=[{"command": "Start!", "description": "x"}])
    assert bad["error_code"] == 400


def test_runs_as_a_process() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "devtools.localapi", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert "listening on http://127.0.0.1:" in line
        url = line.strip().rsplit(" ", 1)[1]

        async def get_me() -> dict[str, object]:
            async with (
                aiohttp.ClientSession() as session,
                session.get(f"{url}/bot{TOKEN}/getMe") as response,
            ):
                return dict(await response.json())

        body = asyncio.run(get_me())
        assert body["result"]["is_bot"] is True  # type: ignore[index]
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0


async def test_a_hang_that_times_out_may_still_send(api: LocalBotApi) -> None:
    """The ambiguous timeout: the client gave up, yet the runner got the message."""
    await api.create_user(13)
    await api.add_fault("sendMessage", "hang", seconds=0.2)
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(_bot(api, "sendMessage", chat_id=13, text="reminder"), 0.05)
    [late] = await api.wait_for_bot_messages(13, 0, 5)
    assert late["text"] == "reminder"


async def test_get_chat_is_a_full_info_ptb_accepts(api: LocalBotApi) -> None:
    await api.create_user(14, first_name="Dee", username="dee")
    body = await _bot(api, "getChat", chat_id=14)
    info = ChatFullInfo.de_json(body["result"], None)  # type: ignore[arg-type]
    assert (info.id, info.first_name, info.username) == (14, "Dee", "dee")
