"""A reminder fan-out cut off by a crash: what waited for a connection still goes out, once.

The bot sends over a few HTTP connections to the Bot API; a big fan-out queues the rest. Only a
request already on the wire may have reached Telegram, so only such a reminder may end up
`unknown` (never re-sent); the queued ones are handed back after the restart and delivered.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from bot.app import build_application
from bot.config import Settings
from bot.context import RunliftApplication
from bot.services.container import Services
from bot.storage.tables import Reminder
from bot.telegram_request import AiohttpRequest
from devtools.localapi import LocalBotApi
from scheduler import deliver_due
from tests.fakes import MutableClock
from tests.scheduler.support import onboard
from tests.scheduler.test_delivery import at

RUNNERS = list(range(300, 316))
CONNECTIONS = 2


def _wired(
    settings: Settings, api: LocalBotApi, services: Services, clock: MutableClock
) -> RunliftApplication:
    """The bot on the real HTTP client, `CONNECTIONS` connections to the local Bot API."""
    over_http = settings.model_copy(update={"telegram_api_url": api.url})
    return build_application(
        over_http,
        request=AiohttpRequest(CONNECTIONS, pool_timeout=60),
        clock=clock,
        database=services.db,
    )


async def _statuses(services: Services) -> Counter[str]:
    async with services.db.reading() as session:
        rows = await session.execute(
            select(Reminder.status, func.count())
            .where(Reminder.runner_id.in_(RUNNERS), Reminder.kind == "session")
            .group_by(Reminder.status)
        )
        return Counter({str(status): int(count) for status, count in rows.all()})


async def test_a_fan_out_cut_off_loses_no_queued_reminder_and_sends_none_twice(
    services: Services, settings: Settings, clock: MutableClock, api: LocalBotApi
) -> None:
    for runner_id in RUNNERS:
        await onboard(services, runner_id)
        await api.create_user(runner_id)
    clock.set(at(13, 0))  # every runner's session reminder is due
    await api.add_fault("sendMessage", "hang", count=len(RUNNERS), seconds=0.4)  # a slow API

    first = _wired(settings, api, services, clock)
    in_flight = 0
    async with first:
        fan_out = asyncio.create_task(deliver_due(first, first.bot_data["services"]))
        while api.messages_sent < 4:
            in_flight = max(in_flight, (await _statuses(services))["sending"])
            await asyncio.sleep(0.02)
        fan_out.cancel()  # the process dies mid-fan-out: rows stay as they were
        await asyncio.gather(fan_out, return_exceptions=True)
    queued = (await _statuses(services))["claimed"]
    await asyncio.sleep(0.5)  # requests already on the wire finish at the server
    api.faults.clear()

    clock.advance(timedelta(minutes=3))  # stale claims are handed back after the restart
    second = _wired(settings, api, services, clock)
    async with second:
        await deliver_due(second, second.bot_data["services"])

    assert in_flight <= CONNECTIONS  # marked in flight only while on the wire
    assert queued > 0  # the cut came while sends were queued
    statuses = await _statuses(services)
    assert statuses["unknown"] <= CONNECTIONS
    assert statuses["sent"] + statuses["unknown"] == len(RUNNERS)
    received = {r: len(await api.history(r)) for r in RUNNERS}
    assert max(received.values()) == 1  # nothing sent twice
    assert sum(received.values()) >= statuses["sent"]  # every `sent` row reached its runner
