"""The next session's load from what the runner logged (docs/coaching.md L1, L3–L7).

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
- L6: deload → −10 %, no new maximum; after a deload the next block re-anchors on the last
  performance before it (`was_deload`), not on the deload's lighter weights.
- L7: more than 2 weeks off → −10 %, more than 4 → −20 %. `today` must be passed for this
  (the planner always passes it).
- PH3/§2 caps: `max_pct` caps the load at that % of the e1RM the log shows (reps + RIR through
  Brzycki, L2), so a race-week "last load −10 %" can never be 82 % of a strong runner's 1RM.
- L4/S6 owned loads: with `owned` bells or dumbbells, loads round down to one the runner has, the
  next step is the next one they own, and at the heaviest progression goes by reps and tempo.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

from bot.core.catalogue.loader import Body, Category, Exercise, LoadKind
from bot.core.domain.logs import ExerciseLog, LoggedSet, estimate_1rm
from bot.core.domain.plan import KG_PER_LB, Load
from bot.core.domain.profile import Experience, Units

DEFAULT_TARGET_RIR = 1
"""A set at the top of the range with 0 in reserve was a grind, not a success (L3); the
planner passes its dose's target RIR instead (2 for most rows: RIR 1 is then not a success)."""


DELOAD_FACTOR = 0.9
BREAK_DAYS = 14
LONG_BREAK_DAYS = 28
BREAK_FACTOR = 0.9
LONG_BREAK_FACTOR = 0.8
SMALL_DROP = 0.95
BIG_DROP = 0.9
HOLD_STEP_S = 5
MAX_HOLD_S = 600
PHASE_CAP_PCT = 85.0
"""L10/S4: no prescribed load above 85 % of the logged e1RM (race week's 75 % comes as
`max_pct`)."""
WEEKLY_GROWTH: dict[Experience, float] = {
    Experience.NOVICE: 0.02,
    Experience.INTERMEDIATE: 0.01,
    Experience.ADVANCED: 0.005,
}
"""L11's last line: a plan projected from logs expects the e1RM to grow this much a training
week (double progression going to plan), so week 12 is not week 1's kilograms again."""
REENTRY_TOP = 0.95
"""L7: during the re-entry the loads climb to 95 % of the pre-break estimate, then go on."""
RESTART_MAX = 0.92
"""L7 with L9: a restart is at most 92 % of what the log allows for the new target."""
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


@lru_cache(maxsize=4096)
def _weight(value: float, units: Units) -> Load:
    """A weight load, one frozen object per value (shared by every plan that prescribes it)."""
    return Load.weight(_round_kg_value(value) if units is Units.KG else round(value, 2), units)


def _floor(value: float, grid: float) -> float:
    return math.floor(value / grid + _EPS) * grid


def _nearest(value: float, grid: float) -> float:
    return math.floor(value / grid + 0.5) * grid


# --- reading the history -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Digest:
    """What every reading of one log starts from: its weighted sets, the work load most of them
    were done at, and the work sets at that load (lighter warm-ups don't count)."""

    weighted: tuple[LoggedSet, ...]
    work_load: float
    work: tuple[LoggedSet, ...]
    e1rm: float | None


_DIGESTS: dict[int, tuple[ExerciseLog, _Digest]] = {}
"""Digests by the log's identity (a log is frozen): a plan reads the same logs in every session
of every week. The log is kept beside its digest, so an id reused by a new object never hits."""

_DIGESTS_MAX = 50_000


def _digest(log: ExerciseLog) -> _Digest:
    entry = _DIGESTS.get(id(log))
    if entry is not None and entry[0] is log:
        return entry[1]
    weighted = tuple(
        s
        for s in log.sets
        if s.reps is not None and s.load_kg is not None and s.hold_s is None and not s.bodyweight
    )
    load = _work_load(weighted) if weighted else 0.0
    work = tuple(s for s in weighted if abs((s.load_kg or 0.0) - load) < 1e-3)
    values = [value for s in work if (value := estimate_1rm(s.load_kg, s.reps, s.rir)) is not None]
    digest = _Digest(weighted, load, work, max(values) if values else None)
    if len(_DIGESTS) >= _DIGESTS_MAX:
        _DIGESTS.clear()
    _DIGESTS[id(log)] = (log, digest)
    return digest


