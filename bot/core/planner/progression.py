"""The next session's load from what the runner logged (COACHING.md L1, L3–L7).

PURE: no clock (`today` is passed in), no database. `advise` says what to do next and why;
`next_load` is the thin wrapper the planner calls (`bot.core.planner.sessions.NextLoad`).

- L1: no usable history → None; the caller prescribes %1RM + RIR guidance instead.
- L3: double progression. Every work set at the top of the range, at the target RIR or easier
  (and all planned sets done) → one step up; otherwise the same load, aiming for more reps.
  Never up after a failed set (below the range's bottom); two sessions in a row with a failed
  set → down 5 % (missed by one rep) or 10 %.
- L4: steps by equipment, body part, units and experience; loads rounded to what the equipment
  allows: barbell 2.5 kg / 5 lb (2.5 lb for upper-body lifts), dumbbells 1 kg / 2.5 lb per
  hand, kettlebells 2 kg / 5 lb (bells come in 2 kg sizes; the step is +4 kg, 10 lb).
- L5: bodyweight and timed work progress by reps to the range top, then +5 s holds, slower
  tempo or a harder variation; the load stays bodyweight.
- L6: deload → −10 %, no new maximum. L7: more than 2 weeks off → −10 %, more than 4 → −20 %.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from bot.core.catalogue.loader import Body, Exercise, LoadKind
from bot.core.domain.logs import ExerciseLog, LoggedSet
from bot.core.domain.plan import KG_PER_LB, Load
from bot.core.domain.profile import Experience, Units

DEFAULT_TARGET_RIR = 1
"""A set at the top of the range with 0 in reserve was a grind, not a success (L3)."""

DELOAD_FACTOR = 0.9
BREAK_DAYS = 14
LONG_BREAK_DAYS = 28
BREAK_FACTOR = 0.9
LONG_BREAK_FACTOR = 0.8
SMALL_DROP = 0.95
BIG_DROP = 0.9
HOLD_STEP_S = 5
MAX_HOLD_S = 600
_EPS = 1e-6

Action = Literal["raise", "hold", "drop", "deload", "restart", "bodyweight"]


@dataclass(frozen=True, slots=True)
class ProgressionAdvice:
    """What the next session should aim for, and a one-line reason a runner can read."""

    action: Action
    load: Load | None
    reps_target: tuple[int, int] | None
    hold_s: int | None
    note: str


def _round_kg_value(value: float) -> float:
    return round(value, 4)


def load_step(exercise: Exercise, *, experience: Experience, units: Units) -> float:
    """L4: one progression step in the runner's units."""
    lower = exercise.body in (Body.LOWER, Body.FULL)
    novice = experience is Experience.NOVICE
    kind = exercise.load_kind
    if units is Units.LB:
        if kind is LoadKind.BARBELL:
            return (10.0 if novice else 5.0) if lower else 2.5
        if kind is LoadKind.KETTLEBELL:
            return 10.0
        return 5.0
    if kind is LoadKind.BARBELL:
        return (5.0 if novice else 2.5) if lower else 2.5
    if kind is LoadKind.KETTLEBELL:
        return 4.0
    return 2.0


def load_increment(exercise: Exercise, units: Units) -> float:
    """L4: the smallest load the equipment allows changing by (the rounding grid)."""
    kind = exercise.load_kind
    if units is Units.LB:
        if kind is LoadKind.BARBELL:
            return 5.0 if exercise.body in (Body.LOWER, Body.FULL) else 2.5
        return 2.5 if kind is LoadKind.DUMBBELL else 5.0
    if kind is LoadKind.KETTLEBELL:
        return 2.0
    return 2.5 if kind is LoadKind.BARBELL else 1.0


def _dumbbell_step(current: float, units: Units) -> float:
    """L4: +1 kg per hand on light dumbbells, +2 kg from 10 kg (2.5 / 5 lb)."""
    if units is Units.LB:
        return 2.5 if current < 25 else 5.0
    return 1.0 if current < 10 else 2.0


def _in_units(load_kg: float, units: Units) -> float:
    return load_kg if units is Units.KG else round(load_kg / KG_PER_LB, 2)


