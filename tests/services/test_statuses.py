"""Every status the services store is one of the enums' values (a typo would be a new status)."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.domain.statuses import DraftKind, ReminderStatus, SessionStatus
from bot.services import session_buttons
from bot.services.container import Services
from bot.storage.tables import Draft, PlannedSession, Reminder
from tests.scheduler.support import onboard


async def test_statuses_after_skip_move_and_pause_are_enum_values(services: Services) -> None:
    await onboard(services)
    async with services.db.session() as session:
        ids = list(await session.scalars(select(PlannedSession.id).order_by(PlannedSession.date)))
    moved = await session_buttons.move_to_tomorrow(services, 42, ids[0])  # Tuesday → Wednesday
    assert moved.outcome is session_buttons.Outcome.OK
    await session_buttons.skip_today(services, 42, ids[1])
    await session_buttons.set_paused(services, 42, True)
    async with services.db.session() as session:
        sessions = set(await session.scalars(select(PlannedSession.status)))
        rows = set(await session.scalars(select(Reminder.status)))
        kinds = set(await session.scalars(select(Draft.kind)))
    assert {SessionStatus.SKIPPED, SessionStatus.MOVED} <= sessions
    assert sessions <= set(SessionStatus)
    assert ReminderStatus.CANCELLED in rows and rows <= set(ReminderStatus)
    assert kinds <= set(DraftKind)
