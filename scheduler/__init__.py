"""Reminder delivery with APScheduler (through PTB's JobQueue); `timing` is the pure part.

`bot.app` calls `install` while building the Application and `restore` from `post_init`.
`deliver_due` sends whatever is due right now (the demo's fast-forward button, benchmarks).
The job code is imported lazily so `bot.core.timing` stays importable from the pure core.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.services.container import Services


def install(app: Any, services: Services, render: Any, notice: Any = None) -> None:
    """Connects the scheduler port to the Application's JobQueue and starts the sweep.

    `render` is `scheduler.jobs.Render`: what each reminder kind says (from `handlers`);
    `notice` is `scheduler.jobs.Notice`: what an intervals.icu poll found.
    """
    from scheduler import jobs

    jobs.install(app, services, render, notice)


async def restore(app: Any, services: Services) -> None:
    """Re-creates jobs for pending reminders after a start (the database is the truth)."""
    from scheduler import jobs

    await jobs.restore(app, services)


async def deliver_due(
    app: Any, services: Services, *, now: datetime | None = None, limit: int | None = None
) -> int:
    """Claims and sends every reminder due by `now`; returns how many were sent."""
    from scheduler import jobs

    return await jobs.deliver_due(app, services, now=now, limit=limit)


__all__ = ["deliver_due", "install", "restore"]