def _weighted_sets(log: ExerciseLog) -> tuple[LoggedSet, ...]:
    return _digest(log).weighted


def _work_load(sets: Sequence[LoggedSet]) -> float:
    """The load most sets were done at (ties: the heavier); lighter warm-ups don't count."""
    counts: dict[float, int] = {}
    for s in sets:
        load = round(s.load_kg or 0.0, 4)
        counts[load] = counts.get(load, 0) + 1
    return max(counts, key=lambda load: (counts[load], load))


@dataclass(frozen=True, slots=True)
class _Outcome:
    load_kg: float
    failed: bool
    succeeded: bool
    worst_shortfall: int
    too_hard: bool
    stalled: bool
    """L10: a work set at RIR 0 or below the range."""


def _outcome(log: ExerciseLog, target_reps: tuple[int, int], target_rir: int) -> _Outcome | None:
    digest = _digest(log)
    if not digest.weighted:
        return None
    work = digest.work
    low, high = log.target_reps or target_reps
    reps = [s.reps or 0 for s in work]
    failed = any(r < low for r in reps)
    easy_enough = all(s.rir is None or s.rir >= target_rir for s in work)
    enough_sets = log.target_sets is None or len(work) >= log.target_sets
    succeeded = not failed and easy_enough and enough_sets and all(r >= high for r in reps)
    return _Outcome(
        load_kg=digest.work_load,
        failed=failed,
        succeeded=succeeded,
        worst_shortfall=max((low - r for r in reps), default=0),
        too_hard=not easy_enough,
        stalled=failed or any(s.rir == 0 for s in work),
    )


def _usable(
    history: Sequence[ExerciseLog], was_deload: Callable[[date], bool] | None = None
) -> list[ExerciseLog]:
    """Weighted logs, oldest first; deload-week logs are dropped when an earlier one exists (L6:
    the next block re-anchors on the last pre-deload performance)."""
    logs = sorted(
        (log for log in history if _weighted_sets(log)), key=lambda log: log.performed_on
    )
    if was_deload is None:
        return logs
    kept = [log for log in logs if not was_deload(log.performed_on)]
    return kept or logs


def log_e1rm(log: ExerciseLog) -> float | None:
    """L2/L9: the best e1RM of a log's work sets, through the one estimate
    (`bot.core.domain.logs.estimate_1rm`: Brzycki on reps + logged RIR)."""
    return _digest(log).e1rm


DOABLE_MAX_TO_FAILURE = 30


def _doable_e1rm(log: ExerciseLog) -> float | None:
    """L9: the same Brzycki estimate read past 12 reps to failure (up to 30): too rough to show
    as a maximum (L2), close enough to keep a light weight's next load doable."""
    values = [
        (s.load_kg or 0.0) / fraction_1rm(to_failure)
        for s in _digest(log).work
        if s.reps and (to_failure := s.reps + (s.rir or 0)) <= DOABLE_MAX_TO_FAILURE
    ]
    return max(values) if values else None


def _assumed_e1rm(log: ExerciseLog, rir: int) -> float | None:
    """L9: the e1RM of a log without RIR, assuming the sets left `rir` in reserve."""
    values = [
        (s.load_kg or 0.0) / fraction_1rm(s.reps + rir)
        for s in _digest(log).work
        if s.reps and s.reps + rir <= DOABLE_MAX_TO_FAILURE
    ]
    return max(values) if values else None


def fraction_1rm(reps_to_failure: int) -> float:
    """L9: the %1RM (as a fraction) of a set with this many reps to failure (Brzycki, L2)."""
    return max(0.2, (37 - max(1, reps_to_failure)) / 36)


def days_off(history: Sequence[ExerciseLog], today: date | None) -> int:
    """L7: days from the lift's last log (a deload's too: it was training) to `today` (0
    without a log or a today)."""
    if not history or today is None:
        return 0
    return (today - max(log.performed_on for log in history)).days


def after_break(history: Sequence[ExerciseLog], today: date) -> bool:
    """L7: whether the lift was last done more than `BREAK_DAYS` before `today`."""
    return days_off(history, today) > BREAK_DAYS


