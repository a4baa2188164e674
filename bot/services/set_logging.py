"""Logging what the runner did: store target and actual side by side, then let the plan follow.

A message is read with the pure parser (`bot.core.setlog`); what it fully understood is stored at
once, what it half understood waits for the runner's confirmation (a `log_confirm` draft), and
nothing is stored from a message it could not read. After every change the plan is re-synced, so
the next session's loads come from what was actually lifted (L1, L3).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.catalogue.loader import available_equipment
from bot.core.domain.logs import (
    LineProblem,
    LoggedSet,
    ParsedEntry,
    ParsedLog,
    best_e1rm,
    is_personal_best,
)
from bot.core.domain.plan import BlockKind, Prescription, Session
from bot.core.domain.profile import RunnerProfile, Units
from bot.core.domain.statuses import OVER_STATUSES, DraftKind, SessionStatus
from bot.core.planner.progression import shown_e1rm, shows_e1rm
from bot.core.setlog import format_sets, parse_set_log
from bot.services import planning
from bot.services.container import Services
from bot.services.reminder_rows import skip_session_row
from bot.storage import drafts, sessions, set_logs
from bot.storage.tables import LogEntry, LoggedSetRow, PlannedSession, Runner

LOOKBACK_DAYS = 3
"""A log sent a few days late still belongs to the session it describes."""
PARTLY_LOGGED_WITHIN = timedelta(hours=12)
"""A typed "done" this soon after a log against a session finishes that session."""
RESENT_WITHIN = timedelta(minutes=15)
"""The same typed log again this soon is the runner sending it again because no confirmation
came (the bot was restarting): it is confirmed again, not stored twice."""

EXAMPLES = (
    "squat 4x5 60kg",
    "deadlift 3x3 100kg rir2",
    "split squat 3x8/side 16kg",
    "plank 3x40s",
    "done",
)


class Outcome(StrEnum):
    """What happened to a message or button press, for the handler to phrase."""

    LOGGED = "logged"
    NEEDS_CONFIRM = "needs_confirm"
    UNREADABLE = "unreadable"
    NOT_ONBOARDED = "not_onboarded"
    SKIPPED = "skipped"
    NOTHING_TO_REPEAT = "nothing_to_repeat"
    NOTHING_PLANNED = "nothing_planned"
    ALREADY_LOGGED = "already_logged"
    STALE = "stale"
    UNDONE = "undone"
    NOTHING_TO_UNDO = "nothing_to_undo"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class LogResult:
    """The outcome of logging, with everything the confirmation message shows."""

    outcome: Outcome
    entry_id: int | None = None
    summary: str = ""
    problems: tuple[LineProblem, ...] = ()
    notes: tuple[str, ...] = ()
    performed_on: date | None = None
    units: Units = Units.KG
    replaced: bool = False


@dataclass
class _Context:
    runner: Runner
    profile: RunnerProfile
    today: date
    planned: PlannedSession | None
    session: Session | None
    prescriptions: dict[str, Prescription] = field(default_factory=dict)


async def _load(
    db: AsyncSession, services: Services, runner_id: int, *, session_id: int | None = None
) -> _Context | None:
    found = await planning.onboarded(db, runner_id)
    if found is None:
        return None
    runner, profile = found
    today = services.today_in(profile.timezone)
    if session_id is not None:
        planned = await sessions.owned(db, runner_id, session_id)
    else:
        planned = await sessions.waiting_for_log(db, runner_id, today, lookback_days=LOOKBACK_DAYS)
    session = planning.stored_session(planned) if planned is not None else None
    prescriptions = {ex.id: ex for ex in session.exercises()} if session is not None else {}
    return _Context(runner, profile, today, planned, session, prescriptions)


def _rows(entries: Sequence[ParsedEntry], ctx: _Context) -> list[LoggedSetRow]:
    """Actual sets with the prescription's targets beside them (wger's target vs actual)."""
    rows: list[LoggedSetRow] = []
    for entry in entries:
        target = ctx.prescriptions.get(entry.exercise_id)
        for logged in entry.sets:
            rows.append(
                LoggedSetRow(
                    exercise_id=entry.exercise_id,
                    set_no=logged.set_no,
                    target_reps_min=target.reps[0] if target and target.hold_s is None else None,
                    target_reps_max=target.reps[1] if target and target.hold_s is None else None,
                    target_load_kg=target.load.kg if target else None,
                    target_hold_s=target.hold_s if target else None,
                    reps=logged.reps,
                    load_kg=logged.load_kg,
                    hold_s=logged.hold_s,
                    rir=logged.rir,
                    per_side=logged.per_side,
                    bodyweight=logged.bodyweight,
                    notes="",
                )
            )
    return rows


def _copy_row(row: LoggedSetRow) -> LoggedSetRow:
    """A set of a corrected entry carried over to the entry that replaces it: every column but
    its id and the entry it belonged to (`set_logs.add_entry` sets those)."""
    skip = {"id", "entry_id"}
    return LoggedSetRow(
        **{c.key: getattr(row, c.key) for c in LoggedSetRow.__table__.columns if c.key not in skip}
    )


async def _best_notes(
    db: AsyncSession,
    services: Services,
    runner_id: int,
    entries: Sequence[ParsedEntry],
    units: Units,
    *,
    before_entry: int,
) -> list[str]:
    """A personal best or a rise in estimated 1RM, when earned (L2)."""
    notes: list[str] = []
    previous = await set_logs.all_sets(db, runner_id)
    for entry in entries:
        earlier = [
            set_logs.to_logged_set(r)
            for r in previous
            if r.exercise_id == entry.exercise_id and r.entry_id < before_entry
        ]
        if not earlier:
            continue
        name = entry.exercise_name
        meaningful = entry.exercise_id in services.catalogue and shows_e1rm(
            services.catalogue.get(entry.exercise_id)
        )
        old, new = (best_e1rm(earlier), best_e1rm(entry.sets)) if meaningful else (None, None)
        if old is not None and new is not None and new > old + 0.05:
            now_kg, was_kg = shown_e1rm(new, Units.KG), shown_e1rm(old, Units.KG)
            notes.append(
                f"🏅 New best for {name}: estimated 1RM {_weight(now_kg, units)} "
                f"(was {_weight(was_kg, units)})."
            )
        elif any(is_personal_best(s, earlier) for s in entry.sets):
            notes.append(f"🏅 Personal best on {name}: more reps than ever at that weight.")
    return notes


def _weight(kg: float, units: Units) -> str:
    if units is Units.LB:
        return f"{kg / 0.45359237:.0f} lb"
    return f"{kg:.1f} kg".replace(".0 kg", " kg")


async def _next_load_notes(
    db: AsyncSession, runner_id: int, entries: Sequence[ParsedEntry], units: Units, after: date
) -> list[str]:
    """What the next planned session now prescribes for the lifts just logged (L3)."""
    upcoming = await planning.upcoming_sessions(
        db, runner_id, start=after + timedelta(days=1), days=14
    )
    wanted = {entry.exercise_id for entry in entries}
    lifted = {
        entry.exercise_id: max((s.load_kg or 0.0 for s in entry.sets), default=0.0)
        for entry in entries
    }
    notes: list[str] = []
    for row in upcoming:
        for ex in planning.stored_session(row).exercises():
            if ex.id in wanted and ex.load.kg is not None:
                shown = ex.load.weight_in(units)
                unit = "lb" if units is Units.LB else "kg"
                # lighter than just lifted: the session's own reason says why (a pain, X2)
                lighter = ex.note is not None and ex.load.kg < lifted[ex.id] - 1e-6
                why = f" {ex.note}" if lighter else ""
                notes.append(f"Next time ({row.date:%a %-d %b}): {ex.name} {shown:g} {unit}.{why}")
                wanted.discard(ex.id)
    return notes


async def _store(
    services: Services,
    runner_id: int,
    entries: Sequence[ParsedEntry],
    raw: str,
    *,
    session_id: int | None = None,
    replace_entry: int | None = None,
    extra_notes: Sequence[str] = (),
    source: tuple[int, int] | None = None,
) -> LogResult:
    """Stores fully-read entries, marks the session done, re-syncs the plan, then reports.

    `source` (chat id, message id) keys the entry to the runner's message: a message already
    stored is confirmed again, not stored twice."""
    async with services.db.session() as db, db.begin():
        ctx = await _load(db, services, runner_id, session_id=session_id)
        if ctx is None:
            return LogResult(Outcome.NOT_ONBOARDED)
        if source is not None:
            existing = await set_logs.entry_by_source(db, *source)
            if existing is None and replace_entry is None:
                existing = await set_logs.latest_entry(
                    db, runner_id, raw_text=raw, since=services.now() - RESENT_WITHIN
                )
            if existing is not None:
                return await _stored_already(db, services, existing, ctx.profile.units)
        performed_on = ctx.planned.date if ctx.planned is not None else ctx.today
        replaced = False
        kept: list[LoggedSetRow] = []
        if replace_entry is not None:
            old = await set_logs.get_entry(db, replace_entry)
            if old is not None and old.runner_id == runner_id and old.undone_at is None:
                # a correction belongs where the entry it replaces did, whatever is due now
                old.undone_at = services.now()
                replaced = True
                performed_on = old.performed_on
                # a correction replaces the lifts it names; the entry's others stay logged
                named = {entry.exercise_id for entry in entries}
                kept = [
                    _copy_row(row)
                    for row in await set_logs.entry_sets(db, old.id)
                    if row.exercise_id not in named
                ]
                if old.session_id is None:
                    ctx.planned, ctx.session, ctx.prescriptions = None, None, {}
                elif ctx.planned is None or ctx.planned.id != old.session_id:
                    ctx = await _load(db, services, runner_id, session_id=old.session_id) or ctx
        entry = await set_logs.add_entry(
            db,
            runner_id=runner_id,
            session_id=ctx.planned.id if ctx.planned is not None else None,
            performed_on=performed_on,
            raw_text=raw,
            now=services.now(),
            sets=[*_rows(entries, ctx), *kept],
            source=source,
        )
        if ctx.planned is not None:
            ctx.planned.status = SessionStatus.DONE
            ctx.planned.updated_at = services.now()
        notes = await _best_notes(
            db, services, runner_id, entries, ctx.profile.units, before_entry=entry.id
        )
        await db.flush()
        await db.refresh(ctx.runner)
        await planning.sync_plan(db, services, ctx.runner)
        notes += await _next_load_notes(db, runner_id, entries, ctx.profile.units, performed_on)
        notes += extra_notes
        return LogResult(
            Outcome.LOGGED,
            entry_id=entry.id,
            summary=format_sets(entries, units=ctx.profile.units, catalogue=services.catalogue),
            notes=tuple(notes),
            performed_on=performed_on,
            units=ctx.profile.units,
            replaced=replaced,
        )


async def record_sets(
    services: Services,
    runner_id: int,
    text: str,
    *,
    reply_to_message_id: int | None = None,
    source: tuple[int, int] | None = None,
) -> LogResult:
    """Reads a typed log and stores it, asks to confirm it, or explains what works.

    A reply to an earlier confirmation replaces that entry (the runner correcting a mistake).
    `source` is (chat id, message id) of the runner's message: the same message handled again
    (Telegram delivering an update twice) is confirmed again and stored once.
    """
    async with services.db.session() as db:
        ctx = await _load(db, services, runner_id)
        if ctx is None:
            return LogResult(Outcome.NOT_ONBOARDED)
        if source is not None:
            existing = await set_logs.entry_by_source(db, *source)
            if existing is not None:
                return await _stored_already(db, services, existing, ctx.profile.units)
        replace = None
        if reply_to_message_id is not None:
            old = await set_logs.entry_by_confirmation(db, runner_id, reply_to_message_id)
            replace = old.id if old is not None else None
            if old is not None and old.session_id is not None:
                ctx = await _load(db, services, runner_id, session_id=old.session_id) or ctx
    session_ids = tuple(ctx.prescriptions)
    parsed: ParsedLog = parse_set_log(
        text,
        catalogue=services.catalogue,
        units=ctx.profile.units,
        session_exercises=session_ids,
        kit=available_equipment(ctx.profile.equipment),
    )
    if parsed.kind == "done":
        begun = await _begun_today(services, runner_id, ctx)
        if begun is not None:
            return await log_done_as_planned(services, runner_id, begun)
        if ctx.planned is None:
            return LogResult(Outcome.NOTHING_PLANNED, units=ctx.profile.units)
        return await log_done_as_planned(services, runner_id, ctx.planned.id)
    if parsed.kind == "skip":
        return await skip_session(services, runner_id)
    if parsed.kind == "same":
        return await same_as_last_time(services, runner_id, source=source)
    if parsed.problems and parsed.entries:
        await _hold_for_confirmation(services, runner_id, text, parsed, replace, source)
        return LogResult(
            Outcome.NEEDS_CONFIRM,
            summary=format_sets(
                parsed.entries, units=ctx.profile.units, catalogue=services.catalogue
            ),
            problems=parsed.problems,
            units=ctx.profile.units,
        )
    if parsed.problems or not parsed.entries:
        return LogResult(Outcome.UNREADABLE, problems=parsed.problems, units=ctx.profile.units)
    return await _store(
        services,
        runner_id,
        parsed.entries,
        text,
        session_id=ctx.planned.id if ctx.planned is not None else None,
        replace_entry=replace,
        source=source,
    )


async def correct_log(
    services: Services, runner_id: int, confirmation_message_id: int, text: str
) -> LogResult:
    """A reply to a confirmation: the new sets replace that entry's (a half-read reply asks first).

    A reply to any other message is simply read as a new log.
    """
    return await record_sets(
        services, runner_id, text, reply_to_message_id=confirmation_message_id
    )


async def _hold_for_confirmation(
    services: Services,
    runner_id: int,
    text: str,
    parsed: ParsedLog,
    replace: int | None,
    source: tuple[int, int] | None,
) -> None:
    data: dict[str, Any] = {
        "text": text,
        "entries": [entry.model_dump(mode="json") for entry in parsed.entries],
        "replace": replace,
        "source": list(source) if source is not None else None,
    }
    async with services.db.session() as db, db.begin():
        await drafts.save_draft(
            db, runner_id, DraftKind.LOG_CONFIRM, step="confirm", data=data, now=services.now()
        )


async def confirm_pending(services: Services, runner_id: int, *, accept: bool) -> LogResult:
    """Logs (or drops) the half-read message the runner was asked about."""
    async with services.db.session() as db, db.begin():
        draft = await drafts.get_draft(db, runner_id, DraftKind.LOG_CONFIRM)
        if draft is None:
            return LogResult(Outcome.STALE)
        data = dict(draft.data)
        await drafts.delete_draft(db, runner_id, DraftKind.LOG_CONFIRM)
    if not accept:
        return LogResult(Outcome.CANCELLED)
    entries = [ParsedEntry.model_validate(item) for item in data.get("entries", [])]
    if not entries:
        return LogResult(Outcome.STALE)
    held = data.get("source")
    return await _store(
        services,
        runner_id,
        entries,
        str(data.get("text", "")),
        replace_entry=data.get("replace"),
        source=(int(held[0]), int(held[1])) if held else None,
    )


def _as_planned(prescription: Prescription) -> ParsedEntry | None:
    """One tap on "Done as planned": every prescribed set as the plan asked (top of the range)."""
    if prescription.reps == (0, 0) and prescription.hold_s is None:
        return None
    bodyweight = bool(prescription.load.bodyweight)
    sets = tuple(
        LoggedSet(
            set_no=number,
            reps=None if prescription.hold_s is not None else prescription.reps[1],
            load_kg=prescription.load.kg,
            hold_s=prescription.hold_s,
            rir=None,
            per_side=prescription.per_side,
            bodyweight=bodyweight and prescription.load.kg is None,
        )
        for number in range(1, prescription.sets + 1)
    )
    return ParsedEntry(
        exercise_id=prescription.id,
        exercise_name=prescription.name,
        sets=sets,
        raw="done as planned",
    )


def _loggable(session: Session, index: int | None = None) -> list[Prescription]:
    """Exercises worth logging: everything but the mobility warm-up."""
    exercises = [
        ex
        for block in session.blocks
        if block.kind is not BlockKind.MOBILITY
        for ex in block.exercises
    ]
    if index is None:
        return exercises
    everything = list(session.exercises())
    if not 0 <= index < len(everything):
        return []
    return [everything[index]]


async def _begun_today(services: Services, runner_id: int, ctx: _Context) -> int | None:
    """The session a typed "done" finishes when the runner logged part of it lately ("goblet
    squat 3x12 10kg" to the morning-after prompt, then "done" for the rest); None when no recent
    log was against a session, or a later session still waits for its log (that one is
    finished instead)."""
    if ctx.planned is not None and ctx.planned.date >= ctx.today:
        return None
    async with services.db.session() as db:
        latest = await set_logs.latest_entry(
            db, runner_id, since=services.now() - PARTLY_LOGGED_WITHIN
        )
    if latest is None or latest.session_id is None:
        return None
    if ctx.planned is not None and ctx.planned.date > latest.performed_on:
        return None
    return latest.session_id


async def log_done_as_planned(
    services: Services, runner_id: int, session_id: int, *, exercise_index: int | None = None
) -> LogResult:
    """Logs every prescribed set of the session (or one exercise of it) as planned.

    Exercises already logged against the session are left alone, so a second tap (or Done after
    one exercise's button) never logs the same sets twice.
    """
    async with services.db.session() as db:
        ctx = await _load(db, services, runner_id, session_id=session_id)
        logged = (
            await set_logs.exercises_logged_for_session(db, session_id)
            if ctx is not None and ctx.planned is not None
            else set()
        )
    if ctx is None:
        return LogResult(Outcome.NOT_ONBOARDED)
    if ctx.planned is None or ctx.session is None:
        return LogResult(Outcome.STALE, units=ctx.profile.units)
    if ctx.planned.status in OVER_STATUSES:
        return LogResult(Outcome.STALE, units=ctx.profile.units)
    wanted = [ex for ex in _loggable(ctx.session, exercise_index) if ex.id not in logged]
    entries = [entry for entry in map(_as_planned, wanted) if entry is not None]
    if not entries:
        if ctx.planned.status == SessionStatus.DONE or logged:
            return LogResult(Outcome.ALREADY_LOGGED, units=ctx.profile.units)
        return LogResult(Outcome.STALE, units=ctx.profile.units)
    notes = []
    unweighed = [ex.name for ex in wanted if _needs_weight(ex)]
    if unweighed:
        notes.append(
            f"Stored reps without a weight for {', '.join(unweighed)} — log the weights next "
            "time (e.g. squat 3x5 60kg) to get suggested loads."
        )
    return await _store(
        services, runner_id, entries, "done as planned", session_id=session_id, extra_notes=notes
    )


def _needs_weight(prescription: Prescription) -> bool:
    """A %1RM or effort-only prescription: one tap can't know the weight lifted (L1)."""
    load = prescription.load
    return load.kg is None and not load.bodyweight and prescription.hold_s is None


async def skip_session(services: Services, runner_id: int) -> LogResult:
    """ "skip": the session didn't happen; not made up by doubling the next (X3), and its
    reminders go with it, as with the Skip button (one bookkeeping for both)."""
    async with services.db.session() as db, db.begin():
        ctx = await _load(db, services, runner_id)
        if ctx is None:
            return LogResult(Outcome.NOT_ONBOARDED)
        if ctx.planned is None:
            return LogResult(Outcome.NOTHING_PLANNED, units=ctx.profile.units)
        cancelled = await skip_session_row(db, ctx.planned, services.now())
        result = LogResult(Outcome.SKIPPED, performed_on=ctx.planned.date, units=ctx.profile.units)
    for reminder_id in cancelled:
        services.scheduler.cancel(reminder_id)
    return result


async def same_as_last_time(
    services: Services, runner_id: int, *, source: tuple[int, int] | None = None
) -> LogResult:
    """Repeats, once, the last logged session of the same kind (A, B …) as the one due.

    A day that already has a log gets nothing more: "same as last time" sent twice, or after
    logging, must not store the sets again (nor every exercise ever logged).
    """
    async with services.db.session() as db:
        ctx = await _load(db, services, runner_id)
        if ctx is None:
            return LogResult(Outcome.NOT_ONBOARDED)
        day = ctx.planned.date if ctx.planned is not None else ctx.today
        if await sessions.live_entry_on(db, runner_id, day) is not None:
            return LogResult(Outcome.ALREADY_LOGGED, units=ctx.profile.units)
        rows: list[LoggedSetRow] = []
        if ctx.planned is not None:
            entry = await sessions.latest_entry_of_kind(
                db, runner_id, ctx.planned.name, before=day
            )
            if entry is not None:
                rows = list(await set_logs.entry_sets(db, entry.id))
            else:
                last = await set_logs.last_sets_of(db, runner_id, list(ctx.prescriptions))
                rows = [row for group in last.values() for row in group]
        else:
            latest = await set_logs.latest_entry(db, runner_id)
            if latest is not None:
                rows = list(await set_logs.entry_sets(db, latest.id))
    if not rows:
        return LogResult(Outcome.NOTHING_TO_REPEAT, units=ctx.profile.units)
    entries = [
        entry.model_copy(update={"raw": "same as last time"})
        for entry in entries_from_rows(rows, services, ctx.profile.units)
    ]
    return await _store(
        services,
        runner_id,
        entries,
        "same as last time",
        session_id=ctx.planned.id if ctx.planned is not None else None,
        source=source,
    )


async def undo_last_log(
    services: Services, runner_id: int, *, entry_id: int | None = None
) -> LogResult:
    """Takes back the newest log (or the one whose Undo button was pressed).

    The entry is kept but marked undone, and its session is open for logging again.
    """
    async with services.db.session() as db, db.begin():
        found = await planning.onboarded(db, runner_id)
        if found is None:
            return LogResult(Outcome.NOT_ONBOARDED)
        runner, profile = found
        units = profile.units
        if entry_id is None:
            entry = await set_logs.latest_entry(db, runner_id)
        else:
            entry = await set_logs.get_entry(db, entry_id)
            if entry is not None and (entry.runner_id != runner_id or entry.undone_at):
                entry = None
        if entry is None:
            return LogResult(Outcome.NOTHING_TO_UNDO, units=units)
        rows = await set_logs.entry_sets(db, entry.id)
        entry.undone_at = services.now()
        if entry.session_id is not None:
            await db.flush()
            if await set_logs.live_entries_for_session(db, entry.session_id) == 0:
                planned = await sessions.owned(db, runner_id, entry.session_id)
                if planned is not None and planned.status == SessionStatus.DONE:
                    planned.status = SessionStatus.PLANNED
        summary = format_sets(
            entries_from_rows(rows, services, units), units=units, catalogue=services.catalogue
        )
        await db.flush()
        await db.refresh(runner)
        await planning.sync_plan(db, services, runner)
        return LogResult(
            Outcome.UNDONE,
            entry_id=entry.id,
            summary=summary,
            performed_on=entry.performed_on,
            units=units,
        )


def entries_from_rows(
    rows: Sequence[LoggedSetRow], services: Services, units: Units
) -> list[ParsedEntry]:
    """Stored rows back in the parser's shape, so `format_sets` prints them as typed."""
    grouped: dict[str, list[LoggedSetRow]] = {}
    for row in rows:
        grouped.setdefault(row.exercise_id, []).append(row)
    return [
        ParsedEntry(
            exercise_id=exercise_id,
            exercise_name=services.catalogue.get(exercise_id).name,
            sets=tuple(set_logs.to_logged_set(r) for r in group),
            units=units,
        )
        for exercise_id, group in grouped.items()
    ]


async def _stored_already(
    db: AsyncSession, services: Services, entry: LogEntry, units: Units
) -> LogResult:
    """The same message again: its entry, confirmed again (or stale if it was undone since)."""
    if entry.undone_at is not None:
        return LogResult(Outcome.STALE, units=units)
    rows = await set_logs.entry_sets(db, entry.id)
    return LogResult(
        Outcome.LOGGED,
        entry_id=entry.id,
        summary=format_sets(
            entries_from_rows(rows, services, units), units=units, catalogue=services.catalogue
        ),
        performed_on=entry.performed_on,
        units=units,
    )


async def stored_from_message(services: Services, chat_id: int, message_id: int) -> bool:
    """Whether this message's log is stored: then an apology must say so, not ask for it again."""
    async with services.db.reading() as db:
        return await set_logs.entry_by_source(db, chat_id, message_id) is not None


async def set_confirmation_message(
    services: Services, runner_id: int, entry_id: int, message_id: int
) -> None:
    """Remembers which bot message confirmed an entry, so a reply to it corrects that entry."""
    async with services.db.session() as db, db.begin():
        entry = await set_logs.get_entry(db, entry_id)
        if entry is not None and entry.runner_id == runner_id:
            entry.confirmation_message_id = message_id


async def has_pending_confirmation(services: Services, runner_id: int) -> bool:
    """Whether a half-read log is waiting for Log it / Cancel."""
    async with services.db.session() as db:
        return await drafts.get_draft(db, runner_id, DraftKind.LOG_CONFIRM) is not None
