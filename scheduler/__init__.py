"""Reminder delivery with APScheduler (through PTB's JobQueue); `timing` is the pure part."""

from __future__ import annotations

from typing import Any

from bot.services.container import Services


def install(app: Any, services: Services) -> None:
    """Connects the scheduler port to the Application's JobQueue."""


async def restore(app: Any, services: Services) -> None:
    """Re-creates jobs for pending reminders after a start (the database is the truth)."""
