"""Reminder delivery on PTB's JobQueue (APScheduler 3): id-only jobs, a sweep, a bounded fan-out.

- One `run_once` job per reminder, id `reminder:{id}`, `replace_existing=True`, a 6-hour misfire
  grace (APScheduler's default of 1 s would silently drop a job delayed by a busy loop) and
  `coalesce=True`. The job carries the id only and re-reads the row when it runs.
- A sweep (`reminders:sweep`, every 30 s) claims whatever is due and pending: it covers restarts,
  a second instance, a lost job and the demo's fast-forward clock. APScheduler marks a job done
  when it is submitted, so the database, not the job store, says what was delivered.
- Fan-out: claimed rows are sent by chat, at most `concurrency` chats at a time, with at least
  `per_chat_interval` seconds between two messages to one chat (Telegram's 1/s per chat, which
  PTB's `AIORateLimiter` does not enforce for private chats); the limiter holds the whole bot to
  30 messages/s and waits out `RetryAfter` (max_retries=3 in `bot.app`).
- Errors: `Forbidden` → the runner is inactive and their reminders cancelled; `RetryAfter` left
  over, `NetworkError` and a connect/pool timeout → pending again with backoff (failed after
  `MAX_ATTEMPTS`); a read/write timeout may have reached Telegram → `unknown`, never re-sent.
- A row turns `sending` only once its HTTP request holds one of the Bot API connections
  (`bot.telegram_request.before_the_wire`), and `sent` before it lets go of it (`after_the_wire`):
  rows queued behind the fan-out stay `claimed`, so a kill hands them back and they still go
  out; only a request already started can be `unknown`.
- Replicas on one PostgreSQL share the 30/s (and a chat's 1/s) through the database: every
  send here books its moment in `bot.telegram_request.paced_per_chat` (`bot.inbox.SharedPace`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from http import HTTPStatus
from typing import Any

from aiolimiter import AsyncLimiter
from apscheduler.jobstores.base import JobLookupError
from telegram import InputFile, Message
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.context import Outgoing
from bot.core.timing import Kind
from bot.services import delivery as service
from bot.services.container import Services
from bot.services.delivery import Delivery
from bot.services.runs import PollNotice
from bot.telegram_request import (
    SendCalledOffError,
    after_the_wire,
    before_the_wire,
    never_reached_telegram,
    paced_per_chat,
    runs_wire_hooks,
)

log = logging.getLogger(__name__)

DELIVERER_KEY = "reminder_deliverer"

Render = Callable[[Services, Delivery], Awaitable[Outgoing]]
"""What a due reminder says (text, buttons, a chart): by kind, in `handlers.reminder_kinds`."""
SWEEP_JOB_ID = "reminders:sweep"
CATCH_UP_JOB_ID = "reminders:catch-up"
SWEEP_SECONDS = 30
ARM_JOB_ID = "reminders:arm"
ARM_SECONDS = 600
JOB_HORIZON = timedelta(hours=1)
"""Reminders due within this get their own job (on time to the second); later ones are armed
every `ARM_SECONDS`, and the sweep delivers anything due regardless."""
MISFIRE_GRACE_SECONDS = 6 * 3600
BATCH_SIZE = 200
"""Rows claimed per transaction: small enough that a claim is fresh when its turn comes."""

SENDS_PER_SECOND = 29.5
"""Telegram allows about 30 bulk messages a second per bot. One send every 1/29.5 s (rather than
30 a second, which lets a burst of 30 through on top of the steady rate) keeps every one-second
window under the limit, so a morning's reminders drain at full speed with no 429s."""

_KIND_ORDER = {Kind.SESSION: 0, Kind.ASK_LOG: 1, Kind.WEEKLY_PREVIEW: 2, Kind.WEEKLY_SUMMARY: 3}


def job_id(reminder_id: int) -> str:
    return f"reminder:{reminder_id}"


def _instance_name() -> str:
    return f"{socket.gethostname()[:24]}:{os.getpid()}"


class SendOutcome(StrEnum):
    """What one send attempt came to (the row's new status follows from it)."""

    SENT = "sent"
    FAILED = "failed"
    LOST_CLAIM = "lost-claim"
    """Another job or instance took the row first; nothing was sent."""
    BLOCKED = "blocked"
    RETRY = "retry"
    UNKNOWN = "unknown"


