"""PTB on the local server without HTTP (`InProcessRequest`): the same answers as over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import InputFile
from telegram.error import BadRequest
from telegram.ext import ApplicationBuilder

from devtools.localapi import LocalBotApi
from devtools.localapi.inprocess import InProcessRequest
from tests.localapi.conftest import TOKEN, BotApp, build_app
from tests.localapi.test_with_ptb import _png

RUNNER = 42


@pytest.fixture
async def in_process() -> AsyncIterator[tuple[LocalBotApi, BotApp]]:
    """A server that never listens, and a PTB app whose every call goes to it directly."""
    api = LocalBotApi()
    request = InProcessRequest(api)
    app = build_app(api)
    direct = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url("http://in-process/bot")
        .request(request)
        .get_updates_request(request)
        .build()
    )
    for group, handlers in app.handlers.items():
        for handler in handlers:
            direct.add_handler(handler, group)
    async with direct:
        await direct.start()
        assert direct.updater is not None
        await direct.updater.start_polling(poll_interval=0, timeout=1)
        yield api, direct
        await direct.updater.stop()
        await direct.stop()


async def test_a_command_is_polled_answered_and_its_button_works(
    in_process: tuple[LocalBotApi, BotApp],
) -> None:
    api, _ = in_process
    sent = await api.send_text(RUNNER, "/start")
    [welcome] = await api.wait_for_bot_messages(RUNNER, after=sent["message_id"], timeout=5)
    assert welcome["text"] == "Welcome"
    await api.press(RUNNER, welcome["message_id"], "go")
    history: list[dict[str, object]] = []
    for _ in range(50):
        history = await api.history(RUNNER)
        if history[-1]["text"] == "You pressed go":
            break
        await api.wait_for_bot_messages(RUNNER, after=welcome["message_id"], timeout=0.1)
    assert history[-1]["text"] == "You pressed go"


async def test_telegrams_refusals_and_uploads_come_through(
    in_process: tuple[LocalBotApi, BotApp],
) -> None:
    api, app = in_process
    await api.create_user(RUNNER, first_name="Ada")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await app.bot.send_message(RUNNER, "x" * 4097)
    photo = await app.bot.send_photo(RUNNER, InputFile(_png(40, 30), filename="c.png"))
    assert (photo.photo[-1].width, photo.photo[-1].height) == (40, 30)