def reentry_weeks(days_off: int) -> int:
    """L7: the re-entry after a break lasts about one week per 3 weeks off (1–4 weeks)."""
    return min(4, max(1, round(days_off / 21)))


def owned_floor(value: float, owned: Sequence[float]) -> float:
    """L4: the heaviest owned load not above `value` (the lightest when all are above)."""
    fitting = [w for w in owned if w <= value + _EPS]
    return max(fitting) if fitting else min(owned)


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
    owned: Sequence[float] = (),
    allow_raise: bool = True,
    max_pct: float | None = None,
    was_deload: Callable[[date], bool] | None = None,
    weeks_ahead: int = 0,
    restarted_at: float | None = None,
    cap_pct: float = PHASE_CAP_PCT,
) -> ProgressionAdvice | None:
    """The next session's target for one exercise from its history (oldest first), or None.

    None means no usable history (L1): the caller prescribes %1RM and RIR guidance. Weights come
    back as a `Load` in kg (with the display value in pounds for lb runners).

    Args:
        exercise: the catalogue entry.
        target_reps: the planned rep range.
        history: the exercise's logs.
        experience: for L4's steps.
        units: the runner's units.
        deload: L6 deload week.
        today: the day the plan is made; without it no layoff can be seen (L7).
        target_rir: L3: a set with fewer reps in reserve is not a success.
        owned: kg sizes the runner owns (L4); empty means any load.
        allow_raise: False in taper and race week: intensity kept, no new maximum (§2).
        max_pct: cap the load at this % of the logged e1RM (PH3, S4).
        was_deload: whether a logged day was in a deload week (L6 re-anchoring).
        weeks_ahead: how many weeks after the next session this one is (L11: the projection).
        restarted_at: the e1RM the lift's restart after a break implied (L7: the climb back
            starts there).
        cap_pct: L10's cap on the logged e1RM.
    """
    logs = _usable(history, was_deload)
    advice = _advise(
        exercise,
        target_reps,
        history,
        experience=experience,
        units=units,
        deload=deload,
        today=today,
        target_rir=target_rir,
        owned=owned,
        allow_raise=allow_raise,
        was_deload=was_deload,
        cap_pct=cap_pct,
        usable=logs,
    )
    if advice is None or advice.load is None or advice.load.kg is None:
        return advice
    e1rm = log_e1rm(logs[-1]) if logs else None
    if e1rm is None:
        return advice
    if weeks_ahead > 0:
        advice = _projected(
            advice,
            exercise,
            e1rm,
            weeks_ahead,
            target_reps[0] + target_rir,
            experience=experience,
            units=units,
            owned=owned,
            cap_pct=cap_pct,
            restarted_at=restarted_at,
            days_off=days_off(history, today),
        )
    if max_pct is None:
        return advice
    assert advice.load is not None and advice.load.kg is not None
    ceiling_kg = e1rm * max_pct / 100
    if advice.load.kg <= ceiling_kg + _EPS:
        return advice
    ceiling = _in_units(ceiling_kg, units)
    value = (
        owned_floor(ceiling_kg, owned)
        if owned
        else _floor(ceiling, load_increment(exercise, units))
    )
    if owned and units is Units.LB:
        value = _in_units(value, units)
    note = (
        f"Kept under {round(max_pct)} % of the {round(e1rm)} kg your log says you could lift "
        "once: light and fast before your race."
    )
    return ProgressionAdvice(advice.action, _weight(value, units), target_reps, None, note)


