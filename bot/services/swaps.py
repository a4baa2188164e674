"""Swaps (S6): the substitutes offered for a lift, and the one the runner chose.

Each use case is one short transaction: load, call the pure core, save, re-sync the plan
(reminders follow), and return what the chat needs to answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from bot.core.catalogue.loader import Exercise
from bot.core.domain.adjustments import PainLevel, SwapAdjustment
from bot.core.domain.plan import Session
from bot.core.domain.profile import Equipment
from bot.core.domain.statuses import DraftKind, SessionStatus
from bot.core.planner.adjust import pains, substitutes
from bot.services import planning
from bot.services.container import Services
from bot.storage import adjustments as store
from bot.storage import drafts, sessions


@dataclass(frozen=True)
class Choice:
    exercise_id: str
    name: str


@dataclass(frozen=True)
class SwapOptions:
    """The next session's exercise to swap and the substitutes that fit (S6, X1, X2)."""

    session_date: date
    exercise: Choice | None
    options: tuple[Choice, ...] = ()
    in_session: tuple[Choice, ...] = ()
    """The session's swappable exercises, when the runner didn't name one."""


def _match(wanted: str, session: Session, services: Services) -> str | None:
    """The session's exercise the runner means: the same id, or one of its family (S6 chains)."""
    present = [p.id for p in session.exercises()]
    if wanted in present:
        return wanted
    catalogue = services.catalogue
    family = {e.id for e in catalogue.substitution_chain(wanted)}
    for pid in present:
        if pid in family or wanted in {e.id for e in catalogue.substitution_chain(pid)}:
            return pid
    return None


def _swappable(session: Session, services: Services) -> list[Exercise]:
    return [
        services.catalogue.get(p.id)
        for p in session.exercises()
        if p.id in services.catalogue and services.catalogue.get(p.id).category.value != "mobility"
    ]


async def swap_options(
    services: Services,
    runner_id: int,
    exercise_id: str | None = None,
    *,
    kit: frozenset[Equipment] | None = None,
) -> SwapOptions | None:
    """Substitutes for an exercise of the next session (or today's), fitting today's kit.

    Without `exercise_id`: with a `kit`, the first exercise that kit can't do; else the
    session's exercises are offered to pick from.

    Returns:
        None when no session is planned in the next two weeks.

    Raises:
        NotOnboardedError: no profile yet.
    """
    async with services.db.session() as db, db.begin():
        runner, profile = await planning.require_onboarded(db, runner_id)
        today = services.today_in(profile.timezone)
        await planning.sync_plan(db, services, runner, today=today)
        rows = await planning.upcoming_sessions(db, runner.id, start=today, days=14)
        active = await store.active_adjustments(db, runner_id, since=today)
    if not rows:
        return None
    row = rows[0]
    target: str | None = None
    if exercise_id is not None:
        # the next session that has it ("swap squats" on a B day means the next A)
        for candidate in rows:
            target = _match(exercise_id, planning.stored_session(candidate), services)
            if target is not None:
                row = candidate
                break
    session = planning.stored_session(row)
    present = _swappable(session, services)
    if target is None and exercise_id is None and kit is not None:
        from bot.core.catalogue.loader import available_equipment

        have = available_equipment(kit)
        target = next((e.id for e in present if not e.usable_with(have)), None)
    if target is None:
        return SwapOptions(
            row.date,
            None,
            in_session=tuple(Choice(e.id, e.name) for e in present),
        )
    sore = pains(active, row.date)
    found = substitutes(
        target,
        profile,
        services.catalogue,
        kit=kit,
        pained=sore,
        spared=[part for part, pain in sore.items() if pain.level is PainLevel.STOP],
        exclude=[p.id for p in session.exercises()],
    )
    exercise = services.catalogue.get(target)
    return SwapOptions(
        row.date,
        Choice(exercise.id, exercise.name),
        tuple(Choice(e.id, e.name) for e in found),
        tuple(Choice(e.id, e.name) for e in present),
    )


@dataclass(frozen=True)
class SwapResult:
    session: Session | None
    reason: str


async def choose_swap(
    services: Services,
    runner_id: int,
    session_date: date,
    exercise_id: str,
    replacement_id: str,
    *,
    always: bool = False,
) -> SwapResult:
    """S6: keeps the runner's choice for that session (or, `always`, every later one).

    Raises:
        NotOnboardedError: no profile yet.
        KeyError: an exercise id not in the catalogue.
    """
    old = services.catalogue.get(exercise_id)
    new = services.catalogue.get(replacement_id)
    async with services.db.session() as db, db.begin():
        runner, profile = await planning.require_onboarded(db, runner_id)
        today = services.today_in(profile.timezone)
        start = max(session_date, today)
        if always:
            reason = f"Swapped for good: {new.name} instead of {old.name}"
        else:
            reason = f"Swapped: {new.name} instead of {old.name} this session"
        now = services.now()
        for row in await store.active_rows(db, runner_id, since=today, kind="swap"):
            adj = store.adjustment_of(row)
            same_day = adj.ends == start or (always and adj.ends is None)
            if isinstance(adj, SwapAdjustment) and adj.exercise_id == exercise_id and same_day:
                store.end(row, now=now)
        on_day = await sessions.between(
            db, runner_id, start, start + timedelta(days=1), [SessionStatus.PLANNED]
        )
        await store.add_adjustment(
            db,
            runner_id,
            SwapAdjustment(
                starts=start,
                ends=None if always else start,
                reason=reason,
                exercise_id=exercise_id,
                replacement_id=replacement_id,
                # a one-session swap follows its session to another day (a move, a week change)
                session=None if always or not on_day else on_day[0].name,
            ),
            now=now,
        )
        sync = await planning.sync_plan(db, services, runner, today=today)
    session = next((s for s in sync.plan.sessions() if s.date == start), None)
    return SwapResult(session, reason)


async def save_swap_choices(services: Services, runner_id: int, options: SwapOptions) -> None:
    """Keeps the offered substitutes so a button only needs their index (64-byte limit)."""
    data: dict[str, Any] = {
        "date": options.session_date.isoformat(),
        "exercise": options.exercise.exercise_id if options.exercise else None,
        "options": [c.exercise_id for c in options.options],
        "in_session": [c.exercise_id for c in options.in_session],
    }
    async with services.db.session() as db, db.begin():
        await drafts.save_draft(
            db, runner_id, DraftKind.SWAP, step="swap", data=data, now=services.now()
        )


async def swap_choice(services: Services, runner_id: int) -> dict[str, Any] | None:
    """The swap on offer, or None when it is gone (an old button)."""
    async with services.db.session() as db:
        draft = await drafts.get_draft(db, runner_id, DraftKind.SWAP)
    return dict(draft.data) if draft is not None else None
