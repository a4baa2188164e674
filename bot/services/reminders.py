"""Reminder rows for planned sessions: create, move, cancel, claim and deliver-once bookkeeping."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.profile import RunnerProfile
from bot.services.container import Services
from bot.storage.tables import Runner

if TYPE_CHECKING:
    from bot.services.planning import PlanSync


async def sync_session_reminders(
    session: AsyncSession,
    services: Services,
    runner: Runner,
    profile: RunnerProfile,
    sync: PlanSync,
) -> None:
    """Makes the reminder rows match the synced sessions (filled in by the reminders flow)."""
