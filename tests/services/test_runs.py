"""Recording a run: once, whichever way it arrives and however many times at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.core.domain.runs import RunRecord
from bot.services import runs
from bot.services.container import Services
from tests.scheduler.support import onboard

START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def arrival(external_id: str | None = "i42") -> runs.RunArrival:
    record = RunRecord(
        start=START, distance_m=8_000, moving_time_s=2_400, sport="run", source="intervals"
    )
    return runs.RunArrival(START, record, "intervals", external_id)


async def test_the_same_activity_arriving_twice_at_once_is_stored_once(
    services: Services,
) -> None:
    await onboard(services)
    first, second = await asyncio.gather(
        runs.record_run(services, 42, arrival()), runs.record_run(services, 42, arrival())
    )
    assert first is not None and second is not None
    assert sorted([first.repeated, second.repeated]) == [False, True]
    assert len(await runs.all_runs(services, 42)) == 1


async def test_a_run_on_its_day_says_the_session_comes_now_until_it_is_brought(
    services: Services,
) -> None:
    await onboard(services)
    outcome = await runs.record_run(services, 42, arrival(None))
    assert outcome is not None and outcome.reminder == "now" and outcome.matched == "tempo"
    assert outcome.session is not None and outcome.session.name == "A"
    await runs.send_session_now(services, 42, outcome)
    again = await runs.record_run(services, 42, arrival(None))
    assert again is not None and again.repeated


async def test_before_set_up_nothing_is_stored(services: Services) -> None:
    assert await runs.record_run(services, 7, arrival()) is None
    assert await runs.all_runs(services, 7) == []
