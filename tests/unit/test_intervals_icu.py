"""The intervals.icu client against the local stand-in over real HTTP on 127.0.0.1."""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

from bot.core.runs import (
    IntervalsError,
    IntervalsKeyRefused,
    IntervalsRateLimited,
    IntervalsUnavailable,
)
from bot.intervals_icu import IntervalsClient, retry_after
from devtools.intervals import LocalIntervals

KEY = "4x9secretkeyq7zk2m1p0runlift"
LONDON = ZoneInfo("Europe/London")
MARCH = (date(2026, 3, 1), date(2026, 3, 31))


@pytest.fixture
async def server() -> AsyncIterator[LocalIntervals]:
    async with LocalIntervals() as local:
        local.add_athlete(KEY)
        yield local


@pytest.fixture
async def client(server: LocalIntervals) -> AsyncIterator[IntervalsClient]:
    async with IntervalsClient(server.url) as http:
        yield http


async def test_a_good_key_is_accepted_and_a_wrong_one_is_not(client: IntervalsClient) -> None:
    assert await client.check_key(KEY)
    assert not await client.check_key("not-my-key")
    assert not await client.check_key("   ")


async def test_a_run_arrives_with_its_metrics_at_the_instant_it_started(
    server: LocalIntervals, client: IntervalsClient
) -> None:
    run_id = server.add_run(
        KEY,
        datetime(2026, 3, 31, 7, 30),
        distance_m=10_020.0,
        moving_time_s=3_050,
        average_hr=151.4,
    )

    [activity] = await client.activities(KEY, *MARCH, LONDON)

    assert activity.id == run_id
    assert activity.start == datetime(2026, 3, 31, 6, 30, tzinfo=UTC)  # BST: 07:30 local
    assert activity.is_run
    assert activity.record is not None
    assert (activity.record.distance_m, activity.record.moving_time_s) == (10_020.0, 3_050)
    assert activity.record.average_hr == 151
    assert activity.record.source == "intervals"


async def test_a_strava_synced_run_counts_as_done_without_metrics(
    server: LocalIntervals, client: IntervalsClient
) -> None:
    stub_id = server.add_strava_stub(KEY, datetime(2026, 3, 3, 18, 0))

    [activity] = await client.activities(KEY, *MARCH, LONDON)

    assert (activity.id, activity.record, activity.is_run) == (stub_id, None, True)
    assert activity.start == datetime(2026, 3, 3, 18, 0, tzinfo=UTC)


async def test_only_the_asked_dates_come_back_oldest_first_and_a_ride_is_no_run(
    server: LocalIntervals, client: IntervalsClient
) -> None:
    server.add_run(
        KEY, datetime(2026, 3, 20, 8, 0), distance_m=30_000, moving_time_s=3_600, kind="Ride"
    )
    server.add_run(
        KEY, datetime(2026, 3, 10, 8, 0), distance_m=8_000, moving_time_s=2_700, kind="TrailRun"
    )
    server.add_run(KEY, datetime(2026, 4, 2, 8, 0), distance_m=5_000, moving_time_s=1_500)

    activities = await client.activities(KEY, *MARCH, LONDON)

    assert [a.start.day for a in activities] == [10, 20]
    assert [a.is_run for a in activities] == [True, False]


async def test_a_refused_key_and_a_rate_limit_are_told_apart(
    server: LocalIntervals, client: IntervalsClient
) -> None:
    with pytest.raises(IntervalsKeyRefused):
        await client.activities("revoked-key", *MARCH, LONDON)

    server.rate_limit(requests=2, retry_after_s=30)
    with pytest.raises(IntervalsRateLimited) as limited:
        await client.activities(KEY, *MARCH, LONDON)
    assert limited.value.retry_after_s == 30
    with pytest.raises(IntervalsRateLimited):
        await client.check_key(KEY)

    assert await client.activities(KEY, *MARCH, LONDON) == []


async def test_a_hanging_server_is_given_up_on_at_the_deadline(server: LocalIntervals) -> None:
    server.delay(5)
    began = time.perf_counter()

    async with IntervalsClient(server.url, deadline_s=0.3) as client:
        with pytest.raises(IntervalsUnavailable, match=r"did not answer within 0\.3 seconds"):
            await client.activities(KEY, *MARCH, LONDON)

    assert time.perf_counter() - began < 3


async def test_a_server_error_or_a_garbled_answer_is_unavailable() -> None:
    answers = iter([httpx.Response(502), httpx.Response(200, content=b"<html>oops")])
    transport = httpx.MockTransport(lambda request: next(answers))

    async with IntervalsClient("https://intervals.example", transport=transport) as client:
        with pytest.raises(IntervalsUnavailable, match="502"):
            await client.check_key(KEY)
        with pytest.raises(IntervalsUnavailable, match="other than JSON"):
            await client.activities(KEY, *MARCH, LONDON)


async def test_an_unreadable_activity_is_skipped_and_a_bare_ride_is_no_run() -> None:
    body = [
        {"id": "i1", "type": "Run"},  # no start
        {"id": "i3", "type": "Ride", "start_date_local": "2026-03-04T07:00:00"},  # manual
        {
            "id": "i2",
            "type": "Run",
            "start_date_local": "2026-03-05T07:00:00",
            "distance": 6_000.0,
            "moving_time": 1_900,
        },
    ]
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=body))

    async with IntervalsClient("https://intervals.example", transport=transport) as client:
        activities = await client.activities(KEY, *MARCH, LONDON)

    assert [(a.id, a.is_run) for a in activities] == [("i3", False), ("i2", True)]


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("30", 30), (None, 60), ("Wed, 21 Oct 2026 07:28:00 GMT", 60), ("999999", 3_600)],
)
def test_retry_after_is_read_in_seconds_with_a_sane_fallback(
    header: str | None, seconds: int
) -> None:
    assert retry_after(header) == seconds


async def test_the_key_never_appears_in_logs_or_errors(
    server: LocalIntervals, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    encoded = base64.b64encode(f"API_KEY:{KEY}".encode()).decode()
    errors: list[IntervalsError] = []
    async with IntervalsClient(server.url, deadline_s=0.5) as client:
        assert await client.check_key(KEY)
        server.add_run(KEY, datetime(2026, 3, 5, 7, 0), distance_m=5_000, moving_time_s=1_600)
        assert await client.activities(KEY, *MARCH, LONDON)
        for fault in ("refused", "limited", "slow"):
            if fault == "limited":
                server.rate_limit()
            if fault == "slow":
                server.delay(2)
            try:
                await client.activities(KEY if fault != "refused" else KEY + "x", *MARCH, LONDON)
            except IntervalsError as error:
                errors.append(error)
    async with IntervalsClient("http://127.0.0.1:9") as closed:
        try:
            await closed.check_key(KEY)
        except IntervalsError as error:
            errors.append(error)

    assert [type(e) for e in errors] == [
        IntervalsKeyRefused,
        IntervalsRateLimited,
        IntervalsUnavailable,
        IntervalsUnavailable,
    ]
    assert any(r.name.startswith(("httpx", "httpcore")) for r in caplog.records)
    told = caplog.text + "".join(f"{e!s}{e!r}{e.__cause__}{e.__context__}" for e in errors)
    assert KEY not in told
    assert encoded not in told
    assert not any(KEY in path for path in server.requests)
