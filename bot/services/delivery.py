"""Reminder delivery: claim what is due, and record how sending went.

The database is the source of truth; the rows themselves are kept in step with the plan by
`bot.services.reminder_rows`, and `scheduler/jobs.py` sends what is claimed here.

Delivery bookkeeping (what a crash at any point leaves behind):
claim (`claimed`) → `sending` committed right before the HTTP call → `sent` committed on the
Bot API's reply, before its connection is freed (`scheduler/jobs.py`). A stale `claimed`
row never reached Telegram and is handed back; a stale `sending` row may have reached it, so it
becomes `unknown` and is never re-sent (at-most-once for that one ambiguous case: a duplicate
breaks trust more than a single lost nudge, and it is logged). The same rule covers a read
timeout during the call (`record_unknown`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.core import timing
from bot.core.domain.plan import Session
from bot.core.domain.profile import Units
from bot.core.domain.statuses import ReminderStatus, SessionStatus
from bot.core.timing import Action, Kind
from bot.services import planning
from bot.services.container import Services
from bot.services.reminder_rows import (
    ASK_AFTER_REMINDER_MIN_GAP,
    delays,
)
from bot.storage import reminders as repo
from bot.storage import runners
from bot.storage import sessions as session_rows
from bot.storage.tables import Reminder

log = logging.getLogger(__name__)

STALE_CLAIM = timedelta(seconds=30)
"""A claim this old that never reached `sending` belongs to a crashed or stuck instance.

Handing it back early is safe: `begin_send` only moves a claim to `sending` while its claimer
still holds it, so a slow instance that lost its claim sends nothing.
"""
STALE_SENDING = timedelta(minutes=2)
"""A send this old never finished (the process died mid-call): marked unknown, never resent."""
MAX_ATTEMPTS = 5
"""Network failures retried with backoff before a reminder is marked failed."""


@dataclass(frozen=True)
class Delivery:
    """A claimed reminder with everything needed to build its message (no more queries)."""

    reminder_id: int
    kind: str
    claimer: str
    runner_id: int
    chat_id: int
    first_name: str
    units: Units
    timezone: str
    due_at: datetime
    session_id: int | None = None
    session: Session | None = None
    week_start: date | None = None


@dataclass
class ClaimReport:
    """What one claim pass did: deliveries to send, and how many rows it settled otherwise."""

    deliveries: list[Delivery] = field(default_factory=list)
    missed: int = 0
    cancelled: int = 0
    deferred: dict[int, datetime] = field(default_factory=dict)
    claimed: int = 0


async def housekeeping(services: Services, *, now: datetime | None = None) -> None:
    """Hands back stale claims, flags stale sends as unknown, expires held runners' due rows."""
    now = now or services.now()
    async with services.db.session() as session, session.begin():
        released = await repo.release_stale_claims(session, before=now - STALE_CLAIM)
        stale = await repo.stale_sending(session, before=now - STALE_SENDING)
        for row in stale:
            log.warning(
                "reminder %s was being sent when an instance stopped; Telegram may have "
                "delivered it, so it is not sent again (status unknown)",
                row.id,
            )
        await repo.set_status(
            session,
            [r.id for r in stale],
            ReminderStatus.UNKNOWN,
            only_from=[ReminderStatus.SENDING],
        )
        held = await repo.expire_held(session, now=now)
    if released or held:
        log.info("reminders: %d stale claims handed back, %d held ones missed", released, held)


