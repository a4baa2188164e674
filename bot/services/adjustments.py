"""Use cases for what the runner tells the coach: pain, swaps, tired days, a changed week or race,
and the weekly summary. Each is one short transaction: load, call the pure core, save the
adjustment, re-sync the plan (reminders follow), and return what the chat needs to answer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.catalogue.loader import Exercise
from bot.core.domain.adjustments import (
    PainAdjustment,
    PainLevel,
    Readiness,
    ReadinessAdjustment,
    SwapAdjustment,
    WeekAdjustment,
    week_of,
)
from bot.core.domain.errors import NotOnboardedError, ProfileError
from bot.core.domain.logs import estimate_1rm
from bot.core.domain.plan import Session
from bot.core.domain.profile import (
    DayKind,
    Equipment,
    Limitation,
    RaceDistance,
    RunnerProfile,
    Units,
    Weekday,
)
from bot.core.domain.statuses import SHOWN_STATUSES, DraftKind, SessionStatus
from bot.core.language.intents import Context, RaceAction, RaceChange
from bot.core.language.week import WeekEdit, WeekScope
from bot.core.language.words import PART_NAMES
from bot.core.planner.adjust import PHYSIO, pains, substitutes
from bot.core.planner.progression import shown_e1rm, shows_e1rm
from bot.services import planning
from bot.services.container import Services
from bot.services.progress import chart_of
from bot.storage import adjustments as store
from bot.storage import drafts, runners, sessions, set_logs
from bot.storage.tables import PlannedSession, Runner


async def _runner(db: AsyncSession, runner_id: int) -> tuple[Runner, RunnerProfile]:
    runner = await runners.get_runner(db, runner_id)
    if runner is None or runner.profile is None:
        raise NotOnboardedError(runner_id)
    return runner, planning.profile_of(runner)


async def profile_and_today(services: Services, runner_id: int) -> tuple[RunnerProfile, date]:
    """The runner's profile and local date (for reading their words against).

    Raises:
        NotOnboardedError: no profile yet.
    """
    async with services.db.session() as db:
        _, profile = await _runner(db, runner_id)
    return profile, services.today_in(profile.timezone)


# --- pain (X2) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PainResult:
    """What the runner is told: the band, and whether an earlier report has now ended."""

    part: Limitation
    score: int
    level: PainLevel
    reason: str
    ended: bool = False


def pain_reason(part: Limitation, score: int) -> str:
    """X2's one-line reason for /plan, by band."""
    name = PART_NAMES[part]
    title = name[0].upper() + name[1:]
    level = PainLevel.of(score)
    if level is PainLevel.REDUCE:
        return f"{title} {score}/10: 20% lighter and {name}-friendly swaps until it settles"
    if level is PainLevel.STOP:
        return f"{title} {score}/10: no {name}-loading strength until it settles; {PHYSIO}"
    return f"{title} {score}/10: carry on, and tell me if it gets worse"


async def report_pain(
    services: Services, runner_id: int, part: Limitation, score: int
) -> PainResult:
    """X2: a pain report for one body part replaces earlier ones for that part.

    ≤ 3 ends any pain adjustment for the part (carry on); 4–5 and > 5 start one that lasts until
    the runner reports the part at ≤ 3.

    Raises:
        NotOnboardedError: no profile yet.
    """
    score = max(0, min(10, score))
    async with services.db.session() as db, db.begin():
        runner, profile = await _runner(db, runner_id)
        today = services.today_in(profile.timezone)
        now = services.now()
        ended = False
        for row in await store.active_rows(db, runner_id, since=today, kind="pain"):
            adj = store.adjustment_of(row)
            if isinstance(adj, PainAdjustment) and adj.part is part:
                store.end(row, now=now)
                ended = ended or adj.level is not PainLevel.CARRY_ON
        level = PainLevel.of(score)
        reason = pain_reason(part, score)
        if level is not PainLevel.CARRY_ON:
            await store.add_adjustment(
                db,
                runner_id,
                PainAdjustment(starts=today, reason=reason, part=part, score=score),
                now=now,
            )
        await planning.sync_plan(db, services, runner, today=today)
    return PainResult(part, score, level, reason, ended=ended and level is PainLevel.CARRY_ON)