def _projected(
    advice: ProgressionAdvice,
    exercise: Exercise,
    e1rm: float,
    weeks_ahead: int,
    to_failure: int,
    *,
    experience: Experience,
    units: Units,
    owned: Sequence[float],
    cap_pct: float,
    days_off: int,
    restarted_at: float | None = None,
) -> ProgressionAdvice:
    """L11's last line and L7: the load `weeks_ahead` weeks after the next session, as the plan
    expects it if the sessions in between go to plan.

    The next session's load implies an estimate (load ÷ %1RM of its reps + RIR, L9); after a
    break it climbs back to 95 % of the pre-break e1RM over the re-entry weeks (L7), then every
    estimate grows `WEEKLY_GROWTH` a week. The load is that estimate × the week's %1RM, capped
    (L10) and rounded down to the equipment.
    """
    assert advice.load is not None and advice.load.kg is not None
    frac = fraction_1rm(to_failure)
    start = advice.load.kg / frac
    growth = WEEKLY_GROWTH[experience]
    if days_off > BREAK_DAYS:
        weeks = reentry_weeks(days_off)
        top = e1rm * REENTRY_TOP
        begin = min(max(start, restarted_at or 0.0), top)  # the climb starts at the restart
        if weeks_ahead < weeks:
            # aiming at the pre-break estimate by the re-entry's end, never past 95 % before it
            estimate = min(begin + (e1rm - begin) * weeks_ahead / weeks, top)
            why = f"Back after your break, climbing over {weeks} week{'s' * (weeks > 1)}"
        else:
            estimate = e1rm * REENTRY_TOP * (1 + growth * (weeks_ahead - weeks))
            why = "Planned progression"
    else:
        estimate = start * (1 + growth * weeks_ahead)
        why = "Planned progression"
    kg = estimate * min(frac, cap_pct / 100)
    if owned:
        value = _in_units(owned_floor(kg, owned), units)
    else:
        value = _floor(_in_units(kg, units), load_increment(exercise, units))
    value = max(value, 0.0)
    note = f"{why}: {_plain(value)} {units.value} if the sessions before it go to plan."
    return ProgressionAdvice(advice.action, _weight(value, units), advice.reps_target, None, note)