async def claim_deliveries(
    services: Services,
    *,
    claimer: str,
    limit: int,
    now: datetime | None = None,
    reminder_ids: list[int] | None = None,
) -> ClaimReport:
    """Claims due rows atomically and decides, per row, send / defer / missed / cancelled.

    One transaction and a fixed number of queries per batch (rows, runners, sessions, the
    session reminders of log prompts), whatever the batch size.
    """
    now = now or services.now()
    report = ClaimReport()
    quiet = services.settings.quiet_window
    _, log_delay = delays(services)
    async with services.db.session() as session, session.begin():
        claimed = await repo.claim_due(
            session, now=now, claimer=claimer, limit=limit, reminder_ids=reminder_ids
        )
        report.claimed = len(claimed)
        if not claimed:
            return report
        people = await runners.by_ids(session, {r.runner_id for r in claimed})
        sessions = await session_rows.by_ids(
            session, {r.session_id for r in claimed if r.session_id is not None}
        )
        asked = [r.session_id for r in claimed if r.kind == Kind.ASK_LOG and r.session_id]
        reminded: dict[int, list[Reminder]] = {}
        for other in await repo.for_sessions(session, asked):
            if other.kind == Kind.SESSION:
                reminded.setdefault(other.session_id or 0, []).append(other)

        missed: list[int] = []
        cancelled: list[int] = []
        for row in claimed:
            runner = people.get(row.runner_id)
            if runner is None or runner.profile is None:
                cancelled.append(row.id)
                continue
            profile = planning.profile_of(runner)
            zone = profile.zone
            verdict = timing.delivery_verdict(row.kind, row.due_at, now, zone, quiet)
            if verdict.action is Action.MISS:
                missed.append(row.id)
                continue
            if verdict.action is Action.DEFER and verdict.at is not None:
                report.deferred[row.id] = verdict.at
                continue
            planned = sessions.get(row.session_id) if row.session_id is not None else None
            if row.kind in (Kind.SESSION, Kind.ASK_LOG) and (
                planned is None or planned.status != SessionStatus.PLANNED
            ):
                cancelled.append(row.id)
                continue
            if row.kind == Kind.ASK_LOG and row.session_id is not None:
                later = _ask_after_reminder(
                    reminded.get(row.session_id, []), row.id, now, log_delay, zone, quiet, claimed
                )
                if later is not None:
                    report.deferred[row.id] = later
                    continue
            report.deliveries.append(
                Delivery(
                    reminder_id=row.id,
                    kind=row.kind,
                    claimer=claimer,
                    runner_id=runner.id,
                    chat_id=runner.chat_id,
                    first_name=runner.first_name,
                    units=profile.units,
                    timezone=profile.timezone,
                    due_at=row.due_at,
                    session_id=row.session_id,
                    session=planning.stored_session(planned) if planned is not None else None,
                    week_start=_preview_week(row.dedupe_key),
                )
            )
        await repo.set_status(
            session, missed, ReminderStatus.MISSED, only_from=[ReminderStatus.CLAIMED]
        )
        await repo.set_status(
            session, cancelled, ReminderStatus.CANCELLED, only_from=[ReminderStatus.CLAIMED]
        )
        for reminder_id, when in report.deferred.items():
            await repo.release(
                session, reminder_id, due_at=when, from_statuses=[ReminderStatus.CLAIMED]
            )
        report.missed, report.cancelled = len(missed), len(cancelled)
    for reminder_id, when in report.deferred.items():
        services.scheduler.schedule(reminder_id, when)
    return report


def _ask_after_reminder(
    session_rows: list[Reminder],
    ask_id: int,
    now: datetime,
    log_delay: timedelta,
    zone: ZoneInfo,
    quiet: timing.QuietWindow,
    batch: list[Reminder] | Any,
) -> datetime | None:
    """A log prompt waits `log_delay` after its session reminder actually went out.

    After downtime both may be due at once; asking "how did it go?" a second after sending the
    session helps nobody. Returns the later time, or None to send now.
    """
    in_flight = {r.id for r in batch if r.kind == Kind.SESSION}
    latest: datetime | None = None
    unsent_elsewhere = False
    for row in session_rows:
        if row.status == ReminderStatus.SENT and row.sent_at is not None:
            moment = row.sent_at
        elif row.id in in_flight:
            moment = max(now, row.due_at)
        elif row.status in (
            ReminderStatus.PENDING,
            ReminderStatus.CLAIMED,
            ReminderStatus.SENDING,
        ):
            # Another job holds the session reminder right now: ask only after it has gone.
            moment = max(now, row.due_at)
            unsent_elsewhere = True
        else:
            continue
        latest = moment if latest is None else max(latest, moment)
    if latest is None:
        return None
    if unsent_elsewhere:
        return max(now + ASK_AFTER_REMINDER_MIN_GAP, latest + log_delay)
    if latest + log_delay <= now:
        return None
    return timing.ask_log_due(latest, zone, delay=log_delay, quiet=quiet)