# --- swaps (S6) -----------------------------------------------------------------------------


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
        runner, profile = await _runner(db, runner_id)
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
        runner, profile = await _runner(db, runner_id)
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


# --- readiness ------------------------------------------------------------------------------


READINESS_REASONS: dict[Readiness, str] = {
    Readiness.TIRED: "Tired today: one set fewer per lift, no jumps, one more rep in reserve",
    Readiness.SORE: "Sore today: one set fewer per lift, no jumps, one more rep in reserve",
    Readiness.FRESH: "Fresh today: the session as planned",
}


@dataclass(frozen=True)
class ReadinessResult:
    state: Readiness
    session: Session | None
    """Today's session as it now stands, or None when there is none today."""
    reason: str


async def record_readiness(
    services: Services, runner_id: int, state: Readiness, *, day: date | None = None
) -> ReadinessResult:
    """Tired or sore trims the day's session; fresh changes nothing (and replaces a tired
    answer given earlier the same day).

    Raises:
        NotOnboardedError: no profile yet.
    """
    async with services.db.session() as db, db.begin():
        runner, profile = await _runner(db, runner_id)
        today = services.today_in(profile.timezone)
        day = day or today
        now = services.now()
        for row in await store.active_rows(db, runner_id, since=day, kind="readiness"):
            if row.starts_on == day:
                store.end(row, now=now)
        reason = READINESS_REASONS[state]
        if state is not Readiness.FRESH:
            await store.add_adjustment(
                db,
                runner_id,
                ReadinessAdjustment(starts=day, ends=day, reason=reason, state=state),
                now=now,
            )
        sync = await planning.sync_plan(db, services, runner, today=today)
    session = next((s for s in sync.plan.sessions() if s.date == day), None)
    return ReadinessResult(state, session, reason)


# --- the week (X3) and the race (PH4) --------------------------------------------------------


@dataclass(frozen=True)
class PlanChange:
    """A changed plan: the sessions of the week it is about, and the line that says why."""

    reason: str
    sessions: tuple[Session, ...] = ()
    notes: tuple[str, ...] = ()
    week_start: date | None = None


async def change_week(services: Services, runner_id: int, edit: WeekEdit) -> PlanChange:
    """A one-off change overrides that week's run days (DESIGN.md "dated run days"); a change
    "from now on" becomes the usual week. Sessions are placed again by P3–P5 (X3).

    Raises:
        NotOnboardedError: no profile yet.
    """
    if edit.scope is WeekScope.ALWAYS:
        profile, _ = await profile_and_today(services, runner_id)
        week = {**profile.week, **edit.days}
        return await set_usual_week(services, runner_id, week)
    async with services.db.session() as db, db.begin():
        runner, profile = await _runner(db, runner_id)
        today = services.today_in(profile.timezone)
        day = today + timedelta(days=7) if edit.scope is WeekScope.NEXT else today
        monday, sunday = week_of(day)
        await store.add_adjustment(
            db,
            runner_id,
            WeekAdjustment(
                starts=max(monday, today), ends=sunday, reason=edit.reason, days=edit.days
            ),
            now=services.now(),
        )
        sync = await planning.sync_plan(db, services, runner, today=today)
    week_plan = next((w for w in sync.plan.weeks if w.week_start == monday), None)
    return PlanChange(
        edit.reason,
        week_plan.sessions if week_plan else (),
        week_plan.notes if week_plan else (),
        monday,
    )