def _weight(value: float, units: Units) -> Load:
    return Load.weight(_round_kg_value(value) if units is Units.KG else round(value, 2), units)


def _floor(value: float, grid: float) -> float:
    return math.floor(value / grid + _EPS) * grid


def _nearest(value: float, grid: float) -> float:
    return math.floor(value / grid + 0.5) * grid


# --- reading the history -----------------------------------------------------------------


def _weighted_sets(log: ExerciseLog) -> list[LoggedSet]:
    return [
        s
        for s in log.sets
        if s.reps is not None and s.load_kg is not None and s.hold_s is None and not s.bodyweight
    ]


def _work_load(sets: Sequence[LoggedSet]) -> float:
    """The load most sets were done at (ties: the heavier); lighter warm-ups don't count."""
    counts = Counter(round(s.load_kg or 0.0, 4) for s in sets)
    return max(counts, key=lambda load: (counts[load], load))


def _work_sets(sets: Sequence[LoggedSet]) -> list[LoggedSet]:
    load = _work_load(sets)
    return [s for s in sets if abs((s.load_kg or 0.0) - load) < 1e-3]


@dataclass(frozen=True, slots=True)
class _Outcome:
    load_kg: float
    failed: bool
    succeeded: bool
    worst_shortfall: int


def _outcome(log: ExerciseLog, target_reps: tuple[int, int], target_rir: int) -> _Outcome | None:
    sets = _weighted_sets(log)
    if not sets:
        return None
    work = _work_sets(sets)
    low, high = log.target_reps or target_reps
    reps = [s.reps or 0 for s in work]
    failed = any(r < low for r in reps)
    easy_enough = all(s.rir is None or s.rir >= target_rir for s in work)
    enough_sets = log.target_sets is None or len(work) >= log.target_sets
    succeeded = not failed and easy_enough and enough_sets and all(r >= high for r in reps)
    return _Outcome(
        load_kg=_work_load(sets),
        failed=failed,
        succeeded=succeeded,
        worst_shortfall=max((low - r for r in reps), default=0),
    )


def _usable(history: Sequence[ExerciseLog]) -> list[ExerciseLog]:
    logs = [log for log in history if _weighted_sets(log)]
    return sorted(logs, key=lambda log: log.performed_on)


# --- advice ------------------------------------------------------------------------------


def _bodyweight_advice(
    exercise: Exercise, target_reps: tuple[int, int], history: Sequence[ExerciseLog]
) -> ProgressionAdvice | None:
    """L5: reps to the range top, then +5 s holds, slower tempo or a harder variation."""
    logs = sorted((log for log in history if log.sets), key=lambda log: log.performed_on)
    if not logs:
        return None
    last = logs[-1]
    holds = [s.hold_s for s in last.sets if s.hold_s is not None]
    if holds:
        target = last.target_hold_s or max(holds)
        if all(h >= target for h in holds):
            hold = min(min(holds) + HOLD_STEP_S, MAX_HOLD_S)
            note = f"Every hold reached {target} s: hold {hold} s next time."
            return ProgressionAdvice("bodyweight", Load.body(), None, hold, note)
        note = f"Keep {target} s holds until every one lasts the full time."
        return ProgressionAdvice("bodyweight", Load.body(), None, target, note)
    reps = [s.reps for s in last.sets if s.reps is not None]
    if not reps:
        return None
    low, high = last.target_reps or target_reps
    if all(r >= high for r in reps):
        note = (
            f"Every set reached {high} reps: slow the lowering to 3 s or move to a harder "
            "variation."
        )
    elif any(r < low for r in reps):
        note = f"Aim for {low}–{high} reps per set; rest a little longer between sets."
    else:
        note = f"Aim for one more rep per set, up to {high}."
    return ProgressionAdvice("bodyweight", Load.body(), target_reps, None, note)