def _preview_week(key: str) -> date | None:
    if not key.startswith("preview:"):
        return None
    try:
        return date.fromisoformat(key.rsplit(":", 1)[1])
    except ValueError:
        return None


async def begin_send(services: Services, delivery: Delivery) -> bool:
    """Commits `sending` right before the HTTP call; False if our claim was taken back."""
    async with services.db.session() as session, session.begin():
        return await repo.mark_sending(session, delivery.reminder_id, delivery.claimer)


async def record_sent(services: Services, reminder_id: int, message_id: int | None) -> None:
    async with services.db.session() as session, session.begin():
        await repo.mark_sent(session, reminder_id, message_id=message_id, now=services.now())


BACKOFF = timedelta(seconds=30)
"""First retry wait after a network error; doubles with each attempt."""


async def record_retry(
    services: Services, reminder_id: int, *, wait: timedelta | None = None
) -> bool:
    """The send never reached Telegram: pending again after `wait`, or failed after N tries.

    Returns:
        True if it will be retried.
    """
    async with services.db.session() as session, session.begin():
        row = await repo.get(session, reminder_id)
        if row is None:
            return False
        if row.attempts >= MAX_ATTEMPTS:
            await repo.set_status(
                session,
                [reminder_id],
                ReminderStatus.FAILED,
                only_from=[ReminderStatus.SENDING, ReminderStatus.CLAIMED],
            )
            log.error("reminder %s failed after %d attempts", reminder_id, row.attempts)
            return False
        due = services.now() + (
            wait if wait is not None else BACKOFF * 2 ** max(row.attempts - 1, 0)
        )
        await repo.release(
            session,
            reminder_id,
            due_at=due,
            from_statuses=[ReminderStatus.SENDING, ReminderStatus.CLAIMED],
        )
    services.scheduler.schedule(reminder_id, due)
    return True


async def record_failed(services: Services, reminder_id: int) -> None:
    async with services.db.session() as session, session.begin():
        await repo.set_status(
            session,
            [reminder_id],
            ReminderStatus.FAILED,
            only_from=[ReminderStatus.SENDING, ReminderStatus.CLAIMED],
        )


async def record_unknown(services: Services, reminder_id: int) -> None:
    """The call may or may not have reached Telegram: never re-send (see module docstring)."""
    async with services.db.session() as session, session.begin():
        await repo.set_status(
            session, [reminder_id], ReminderStatus.UNKNOWN, only_from=[ReminderStatus.SENDING]
        )


async def record_blocked(services: Services, runner_id: int, reminder_id: int | None) -> None:
    """The runner blocked the bot: inactive, pending reminders cancelled until they /start."""
    async with services.db.session() as session, session.begin():
        await runners.set_active(session, runner_id, False, services.now())
        if reminder_id is not None:
            await repo.set_status(
                session,
                [reminder_id],
                ReminderStatus.FAILED,
                only_from=[ReminderStatus.SENDING, ReminderStatus.CLAIMED],
            )
        cancelled = await repo.cancel_for_runner(session, runner_id)
    for rid in cancelled:
        services.scheduler.cancel(rid)


async def future_jobs(
    services: Services, *, within: timedelta | None = None
) -> list[tuple[int, datetime]]:
    """Pending rows due later (within `within`, if given): the ones that get a job."""
    now = services.now()
    before = now + within if within is not None else None
    async with services.db.session() as session:
        return list(await repo.future_pending(session, after=now, before=before))


async def preview_sessions(
    services: Services, runner_id: int, week_start: date
) -> tuple[list[Session], tuple[str, ...]]:
    """Next week's sessions for the preview, planning the week first if it is not yet stored.

    Returns:
        The sessions in date order and the week's notes (e.g. why fewer sessions fit).
    """
    async with services.db.session() as session, session.begin():
        found = await planning.onboarded(session, runner_id)
        if found is None:
            return [], ()
        runner = found[0]
        sync = await planning.sync_plan(session, services, runner)
        rows = await planning.upcoming_sessions(session, runner_id, start=week_start, days=7)
        notes: tuple[str, ...] = ()
        for week in sync.plan.weeks:
            if week.week_start == week_start:
                notes = week.notes
        return [planning.stored_session(row) for row in rows], notes
