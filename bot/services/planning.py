"""Keeps the stored plan in step with the planner: this week and next, for one runner.

The planner is pure and deterministic (same profile, dates, history → same plan), so syncing is a
diff by date: same date → the prescription is refreshed (new loads after a log), a new date → a new
row with its reminders, a date the planner dropped → cancelled with its pending reminders.
Sessions the runner moved themselves stay where they put them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.dates import monday_of
from bot.core.domain.adjustments import Adjustment
from bot.core.domain.errors import NotOnboardedError
from bot.core.domain.logs import ExerciseLog
from bot.core.domain.plan import Plan, Session
from bot.core.domain.profile import RunnerProfile
from bot.core.domain.statuses import SessionStatus
from bot.core.planner.adjust import Taken, plan_with_adjustments
from bot.services import calendar_pending, reminder_rows
from bot.services.calendar_state import CALENDAR_KEY, planning_inputs, stored_calendar
from bot.services.container import Services
from bot.storage import adjustments, runners, sessions, set_logs
from bot.storage.tables import PlannedSession, Runner

HORIZON_WEEKS = 2
"""This week and next: what /plan shows and what reminders are queued for."""


@dataclass
class PlanSync:
    """What a sync changed, so the caller can (re)schedule reminders after the commit."""

    plan: Plan
    sessions: list[PlannedSession] = field(default_factory=list)
    added: list[int] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)


async def onboarded(session: AsyncSession, runner_id: int) -> tuple[Runner, RunnerProfile] | None:
    """The one runner loader of the use cases: the runner and their confirmed profile, or None
    before onboarding is done (each use case then answers in its own terms, and the chat with
    `handlers.ui_onboarding.NUDGE`)."""
    runner = await runners.get_runner(session, runner_id)
    if runner is None or runner.profile is None:
        return None
    return runner, profile_of(runner)


async def require_onboarded(session: AsyncSession, runner_id: int) -> tuple[Runner, RunnerProfile]:
    """`onboarded`, for use cases that can't go on without a profile.

    Raises:
        NotOnboardedError: no profile yet.
    """
    found = await onboarded(session, runner_id)
    if found is None:
        raise NotOnboardedError(runner_id)
    return found


def profile_of(runner: Runner) -> RunnerProfile:
    """The runner's confirmed profile (call only for runners who finished onboarding)."""
    if runner.profile is None:
        raise ValueError(f"runner {runner.id} has no profile yet")
    stored = {k: v for k, v in runner.profile.items() if k != CALENDAR_KEY}
    return RunnerProfile.model_validate(stored)


async def sync_plan(
    session: AsyncSession, services: Services, runner: Runner, *, today: date | None = None
) -> PlanSync:
    """Rebuilds the runner's plan from `today` (their local date) and stores the difference.

    Call inside a transaction; reminders for the changed sessions are synced in the same one.
    """
    profile = profile_of(runner)
    today = today or services.today_in(profile.timezone)
    # A calendar sent at the week question is linked on the first sync after set-up.
    await calendar_pending.link_held(session, runner, profile, today, services.now())
    history = await set_logs.exercise_history(session, runner.id)
    inputs = await plan_inputs(session, runner.id, today=today)
    plan = plan_of(services, runner, today=today, history=history, inputs=inputs)
    now = services.now()
    stored = await sessions.between(session, runner.id, today, None)
    by_date: dict[date, list[PlannedSession]] = {}
    for row in stored:
        by_date.setdefault(row.date, []).append(row)

    result = PlanSync(plan=plan)
    revived: list[PlannedSession] = []
    new: list[PlannedSession] = []  # inserted together, in one statement
    # the plan shows the whole week, but what is past is the runner's history: never re-planned
    wanted = {planned.date: planned for planned in plan.sessions() if planned.date >= today}
    for day, planned in sorted(wanted.items()):
        rows = by_date.get(day, [])
        live = [row for row in rows if row.status == SessionStatus.PLANNED]
        dropped = [row for row in rows if row.status == SessionStatus.CANCELLED]
        if live:
            row = live[0]
            _fill(row, planned, now_phase=_phase_of(plan, day))
            row.updated_at = now
        elif len(dropped) < len(rows):
            continue  # done, skipped or moved away today: the runner already dealt with it
        elif dropped:
            # The planner dropped this day earlier (a calendar or answer changed) and wants it
            # again: revive the row, and with it its reminders.
            row = dropped[0]
            row.status = SessionStatus.PLANNED
            _fill(row, planned, now_phase=_phase_of(plan, day))
            row.updated_at = now
            revived.append(row)
        else:
            row = PlannedSession(
                runner_id=runner.id,
                date=day,
                status=SessionStatus.PLANNED,
                created_at=now,
                updated_at=now,
            )
            _fill(row, planned, now_phase=_phase_of(plan, day))
            new.append(row)
        result.sessions.append(row)

    for day, rows in by_date.items():
        for row in rows:
            if (
                row.status != SessionStatus.PLANNED
                or day in wanted
                or row.content.get("moved_from")
            ):
                continue
            row.status = SessionStatus.CANCELLED
            row.updated_at = now
            result.cancelled.append(row.id)
    kept = [
        row
        for row in stored
        if row.status == SessionStatus.PLANNED and row.content.get("moved_from")
    ]
    result.sessions.extend(row for row in kept if row not in result.sessions)
    result.sessions.sort(key=lambda row: row.date)
    await session.flush()
    await _insert(session, new)
    result.added = [row.id for row in sorted([*revived, *new], key=lambda row: row.date)]
    await reminder_rows.sync_session_reminders(
        session, services, runner, profile, result.sessions, result.cancelled
    )
    return result


