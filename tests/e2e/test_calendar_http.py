"""A hostile calendar costs its sender a wait and one line, and nobody else anything: the real
bot process, the local Bot API server, and a feed served on loopback."""

from __future__ import annotations

import asyncio

import pytest

from tests.calendar_bombs import daily_series
from tests.e2e.conftest import StartBot, wait_for_text
from tests.feed_server import FeedServer
from tests.localapi_client import LocalApiClient

pytestmark = pytest.mark.e2e

HOSTILE, OTHER = 8301, 8302


async def test_another_runner_gets_help_at_once_while_a_hostile_calendar_is_read(
    start_bot: StartBot, client: LocalApiClient
) -> None:
    async with FeedServer().running() as server:
        # 1,000 events repeating daily: passes the rule checks, then seconds of reading
        server.bodies["/big.ics"] = daily_series(1000)
        await start_bot(CALENDAR_ALLOW_PRIVATE_HOSTS="true")
        last = await client.send_text(HOSTILE, "/start")
        await wait_for_text(client, HOSTILE, "", after=last["message_id"])
        linked = await client.send_text(HOSTILE, server.url("/big.ics"))
        await asyncio.wait_for(server.served.wait(), timeout=10)
        await asyncio.sleep(0.3)  # the body is in; the read is under way
        loop = asyncio.get_running_loop()
        began = loop.time()
        asked = await client.send_text(OTHER, "/help")
        await wait_for_text(client, OTHER, "", after=asked["message_id"], within=5)
        assert loop.time() - began < 1
        said = await wait_for_text(
            client, HOSTILE, "too big to read", after=linked["message_id"], within=40
        )
        assert "your calendar feed: the calendar is too big to read" in said["text"]