class Deliverer:
    """Claims due reminders and sends them; one per Application."""

    def __init__(
        self,
        app: Any,
        services: Services,
        render: Render,
        *,
        concurrency: int = 32,
        per_chat_interval: float = 1.0,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        self.app = app
        self.services = services
        self.render = render
        self.per_chat_interval = per_chat_interval
        self.batch_size = batch_size
        self.instance = _instance_name()
        self._slots = asyncio.Semaphore(concurrency)
        self._pace = AsyncLimiter(1, 1 / SENDS_PER_SECOND)
        self._chat_locks: dict[int, asyncio.Lock] = {}
        self._last_sent: dict[int, float] = {}
        self._sweeping = asyncio.Lock()

    def _claimer(self) -> str:
        return f"{self.instance}:{uuid.uuid4().hex[:16]}"[:64]

    async def deliver_due(self, *, now: datetime | None = None, limit: int | None = None) -> int:
        """Claims and sends what is due by `now` (at most `limit` rows); returns how many went."""
        now = now or self.services.now()
        await service.housekeeping(self.services, now=now)
        sent = 0
        remaining = limit
        while remaining is None or remaining > 0:
            size = self.batch_size if remaining is None else min(self.batch_size, remaining)
            report = await service.claim_deliveries(
                self.services, claimer=self._claimer(), limit=size, now=now
            )
            if report.claimed == 0:
                break
            if remaining is not None:
                remaining -= report.claimed
            sent += await self.send_all(report.deliveries)
            if report.claimed < size:
                break
        return sent

    async def deliver_ids(self, reminder_ids: Sequence[int]) -> int:
        """What a reminder's own job does: claim that row if it is due, and send it."""
        report = await service.claim_deliveries(
            self.services,
            claimer=self._claimer(),
            limit=len(reminder_ids),
            reminder_ids=list(reminder_ids),
        )
        return await self.send_all(report.deliveries)

    async def sweep(self) -> int:
        """The periodic catch-all; a sweep still running (a big fan-out) is not doubled."""
        if self._sweeping.locked():
            return 0
        async with self._sweeping:
            return await self.deliver_due()

    async def send_all(self, deliveries: Sequence[Delivery]) -> int:
        """Sends by chat: chats in parallel (bounded), one chat's messages in order, spaced."""
        by_chat: dict[int, list[Delivery]] = {}
        for delivery in sorted(
            deliveries, key=lambda d: (_KIND_ORDER.get(Kind(d.kind), 9), d.due_at)
        ):
            by_chat.setdefault(delivery.chat_id, []).append(delivery)
        results = await asyncio.gather(*(self._send_chat(items) for items in by_chat.values()))
        if len(self._last_sent) > 50_000:
            self._forget_old_chats()
        return sum(results)

    async def _send_chat(self, items: list[Delivery]) -> int:
        chat_id = items[0].chat_id
        lock = self._chat_locks.setdefault(chat_id, asyncio.Lock())
        sent = 0
        async with lock:
            blocked = False
            for delivery in items:
                if blocked:
                    await service.record_blocked(
                        self.services, delivery.runner_id, delivery.reminder_id
                    )
                    continue
                outcome = await self._send_one(delivery)
                sent += outcome is SendOutcome.SENT
                blocked = outcome is SendOutcome.BLOCKED
        return sent

    async def _space(self, chat_id: int) -> None:
        loop = asyncio.get_running_loop()
        last = self._last_sent.get(chat_id)
        if last is not None:
            wait = last + self.per_chat_interval - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)

    async def _send_one(self, delivery: Delivery) -> SendOutcome:
        try:
            outgoing = await self.render(self.services, delivery)
        except Exception:
            log.exception("could not build reminder %s", delivery.reminder_id)
            await service.record_failed(self.services, delivery.reminder_id)
            return SendOutcome.FAILED
        began = False

        async def begin() -> None:
            """Commits `sending` once the HTTP request holds a connection and is about to go."""
            nonlocal began
            if began:
                return
            if not await service.begin_send(self.services, delivery):
                raise SendCalledOffError(
                    f"reminder {delivery.reminder_id}: the claim was taken back"
                )
            began = True

        async with self._slots:
            await self._space(delivery.chat_id)
            await self._pace.acquire()
            if not runs_wire_hooks(getattr(self.app.bot, "request", None)):
                try:
                    await begin()  # a transport without the hook: committed before the call
                except SendCalledOffError:
                    return SendOutcome.LOST_CLAIM
            recorded = False

            async def sent(status: int, body: bytes) -> None:
                """Commits `sent` while the request still holds its connection, so a row is
                `sending` only while its request is on the wire (the fan-out's in-flight count
                never passes the connections)."""
                nonlocal recorded
                if status == HTTPStatus.OK:
                    await service.record_sent(self.services, delivery.reminder_id, _sent_id(body))
                    recorded = True

            try:
                with before_the_wire(begin), after_the_wire(sent), paced_per_chat():
                    message = await self._send(delivery.chat_id, outgoing)
            except SendCalledOffError:
                return SendOutcome.LOST_CLAIM
            except Forbidden:
                log.info("runner %s blocked the bot; reminders stop", delivery.runner_id)
                await service.record_blocked(
                    self.services, delivery.runner_id, delivery.reminder_id
                )
                return SendOutcome.BLOCKED
            except RetryAfter as error:
                await service.record_retry(
                    self.services, delivery.reminder_id, wait=_retry_after(error)
                )
                return SendOutcome.RETRY
            except TimedOut as error:
                if not began or never_reached_telegram(error):
                    await service.record_retry(self.services, delivery.reminder_id)
                    return SendOutcome.RETRY
                log.warning("reminder %s timed out mid-call; not re-sent", delivery.reminder_id)
                await service.record_unknown(self.services, delivery.reminder_id)
                return SendOutcome.UNKNOWN
            except NetworkError:
                log.warning(
                    "network error sending reminder %s; will retry",
                    delivery.reminder_id,
                    exc_info=True,
                )
                await service.record_retry(self.services, delivery.reminder_id)
                return SendOutcome.RETRY
            except (BadRequest, TelegramError):
                log.exception("Telegram refused reminder %s", delivery.reminder_id)
                await service.record_failed(self.services, delivery.reminder_id)
                return SendOutcome.FAILED
            finally:
                self._last_sent[delivery.chat_id] = asyncio.get_running_loop().time()
        if not recorded:  # a transport without the hooks, or the commit in the hook failed
            await service.record_sent(self.services, delivery.reminder_id, message.message_id)
        return SendOutcome.SENT

    async def _send(self, chat_id: int, outgoing: Outgoing) -> Message:
        text, markup, photo = outgoing
        sent: Message
        if photo is not None and len(text) <= MessageLimit.CAPTION_LENGTH:
            sent = await self.app.bot.send_photo(
                chat_id,
                InputFile(photo, filename="runlift-progress.png"),
                caption=text,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
            )
        else:
            sent = await self.app.bot.send_message(
                chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup
            )
        return sent

    def _forget_old_chats(self) -> None:
        horizon = asyncio.get_running_loop().time() - 60
        for chat_id, at in list(self._last_sent.items()):
            if at < horizon:
                del self._last_sent[chat_id]
                lock = self._chat_locks.get(chat_id)
                if lock is not None and not lock.locked():
                    del self._chat_locks[chat_id]


