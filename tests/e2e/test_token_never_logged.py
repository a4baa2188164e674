"""The bot token never reaches the console: not at start-up failure, not at DEBUG."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from devtools.localapi import LocalBotApi
from tests.e2e.conftest import TOKEN, StartBot, wait_for_text
from tests.localapi_client import LocalApiClient

pytestmark = pytest.mark.e2e

SECRET_PART = TOKEN.partition(":")[2]


@pytest.fixture(params=[401, 404], ids=["revoked-token-401", "wrong-api-url-404"])
async def refusing_api(request: pytest.FixtureRequest) -> AsyncIterator[str]:
    """A Bot API that refuses the token: 401 for a revoked one, 404 for a wrong base URL."""
    status = int(request.param)

    async def refuse(_: web.Request) -> web.Response:
        description = "Unauthorized" if status == 401 else "Not Found"
        body = {"ok": False, "error_code": status, "description": description}
        return web.json_response(body, status=status)

    server = web.Application()
    server.router.add_route("*", "/{tail:.*}", refuse)
    runner = web.AppRunner(server)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


@pytest.mark.parametrize("level", ["DEBUG", "INFO"])
async def test_a_refused_token_exits_with_one_line_that_does_not_show_it(
    refusing_api: str, database_url: str, tmp_path: Path, level: str
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=refusing_api,
        DATABASE_URL=database_url,
        LOG_LEVEL=level,
        PYTHONUNBUFFERED="1",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
    output = (stdout + stderr).decode(errors="replace")

    assert process.returncode not in (0, None)
    assert SECRET_PART not in output, output
    assert TOKEN.replace(":", "%3A") not in output
    assert "Traceback" not in output, output
    lines = [line for line in stderr.decode().splitlines() if line.startswith("runlift:")]
    assert len(lines) == 1, output
    assert "TELEGRAM_BOT_TOKEN" in lines[0]
    if level == "INFO":
        assert output.strip() == lines[0], "one line, nothing else"


async def test_a_running_bot_at_debug_never_logs_the_token(
    start_bot: StartBot, client: LocalApiClient, local_api: LocalBotApi
) -> None:
    bot = await start_bot(LOG_LEVEL="DEBUG")
    await client.create_user(7301, first_name="Deb")
    sent = await client.send_text(7301, "/help")
    await wait_for_text(client, 7301, "/plan", after=sent["message_id"])
    assert await bot.stop() == 0
    log = bot.log()
    assert " DEBUG " in log, "the bot should have logged at DEBUG"
    assert SECRET_PART not in log


async def test_a_running_bot_at_debug_never_logs_a_runners_name_or_words(
    start_bot: StartBot, client: LocalApiClient
) -> None:
    bot = await start_bot(LOG_LEVEL="DEBUG")
    await client.create_user(7302, first_name="Zebulonia")
    sent = await client.send_text(7302, "/start")
    await wait_for_text(client, 7302, "", after=sent["message_id"])
    sent = await client.send_text(7302, "tangerine-umbrella tuesday tempo")
    await wait_for_text(client, 7302, "", after=sent["message_id"])
    assert await bot.stop() == 0
    log = bot.log()
    assert " DEBUG " in log, "the bot should have logged at DEBUG"
    assert "Zebulonia" not in log
    assert "tangerine-umbrella" not in log
