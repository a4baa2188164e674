"""The plan, bent by what the runner told us: pain, swaps, tired days and a changed week.

PURE. `plan_with_adjustments` is `build_plan` applied to profile + adjustments + history
(adjustments are data):

- **Pain (X2)** by body part. ≤ 3: carry on (no adjustment is active). 4–5: the part becomes a
  limitation for the day (X1 swaps each exercise it must avoid for its catalogue substitute), and
  every exercise that still loads the part is 20 % lighter. > 5: no exercise that loads the part
  at all — each is replaced by the first substitute in its chain that spares it, or dropped —
  and the runner is told to see a physiotherapist.
- **Swap (S6)**: the exercise is replaced by the chosen substitute on one session's date, or on
  every session from its start ("always").
- **Readiness**: tired or sore trims that day's session: one set fewer per lift (never below
  one), no plyometrics, one more rep in reserve. Fresh changes nothing.
- **A one-off week change (X3)**: the week's run days are overridden and its sessions placed
  again by the normal placement rules, so P3–P5 still hold; a session is never doubled up, and
  sessions already done that week count.

Every session an adjustment touched says so in its reason (P8), and each week lists the active
adjustments' one-line reasons in its notes, which /plan shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.catalogue.loader import (
    Body,
    Catalogue,
    Category,
    Exercise,
    LoadKind,
    available_equipment,
    load_catalogue,
)
from bot.core.dates import monday_of
from bot.core.domain.adjustments import (
    PAIN_LOAD_FACTOR,
    Adjustment,
    PainAdjustment,
    PainLevel,
    Readiness,
    ReadinessAdjustment,
    SwapAdjustment,
    WeekAdjustment,
)
from bot.core.domain.plan import (
    KG_PER_LB,
    Block,
    BlockKind,
    Load,
    Plan,
    PlanWeek,
    Prescription,
    Session,
)
from bot.core.domain.profile import Equipment, Limitation, RunnerProfile, Weekday
from bot.core.domain.rundays import RunDays
from bot.core.planner.placement import p4_clash, run_days_of
from bot.core.planner.plan import build_plan
from bot.core.planner.progression import owned_floor
from bot.core.planner.sessions import HistoryMap, estimate_seconds, owned_loads

PHYSIO = "please see a physiotherapist before loading it again"


def _lower(ex: Exercise) -> bool:
    return ex.body in (Body.LOWER, Body.FULL) and ex.category is not Category.MOBILITY


_KNEE_IDS = frozenset(
    {
        "back_squat",
        "goblet_squat",
        "box_squat",
        "split_squat",
        "bodyweight_split_squat",
        "bulgarian_split_squat",
        "step_up",
        "reverse_lunge",
        "walking_lunge",
        "trap_bar_deadlift",
        "copenhagen_plank",
        "power_clean",
        "leg_press",
    }
)
_BACK_IDS = frozenset({"farmers_carry", "suitcase_carry", "back_squat", "good_morning"})
_SHOULDER_IDS = frozenset({"plank", "side_plank", "farmers_carry", "suitcase_carry"})

LOADS: dict[Limitation, Callable[[Exercise], bool]] = {
    # X2 "no strength loading that part": what loads each part, read from the catalogue's
    # body, category and avoid lists, plus the knee- and back-heavy lifts named here.
    Limitation.KNEE: lambda ex: ex.id in _KNEE_IDS or (ex.is_plyometric and _lower(ex)),
    Limitation.ACHILLES: lambda ex: (
        (ex.is_plyometric and _lower(ex)) or "calf" in ex.id or Limitation.ACHILLES in ex.avoid
    ),
    Limitation.CALF: lambda ex: (ex.is_plyometric and _lower(ex)) or "calf" in ex.id,
    Limitation.HIP: lambda ex: _lower(ex) and "calf" not in ex.id,
    Limitation.LOWER_BACK: lambda ex: (
        Limitation.LOWER_BACK in ex.avoid
        or ex.id in _BACK_IDS
        or (ex.is_plyometric and _lower(ex) and ex.level is not None and ex.level.value == "high")
    ),
    Limitation.SHOULDER: lambda ex: (
        ex.is_upper_body or ex.id in _SHOULDER_IDS or Limitation.SHOULDER in ex.avoid
    ),
}


@dataclass(frozen=True)
class Taken:
    """Sessions the runner already dealt with (done, skipped, moved) by date: X3 counts them.

    `moves` pairs the day a session was planned on with the day the runner moved it to: the
    session is planned there, so everything else (tired days, swaps, pain) applies to it there.
    """

    dates: frozenset[date] = frozenset()
    moves: tuple[tuple[date, date], ...] = ()


def moved(session: Session, day: date, runs: RunDays) -> Session:
    """X3: the runner moved this session to `day`: the same work there, and it says so (P8)."""
    kind = runs.kind(day)
    return session.model_copy(
        update={
            "date": day,
            "weekday": Weekday.of(day),
            "after_run": kind.day_kind if kind.is_run else None,
            "reason": f"Moved from {Weekday.of(session.date).title} at your request.",
        }
    )


def _swap_applies(swap: SwapAdjustment, session: Session) -> bool:
    """S6: a swap for one session follows that session (moved, or its week changed); an
    "always" swap (or one stored before sessions were named) goes by date."""
    if swap.session is not None and swap.ends is not None:
        return swap.session == session.name and monday_of(swap.starts) == monday_of(session.date)
    return swap.active_on(session.date)


def _swap_shows(swap: SwapAdjustment, session: Session) -> bool:
    """A swap is told about where its lift is in the session: not where pain took it out
    again, nor in a week whose sessions never had the swapped lift."""
    return _swap_applies(swap, session) and any(
        p.id == swap.replacement_id for block in session.blocks for p in block.exercises
    )


def _in_force(adjustment: Adjustment, start: date, end: date) -> bool:
    if isinstance(adjustment, SwapAdjustment) and adjustment.session is not None:
        return adjustment.active_between(monday_of(start), end)
    return adjustment.active_between(start, end)


def active(adjustments: Iterable[Adjustment], day: date) -> list[Adjustment]:
    return [a for a in adjustments if a.active_on(day)]


def pains(adjustments: Iterable[Adjustment], day: date) -> dict[Limitation, PainAdjustment]:
    """The latest pain report per body part in force on `day`, carry-on levels left out."""
    latest: dict[Limitation, PainAdjustment] = {}
    reports = [a for a in adjustments if isinstance(a, PainAdjustment) and a.active_on(day)]
    for adj in sorted(reports, key=lambda a: a.starts):
        latest[adj.part] = adj
    return {p: a for p, a in latest.items() if a.level is not PainLevel.CARRY_ON}


def pained_profile(profile: RunnerProfile, parts: Iterable[Limitation]) -> RunnerProfile:
    """X1 + X2: a sore part is planned around like a limitation while it hurts."""
    extra = tuple(p for p in parts if p not in profile.limitations)
    if not extra:
        return profile
    return profile.model_copy(update={"limitations": (*profile.limitations, *extra)})


def plan_with_adjustments(
    profile: RunnerProfile,
    start: date,
    weeks: int,
    adjustments: Sequence[Adjustment],
    *,
    history: HistoryMap | None = None,
    catalogue: Catalogue | None = None,
    block_start: date | None = None,
    taken: Taken = Taken(),
    run_days: RunDays | None = None,
) -> Plan:
    """`build_plan` with the runner's active adjustments applied.

    Args:
        profile: the runner's confirmed profile.
        start: the runner's today (sessions before it are dropped, as in `build_plan`).
        weeks: how many weeks.
        adjustments: every adjustment that may be active in those weeks.
        history: logged performance per exercise id (L1).
        catalogue: the exercise catalogue.
        block_start: the Monday training started.
        taken: dates of sessions already done, skipped or moved (X3: never doubled up).
        run_days: dated runs from a calendar (template days where it has none); a one-off week
            change replans its week from the template with the change applied.

    Returns:
        The adjusted plan; each touched session says why in its reason, and each week's notes
        carry the active adjustments' one-line reasons.
    """
    catalogue = catalogue or load_catalogue()
    plan_end = monday_of(start) + timedelta(days=7 * weeks - 1)
    in_range = [a for a in adjustments if _in_force(a, start, plan_end)]
    parts = set(pains(in_range, start))
    base_profile = pained_profile(profile, parts)
    moves = dict(taken.moves)
    runs = run_days_of(base_profile, run_days)
    plan = build_plan(
        base_profile,
        monday_of(start) if moves else start,  # a session moved from before today is still due
        weeks,
        history=history,
        catalogue=catalogue,
        block_start=block_start,
        today=start,
        run_days=run_days,
    )
    origin = block_start or monday_of(start)
    out_weeks: list[PlanWeek] = []
    previous_last: date | None = None
    for week in plan.weeks:
        sunday = week.week_start + timedelta(days=6)
        changes = [
            a for a in in_range if isinstance(a, WeekAdjustment) and a.monday == week.week_start
        ]
        sessions = sorted(
            (moved(s, moves[s.date], runs) if s.date in moves else s for s in week.sessions),
            key=lambda s: s.date,
        )
        sessions = [s for s in sessions if s.date >= start]
        notes = list(week.notes)
        if sessions and previous_last is not None and p4_clash(sessions[0].date, [previous_last]):
            sessions = sessions[1:]  # P4 across a changed week's end
        if changes:
            sessions, note = _replaced_week(
                base_profile,
                week,
                changes,
                start=start,
                history=history,
                catalogue=catalogue,
                origin=origin,
                previous_last=previous_last,
                taken=taken,
            )
            if note:
                notes.append(note)
        adjusted = [apply_to_session(s, in_range, catalogue, base_profile) for s in sessions]
        notes.extend(
            dict.fromkeys(
                a.reason
                for a in in_range
                if (
                    any(_swap_shows(a, s) for s in adjusted)
                    if isinstance(a, SwapAdjustment)
                    else a.active_between(max(week.week_start, start), sunday)
                )
            )
        )
        if adjusted:
            previous_last = adjusted[-1].date
        out_weeks.append(
            week.model_copy(update={"sessions": tuple(adjusted), "notes": tuple(notes)})
        )
    return plan.model_copy(update={"weeks": tuple(out_weeks)})


def _replaced_week(
    profile: RunnerProfile,
    week: PlanWeek,
    changes: Sequence[WeekAdjustment],
    *,
    start: date,
    history: HistoryMap | None,
    catalogue: Catalogue,
    origin: date,
    previous_last: date | None,
    taken: Taken,
) -> tuple[list[Session], str | None]:
    """X3: the week placed again on its changed run days; P3–P5 hold because placement runs."""
    days = dict(profile.week)
    for change in changes:
        days.update(change.days)
    changed = profile.model_copy(update={"week": days})
    moves = dict(taken.moves)
    replanned = build_plan(
        changed,
        week.week_start if moves else max(week.week_start, start),  # as in `adjusted_plan`
        1,
        history=history,
        catalogue=catalogue,
        block_start=origin,
        today=start,
    ).weeks[0]
    budget = len(week.sessions)
    done_this_week = sorted(d for d in taken.dates if week.week_start <= d <= sunday_of(week))
    reason = changes[-1].reason
    kept: list[Session] = []
    dropped = 0
    for session in replanned.sessions:
        if session.date in moves:  # the runner's move stands in a changed week too (X3)
            kept.append(moved(session, moves[session.date], run_days_of(changed)))
            continue
        if session.date < start:
            continue
        near = [d for d in done_this_week if p4_clash(session.date, [d])]
        too_close = previous_last is not None and p4_clash(session.date, [previous_last])
        if near or too_close or session.date in taken.dates:
            dropped += 1
            continue
        kept.append(session.model_copy(update={"reason": f"{session.reason} {reason}."}))
    kept.sort(key=lambda session: session.date)
    if len(kept) > budget:
        dropped += len(kept) - budget
        kept = kept[:budget]
    note = (
        "A missed session isn't doubled up: the plan goes on from here."
        if dropped and done_this_week
        else None
    )
    return kept, note


def sunday_of(week: PlanWeek) -> date:
    return week.week_start + timedelta(days=6)


def apply_to_session(
    session: Session,
    adjustments: Sequence[Adjustment],
    catalogue: Catalogue,
    profile: RunnerProfile,
) -> Session:
    """Swaps (S6), pain (X2) and readiness for the session's date, in that order: pain comes
    after the swaps so that nothing a swap brings in loads a part that hurts."""
    day = session.date
    reasons: list[str] = []
    blocks = [list(b.exercises) for b in session.blocks]
    kinds = [b.kind for b in session.blocks]
    swaps = [a for a in adjustments if isinstance(a, SwapAdjustment) and _swap_applies(a, session)]
    _swap(blocks, swaps, catalogue, reasons)
    sore = pains(adjustments, day)
    for pain in sore.values():
        loads = LOADS[pain.part]
        used = {p.id for block in blocks for p in block}
        for bi, block in enumerate(blocks):
            kept: list[Prescription] = []
            for p in block:
                if p.id not in catalogue or not loads(catalogue.get(p.id)):
                    kept.append(p)
                elif pain.level is PainLevel.REDUCE:
                    owned = owned_loads(profile, catalogue.get(p.id))
                    why = f"20 % lighter while your {pain.part.value.replace('_', ' ')} settles."
                    kept.append(lighter(p, owned, why))
                elif kinds[bi] is not BlockKind.POWER:
                    spare = _sparing_substitute(
                        catalogue.get(p.id), pain.part, profile, catalogue, used
                    )
                    if spare is not None:
                        used.add(spare.id)
                        kept.append(swapped(p, spare))
            blocks[bi] = kept
        reasons.append(pain.reason)
    if sore:
        # a swap of an exercise pain brought in, as long as it spares what hurts
        stop = [LOADS[part] for part, pain in sore.items() if pain.level is PainLevel.STOP]
        sparing = [
            swap
            for swap in swaps
            if swap.replacement_id in catalogue
            and not any(loads(catalogue.get(swap.replacement_id)) for loads in stop)
        ]
        _swap(blocks, sparing, catalogue, reasons)
    for ready in (a for a in adjustments if isinstance(a, ReadinessAdjustment)):
        if not ready.active_on(day) or ready.state is Readiness.FRESH:
            continue
        for bi, block in enumerate(blocks):
            if kinds[bi] is BlockKind.POWER:
                blocks[bi] = []
                continue
            if kinds[bi] in (BlockKind.STRENGTH, BlockKind.ACCESSORY):
                blocks[bi] = [trimmed(p) for p in block]
        reasons.append(ready.reason)
    gone = {
        swap.reason
        for swap in swaps
        if not any(p.id == swap.replacement_id for block in blocks for p in block)
    }
    reasons = [reason for reason in reasons if reason not in gone]
    if not reasons and not gone:
        return session
    new_blocks = tuple(
        Block.model_construct(kind=kind, exercises=tuple(exercises))
        for kind, exercises in zip(kinds, blocks, strict=True)
        if exercises
    )
    flat = [p for b in new_blocks for p in b.exercises]
    minutes = -(-estimate_seconds(flat) // 60)
    text = " ".join(dict.fromkeys(r.rstrip(".") + "." for r in reasons))
    return session.model_copy(
        update={
            "blocks": new_blocks,
            "duration_min": minutes,
            "reason": f"{session.reason} {text}",
        }
    )


def _swap(
    blocks: list[list[Prescription]],
    swaps: Sequence[SwapAdjustment],
    catalogue: Catalogue,
    reasons: list[str],
) -> None:
    for swap in swaps:
        if swap.replacement_id not in catalogue:
            continue
        for block in blocks:
            for pi, p in enumerate(block):
                if p.id == swap.exercise_id:
                    block[pi] = swapped(p, catalogue.get(swap.replacement_id))
                    reasons.append(swap.reason)


def _sparing_substitute(
    exercise: Exercise,
    part: Limitation,
    profile: RunnerProfile,
    catalogue: Catalogue,
    used: set[str],
) -> Exercise | None:
    """X2 > 5: the first substitute in the chain that doesn't load the sore part."""
    have = available_equipment(profile.equipment)
    for candidate in catalogue.substitution_chain(exercise.id)[1:]:
        if (
            candidate.id not in used
            and candidate.usable_with(have)
            and candidate.suits(profile.limitations)
            and not LOADS[part](candidate)
            and candidate.category is not Category.MOBILITY
        ):
            return candidate
    return None