def _sent_id(body: bytes) -> int | None:
    """The message id in a Bot API send's reply (None if it is not there)."""
    try:
        result = json.loads(body).get("result")
    except ValueError:
        return None
    found = result.get("message_id") if isinstance(result, dict) else None
    return found if isinstance(found, int) else None


def _retry_after(error: RetryAfter) -> timedelta:
    """Telegram's wait (read without PTB 22's float/timedelta deprecation warning)."""
    value = getattr(error, "_retry_after", None)
    if isinstance(value, timedelta):
        return value
    return timedelta(seconds=float(value if value is not None else 1))


class JobQueueScheduler:
    """The `ReminderScheduler` port on PTB's JobQueue: one id-only job per reminder."""

    def __init__(self, app: Any, services: Services) -> None:
        if app.job_queue is None:
            raise RuntimeError("python-telegram-bot was installed without the job-queue extra")
        self.job_queue = app.job_queue
        self.services = services

    def _real_time(self, due_at: datetime) -> datetime:
        """The wall-clock instant at which the services' clock (maybe fast-forwarded) hits it."""
        offset = self.services.now() - datetime.now(UTC)
        return due_at - offset

    def schedule(self, reminder_id: int, due_at: datetime) -> None:
        name = job_id(reminder_id)
        self._remove(name)  # before start, APScheduler keeps duplicates in its pending list
        if due_at > self.services.now() + JOB_HORIZON:
            return  # armed later by `arm_upcoming`; the sweep delivers it in any case
        self.job_queue.run_once(
            send_reminder,
            when=self._real_time(due_at),
            name=name,
            data=reminder_id,
            job_kwargs={
                "id": name,
                "replace_existing": True,
                "misfire_grace_time": MISFIRE_GRACE_SECONDS,
                "coalesce": True,
            },
        )

    def cancel(self, reminder_id: int) -> None:
        self._remove(job_id(reminder_id))

    def _remove(self, name: str) -> None:
        with contextlib.suppress(JobLookupError):
            self.job_queue.scheduler.remove_job(name)