async def set_usual_week(
    services: Services, runner_id: int, week: Mapping[Any, DayKind]
) -> PlanChange:
    """/week: a new usual week, planned again from today (next week's sessions follow it).

    Raises:
        NotOnboardedError: no profile yet.
        ProfileError: the week has no run.
    """
    from bot.services.onboarding import change_setting

    days = {Weekday(d).value: DayKind(k).value for d, k in week.items()}
    try:
        plan = await change_setting(services, runner_id, {"week": days})
    except ValueError as error:
        if isinstance(error, ProfileError):
            raise
        raise NotOnboardedError(runner_id) from error
    nxt = plan.weeks[1] if len(plan.weeks) > 1 else plan.weeks[0]
    return PlanChange("Your usual week is changed", nxt.sessions, nxt.notes, nxt.week_start)


@dataclass(frozen=True)
class RaceResult:
    action: RaceAction
    distance: RaceDistance | None
    race_date: date | None
    sessions: tuple[Session, ...] = ()
    notes: tuple[str, ...] = ()
    needs_date: bool = False


async def change_race(services: Services, runner_id: int, change: RaceChange) -> RaceResult:
    """PH4: a new or moved race re-periodises the plan; a dropped one turns it into base
    training; a race just run leads to recovery and a question about the next goal.

    Raises:
        NotOnboardedError: no profile yet.
        ProfileError: the race date is out of range.
    """
    from bot.services.onboarding import change_setting

    profile, today = await profile_and_today(services, runner_id)
    goal = profile.goal
    distance = change.distance or (goal.race_distance if goal else None)
    if change.action is RaceAction.DROPPED:
        plan = await change_setting(services, runner_id, {"goal": None})
        return RaceResult(change.action, None, None, plan.sessions(), _notes(plan))
    if change.action is RaceAction.DONE:
        run_on = goal.race_date if goal and goal.race_date <= today else today - timedelta(1)
        if distance is None:
            distance = RaceDistance.TEN_K
        plan = await change_setting(
            services,
            runner_id,
            {"goal": {"race_distance": distance.value, "race_date": run_on.isoformat()}},
        )
        return RaceResult(change.action, distance, run_on, plan.sessions(), _notes(plan))
    if distance is None or change.race_date is None:
        return RaceResult(change.action, distance, change.race_date, needs_date=True)
    if (change.race_date - today).days > 730 or change.race_date < today:
        raise ProfileError("race date out of range")
    plan = await change_setting(
        services,
        runner_id,
        {"goal": {"race_distance": distance.value, "race_date": change.race_date.isoformat()}},
    )
    return RaceResult(change.action, distance, change.race_date, plan.sessions(), _notes(plan))


def _notes(plan: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n for w in plan.weeks for n in w.notes))


# --- the weekly summary -----------------------------------------------------------------------


@dataclass(frozen=True)
class WeeklySummary:
    """One message: this week's sessions done / planned, sets logged, e1RM changes, next week."""

    week_start: date
    done: int
    planned: int
    skipped: int
    sets_logged: int
    e1rm_changes: dict[str, tuple[float | None, float]] = field(default_factory=dict)
    coming: tuple[Session, ...] = ()
    adjustments: tuple[str, ...] = ()
    units: Units = Units.KG
    chart: bytes | None = None
    """The progress chart (PNG), drawn only when an e1RM rose or a lift was new this week."""

    @property
    def e1rm_rose(self) -> bool:
        return any(old is None or new > old for old, new in self.e1rm_changes.values())


async def weekly_summary(services: Services, runner_id: int) -> WeeklySummary:
    """This week so far, and the coming week (X3: skips and moves count in adherence).

    Raises:
        NotOnboardedError: no profile yet.
    """
    async with services.db.session() as db, db.begin():
        runner, profile = await _runner(db, runner_id)
        today = services.today_in(profile.timezone)
        monday, sunday = week_of(today)
        sync = await planning.sync_plan(db, services, runner, today=today)
        rows = (
            await db.scalars(
                select(PlannedSession).where(
                    PlannedSession.runner_id == runner_id,
                    PlannedSession.date >= monday,
                    PlannedSession.date <= sunday,
                    PlannedSession.status.in_((*SHOWN_STATUSES, SessionStatus.MISSED)),
                )
            )
        ).all()
        sets = await set_logs.all_sets(db, runner_id)
        active = await store.active_adjustments(db, runner_id, since=today)
    week_sets = [s for s in sets if monday <= s.performed_on <= sunday]
    changes = _e1rm_changes(sets, monday, services)
    coming = tuple(s for s in sync.plan.sessions() if today < s.date <= today + timedelta(days=7))
    summary = WeeklySummary(
        week_start=monday,
        done=sum(1 for r in rows if r.status == SessionStatus.DONE),
        planned=len(rows),
        skipped=sum(1 for r in rows if r.status in (SessionStatus.SKIPPED, SessionStatus.MISSED)),
        sets_logged=len(week_sets),
        e1rm_changes=changes,
        coming=coming,
        adjustments=tuple(dict.fromkeys(a.reason for a in active)),
        units=profile.units,
    )
    if summary.e1rm_rose:
        summary = replace(summary, chart=await chart_of(sets, services, profile.units))
    return summary


