"""The demo's fast-forward: move the bot's clock to a runner's next reminder and send it.

The bot reads time only through its `Clock` port, so the demo builds it with an `OffsetClock`
and jumps the offset; the reminder rows in the database stay the single source of truth,
and delivery goes through the same `deliver_due` the scheduler's sweep uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.core.domain.statuses import ReminderStatus
from bot.ports import OffsetClock
from bot.services.container import Services
from bot.storage.tables import Reminder, Runner

STEP_PAST_DUE = timedelta(seconds=1)
"""Land just after the due time, so the row is due by any comparison."""


@dataclass(frozen=True)
class NextReminder:
    """The earliest reminder still waiting for a runner."""

    reminder_id: int
    kind: str
    due_at: datetime


@dataclass(frozen=True)
class FastForward:
    """What a press of the button did, for the page's toast and clock."""

    now: datetime
    jumped: timedelta
    kind: str | None
    sent: int


async def next_reminder(services: Services, runner_id: int) -> NextReminder | None:
    """The runner's pending reminder due soonest, or None when nothing is scheduled."""
    async with services.db.session() as session:
        row = await session.scalar(
            select(Reminder)
            .where(Reminder.runner_id == runner_id, Reminder.status == ReminderStatus.PENDING)
            .order_by(Reminder.due_at, Reminder.id)
            .limit(1)
        )
    if row is None:
        return None
    return NextReminder(row.id, row.kind, row.due_at)


async def runner_timezone(services: Services, runner_id: int) -> str | None:
    """The zone the runner chose during onboarding, or None before they finished it."""
    async with services.db.session() as session:
        runner = await session.get(Runner, runner_id)
    if runner is None or not runner.profile:
        return None
    zone = runner.profile.get("timezone")
    return str(zone) if zone else None


async def fast_forward(
    app: Any, services: Services, clock: OffsetClock, runner_id: int
) -> FastForward:
    """Jumps the shared clock to the runner's next reminder (never back) and delivers what is due.

    The clock is the whole bot's: other runners' reminders due by then go out too, exactly as
    they would if that much time had really passed.
    """
    from scheduler import deliver_due

    upcoming = await next_reminder(services, runner_id)
    jumped = timedelta(0)
    if upcoming is not None:
        gap = upcoming.due_at + STEP_PAST_DUE - services.now()
        if gap > timedelta(0):
            clock.advance(gap)
            jumped = gap
    sent = await deliver_due(app, services)
    return FastForward(
        now=services.now(),
        jumped=jumped,
        kind=upcoming.kind if upcoming is not None else None,
        sent=sent,
    )