def has_job(app: Any, reminder_id: int) -> bool:
    return app.job_queue.scheduler.get_job(job_id(reminder_id)) is not None


async def arm_upcoming(app: Any, services: Services) -> int:
    """Gives every pending reminder due within `JOB_HORIZON` its own job (if it has none yet).

    Only the next hour's reminders hold a job in memory: 10,000 runners have ~40,000 pending
    rows, and a job each would cost ~50 MB for reminders days away.
    """
    armed = 0
    for reminder_id, due_at in await service.future_jobs(services, within=JOB_HORIZON):
        if not has_job(app, reminder_id):
            services.scheduler.schedule(reminder_id, due_at)
            armed += 1
    return armed


async def arm_reminders(context: Any) -> None:
    """Job: arm the next hour's reminders."""
    await arm_upcoming(context.application, context.application.bot_data["services"])


def deliverer_of(app: Any) -> Deliverer:
    deliverer: Deliverer = app.bot_data[DELIVERER_KEY]
    return deliverer


async def send_reminder(context: Any) -> None:
    """Job: deliver one reminder by id (claimed first, so never twice)."""
    reminder_id = int(context.job.data)
    await deliverer_of(context.application).deliver_ids([reminder_id])


async def send_due_reminders(context: Any) -> None:
    """Job: the sweep — everything due and still pending."""
    await deliverer_of(context.application).sweep()


CALENDAR_SYNC_JOB_ID = "calendars:resync"
CALENDAR_SYNC_SECONDS = 24 * 3600
"""Linked calendar feeds are re-read once a day; the plan and its reminders follow."""
CALENDAR_SYNC_FIRST_SECONDS = 15 * 60
"""The first re-read waits a quarter hour after start, off the start-up path."""


async def send_calendar_resync(services: Services) -> int:
    """Re-reads every linked feed; returns how many were read (a failing feed keeps its data)."""
    from bot.services.calendar import resync_feeds

    return await resync_feeds(services)


async def resync_calendars(context: Any) -> None:
    """Daily job: re-read linked calendar feeds."""
    services: Services = context.application.bot_data["services"]
    count = await send_calendar_resync(services)
    log.info("re-read %d calendar feeds", count)


INTERVALS_JOB_ID = "intervals:poll"
INTERVALS_POLL_SECONDS = 60
"""How often the poll pass looks for runners to ask; each runner is asked every 5 minutes
(`bot.services.runs.POLL_EVERY`) within their run day's window."""
NOTICE_KEY = "intervals_notice"

Notice = Callable[[PollNotice], str]
"""What the runner is told about a poll's find (HTML): from `handlers.runs`."""