async def _insert(session: AsyncSession, rows: Sequence[PlannedSession]) -> None:
    """Inserts new session rows in one statement and gives each its id.

    The objects stay outside the session (nothing else in the sync changes them), so the ORM
    does not insert them one statement at a time to learn each id."""
    if not rows:
        return
    connection = await session.connection()
    result = await connection.execute(
        _INSERT, [{column: getattr(row, column) for column in _COLUMNS} for row in rows]
    )
    ids = {day: row_id for row_id, day in result}
    for row in rows:
        row.id = ids[row.date]


_COLUMNS = ("runner_id", "date", "name", "phase", "status", "content", "created_at", "updated_at")
_INSERT = insert(PlannedSession).returning(PlannedSession.id, PlannedSession.date)


@dataclass(frozen=True)
class PlanInputs:
    """What besides the profile the plan is built from: the runner's active adjustments, and
    the sessions already done, skipped or moved (X3)."""

    adjustments: tuple[Adjustment, ...] = ()
    taken: Taken = field(default_factory=Taken)


async def plan_inputs(session: AsyncSession, runner_id: int, *, today: date) -> PlanInputs:
    """The adjustments in force from this week's Monday, and (when any) the taken dates."""
    active = await adjustments.active_adjustments(session, runner_id, since=monday_of(today))
    return PlanInputs(tuple(active), await _taken(session, runner_id, monday_of(today)))


async def _taken(session: AsyncSession, runner_id: int, monday: date) -> Taken:
    """X3: this fortnight's sessions already done, skipped or moved by the runner."""
    rows = await sessions.between(
        session, runner_id, monday, monday + timedelta(days=7 * HORIZON_WEEKS)
    )
    moved = [
        row
        for row in rows
        if row.status == SessionStatus.PLANNED and row.content.get("moved_from")
    ]
    return Taken(
        frozenset(
            row.date
            for row in rows
            if row.status in (SessionStatus.DONE, SessionStatus.SKIPPED) or row in moved
        ),
        tuple((date.fromisoformat(str(_moved_from(row))), row.date) for row in moved),
    )


def plan_of(
    services: Services,
    runner: Runner,
    *,
    today: date,
    history: Mapping[str, Sequence[ExerciseLog]] | None = None,
    inputs: PlanInputs | None = None,
) -> Plan:
    """The planner's plan for the runner from `today` (pure: nothing is read or stored).

    Without `history` the loads are the planner's defaults; the dates, phases and notes, which is
    what the views take from it, do not depend on the history.
    """
    # A linked calendar's dated runs override the template for the weeks it covers,
    # and its race is the goal when the runner gave none (or agreed to it); the runner's own
    # adjustments (pain, swaps, a changed week, tired days) are applied on top.
    profile, run_days, _ = planning_inputs(
        profile_of(runner), stored_calendar(runner.profile), today
    )
    inputs = inputs or PlanInputs()
    return plan_with_adjustments(
        profile,
        today,
        HORIZON_WEEKS,
        inputs.adjustments,
        history=history,
        catalogue=services.catalogue,
        block_start=runner.block_start or monday_of(today),
        taken=inputs.taken,
        run_days=run_days,
    )


def rows_cover(plan: Plan, rows: Sequence[PlannedSession], *, today: date, days: int) -> bool:
    """Whether the stored rows already hold every session the plan wants in the next `days`.

    Profile changes and logs re-sync the plan when they happen, so a view only has to write when
    time moved on: a new week started and its sessions have no rows yet.
    """
    stored = {row.date for row in rows}
    end = monday_of(today) + timedelta(days=days)
    return all(s.date in stored for s in plan.sessions() if today <= s.date < end)


def _phase_of(plan: Plan, day: date) -> str:
    for week in plan.weeks:
        if week.week_start <= day < week.week_start + timedelta(days=7):
            return week.phase.value
    return ""


def _moved_from(row: PlannedSession) -> str | None:
    """The day the runner moved this session from (ISO), if they moved it."""
    value = row.content.get("moved_from") if row.content else None
    return str(value) if value else None


def _fill(row: PlannedSession, planned: Session, *, now_phase: str) -> None:
    moved_from = row.content.get("moved_from") if row.content else None
    row.name = planned.name
    row.phase = now_phase
    row.content = planned.model_dump(mode="json")
    if moved_from:
        row.content["moved_from"] = moved_from  # the runner's move stays theirs on a re-sync


def stored_session(row: PlannedSession) -> Session:
    """The prescription a stored row carries (bookkeeping keys such as `moved_from` dropped)."""
    return Session.model_validate({k: v for k, v in row.content.items() if k != "moved_from"})


async def upcoming_sessions(
    session: AsyncSession, runner_id: int, *, start: date, days: int
) -> Sequence[PlannedSession]:
    """Planned sessions from `start` for `days` days, in date order."""
    return await sessions.between(
        session, runner_id, start, start + timedelta(days=days), [SessionStatus.PLANNED]
    )


async def resync_runner(services: Services, runner_id: int) -> bool:
    """Re-plans and re-queues a runner's reminders (after /resume, or /start after a block)."""
    async with services.db.session() as session, session.begin():
        found = await onboarded(session, runner_id)
        if found is None:
            return False
        runner = found[0]
        await sync_plan(session, services, runner)
    return True
