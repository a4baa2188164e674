"""/plan and /today read the stored plan without the write lock, and plan a new week on sight."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import text

from bot.services import onboarding
from bot.services.container import Services
from tests.fakes import MutableClock
from tests.scheduler.support import onboard


async def test_plan_answers_while_another_runner_holds_the_write_lock(services: Services) -> None:
    await onboard(services)
    holding = asyncio.Event()
    release = asyncio.Event()

    async def writer() -> None:
        async with services.db.session() as session, session.begin():
            await session.execute(text("UPDATE runners SET first_name = first_name"))
            holding.set()
            await release.wait()

    task = asyncio.create_task(writer())
    await holding.wait()
    try:
        view = await asyncio.wait_for(onboarding.plan_for(services, 42), timeout=10)
    finally:
        release.set()
        await task
    assert view is not None
    assert [s.session.weekday.value for s in view.weeks[0].sessions] == ["tue", "fri"]


async def test_a_new_week_is_planned_when_the_runner_looks_at_it(
    services: Services, clock: MutableClock
) -> None:
    await onboard(services)
    clock.advance(timedelta(days=21))  # past the stored horizon's first weeks
    view = await onboarding.plan_for(services, 42)
    assert view is not None
    monday = view.weeks[0].monday
    assert monday > clock.now().date() - timedelta(days=7)
    assert [s.session.date - monday for s in view.weeks[0].sessions] == [
        timedelta(days=1),
        timedelta(days=4),
    ]
    again = await onboarding.plan_for(services, 42)
    assert again is not None and again.weeks[0].sessions == view.weeks[0].sessions
