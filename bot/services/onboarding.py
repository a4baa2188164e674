"""Onboarding, settings and plan views: the use cases behind /start, /settings, /plan, /today.

Conversation state lives in the `drafts` table (kind `onboarding` or `settings`: the current
question and the answers so far), written on every answer, so a restart resumes at the same
question. Which question follows which is data: the question registry (`handlers.questions`)
decides it; these use cases only load, save and plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot.core.answers import answers_of, build_profile
from bot.core.dates import monday_of
from bot.core.domain.plan import Phase, Plan, PlanRace, Session
from bot.core.domain.profile import Experience, Goal, RunnerProfile
from bot.core.domain.statuses import SHOWN_STATUSES, DraftKind, SessionStatus
from bot.core.planner.phases import phase_for_week, sessions_for
from bot.services import planning
from bot.services.container import Services
from bot.storage import drafts, runners
from bot.storage import sessions as session_rows
from bot.storage.tables import PlannedSession

SUMMARY = "summary"
"""The step after the last question: the answers shown for a yes."""
CHANGE = "change"
"""The step listing the answers to redo one."""
END = "end"
"""What follows the last question of a settings change: save it."""
PAUSED = "_paused"
EDITING = "_editing"


@dataclass(frozen=True)
class DraftState:
    """A conversation in progress: which question is open and the answers so far."""

    kind: DraftKind
    step: str
    data: dict[str, Any]

    @property
    def paused(self) -> bool:
        """True after /cancel: kept for later, but free text is not read as an answer."""
        return bool(self.data.get(PAUSED))


@dataclass(frozen=True)
class RunnerState:
    """What /start needs to know: onboarded already, or a draft to continue."""

    runner_id: int
    profile: RunnerProfile | None
    draft: DraftState | None
    new: bool = False
    """First contact: `draft` is the first question, just created."""


@dataclass(frozen=True)
class ShownSession:
    """A stored session as the runner sees it, with its status (planned, done, skipped)."""

    session: Session
    status: str


@dataclass(frozen=True)
class WeekView:
    monday: date
    phase: Phase
    notes: tuple[str, ...]
    sessions: list[ShownSession] = field(default_factory=list)


@dataclass(frozen=True)
class PlanView:
    """This week and next, from the stored plan (what reminders follow)."""

    profile: RunnerProfile
    today: date
    weeks: list[WeekView]
    races: tuple[PlanRace, ...] = ()
    """The season's races (PH5), for the line above the weeks."""


@dataclass(frozen=True)
class TodayView:
    """Today's session if there is one, else the next planned one."""

    profile: RunnerProfile
    today: date
    session: ShownSession | None
    next_session: Session | None


# --- questions ----------------------------------------------------------------------------


def recommended_sessions(goal: Goal | None, experience: Experience, today: date) -> int:
    """The coaching default for this week's phase (PH1: 2 in base and build, 1 nearer the race),
    never below 1 (PH2)."""
    phase = phase_for_week(monday_of(today), goal)
    return max(1, sessions_for(phase, experience, None).count)


# --- drafts ---------------------------------------------------------------------------------


async def start_runner(
    services: Services, runner_id: int, *, chat_id: int, first_name: str, first_step: str
) -> RunnerState:
    """Records the runner (first contact or coming back) and says where they stand.

    A newcomer is one short write shared with other newcomers (`Database.write`): the runner
    row and the onboarding draft at `first_step` (the registry's first question). A runner
    coming back is read first.
    """
    now = services.now()

    async def newcomer(connection: AsyncConnection) -> bool:
        if not await runners.add_if_new(
            connection, runner_id, chat_id=chat_id, first_name=first_name, now=now
        ):
            return False
        await drafts.save_draft(
            connection, runner_id, DraftKind.ONBOARDING, step=first_step, data={}, now=now
        )
        return True

    if await services.db.write(newcomer):
        return RunnerState(
            runner_id, None, DraftState(DraftKind.ONBOARDING, first_step, {}), new=True
        )
    async with services.db.session() as session, session.begin():
        before = await runners.get_runner(session, runner_id)
        was_blocked = before is not None and not before.active
        runner = await runners.upsert_runner(
            session, runner_id, chat_id=chat_id, first_name=first_name, now=now
        )
        profile = planning.profile_of(runner) if runner.profile is not None else None
        if was_blocked and profile is not None:  # they unblocked us: reminders resume
            await planning.sync_plan(session, services, runner)
        draft = await drafts.get_draft(session, runner_id, DraftKind.ONBOARDING)
        state = DraftState(DraftKind.ONBOARDING, draft.step, dict(draft.data)) if draft else None
    return RunnerState(runner_id, profile, state)


async def get_draft(services: Services, runner_id: int, kind: DraftKind) -> DraftState | None:
    draft = (await drafts.peek_drafts(services.db, runner_id, (kind,))).get(kind)
    return DraftState(kind, draft.step, dict(draft.data)) if draft else None


async def active_draft(services: Services, runner_id: int) -> DraftState | None:
    """The conversation free text belongs to: a settings change, else unpaused onboarding.

    Read on every typed message: one statement outside any transaction (`Database.peek`)."""
    found = await drafts.peek_drafts(
        services.db, runner_id, (DraftKind.SETTINGS, DraftKind.ONBOARDING)
    )
    for kind in (DraftKind.SETTINGS, DraftKind.ONBOARDING):
        draft = found.get(kind)
        if draft is not None and not draft.data.get(PAUSED):
            return DraftState(kind, draft.step, dict(draft.data))
    return None