def substitutes(
    exercise_id: str,
    profile: RunnerProfile,
    catalogue: Catalogue,
    *,
    kit: frozenset[Equipment] | None = None,
    pained: Iterable[Limitation] = (),
    spared: Iterable[Limitation] = (),
    exclude: Iterable[str] = (),
    limit: int = 4,
) -> list[Exercise]:
    """S6: the catalogue substitutes that fit the runner's equipment (or today's kit) and
    limitations (X1, and sore parts, X2): the exercise's own chain first, then others of the
    same category. A part in `spared` hurts over 5 (X2): nothing that loads it is offered (for a
    knee: no jumps, hops, bounds, skipping or deep knee bends).
    """
    exercise = catalogue.get(exercise_id)
    have = available_equipment(kit if kit is not None else profile.equipment)
    avoid = {*profile.limitations, *pained}
    skip = {exercise_id, *exclude}
    pool = list(catalogue.substitution_chain(exercise_id)[1:])
    pool += [
        ex
        for ex in catalogue
        if ex.category is exercise.category and ex.body is exercise.body and ex not in pool
    ]
    loaders = [LOADS[part] for part in spared]
    found: list[Exercise] = []
    for candidate in pool:
        if candidate.id in skip or not candidate.usable_with(have) or not candidate.suits(avoid):
            continue
        if any(loads(candidate) for loads in loaders):
            continue
        if candidate.category is Category.MOBILITY and exercise.category is not Category.MOBILITY:
            continue
        found.append(candidate)
        if len(found) >= limit:
            break
    return found