def advise(
    exercise: Exercise,
    target_reps: tuple[int, int],
    history: Sequence[ExerciseLog],
    *,
    experience: Experience,
    units: Units,
    deload: bool = False,
    today: date | None = None,
    target_rir: int = DEFAULT_TARGET_RIR,
) -> ProgressionAdvice | None:
    """The next session's target for one exercise from its history (oldest first), or None.

    None means no usable history (L1): the caller prescribes %1RM and RIR guidance. Weights come
    back as a `Load` in kg (with the display value in pounds for lb runners).
    """
    weighted = exercise.load_kind in (LoadKind.BARBELL, LoadKind.DUMBBELL, LoadKind.KETTLEBELL)
    if not weighted:
        return _bodyweight_advice(exercise, target_reps, history)
    if exercise.timed:  # loaded carries: keep the weight, progress the time (L5)
        advice = _bodyweight_advice(exercise, target_reps, history)
        if advice is None:
            return None
        loads = [
            s.load_kg
            for log in history[-1:]
            for s in log.sets
            if s.load_kg is not None and not s.bodyweight
        ]
        load = _weight(_in_units(max(loads), units), units) if loads else None
        return ProgressionAdvice("hold", load, advice.reps_target, advice.hold_s, advice.note)
    logs = _usable(history)
    if not logs:
        return None
    last = _outcome(logs[-1], target_reps, target_rir)
    if last is None:  # unreachable: _usable keeps only logs with weighted sets
        return None
    current = _in_units(last.load_kg, units)
    grid = load_increment(exercise, units)
    days_off = (today - logs[-1].performed_on).days if today is not None else 0

    if days_off > BREAK_DAYS or deload:
        factor = 1.0
        reasons: list[str] = []
        action: Action = "deload"
        if deload:
            factor, reasons = DELOAD_FACTOR, ["deload week: 10 % lighter, no new maximum"]
        if days_off > BREAK_DAYS:
            off = LONG_BREAK_FACTOR if days_off > LONG_BREAK_DAYS else BREAK_FACTOR
            if off < factor or not deload:
                factor, action = off, "restart"
            weeks = days_off // 7
            cut = 100 - round(off * 100)
            reasons.append(f"{weeks} weeks since you last did it: restart {cut} % lighter")
        value = _nearest(current * factor, grid)
        if value >= current and current > 0:
            value = max(0.0, current - grid)
        note = "; ".join(reasons).capitalize() + "."
        return ProgressionAdvice(action, _weight(value, units), target_reps, None, note)

    previous = _outcome(logs[-2], target_reps, target_rir) if len(logs) > 1 else None
    if last.failed and previous is not None and previous.failed:
        factor = SMALL_DROP if last.worst_shortfall <= 1 else BIG_DROP
        value = _nearest(current * factor, grid)
        if value >= current and current > 0:
            value = max(0.0, current - grid)
        note = (
            "Two sessions in a row short of the range: down "
            f"{100 - round(factor * 100)} % to build back up."
        )
        return ProgressionAdvice("drop", _weight(value, units), target_reps, None, note)
    if last.succeeded:
        step = (
            _dumbbell_step(current, units)
            if exercise.load_kind is LoadKind.DUMBBELL
            else load_step(exercise, experience=experience, units=units)
        )
        value = _nearest(current + step, grid)
        if value <= current:
            value = _floor(current, grid) + grid
        note = f"Every set hit the top of the range: up {_plain(value - current)} {units.value}."
        return ProgressionAdvice("raise", _weight(value, units), target_reps, None, note)
    high = target_reps[1]
    note = (
        "A set fell short of the range: same weight, aim for every set in range."
        if last.failed
        else f"Same weight; aim for more reps, up to {high} on every set."
    )
    return ProgressionAdvice("hold", _weight(current, units), target_reps, None, note)


def _plain(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def next_load(
    exercise: Exercise,
    target_reps: tuple[int, int],
    history: Sequence[ExerciseLog],
    *,
    experience: Experience,
    units: Units,
    deload: bool = False,
    today: date | None = None,
) -> Load | None:
    """The next session's load (kg, with lb for display), or None without usable history (L1)."""
    advice = advise(
        exercise,
        target_reps,
        history,
        experience=experience,
        units=units,
        deload=deload,
        today=today,
    )
    return None if advice is None else advice.load