async def save_draft(
    services: Services, runner_id: int, kind: DraftKind, step: str, data: Mapping[str, Any]
) -> DraftState:
    """Stores the open question and the answers so far (every answer, so nothing is lost);
    returns once committed, in a transaction shared with other runners' answers."""
    db = services.db
    statement = drafts.upsert(
        db.dialect, runner_id, kind, step=step, data=dict(data), now=services.now()
    )
    await db.write_statement(*statement)
    return DraftState(kind, step, dict(data))


advance_draft = save_draft


async def drop_draft(services: Services, runner_id: int, kind: DraftKind) -> None:
    async with services.db.session() as session, session.begin():
        await drafts.delete_draft(session, runner_id, kind)


async def settings_draft(services: Services, runner_id: int, step: str) -> DraftState | None:
    """Opens a settings change of one answer, prefilled from the saved profile."""
    profile = await get_profile(services, runner_id)
    if profile is None:
        return None
    return await save_draft(services, runner_id, DraftKind.SETTINGS, step, answers_of(profile))


async def get_profile(services: Services, runner_id: int) -> RunnerProfile | None:
    async with services.db.session() as session:
        found = await planning.onboarded(session, runner_id)
        if found is None:
            return None
        return found[1]


# --- saving ---------------------------------------------------------------------------------


async def complete_onboarding(services: Services, runner_id: int, profile: RunnerProfile) -> Plan:
    """Saves the profile, starts the training block this week and plans this week and next.

    One transaction: the profile, the stored sessions and their reminder rows (synced by
    `planning.sync_plan`) land together, and the onboarding draft goes. The plan starts today
    (the runner's local date), so a runner who finishes on a hard-run day before the reminder
    time gets today's session.

    Returns:
        The plan from today, two weeks.
    """
    today = services.today_in(profile.timezone)
    async with services.db.session() as session, session.begin():
        runner = await runners.get_runner(session, runner_id)
        if runner is None:
            raise ValueError(f"runner {runner_id} has not started")
        await runners.save_profile(
            session,
            runner_id,
            profile.model_dump(mode="json"),
            block_start=monday_of(today),
            now=services.now(),
        )
        # the ORM's UPDATE has set the new profile on `runner` already: no reload
        sync = await planning.sync_plan(session, services, runner, today=today)
        await drafts.delete_drafts(session, runner_id, (DraftKind.ONBOARDING, DraftKind.SETTINGS))
    return sync.plan


async def change_setting(services: Services, runner_id: int, changes: Mapping[str, Any]) -> Plan:
    """Changes some answers of a saved profile and rebuilds the plan (reminders follow).

    Args:
        changes: draft answers (as `bot.core.answers.answers_of` writes them) to override.

    Raises:
        ProfileError: the changed answers do not make a valid profile.
        ValueError: the runner has not finished onboarding.
    """
    async with services.db.session() as session, session.begin():
        found = await planning.onboarded(session, runner_id)
        if found is None:
            raise ValueError(f"runner {runner_id} has no profile yet")
        runner, profile = found
        answers = answers_of(planning.profile_of(runner))
        answers.update({k: v for k, v in changes.items() if not k.startswith("_")})
        profile = build_profile(answers)
        await runners.save_profile(
            session,
            runner_id,
            profile.model_dump(mode="json"),
            block_start=None,
            now=services.now(),
        )
        await session.refresh(runner)
        sync = await planning.sync_plan(session, services, runner)
        await drafts.delete_draft(session, runner_id, DraftKind.SETTINGS)
    return sync.plan


# --- views ----------------------------------------------------------------------------------


async def plan_for(services: Services, runner_id: int, weeks: int = 2) -> PlanView | None:
    """This week and next as stored (synced first, so a new week is planned when it starts).

    Returns None for a runner who has not finished onboarding.
    """
    async with services.db.reading() as session:
        found = await planning.onboarded(session, runner_id)
        if found is None:
            return None
        runner, profile = found
        today = services.today_in(profile.timezone)
        inputs = await planning.plan_inputs(session, runner_id, today=today)
        plan = planning.plan_of(services, runner, today=today, inputs=inputs)
        rows = await _rows_between(session, runner_id, monday_of(today), 7 * weeks)
    if not planning.rows_cover(plan, rows, today=today, days=7 * weeks):
        # a new week began (or a session's row is missing): plan it in a short write, then show
        async with services.db.session() as session, session.begin():
            writer = await runners.get_runner(session, runner_id)
            assert writer is not None
            plan = (await planning.sync_plan(session, services, writer, today=today)).plan
            rows = await _rows_between(session, runner_id, monday_of(today), 7 * weeks)
    views = []
    for week in plan.weeks[:weeks]:
        end = week.week_start + timedelta(days=7)
        shown = [
            ShownSession(planning.stored_session(row), row.status)
            for row in rows
            if week.week_start <= row.date < end
        ]
        views.append(WeekView(week.week_start, week.phase, week.notes, shown))
    return PlanView(profile, today, views, plan.races)


async def today_for(services: Services, runner_id: int) -> TodayView | None:
    """Today's session (planned or already done), else the next one; None before onboarding."""
    view = await plan_for(services, runner_id)
    if view is None:
        return None
    shown = [s for week in view.weeks for s in week.sessions]
    today = next((s for s in shown if s.session.date == view.today), None)
    upcoming = next(
        (
            s.session
            for s in shown
            if s.session.date > view.today and s.status == SessionStatus.PLANNED
        ),
        None,
    )
    return TodayView(view.profile, view.today, today, upcoming)


async def _rows_between(
    session: AsyncSession, runner_id: int, start: date, days: int
) -> list[PlannedSession]:
    return list(
        await session_rows.between(
            session, runner_id, start, start + timedelta(days=days), SHOWN_STATUSES
        )
    )