def lighter(p: Prescription, owned: Sequence[float] = (), why: str | None = None) -> Prescription:
    """X2 4–5: the load 20 % lighter (a %1RM range, kilograms, or two more reps in reserve).

    With `owned` bells or dumbbells (L4), the kilograms are the heaviest one owned at or under
    that, else the lightest owned: never a weight the runner can't load. The log's note goes
    (it spoke of the load before the pain); `why` takes its place, so a load that drops says
    why wherever it is shown (/plan, the "Next time" line after a log)."""
    load = p.load
    if load.pct_1rm is not None:
        low, high = load.pct_1rm
        new = Load.model_construct(
            pct_1rm=(round(low * PAIN_LOAD_FACTOR), round(high * PAIN_LOAD_FACTOR)), rir=load.rir
        )
    elif load.kg is not None:
        kg = round(load.kg * PAIN_LOAD_FACTOR * 2) / 2
        if owned:
            kg = owned_floor(kg, owned)
        new = (
            Load.model_construct(kg=kg, lb=round(kg / KG_PER_LB))
            if load.lb is not None
            else Load.model_construct(kg=kg)
        )
    elif load.rir is not None:
        new = Load.reserve(_more_reserve(load.rir, 2))
    else:
        return p
    return p.model_copy(update={"load": new, "note": why})