def _advise(
    exercise: Exercise,
    target_reps: tuple[int, int],
    history: Sequence[ExerciseLog],
    *,
    experience: Experience,
    units: Units,
    deload: bool,
    today: date | None,
    target_rir: int,
    owned: Sequence[float],
    allow_raise: bool,
    was_deload: Callable[[date], bool] | None,
    cap_pct: float = PHASE_CAP_PCT,
    usable: list[ExerciseLog] | None = None,
) -> ProgressionAdvice | None:
    """`advise` before the PH3 ceiling and the projection."""
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
    logs = usable if usable is not None else _usable(history, was_deload)
    if not logs:
        return None
    last = _outcome(logs[-1], target_reps, target_rir)
    if last is None:  # unreachable: _usable keeps only logs with weighted sets
        return None
    current = _in_units(last.load_kg, units)
    grid = load_increment(exercise, units)
    away = days_off(history, today)
    e1rm = log_e1rm(logs[-1]) or _doable_e1rm(logs[-1])
    # L9: the heaviest doable load for this target (reps + RIR on the e1RM curve), L10: under
    # the phase's cap; None when the log gives no e1RM (holds, > 12 reps to failure)
    doable_kg = None if e1rm is None else e1rm * fraction_1rm(target_reps[0] + target_rir)
    cap_kg = None if e1rm is None else e1rm * cap_pct / 100
    # the ceiling judges effort only when the runner said how hard the sets were (RIR logged);
    # without it double progression (L3) decides, and a new rep range still recomputes (L9)
    rated = all(s.rir is not None for s in _digest(logs[-1]).work)
    logged_range = logs[-1].target_reps
    # L9: a new rep range never carries the kilograms over: the doable load is a ceiling
    new_range = logged_range is not None and logged_range != target_reps
    if new_range and not rated:  # no RIR logged: assume the sets left the planned reserve
        assumed = _assumed_e1rm(logs[-1], target_rir)
        doable_kg = (
            None if assumed is None else assumed * fraction_1rm(target_reps[0] + target_rir)
        )
    ceiling_kg = doable_kg if rated or new_range else None

    def fit(value: float) -> float:
        """`value` (runner's units) brought under the L9/L10 ceiling, on the equipment's grid."""
        if owned:
            value_kg = value if units is Units.KG else value * KG_PER_LB
            if ceiling_kg is not None and cap_kg is not None:
                value_kg = min(value_kg, ceiling_kg, cap_kg)
            return _in_units(owned_floor(value_kg, owned), units)
        if ceiling_kg is None or cap_kg is None:
            return value
        # L9 rounds down to what is doable; L10's cap up to the next step (a plate's precision)
        doable = _floor(_in_units(ceiling_kg, units), grid)
        cap = math.ceil(_in_units(cap_kg, units) / grid - _EPS) * grid
        return min(value, doable, cap)

    if away > BREAK_DAYS or deload:
        factor = 1.0
        reasons: list[str] = []
        action: Action = "deload"
        if deload:
            factor, reasons = DELOAD_FACTOR, ["deload week: 10 % lighter, no new maximum"]
        if away > BREAK_DAYS:
            off = LONG_BREAK_FACTOR if away > LONG_BREAK_DAYS else BREAK_FACTOR
            if off < factor or not deload:
                factor, action = off, "restart"
            weeks = away // 7
            cut = 100 - round(off * 100)
            reasons.append(f"{weeks} weeks since you last did it: restart {cut} % lighter")
        value = _nearest(current * factor, grid)
        if value >= current and current > 0:
            value = max(0.0, current - grid)
        if owned:
            value = _owned_down(last.load_kg * factor, owned, units, below=last.load_kg)
        if action == "restart" and e1rm is not None and rated:
            ceiling_kg = doable_kg
            # L7 + L9: −10–20 % of what the log allows for THIS target, not of the logged kg
            # (a 5-rep grind is no base for 8 reps after ten weeks off)
            restart_kg = factor * e1rm * fraction_1rm(target_reps[0] + target_rir)
            # ... and still −10–20 % of the last load lifted, never above RESTART_MAX of what
            # the log allows for this target (a re-entry is lighter, not a different lift)
            band = (LONG_BREAK_FACTOR * last.load_kg, BREAK_FACTOR * last.load_kg)
            restart_kg = min(max(restart_kg, band[0]), band[1])
            most = RESTART_MAX * e1rm * fraction_1rm(target_reps[0] + target_rir)
            value = (
                _owned_down(min(restart_kg, most), owned, units, below=last.load_kg)
                if owned
                else min(
                    _nearest(_in_units(restart_kg, units), grid),
                    max(
                        _floor(_in_units(most, units), grid),
                        _floor(_in_units(band[0], units), grid),
                    ),
                )
            )
        value = fit(value)
        note = "; ".join(reasons).capitalize() + "."
        return ProgressionAdvice(action, _weight(value, units), target_reps, None, note)

    previous = _outcome(logs[-2], target_reps, target_rir) if len(logs) > 1 else None
    if last.stalled and previous is not None and previous.stalled:
        # L10: two sessions in a row at RIR 0 or short of the range: recomputed from the
        # latest e1RM so the target RIR is met, and at least 5 % lighter
        factor = SMALL_DROP if last.worst_shortfall <= 1 else BIG_DROP
        value = _nearest(current * factor, grid)
        if value >= current and current > 0:
            value = max(0.0, current - grid)
        if owned:
            value = _owned_down(last.load_kg * factor, owned, units, below=last.load_kg)
        ceiling_kg = doable_kg
        value = fit(value)
        note = (
            "Two sessions in a row at your limit or short of the range: "
            f"{_plain(value)} {units.value} so every set ends with {target_rir} in reserve."
        )
        return ProgressionAdvice("drop", _weight(value, units), target_reps, None, note)
    if last.succeeded and owned and not any(w > last.load_kg + _EPS for w in owned):
        # L5/L11: at the heaviest bell, progress by reps and tempo
        held = _weight(_in_units(owned_floor(last.load_kg, owned), units), units)
        return ProgressionAdvice(
            "hold", held, target_reps, None, _heaviest_note(logs[-1], target_reps)
        )
    if last.succeeded and owned and allow_raise:
        heavier = [w for w in owned if w > last.load_kg + _EPS]
        nxt = fit(_in_units(min(heavier), units))
        if nxt > _in_units(last.load_kg, units) + _EPS:  # L4: the next bell, if doable (L9)
            note = f"Every set hit the top of the range: up to your {_plain(nxt)} kg."
            return ProgressionAdvice("raise", _weight(nxt, units), target_reps, None, note)
    if last.succeeded and allow_raise:
        step = (
            _dumbbell_step(current, units)
            if exercise.load_kind is LoadKind.DUMBBELL
            else load_step(exercise, experience=experience, units=units)
        )
        value = _nearest(current + step, grid)
        if value <= current:
            value = _floor(current, grid) + grid
        value = fit(value)
        if value > current:
            note = (
                f"Every set hit the top of the range: up {_plain(value - current)} {units.value}."
            )
            return ProgressionAdvice("raise", _weight(value, units), target_reps, None, note)
    high = target_reps[1]
    if owned:
        current = _in_units(owned_floor(last.load_kg, owned), units)
    kept = fit(current)
    if kept < current - _EPS and e1rm is not None and new_range:
        note = (
            f"New rep range: {_plain(kept)} {units.value} from what your last sets say you "
            f"could lift once (about {_plain(shown_e1rm(e1rm, units))} {units.value}), so "
            f"{target_reps[0]}–{target_reps[1]} reps leave {target_rir} in reserve."
        )
        return ProgressionAdvice("hold", _weight(kept, units), target_reps, None, note)
    if kept < current - _EPS and e1rm is not None:
        # L10: a load above the cap or past the target RIR is cut back, and the runner told why
        note = (
            f"{_plain(current)} {units.value} was past what your log says you can do "
            f"{target_reps[0]} times with {target_rir} in reserve: {_plain(kept)} {units.value}."
        )
        return ProgressionAdvice("drop", _weight(kept, units), target_reps, None, note)
    if last.succeeded:
        note = "Same weight as last time: keep it crisp, no new maximum before your race."
    elif last.failed:
        note = "A set fell short of the range: same weight, aim for every set in range."
    elif last.too_hard:
        note = "Right reps but closer to failure than planned: same weight until it feels easier."
    else:
        note = f"Same weight; aim for more reps, up to {high} on every set."
    return ProgressionAdvice("hold", _weight(current, units), target_reps, None, note)


