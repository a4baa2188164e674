"""The session arrives when the run does, over HTTP: the real bot process, the local Bot API
server, a FIT file made in the test, and the local intervals.icu."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.ports import OffsetClock
from devtools.intervals.server import LocalIntervals
from tests.e2e.conftest import StartBot, wait_for_text
from tests.localapi_client import LocalApiClient
from tests.run_fixtures import fit_file

pytestmark = pytest.mark.e2e

RUNNER = 8401
KEY = "e2eKey0123456789abcd"
LONDON = ZoneInfo("Europe/London")


async def _answer(client: LocalApiClient, text: str) -> None:
    sent = await client.send_text(RUNNER, text)
    await wait_for_text(client, RUNNER, "", after=sent["message_id"])


async def _onboard(client: LocalApiClient, local: datetime, finish: datetime) -> int:
    """Today is a tempo day done by `finish`; returns the last message id."""
    today = local.strftime("%a").lower()[:3]
    later = (local + timedelta(days=3)).strftime("%a").lower()[:3]
    await client.create_user(RUNNER, first_name="Tess")
    for text in (
        "/start",
        f"{today} tempo, {later} intervals, rest otherwise",
        finish.strftime("%H:%M"),
        "London",
        "general fitness",
        "some",
        "full gym",
        "2",
        "after hard runs",
        "none",
        "kg",
    ):
        await _answer(client, text)
    confirm = await client.send_text(RUNNER, "yes")
    done = await wait_for_text(client, RUNNER, "All set", after=confirm["message_id"])
    return int(done["message_id"])


def _room(local: datetime) -> None:
    if not 4 <= local.hour < 18:
        pytest.skip("needs a few daytime hours left today for a same-day session")


async def test_a_fit_file_brings_the_session_within_a_minute_and_sets_are_logged(
    start_bot: StartBot, client: LocalApiClient, bot_clock: OffsetClock
) -> None:
    local = bot_clock.now().astimezone(LONDON)
    _room(local)
    bot = await start_bot(QUIET_HOURS="off")
    last = await _onboard(client, local, local + timedelta(hours=4))  # reminder hours away
    run = fit_file(start=bot_clock.now() - timedelta(hours=1), distance_m=10_234, timer_s=3_000)
    sent = await client.send_document(RUNNER, "Morning_Run.fit", run)
    loop = asyncio.get_running_loop()
    began = loop.time()
    echo = await wait_for_text(client, RUNNER, "10.2 km · 50:00", after=sent["message_id"])
    assert "Matched your tempo run" in echo["text"]
    session = await wait_for_text(client, RUNNER, "here's today's session", after=last, within=60)
    assert loop.time() - began < 60
    labels = [b["text"] for row in session["reply_markup"]["inline_keyboard"] for b in row]
    assert any("Start" in label for label in labels)
    reply = await client.send_text(RUNNER, "squat 3x8 60kg")
    logged = await wait_for_text(client, RUNNER, "Logged", after=reply["message_id"])
    assert "Back squat 3x8 @ 60 kg" in logged["text"]
    bad = await client.send_document(RUNNER, "broken.fit", b"not a fit file" * 20)
    said = await wait_for_text(client, RUNNER, "broken.fit", after=bad["message_id"])
    assert "damaged" in said["text"] and "Traceback" not in bot.log()


async def test_a_connected_key_whose_run_is_in_brings_the_session_and_never_reaches_the_log(
    start_bot: StartBot, client: LocalApiClient, bot_clock: OffsetClock
) -> None:
    local = bot_clock.now().astimezone(LONDON)
    _room(local)
    async with LocalIntervals() as intervals:
        intervals.add_athlete(KEY)
        bot = await start_bot(
            QUIET_HOURS="off", REMINDER_DELAY_MINUTES="240", INTERVALS_API_URL=intervals.url
        )
        finish = local - timedelta(minutes=20)  # done just now; the reminder is hours away
        last = await _onboard(client, local, finish)
        run_start = (local - timedelta(minutes=70)).replace(tzinfo=None, microsecond=0)
        intervals.add_run(KEY, run_start, distance_m=8_000, moving_time_s=2_400)
        refused = await client.send_text(RUNNER, "/intervals notTheKey12345")
        said = await wait_for_text(client, RUNNER, "refused", after=refused["message_id"])
        assert said["text"].startswith("intervals.icu refused that key")
        connect = await client.send_text(RUNNER, f"/intervals {KEY}")
        await wait_for_text(client, RUNNER, "connected", after=connect["message_id"])
        echo = await wait_for_text(client, RUNNER, "8.0 km · 40:00", after=last)
        assert "intervals.icu:" in echo["text"]
        await wait_for_text(client, RUNNER, "here's today's session", after=last, within=60)
        export = await client.send_text(RUNNER, "/export")
        document = await wait_for_text(client, RUNNER, "recorded runs", after=export["message_id"])
        data = (await client.download(document["file_url"])).decode()
        assert '"distance_km": 8.0' in data and KEY not in data
        assert KEY not in bot.log()
