"""No runner can slow down another: while one runner sends a hostile calendar, a tarpit feed link
or a 4,000-character /race, another runner's /help is still answered in under a second.

The bot runs as a real process against the local Bot API server; the hostile feed is a loopback
server that drips one byte every two seconds (so only an overall fetch deadline ends it).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web

from tests.e2e.conftest import StartBot, wait_for_text
from tests.handlers.onboarding_steps import TYPED_ANSWERS
from tests.localapi_client import LocalApiClient

pytestmark = pytest.mark.e2e

ATTACKER, NEIGHBOUR = 8701, 8702
HELP_WITHIN = 1.0
APOLOGY = "something went wrong"

ENDLESS_ICS = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//x//EN\r\nBEGIN:VEVENT\r\nUID:a@x\r\n"
    b"DTSTART:20261201T063000Z\r\nDTEND:20261201T073000Z\r\nSUMMARY:Tempo run\r\n"
    b"RRULE:FREQ=DAILY;INTERVAL=0\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
SECONDLY_ICS = ENDLESS_ICS.replace(b"FREQ=DAILY;INTERVAL=0", b"FREQ=SECONDLY")


@pytest.fixture
async def tarpit() -> AsyncIterator[str]:
    """A calendar feed that answers 200 and then drips one byte every two seconds, for a minute."""

    async def feed(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/calendar"})
        await response.prepare(request)
        with contextlib.suppress(ConnectionError, asyncio.CancelledError):
            for _ in range(30):
                await response.write(b" ")
                await asyncio.sleep(2)
        return response

    app = web.Application()
    app.router.add_get("/feed.ics", feed)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}/feed.ics"
    finally:
        await runner.cleanup()


async def _help_latencies(
    client: LocalApiClient, attack: Awaitable[None], *, rounds: int = 6
) -> list[float]:
    """Asks /help as the neighbour `rounds` times while `attack` runs; each answer's latency."""
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(attack)
    latencies = []
    try:
        await asyncio.sleep(0.3)  # let the attack reach the bot first
        for _ in range(rounds):
            started = loop.time()
            sent = await client.send_text(NEIGHBOUR, "/help")
            await wait_for_text(client, NEIGHBOUR, "Commands", after=sent["message_id"], within=10)
            latencies.append(loop.time() - started)
            await asyncio.sleep(0.2)
        await task
    finally:
        task.cancel()
    return latencies


async def _started(start_bot: StartBot, client: LocalApiClient) -> None:
    await start_bot(CALENDAR_ALLOW_PRIVATE_HOSTS="true")
    await client.create_user(ATTACKER, first_name="Mallory")
    await client.create_user(NEIGHBOUR, first_name="Nia")
    sent = await client.send_text(ATTACKER, "/start")
    await wait_for_text(client, ATTACKER, "", after=sent["message_id"])


Attack = Callable[[LocalApiClient], Awaitable[dict[str, Any]]]


def _document(payload: bytes, name: str) -> Attack:
    async def attack(client: LocalApiClient) -> dict[str, Any]:
        return await client.send_document(ATTACKER, name, payload, mime="text/calendar")

    return attack


async def _one_line_answer(client: LocalApiClient, after: int, within: float) -> str:
    message = await wait_for_text(client, ATTACKER, "", after=after, within=within)
    text = str(message.get("text"))
    assert APOLOGY not in text.lower(), text
    return text


@pytest.mark.parametrize(
    ("payload", "name"),
    [(ENDLESS_ICS, "endless.ics"), (SECONDLY_ICS, "secondly.ics")],
    ids=["interval-0", "secondly"],
)
async def test_a_hostile_calendar_file_slows_nobody_else_and_gets_one_clear_line(
    start_bot: StartBot, client: LocalApiClient, payload: bytes, name: str
) -> None:
    await _started(start_bot, client)
    answered: list[str] = []

    async def attack() -> None:
        sent = await _document(payload, name)(client)
        answered.append(await _one_line_answer(client, int(sent["message_id"]), within=40))

    latencies = await _help_latencies(client, attack())
    assert max(latencies) < HELP_WITHIN, latencies
    assert answered, "the sender got no answer"


async def test_a_tarpit_feed_slows_nobody_else_and_ends_within_fifteen_seconds(
    start_bot: StartBot, client: LocalApiClient, tarpit: str
) -> None:
    await _started(start_bot, client)
    loop = asyncio.get_running_loop()
    answered: list[float] = []

    async def attack() -> None:
        started = loop.time()
        sent = await client.send_text(ATTACKER, tarpit)
        await _one_line_answer(client, int(sent["message_id"]), within=30)
        answered.append(loop.time() - started)

    latencies = await _help_latencies(client, attack())
    assert max(latencies) < HELP_WITHIN, latencies
    assert answered
    assert answered[0] < 17, f"the feed fetch took {answered[0]:.1f} s"


async def test_a_four_thousand_character_race_command_slows_nobody_else(
    start_bot: StartBot, client: LocalApiClient
) -> None:
    await _started(start_bot, client)
    for text in TYPED_ANSWERS:
        sent = await client.send_text(ATTACKER, text)
        await wait_for_text(client, ATTACKER, "", after=sent["message_id"])
    await wait_for_text(client, ATTACKER, "All set", after=sent["message_id"])

    async def attack() -> None:
        for _ in range(3):
            sent = await client.send_text(ATTACKER, "/race " + "1 " * 2040)
            await _one_line_answer(client, int(sent["message_id"]), within=20)

    latencies = await _help_latencies(client, attack())
    assert max(latencies) < HELP_WITHIN, latencies


def _huge_gpx_gz() -> bytes:
    """A run file just under the 20 MB unpacked cap: ~190,000 track points, gzipped."""
    import gzip

    point = (
        '<trkpt lat="51.{i:06d}" lon="-0.{i:06d}"><ele>12.0</ele>'
        "<time>2026-11-24T06:{m:02d}:{s:02d}Z</time></trkpt>\n"
    )
    body = "".join(point.format(i=i, m=(i // 60) % 60, s=i % 60) for i in range(190_000))
    gpx = (
        '<?xml version="1.0"?><gpx version="1.1" creator="x"><trk><type>running</type><trkseg>\n'
        f"{body}</trkseg></trk></gpx>"
    )
    return gzip.compress(gpx.encode())


async def test_a_huge_run_file_slows_nobody_else_and_gets_one_clear_line(
    start_bot: StartBot, client: LocalApiClient
) -> None:
    await _started(start_bot, client)
    for text in TYPED_ANSWERS:
        sent = await client.send_text(ATTACKER, text)
        await wait_for_text(client, ATTACKER, "", after=sent["message_id"])
    await wait_for_text(client, ATTACKER, "All set", after=sent["message_id"])
    payload = _huge_gpx_gz()
    answered: list[str] = []

    async def attack() -> None:
        sent = await client.send_document(ATTACKER, "morning.gpx.gz", payload)
        answered.append(await _one_line_answer(client, int(sent["message_id"]), within=40))

    latencies = await _help_latencies(client, attack())
    assert max(latencies) < HELP_WITHIN, latencies
    assert answered, "the sender got no answer"