def _e1rm_changes(
    sets: Sequence[Any], monday: date, services: Services
) -> dict[str, tuple[float | None, float]]:
    """Best e1RM (L2) this week per lift, next to the best before it."""
    before: dict[str, float] = defaultdict(float)
    this_week: dict[str, float] = defaultdict(float)
    for row in sets:
        if row.bodyweight or row.hold_s is not None or row.load_kg is None:
            continue
        if row.exercise_id not in services.catalogue or not shows_e1rm(
            services.catalogue.get(row.exercise_id)
        ):
            continue
        value = estimate_1rm(row.load_kg, row.reps, row.rir)
        if value is None:
            continue
        bucket = this_week if row.performed_on >= monday else before
        bucket[row.exercise_id] = max(bucket[row.exercise_id], value)
    out: dict[str, tuple[float | None, float]] = {}
    for exercise_id, value in this_week.items():
        name = (
            services.catalogue.get(exercise_id).name
            if exercise_id in services.catalogue
            else exercise_id
        )
        old = before.get(exercise_id)
        out[name] = (shown_e1rm(old, Units.KG) if old else None, shown_e1rm(value, Units.KG))
    return out


# --- free text: is it an intent? ----------------------------------------------------------------


async def intent_context(services: Services, runner_id: int) -> Context:
    """The reading context for a runner's words (their today, zone, usual week).

    Raises:
        NotOnboardedError: no profile yet.
    """
    profile, today = await profile_and_today(services, runner_id)
    return Context(
        today=today, zone=profile.timezone, usual_week=profile.week, catalogue=services.catalogue
    )


# --- pending choices (buttons carry an index; the choices live in a draft) ----------------------


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


async def save_week_choice(
    services: Services, runner_id: int, week: Mapping[Weekday, DayKind]
) -> None:
    """Keeps a usual week read from the runner's words until they confirm the table."""
    data: dict[str, Any] = {"week": {d.value: k.value for d, k in week.items()}}
    async with services.db.session() as db, db.begin():
        await drafts.save_draft(
            db, runner_id, DraftKind.WEEK, step="week", data=data, now=services.now()
        )


async def week_choice(services: Services, runner_id: int) -> dict[Weekday, DayKind] | None:
    """The week waiting for confirmation (taken: a second press finds none), or None."""
    async with services.db.session() as db, db.begin():
        draft = await drafts.get_draft(db, runner_id, DraftKind.WEEK)
        if draft is None:
            return None
        week = {Weekday(d): DayKind(k) for d, k in draft.data.get("week", {}).items()}
        await drafts.delete_draft(db, runner_id, DraftKind.WEEK)
    return week or None


"""The question a bare /week, /race or /pain left open: the next plain message answers it."""


async def open_question(services: Services, runner_id: int, step: str | None) -> None:
    """Opens (or, with None, closes) the question the next plain message answers."""
    async with services.db.session() as db, db.begin():
        if step is None:
            await drafts.delete_draft(db, runner_id, DraftKind.ADAPT_ASK)
        else:
            await drafts.save_draft(
                db, runner_id, DraftKind.ADAPT_ASK, step=step, data={}, now=services.now()
            )
