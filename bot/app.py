"""The composition root: the only place that builds concrete classes and wires them together."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, cast

from telegram import LinkPreviewOptions
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest

from bot.calendar_feed import HttpCalendarFetcher
from bot.config import Settings
from bot.context import SERVICES_KEY, RunliftApplication, RunliftContext
from bot.core import answers
from bot.core.catalogue.loader import load_catalogue
from bot.inbox import SharedPace
from bot.intervals_icu import IntervalsClient
from bot.ports import Clock, SystemClock
from bot.send_limits import CappingRateLimiter
from bot.services.container import Services
from bot.storage.db import Database
from bot.telegram_request import AiohttpRequest
from bot.update_processor import PerChatUpdateProcessor

log = logging.getLogger(__name__)

HTTP_CONNECTIONS = 8
"""Connections to the Bot API for sends. PTB's default pool of 256 let a burst open dozens, each
costing CPU to keep; 8 keep the bot's 64 concurrent updates and the reminder fan-out fed."""
HTTP_POOL_TIMEOUT = 30.0
"""Seconds a send waits for one of those connections (PTB's default of 1 s would fail answers
while a few requests hang on a slow Bot API)."""

PLACEHOLDER_TOKEN = "0:runlift-offline"
"""Lets tools build the Application without a real token (tests with a fake request)."""


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    clock: Clock | None = None,
    database: Database | None = None,
) -> RunliftApplication:
    """Builds the bot: settings in, a ready `Application` out (start it with `async with`).

    Args:
        settings: validated settings.
        request: a `BaseRequest` for tests (a recording fake); the default talks HTTP.
        clock: the clock every service reads; the demo passes one it can fast-forward.
        database: an existing database to share (tests, the demo); else built from settings.
    """
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else None
    db = database or Database(settings.database_url)
    # replicas share one send budget through the database
    pace = SharedPace(db) if settings.replicas else None
    builder = (
        ApplicationBuilder()
        .token(token or PLACEHOLDER_TOKEN)
        .base_url(settings.bot_api_base_url)
        .base_file_url(settings.bot_api_file_url)
        .context_types(ContextTypes(context=RunliftContext))
        .defaults(Defaults(link_preview_options=LinkPreviewOptions(is_disabled=True)))
        # Answers to runners go out at once; RetryAfter is waited out and retried. The bulk
        # sends (reminders) are paced by the scheduler under Telegram's ~30 messages/s. Texts
        # over Telegram's limits are cut on the way out (bot/send_limits.py).
        .rate_limiter(CappingRateLimiter(overall_max_rate=0, max_retries=3))
        .concurrent_updates(PerChatUpdateProcessor(64))
        .post_init(_post_init)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
        builder = builder.post_shutdown(_post_shutdown)
    else:
        # a send may wait for a free connection while others hang on a slow Bot API
        sends = AiohttpRequest(HTTP_CONNECTIONS, pool_timeout=HTTP_POOL_TIMEOUT, pace=pace)
        polls = AiohttpRequest(1)
        builder = builder.request(sends).get_updates_request(polls)
        builder = builder.post_shutdown(_closing(sends, polls))
    app = cast(RunliftApplication, builder.build())

    services = Services(
        settings=settings,
        db=db,
        clock=clock or SystemClock(),
        catalogue=load_catalogue(),
        fetcher=HttpCalendarFetcher(allow_private_hosts=settings.calendar_allow_private_hosts),
        intervals=IntervalsClient(settings.intervals_api_url),
    )
    app.bot_data[SERVICES_KEY] = services

    import handlers
    from handlers.errors import error_handler

    handlers.register(app)
    app.add_error_handler(error_handler)
    _install_scheduler(app, services)
    return app


def _install_scheduler(app: RunliftApplication, services: Services) -> None:
    """Wires the reminder delivery (APScheduler via PTB's JobQueue) into the Application."""
    from handlers.reminder_kinds import render_reminder
    from handlers.runs import poll_notice_text
    from scheduler import install

    install(app, services, render_reminder, poll_notice_text)


async def _post_init(app: Any) -> None:
    """Upgrades the schema, sets the command menu, then restores scheduled reminders."""
    from handlers.common import bot_commands
    from scheduler import restore

    services: Services = app.bot_data[SERVICES_KEY]
    # the city index for time-zone answers takes ~0.7 s to build: not on the event loop
    warming = asyncio.get_running_loop().run_in_executor(None, answers.warm_up)
    if services.settings.replicas:
        # a replica's listener (and health check) comes up after this: the balancer sends it
        # nobody it would keep waiting seconds while it builds the index (three replicas
        # building theirs at once under a burst held their first city answers 5 s)
        await warming
    await services.db.upgrade_aside()
    await app.bot.set_my_commands(bot_commands())
    await restore(app, services)
    log.info("runlift is up as @%s", app.bot.username)


async def _post_shutdown(app: Any) -> None:
    services: Services = app.bot_data[SERVICES_KEY]
    await services.intervals.aclose()
    await services.db.dispose()


def _closing(*requests: BaseRequest) -> Callable[[Any], Coroutine[Any, Any, None]]:
    """`_post_shutdown` that also closes the HTTP clients: PTB leaves them open when the start
    failed (getMe refused the token), and aiohttp then logs "Unclosed client session"."""

    async def post_shutdown(app: Any) -> None:
        try:
            await _post_shutdown(app)
        finally:
            for request in requests:
                await request.shutdown()

    return post_shutdown
