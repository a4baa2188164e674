"""Reminder rows: create once, move, cancel, and the claim → sending → sent bookkeeping.

Statuses: `pending` (waiting), `claimed` (an instance took it; nothing sent yet, so a stale
claim is safe to hand back), `sending` (the HTTP call is about to start or running), `sent`,
`unknown` (a crash during the call: Telegram may have delivered it, so it is never re-sent),
`missed` (no longer useful), `cancelled` (not wanted now) and `failed` (gave up).

Claims are atomic: `UPDATE … SET status='claimed' WHERE id IN (…) AND status='pending'`, and on
PostgreSQL the ids come from `SELECT … FOR UPDATE SKIP LOCKED`, so two instances never take the
same row (SQLite serialises writers with `BEGIN IMMEDIATE`, see `bot.storage.db`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.domain.statuses import ReminderStatus
from bot.storage.tables import Reminder, Runner


async def get(session: AsyncSession, reminder_id: int) -> Reminder | None:
    return await session.get(Reminder, reminder_id)


async def by_keys(session: AsyncSession, keys: Iterable[str]) -> dict[str, Reminder]:
    """The rows with these dedupe keys, by key (one query)."""
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        return {}
    rows = await session.scalars(select(Reminder).where(Reminder.dedupe_key.in_(wanted)))
    return {row.dedupe_key: row for row in rows}


async def create_if_absent(
    session: AsyncSession,
    *,
    runner_id: int,
    kind: str,
    dedupe_key: str,
    due_at: datetime,
    now: datetime,
    session_id: int | None = None,
) -> Reminder | None:
    """Adds the row unless one with the same `dedupe_key` exists; returns the new row or None."""
    if (await by_keys(session, [dedupe_key])).get(dedupe_key) is not None:
        return None
    row = Reminder(
        runner_id=runner_id,
        session_id=session_id,
        kind=kind,
        dedupe_key=dedupe_key,
        due_at=due_at,
        status=ReminderStatus.PENDING,
        attempts=0,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return row


async def for_sessions(session: AsyncSession, session_ids: Iterable[int]) -> Sequence[Reminder]:
    ids = list(session_ids)
    if not ids:
        return []
    result = await session.scalars(select(Reminder).where(Reminder.session_id.in_(ids)))
    return result.all()


async def ids_of_runner(session: AsyncSession, runner_id: int) -> Sequence[int]:
    """The ids of all the runner's reminders, whatever their status (/delete cancels their
    jobs)."""
    rows = await session.scalars(select(Reminder.id).where(Reminder.runner_id == runner_id))
    return rows.all()


async def pending_for_runner(session: AsyncSession, runner_id: int) -> Sequence[Reminder]:
    result = await session.scalars(
        select(Reminder).where(
            Reminder.runner_id == runner_id, Reminder.status == ReminderStatus.PENDING
        )
    )
    return result.all()


async def move_pending(session: AsyncSession, reminder_id: int, due_at: datetime) -> bool:
    """Gives a pending (or cancelled, to revive it) row a new due time; False if it has gone."""
    result = await session.execute(
        update(Reminder)
        .where(
            Reminder.id == reminder_id,
            Reminder.status.in_([ReminderStatus.PENDING, ReminderStatus.CANCELLED]),
        )
        .values(due_at=due_at, status=ReminderStatus.PENDING)
    )
    return bool(getattr(result, "rowcount", 0))


async def cancel(session: AsyncSession, reminder_ids: Iterable[int]) -> list[int]:
    """Cancels the rows still pending; returns which ones it cancelled."""
    ids = list(reminder_ids)
    if not ids:
        return []
    pending = list(
        await session.scalars(
            select(Reminder.id).where(
                Reminder.id.in_(ids), Reminder.status == ReminderStatus.PENDING
            )
        )
    )
    if pending:
        await session.execute(
            update(Reminder)
            .where(Reminder.id.in_(pending), Reminder.status == ReminderStatus.PENDING)
            .values(status=ReminderStatus.CANCELLED)
        )
    return pending


async def cancel_for_runner(session: AsyncSession, runner_id: int) -> list[int]:
    ids = [row.id for row in await pending_for_runner(session, runner_id)]
    return await cancel(session, ids)


async def claim_due(
    session: AsyncSession,
    *,
    now: datetime,
    claimer: str,
    limit: int,
    reminder_ids: Sequence[int] | None = None,
) -> Sequence[Reminder]:
    """Atomically takes up to `limit` due pending rows of runners we may message.

    Paused and inactive runners are left out (their rows stay pending; `expire_held` handles
    the ones that come due meanwhile). `claimer` must be unique per call: it tells which rows
    this call won.
    """
    query = (
        select(Reminder.id)
        .join(Runner, Runner.id == Reminder.runner_id)
        .where(
            Reminder.status == ReminderStatus.PENDING,
            Reminder.due_at <= now,
            Runner.active.is_(True),
            Runner.paused.is_(False),
        )
        .order_by(Reminder.due_at, Reminder.id)
        .limit(limit)
        .with_for_update(of=Reminder, skip_locked=True)
    )
    if reminder_ids is not None:
        query = query.where(Reminder.id.in_(list(reminder_ids)))
    ids = list(await session.scalars(query))
    if not ids:
        return []
    await session.execute(
        update(Reminder)
        .where(Reminder.id.in_(ids), Reminder.status == ReminderStatus.PENDING)
        .values(
            status=ReminderStatus.CLAIMED,
            claimed_by=claimer,
            claimed_at=now,
            attempts=Reminder.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    result = await session.scalars(
        select(Reminder)
        .where(
            Reminder.id.in_(ids),
            Reminder.claimed_by == claimer,
            Reminder.status == ReminderStatus.CLAIMED,
        )
        .order_by(Reminder.due_at, Reminder.id)
        .execution_options(populate_existing=True)
    )
    return result.all()


async def mark_sending(session: AsyncSession, reminder_id: int, claimer: str) -> bool:
    """Right before the HTTP call: only the holder of a live claim may send."""
    result = await session.execute(
        update(Reminder)
        .where(
            Reminder.id == reminder_id,
            Reminder.status == ReminderStatus.CLAIMED,
            Reminder.claimed_by == claimer,
        )
        .values(status=ReminderStatus.SENDING)
    )
    return bool(getattr(result, "rowcount", 0))


async def mark_sent(
    session: AsyncSession, reminder_id: int, *, message_id: int | None, now: datetime
) -> None:
    await session.execute(
        update(Reminder)
        .where(
            Reminder.id == reminder_id,
            Reminder.status.in_(
                [ReminderStatus.SENDING, ReminderStatus.UNKNOWN, ReminderStatus.CLAIMED]
            ),
        )
        .values(status=ReminderStatus.SENT, sent_at=now, message_id=message_id)
    )


async def set_status(
    session: AsyncSession, reminder_ids: Iterable[int], status: str, *, only_from: Sequence[str]
) -> None:
    ids = list(reminder_ids)
    if ids:
        await session.execute(
            update(Reminder)
            .where(Reminder.id.in_(ids), Reminder.status.in_(list(only_from)))
            .values(status=status)
        )


async def release(
    session: AsyncSession, reminder_id: int, *, due_at: datetime, from_statuses: Sequence[str]
) -> None:
    """Hands a row back to `pending` (nothing was delivered) with a new due time."""
    await session.execute(
        update(Reminder)
        .where(Reminder.id == reminder_id, Reminder.status.in_(list(from_statuses)))
        .values(status=ReminderStatus.PENDING, due_at=due_at, claimed_by=None, claimed_at=None)
    )


async def release_stale_claims(session: AsyncSession, *, before: datetime) -> int:
    """Claims older than `before` that never reached `sending`: nothing went out, hand back."""
    result = await session.execute(
        update(Reminder)
        .where(Reminder.status == ReminderStatus.CLAIMED, Reminder.claimed_at < before)
        .values(status=ReminderStatus.PENDING, claimed_by=None, claimed_at=None)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def stale_sending(session: AsyncSession, *, before: datetime) -> Sequence[Reminder]:
    result = await session.scalars(
        select(Reminder).where(
            Reminder.status == ReminderStatus.SENDING, Reminder.claimed_at < before
        )
    )
    return result.all()


async def expire_held(session: AsyncSession, *, now: datetime) -> int:
    """Due rows of paused or inactive runners become missed (a /resume is about what's next)."""
    held = select(Runner.id).where(or_(Runner.paused.is_(True), Runner.active.is_(False)))
    result = await session.execute(
        update(Reminder)
        .where(
            and_(
                Reminder.status == ReminderStatus.PENDING,
                Reminder.due_at <= now,
                Reminder.runner_id.in_(held),
            )
        )
        .values(status=ReminderStatus.MISSED)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def future_pending(
    session: AsyncSession,
    *,
    after: datetime,
    before: datetime | None = None,
    limit: int | None = None,
) -> Sequence[tuple[int, datetime]]:
    """(id, due_at) of pending rows due after `after` (and by `before`): what gets a job."""
    query = (
        select(Reminder.id, Reminder.due_at)
        .where(Reminder.status == ReminderStatus.PENDING, Reminder.due_at > after)
        .order_by(Reminder.due_at)
    )
    if before is not None:
        query = query.where(Reminder.due_at <= before)
    if limit is not None:
        query = query.limit(limit)
    result = await session.execute(query)
    return [(row[0], row[1]) for row in result.all()]
