"""/intervals with the runner's own API key, against the local intervals.icu over real HTTP.

The clock is Tuesday 24 Nov 2026 10:00 UTC (London); the runner has seed 000's week (tempo
Tuesday, done by 12:00), so today's session reminder is due at 13:00 and polling opens at 12:00.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.config import Settings
from bot.context import RunliftApplication
from bot.intervals_icu import IntervalsClient
from bot.services.container import Services
from devtools.intervals.server import LocalIntervals
from scheduler import deliver_due
from scheduler.jobs import deliverer_of, run_intervals_poll
from tests.fakes import ChatHarness, MutableClock, SentMessage
from tests.scheduler.support import onboard

RUNNER = 42
KEY = "k3yOfAda9f8e7d6c5b4a"


def at(hour: int, minute: int = 0, day: int = 24) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def local(hour: int, minute: int = 0) -> datetime:
    """A wall-clock start as intervals.icu gives it (no offset; London is UTC in November)."""
    return datetime(2026, 11, 24, hour, minute)


@pytest.fixture
async def intervals() -> AsyncIterator[LocalIntervals]:
    async with LocalIntervals() as server:
        server.add_athlete(KEY)
        yield server


@pytest.fixture
def settings(database_url: str, intervals: LocalIntervals) -> Settings:
    return Settings(
        _env_file=None,
        telegram_bot_token="123:test-token",
        telegram_api_url="http://127.0.0.1:9",
        database_url=database_url,
        intervals_api_url=intervals.url,
    )


def activity_requests(server: LocalIntervals) -> list[str]:
    return [path for path in server.requests if "/activities" in path]


async def poll(app: RunliftApplication, services: Services, harness: ChatHarness) -> list[str]:
    """One poll pass; what the runner was told."""
    before = len(harness.chat(RUNNER))
    await run_intervals_poll(app, services)
    return [m.text for m in harness.chat(RUNNER)[before:]]


async def delivered(
    app: RunliftApplication, services: Services, harness: ChatHarness
) -> list[SentMessage]:
    before = len(harness.chat(RUNNER))
    deliverer_of(app).per_chat_interval = 0
    await deliver_due(app, services)
    return harness.chat(RUNNER)[before:]


async def test_a_refused_key_stores_nothing(
    services: Services, harness: ChatHarness, intervals: LocalIntervals
) -> None:
    await onboard(services)
    [answer] = await harness.send(RUNNER, "/intervals wrongKey12345")
    assert answer.text.startswith("intervals.icu refused that key")
    assert intervals.requests == ["/api/v1/athlete/0"]
    [state] = await harness.send(RUNNER, "/intervals")
    assert "intervals.icu is not connected." in state.text


async def test_a_connected_keys_run_brings_the_session_at_the_finish_time(
    app: RunliftApplication,
    services: Services,
    clock: MutableClock,
    harness: ChatHarness,
    intervals: LocalIntervals,
) -> None:
    await onboard(services)
    [answer] = await harness.send(RUNNER, f"/intervals {KEY}")
    assert "intervals.icu connected" in answer.text
    assert activity_requests(intervals) == []  # before the usual finish time: not yet
    assert await poll(app, services, harness) == []
    intervals.add_run(KEY, local(10, 50), distance_m=8_040, moving_time_s=2_460, average_hr=161)
    clock.set(at(12))
    [told] = await poll(app, services, harness)
    assert "intervals.icu: Run Tue 24 Nov 10:50 · 8.0 km · 41:00 · avg HR 161" in told
    assert "Matched your tempo run" in told and "on its way" in told
    assert activity_requests(intervals) == [
        "/api/v1/athlete/0/activities?oldest=2026-11-24&newest=2026-11-24"
    ]
    [session] = await delivered(app, services, harness)
    assert "Session A" in session.text and session.buttons()
    clock.set(at(12, 10))  # the run is in: no more asking today
    assert await poll(app, services, harness) == []
    assert len(activity_requests(intervals)) == 1
    listed = (await harness.send(RUNNER, "/runs"))[0].text
    assert "Run Tue 24 Nov 10:50 · 8.0 km · 41:00 · avg HR 161 · tempo" in listed


async def test_polling_goes_on_every_five_minutes_until_the_run_is_in(
    app: RunliftApplication,
    services: Services,
    clock: MutableClock,
    harness: ChatHarness,
    intervals: LocalIntervals,
) -> None:
    await onboard(services)
    await harness.send(RUNNER, f"/intervals {KEY}")
    clock.set(at(12))
    assert await poll(app, services, harness) == []
    clock.set(at(12, 2))
    await poll(app, services, harness)
    assert len(activity_requests(intervals)) == 1  # not again within five minutes
    intervals.add_strava_stub(KEY, local(11, 30))
    clock.set(at(12, 5))
    [told] = await poll(app, services, harness)
    assert "Run Tue 24 Nov 11:30 · synced from Strava, no distance or time shared" in told
    assert "on its way" in told
    assert len(activity_requests(intervals)) == 2
    [session] = await delivered(app, services, harness)
    assert "Session A" in session.text


async def test_connected_later_that_day_it_asks_at_once(
    app: RunliftApplication,
    services: Services,
    clock: MutableClock,
    harness: ChatHarness,
    intervals: LocalIntervals,
) -> None:
    await onboard(services)
    intervals.add_run(KEY, local(11), distance_m=10_000, moving_time_s=3_000)
    intervals.add_run(KEY, local(8), distance_m=20_000, moving_time_s=3_600, kind="Ride")
    clock.set(at(12, 30))
    sent = await harness.send(RUNNER, f"/intervals {KEY}")
    texts = [m.text for m in sent]
    assert "intervals.icu connected" in texts[0]
    assert any("Ride Tue 24 Nov 08:00" in t and "cross-training" in t for t in texts)
    assert any("Run Tue 24 Nov 11:00 · 10.0 km · 50:00" in t and "on its way" in t for t in texts)
    [session] = await delivered(app, services, harness)
    assert "Session A" in session.text


async def test_a_key_refused_later_is_told_once_and_polling_stops(
    app: RunliftApplication,
    services: Services,
    clock: MutableClock,
    harness: ChatHarness,
    intervals: LocalIntervals,
) -> None:
    await onboard(services)
    await harness.send(RUNNER, f"/intervals {KEY}")
    del intervals.athletes[KEY]  # revoked on intervals.icu
    clock.set(at(12))
    [told] = await poll(app, services, harness)
    assert "intervals.icu refused your API key" in told
    for minutes in (5, 10, 30):
        clock.set(at(12, minutes))
        assert await poll(app, services, harness) == []
    assert len(activity_requests(intervals)) == 1
    [state] = await harness.send(RUNNER, "/intervals")
    assert "refused your stored key" in state.text
    clock.set(at(13))  # the session still comes at its usual time
    [session] = await delivered(app, services, harness)
    assert "Session A" in session.text


async def test_a_429_backs_off_for_as_long_as_asked(
    app: RunliftApplication,
    services: Services,
    clock: MutableClock,
    harness: ChatHarness,
    intervals: LocalIntervals,
) -> None:
    await onboard(services)
    await harness.send(RUNNER, f"/intervals {KEY}")
    intervals.rate_limit(1, retry_after_s=900)
    clock.set(at(12))
    assert await poll(app, services, harness) == []
    clock.set(at(12, 10))
    await poll(app, services, harness)
    assert len(activity_requests(intervals)) == 1  # still waiting: Retry-After was 15 min
    intervals.add_run(KEY, local(11), distance_m=10_000, moving_time_s=3_000)
    clock.set(at(12, 15))
    [told] = await poll(app, services, harness)
    assert "on its way" in told
    assert len(activity_requests(intervals)) == 2


async def test_no_polling_on_a_day_without_a_run(
    app: RunliftApplication,
    services: Services,
    clock: MutableClock,
    harness: ChatHarness,
    intervals: LocalIntervals,
) -> None:
    await onboard(services)
    await harness.send(RUNNER, f"/intervals {KEY}")
    clock.set(at(14, day=26))  # Thursday: rest
    assert await poll(app, services, harness) == []
    assert activity_requests(intervals) == []


async def test_the_key_is_never_logged_nor_exported_and_off_or_delete_removes_it(
    app: RunliftApplication,
    services: Services,
    clock: MutableClock,
    harness: ChatHarness,
    intervals: LocalIntervals,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from bot.log_redaction import TokenRedactor

    caplog.set_level(logging.DEBUG)
    for echoing in ("telegram", "aiosqlite"):  # as `runlift run` sets them (bot/__main__.py)
        caplog.set_level(logging.INFO, logger=echoing)
    caplog.handler.addFilter(TokenRedactor("123:test-token"))
    await onboard(services)
    await harness.send(RUNNER, f"/intervals {KEY}")
    intervals.add_run(KEY, local(11), distance_m=10_000, moving_time_s=3_000)
    clock.set(at(12))
    await poll(app, services, harness)
    exported = await harness.send(RUNNER, "/export")
    payloads = b"".join(m.payload or b"" for m in exported)
    assert b'"runs"' in payloads and KEY.encode() not in payloads
    assert KEY not in caplog.text
    assert not any(KEY in m.text for m in harness.chat(RUNNER))
    [off] = await harness.send(RUNNER, "/intervals off")
    assert "disconnected" in off.text
    clock.set(at(12, 30))
    assert await poll(app, services, harness) == []
    assert len(activity_requests(intervals)) == 1
    await harness.send(RUNNER, f"/intervals {KEY}")
    await harness.send(RUNNER, "/delete")
    await harness.press(RUNNER, "🗑 Yes, delete everything")
    data = json.dumps([m.text for m in harness.chat(RUNNER)])
    assert KEY not in data


async def test_a_malformed_key_is_not_sent_anywhere(
    services: Services, harness: ChatHarness, intervals: LocalIntervals
) -> None:
    await onboard(services)
    [answer] = await harness.send(RUNNER, "/intervals <my key>")
    assert "doesn't look like an intervals.icu API key" in answer.text
    assert intervals.requests == []


async def test_the_whole_bot_asks_intervals_icu_at_most_ten_times_a_second(
    intervals: LocalIntervals,
) -> None:
    async with IntervalsClient(intervals.url) as client:
        started = time.monotonic()
        await asyncio.gather(*(client.check_key(KEY) for _ in range(21)))
        elapsed = time.monotonic() - started
    assert len(intervals.requests) == 21
    assert elapsed >= 2.0  # 21 requests at ≤ 10 a second
    assert elapsed < 6.0  # paced, not stalled


async def test_the_poll_runs_from_the_reminder_scheduler(app: RunliftApplication) -> None:
    from scheduler.jobs import INTERVALS_JOB_ID, INTERVALS_POLL_SECONDS

    assert app.job_queue is not None
    job = app.job_queue.scheduler.get_job(INTERVALS_JOB_ID)
    assert job is not None and job.trigger.interval == timedelta(seconds=INTERVALS_POLL_SECONDS)


async def test_two_passes_at_once_ask_intervals_icu_once(
    app: RunliftApplication,
    services: Services,
    clock: MutableClock,
    harness: ChatHarness,
    intervals: LocalIntervals,
) -> None:
    await onboard(services)
    await harness.send(RUNNER, f"/intervals {KEY}")
    clock.set(at(12))
    await asyncio.gather(run_intervals_poll(app, services), run_intervals_poll(app, services))
    assert len(activity_requests(intervals)) == 1