def _heaviest_note(log: ExerciseLog, target_reps: tuple[int, int]) -> str:
    """L5/L11 at the heaviest owned weight: more reps while the range has room for them, then
    a slower lowering. Reps past the range the session shows would contradict it (a 3 × 15 log
    under a 10–13 range read "add 2 reps per set")."""
    done = min((s.reps or 0 for s in _digest(log).work), default=0)
    if done < target_reps[1]:
        return (
            "That is your heaviest weight: same weight, one more rep per set up to "
            f"{target_reps[1]}, or lower for 3 seconds."
        )
    return (
        f"That is your heaviest weight, and your {done} reps already pass this range: same "
        "weight, lowering each rep over 3 seconds."
    )


def _owned_down(value_kg: float, owned: Sequence[float], units: Units, *, below: float) -> float:
    """L4/L7: an owned load at or under `value_kg`, strictly lighter than `below` if possible."""
    lighter = [w for w in owned if w < below - _EPS]
    chosen = owned_floor(value_kg, lighter) if lighter else min(owned)
    return _in_units(chosen, units)


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
    target_rir: int = DEFAULT_TARGET_RIR,
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
        target_rir=target_rir,
    )
    return None if advice is None else advice.load


_E1RM_CATEGORIES = frozenset(
    {Category.STRENGTH_BILATERAL, Category.UPPER_PUSH, Category.UPPER_PULL}
)
_BALLISTIC = frozenset({"power_clean"})


def shows_e1rm(exercise: Exercise) -> bool:
    """L2: an estimated 1RM means something only for a main barbell or loaded bilateral lift
    (squat, deadlift, press, bench); not for step-ups, one-arm rows, swings or cleans."""
    return (
        exercise.category in _E1RM_CATEGORIES
        and exercise.load_kind in (LoadKind.BARBELL, LoadKind.DUMBBELL)
        and not exercise.per_side
        and exercise.id not in _BALLISTIC
    )


def shown_e1rm(kg: float, units: Units) -> float:
    """An e1RM as the runner reads it: to the nearest 0.5 kg (or 1 lb); it is an estimate."""
    if units is Units.LB:
        return float(round(kg / KG_PER_LB))
    return round(kg * 2) / 2