async def run_intervals_poll(app: Any, services: Services) -> int:
    """One intervals.icu pass: ask, tell each runner what was found (not in quiet hours), then
    bring their session forward. Returns how many notices there were."""
    from bot.services import runs

    render: Notice = app.bot_data[NOTICE_KEY]
    notices = await runs.poll_intervals(services)
    for notice in notices:
        outcome = notice.outcome
        if outcome is None or not runs.quiet_now(services, outcome.timezone):
            try:
                await app.bot.send_message(
                    notice.chat_id, render(notice), parse_mode=ParseMode.HTML
                )
            except TelegramError as error:
                log.warning(
                    "intervals.icu notice to runner %s failed: %s", notice.runner_id, error
                )
        if outcome is not None:
            await runs.send_session_now(services, notice.runner_id, outcome)
    return len(notices)


async def poll_intervals(context: Any) -> None:
    """Job: the intervals.icu poll pass."""
    app = context.application
    await run_intervals_poll(app, app.bot_data["services"])


def install(app: Any, services: Services, render: Render, notice: Notice | None = None) -> None:
    """Wires the port, the sweep and the arming job into the Application (called by `bot.app`).

    `render` turns a due reminder into its message; the Telegram texts live with the handlers
    (`handlers.reminder_kinds`), so the scheduler knows when to send, never what to say.
    `notice` does the same for what an intervals.icu poll found; without it nobody is polled.
    """
    app.bot_data[DELIVERER_KEY] = Deliverer(app, services, render)
    services.scheduler = JobQueueScheduler(app, services)
    if notice is not None:
        app.bot_data[NOTICE_KEY] = notice
        app.job_queue.run_repeating(
            poll_intervals,
            interval=INTERVALS_POLL_SECONDS,
            first=INTERVALS_POLL_SECONDS,
            name=INTERVALS_JOB_ID,
            job_kwargs={
                "id": INTERVALS_JOB_ID,
                "replace_existing": True,
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": INTERVALS_POLL_SECONDS,
            },
        )
    app.job_queue.run_repeating(
        arm_reminders,
        interval=ARM_SECONDS,
        first=ARM_SECONDS,
        name=ARM_JOB_ID,
        job_kwargs={
            "id": ARM_JOB_ID,
            "replace_existing": True,
            "coalesce": True,
            "misfire_grace_time": ARM_SECONDS,
        },
    )
    app.job_queue.run_repeating(
        resync_calendars,
        interval=CALENDAR_SYNC_SECONDS,
        first=CALENDAR_SYNC_FIRST_SECONDS,
        name=CALENDAR_SYNC_JOB_ID,
        job_kwargs={
            "id": CALENDAR_SYNC_JOB_ID,
            "replace_existing": True,
            "coalesce": True,
            "misfire_grace_time": CALENDAR_SYNC_SECONDS,
        },
    )
    app.job_queue.run_repeating(
        send_due_reminders,
        interval=SWEEP_SECONDS,
        first=SWEEP_SECONDS,
        name=SWEEP_JOB_ID,
        job_kwargs={
            "id": SWEEP_JOB_ID,
            "replace_existing": True,
            "coalesce": True,
            "max_instances": 2,  # the Deliverer's own lock skips an overlapping sweep quietly
            "misfire_grace_time": SWEEP_SECONDS,
        },
    )


async def restore(app: Any, services: Services) -> int:
    """After a start: jobs for the next hour's pending rows, and a catch-up sweep at once.

    Returns:
        How many reminder jobs were (re)created.
    """
    await service.housekeeping(services)
    future = await service.future_jobs(services, within=JOB_HORIZON)
    for reminder_id, due_at in future:
        services.scheduler.schedule(reminder_id, due_at)
    with contextlib.suppress(JobLookupError):
        app.job_queue.scheduler.remove_job(CATCH_UP_JOB_ID)
    app.job_queue.run_once(
        send_due_reminders,
        when=0,
        name=CATCH_UP_JOB_ID,
        job_kwargs={
            "id": CATCH_UP_JOB_ID,
            "replace_existing": True,
            "misfire_grace_time": MISFIRE_GRACE_SECONDS,
        },
    )
    log.info("reminders restored: %d jobs", len(future))
    return len(future)


async def deliver_due(
    app: Any, services: Services, *, now: datetime | None = None, limit: int | None = None
) -> int:
    """Sends every due reminder now (the demo's fast-forward, benchmarks, tests)."""
    return await deliverer_of(app).deliver_due(now=now, limit=limit)