def trimmed(p: Prescription) -> Prescription:
    """A tired day: one set fewer (never below one) and one more rep in reserve."""
    load = p.load
    if load.rir is not None and load.kg is None:
        load = load.model_copy(update={"rir": _more_reserve(load.rir, 1)})
    return p.model_copy(update={"sets": max(1, p.sets - 1), "load": load})


def swapped(p: Prescription, exercise: Exercise) -> Prescription:
    """The same slot (sets, reps, rest) with another exercise and a load it can take."""
    weighted = exercise.load_kind in (LoadKind.BARBELL, LoadKind.DUMBBELL, LoadKind.KETTLEBELL)
    if exercise.load_kind is LoadKind.BARBELL and p.load.pct_1rm is not None:
        load = Load.model_construct(pct_1rm=p.load.pct_1rm, rir=p.load.rir)
    elif weighted:
        load = Load.reserve((2, 3))
    else:
        load = Load.body()
    reps = exercise.rep_range or (p.reps if weighted else (max(p.reps[0], 8), max(p.reps[1], 12)))
    hold = 30 if exercise.timed else None
    return p.model_copy(
        update={
            "id": exercise.id,
            "name": exercise.name,
            "per_side": exercise.per_side,
            "cue": exercise.cue,
            "load": load,
            "reps": (1, 1) if exercise.timed else reps,
            "hold_s": hold,
            "warmup_sets": 1 if weighted and p.warmup_sets else 0,
        }
    )


def _more_reserve(rir: tuple[int, int] | int, extra: int) -> tuple[int, int] | int:
    if isinstance(rir, int):
        return min(rir + extra, 5)
    return (min(rir[0] + extra, 5), min(rir[1] + extra, 5))


__all__ = [
    "LOADS",
    "PHYSIO",
    "Taken",
    "apply_to_session",
    "lighter",
    "moved",
    "pained_profile",
    "plan_with_adjustments",
    "substitutes",
    "swapped",
    "trimmed",
]
