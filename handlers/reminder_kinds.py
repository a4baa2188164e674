"""What each reminder kind says: one entry per kind, looked up by the scheduler's delivery.

Adding a reminder kind means a `Kind` in `bot.core.timing` (when it is due), the service that
creates its rows, and one entry here (what it says and which buttons it carries).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.context import Outgoing
from bot.core.timing import Kind
from bot.services import delivery as service
from bot.services.container import Services
from bot.services.delivery import Delivery
from handlers import reminder_texts as texts
from handlers.session_actions import session_keyboard

Renderer = Callable[[Services, Delivery], Awaitable[Outgoing]]


async def _session(services: Services, delivery: Delivery) -> Outgoing:
    """After a hard run: the day's session with its session actions (Start, Snooze …)."""
    assert delivery.session is not None and delivery.session_id is not None
    return Outgoing(
        texts.session_reminder(delivery.session, delivery.units, delivery.first_name),
        session_keyboard(delivery.runner_id, delivery.session_id, delivery.session),
    )


async def _ask_log(services: Services, delivery: Delivery) -> Outgoing:
    """Later the same day: how did it go, with Done as planned and per-exercise buttons."""
    assert delivery.session is not None and delivery.session_id is not None
    today = services.today_in(delivery.timezone)
    return Outgoing(
        texts.ask_log(delivery.session, delivery.units, today=today),
        texts.ask_log_keyboard(delivery.runner_id, delivery.session_id, delivery.session),
    )


async def _weekly_preview(services: Services, delivery: Delivery) -> Outgoing:
    """Sunday evening: next week's sessions."""
    assert delivery.week_start is not None
    sessions, notes = await service.preview_sessions(
        services, delivery.runner_id, delivery.week_start
    )
    return Outgoing(texts.weekly_preview(sessions, delivery.week_start, delivery.units, notes))


async def _weekly_summary(services: Services, delivery: Delivery) -> Outgoing:
    """Sunday evening: this week's sessions done / planned, sets, e1RM changes (with the chart
    when one rose), what's next."""
    from bot.services import weekly_summary
    from handlers import adapt

    summary = await weekly_summary.weekly_summary(services, delivery.runner_id)
    return Outgoing(
        adapt.summary_text(summary), adapt.summary_keyboard(delivery.runner_id), summary.chart
    )


REMINDER_KINDS: dict[Kind, Renderer] = {
    Kind.SESSION: _session,
    Kind.ASK_LOG: _ask_log,
    Kind.WEEKLY_PREVIEW: _weekly_preview,
    Kind.WEEKLY_SUMMARY: _weekly_summary,
}


async def render_reminder(services: Services, delivery: Delivery) -> Outgoing:
    """The message for a due reminder (`scheduler.jobs.Render`)."""
    renderer = REMINDER_KINDS.get(Kind(delivery.kind))
    if renderer is None:
        raise ValueError(f"reminder {delivery.reminder_id}: no renderer for {delivery.kind}")
    return await renderer(services, delivery)
