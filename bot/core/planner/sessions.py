"""What goes in a session: seed 002's template filled from seed 000's A/B program (§4, §5).

S1 order mobility → power → strength → accessory → core; S2 duration 30–45 min (trim
accessories, then sets; pad short deload/taper sessions with mobility and sets); S3 A/B; S4 sets,
reps and loads; S5 experience; S6 equipment; S7 core; S8 plyometric contacts; L1 loads from
history through `bot.core.planner.progression.next_load`; L6 deloads; PH3 race-week limits; X1
limitations.

Exception to S2: a race-week primer, and a marathon/ultra runner's upper-body-only session in the
last 10 days (PH3), are deliberately short (they may be under 30 minutes).
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol, cast

from bot.core.catalogue.loader import Catalogue, Exercise, LoadKind, available_equipment
from bot.core.domain.plan import Block, BlockKind, Load, Phase, Prescription, Session
from bot.core.domain.profile import WEEKDAYS, Equipment, Experience, RunnerProfile, Units
from bot.core.planner.phases import (
    LAST_HEAVY_LOWER_DAYS,
    NO_LOWER_BODY_DAYS,
    NO_PLYO_DAYS,
    WeekContext,
    is_long_distance,
)

MIN_MINUTES = 30
MAX_MINUTES = 45
"""S2: sessions last 30–45 minutes (seed 001)."""

SECONDS_PER_REP = 4
"""S2: work time per rep (doubled for per-side exercises)."""

MOBILITY_S = 300
"""S1: five minutes of hip and ankle mobility open every session."""

MOBILITY_MAX_S = 600

PLYO_CONTACTS: dict[Experience, tuple[int, int]] = {
    Experience.NOVICE: (20, 40),
    Experience.INTERMEDIATE: (40, 80),
    Experience.ADVANCED: (60, 100),
}
"""S8: foot contacts per session, both legs counted."""

ROTATION_FROM_WEEK = 5
"""S7: rotational core only from week 5 of training."""


@dataclass(frozen=True, slots=True)
class Slot:
    """A place in a template: which exercise (before substitution), its role and volume."""

    block: BlockKind
    exercise_id: str
    sets: int = 2
    reps: tuple[int, int] = (8, 12)


_MOBILITY = Slot(BlockKind.MOBILITY, "hip_ankle_mobility", 1, (1, 1))

TEMPLATES: dict[str, tuple[Slot, ...]] = {
    # S3, seed 000's session A (+ pogo hops so advanced runners reach S8's contacts).
    "A": (
        _MOBILITY,
        Slot(BlockKind.POWER, "single_leg_bounds", 2, (5, 5)),
        Slot(BlockKind.POWER, "pogo_hops", 2, (10, 10)),
        Slot(BlockKind.STRENGTH, "back_squat"),
        Slot(BlockKind.STRENGTH, "pull_up"),
        Slot(BlockKind.ACCESSORY, "step_up", 3, (8, 10)),
        Slot(BlockKind.ACCESSORY, "single_leg_calf_raise", 3, (8, 10)),
        Slot(BlockKind.CORE, "dead_bug", 2, (8, 12)),
        Slot(BlockKind.CORE, "plank", 2, (1, 1)),
    ),
    # S3, seed 000's session B (+ skipping for contacts, + push-up so B has upper body too).
    "B": (
        _MOBILITY,
        Slot(BlockKind.POWER, "depth_jump", 2, (5, 5)),
        Slot(BlockKind.POWER, "broad_jump", 2, (5, 5)),
        Slot(BlockKind.POWER, "skipping", 2, (10, 10)),
        Slot(BlockKind.STRENGTH, "deadlift"),
        Slot(BlockKind.STRENGTH, "power_clean"),
        Slot(BlockKind.ACCESSORY, "hip_thrust", 3, (8, 10)),
        Slot(BlockKind.ACCESSORY, "push_up", 2, (8, 12)),
        Slot(BlockKind.CORE, "dead_bug", 2, (8, 12)),
        Slot(BlockKind.CORE, "pallof_press", 2, (8, 12)),
    ),
}

_ROTATION_SLOT = Slot(BlockKind.CORE, "russian_twist", 2, (8, 12))
"""S7: from week 5, session B's second core exercise becomes rotational."""

_BLOCK_ORDER = tuple(BlockKind)


@dataclass(frozen=True, slots=True)
class _Scheme:
    """Main-lift targets for a phase (S4, §2)."""

    reps: tuple[int, int]
    pct: tuple[int, int]
    rir: tuple[int, int]


_SCHEMES: dict[Phase, _Scheme] = {
    Phase.BASE: _Scheme((5, 8), (70, 80), (2, 3)),  # §2 base: strength 5–8 reps
    Phase.BUILD: _Scheme((3, 5), (75, 85), (1, 3)),  # §2 build: heavy 3–5 reps
    Phase.RACE_SEASON: _Scheme((3, 5), (80, 85), (2, 3)),  # maintenance: keep intensity
    Phase.TAPER: _Scheme((3, 5), (75, 85), (2, 3)),  # intensity kept until race week
    Phase.RACE_WEEK: _Scheme((3, 5), (65, 75), (3, 4)),  # PH3: ≤ 75 % 1RM, RIR ≥ 3
    Phase.RECOVERY: _Scheme((5, 8), (60, 70), (3, 4)),
}
_TECHNIQUE = _Scheme((8, 10), (60, 70), (3, 4))  # S5: novice technique weeks
_CAPPED = _Scheme((3, 5), (65, 75), (3, 4))  # PH3: no ≥ 80 % lower body close to the race


@dataclass(frozen=True, slots=True)
class Conditions:
    """What the day and week allow, derived once per session."""

    experience: Experience
    available: frozenset[Equipment]
    limitations: frozenset[Any]
    week_no: int
    no_plyo: bool
    no_lower: bool
    heavy_cap: bool
    light: bool
    """Taper, deload or race week: cut volume (L6, Bosquet 2007)."""


def conditions_for(profile: RunnerProfile, day: date, ctx: WeekContext) -> Conditions:
    """PH3 limits from the days to the race, plus the runner's equipment and limitations."""
    no_plyo = no_lower = heavy_cap = False
    goal = profile.goal
    if goal is not None and goal.race_date > day:
        to_race = (goal.race_date - day).days
        no_plyo = to_race <= NO_PLYO_DAYS
        no_lower = is_long_distance(goal.race_distance) and to_race <= NO_LOWER_BODY_DAYS
        heavy_cap = to_race < LAST_HEAVY_LOWER_DAYS[goal.race_distance]
    return Conditions(
        experience=profile.experience,
        available=available_equipment(profile.equipment),
        limitations=frozenset(profile.limitations),
        week_no=ctx.week_no,
        no_plyo=no_plyo,
        no_lower=no_lower,
        heavy_cap=heavy_cap,
        light=ctx.deload or ctx.phase in (Phase.TAPER, Phase.RACE_WEEK),
    )


def usable(exercise: Exercise, cond: Conditions) -> bool:
    """Whether the exercise may be planned today (S5, S6, S7, X1, PH3)."""
    return (
        exercise.auto
        and exercise.usable_with(cond.available)
        and exercise.suits(cond.limitations)
        and exercise.allowed_for(cond.experience, cond.week_no)
        and not (cond.no_plyo and exercise.is_plyometric)
        and not (cond.no_lower and exercise.is_lower_body)
        and not (exercise.rotation and cond.week_no < ROTATION_FROM_WEEK)
    )


def resolve(
    catalogue: Catalogue, slot_id: str, cond: Conditions, used: set[str], *, technique: bool
) -> Exercise | None:
    """The first usable exercise in the slot's substitution chain (S5 novice variant first)."""
    start = catalogue.get(slot_id)
    if (
        cond.experience is Experience.NOVICE
        and start.novice is not None
        and (technique or start.is_plyometric or start.id == "power_clean")
    ):
        start = catalogue.get(start.novice)
    for exercise in catalogue.substitution_chain(start.id):
        if exercise.id not in used and usable(exercise, cond):
            return exercise
    if start.id != slot_id:  # the novice variant's chain may miss what the original's has
        for exercise in catalogue.substitution_chain(slot_id):
            if exercise.id not in used and usable(exercise, cond):
                return exercise
    return None


HistoryMap = Mapping[str, Sequence[Any]]
"""Logged performance per exercise id: `bot.core.domain.logs.ExerciseLog` items, oldest first.

Typed loosely so the pure planner does not import the log model; progression reads them."""


class NextLoad(Protocol):
    """The contract of `bot.core.planner.progression.next_load` (L1, L3, L4, L6)."""

    def __call__(
        self,
        exercise: Exercise,
        target_reps: tuple[int, int],
        history: Sequence[Any],
        *,
        experience: Experience,
        units: Units,
        deload: bool,
    ) -> Load | None: ...


def _progression() -> NextLoad | None:
    try:
        module = importlib.import_module("bot.core.planner.progression")
    except ModuleNotFoundError as error:
        if error.name != "bot.core.planner.progression":
            raise
        return None
    return cast(NextLoad, module.next_load)


def _history_load(
    exercise: Exercise,
    reps: tuple[int, int],
    history: HistoryMap | None,
    profile: RunnerProfile,
    *,
    deload: bool,
) -> Load | None:
    """L1: kg from the runner's log once they have one, via the progression helper."""
    if not history:
        return None
    logs = history.get(exercise.id)
    if not logs:
        return None
    next_load = _progression()
    if next_load is None:  # progression not installed: fall back to %1RM/RIR guidance
        return None
    return next_load(
        exercise, reps, logs, experience=profile.experience, units=profile.units, deload=deload
    )


def _deload_pct(pct: tuple[int, int]) -> tuple[int, int]:
    """L6: loads −10 %."""
    return (round(pct[0] * 0.9), round(pct[1] * 0.9))


def _main(
    exercise: Exercise,
    slot: Slot,
    ctx: WeekContext,
    cond: Conditions,
    profile: RunnerProfile,
    history: HistoryMap | None,
) -> Prescription:
    """S4/S5: main lifts — warm-up set, then 2–4 work sets at a phase-appropriate load."""
    if exercise.is_plyometric:
        return _power(exercise, Slot(slot.block, exercise.id, 2, (5, 5)), ctx, cond)
    technique = cond.experience is Experience.NOVICE and ctx.technique
    capped = cond.heavy_cap and exercise.is_lower_body
    scheme = _TECHNIQUE if technique else _CAPPED if capped else _SCHEMES[ctx.phase]
    if technique or cond.experience is Experience.NOVICE:
        sets = 2
    elif ctx.phase in (Phase.BASE, Phase.BUILD):
        sets = 4 if cond.experience is Experience.ADVANCED else 3
    else:
        sets = 2
    if ctx.deload:
        sets = max(1, sets // 2)
    pct, rir = scheme.pct, scheme.rir
    if ctx.deload:
        pct, rir = _deload_pct(pct), (rir[0] + 1, rir[1] + 1)
    reps = exercise.rep_range or scheme.reps
    weighted = exercise.load_kind in (LoadKind.BARBELL, LoadKind.DUMBBELL, LoadKind.KETTLEBELL)
    if not weighted:
        reps = exercise.rep_range or (8, 12)
        load = Load.body()
    elif exercise.load_kind is LoadKind.BARBELL and not technique:
        load = Load.percent(pct[0], pct[1], rir)
    else:
        load = Load.reserve(rir)
    from_log = _history_load(
        exercise,
        reps,
        history,
        profile,
        deload=ctx.deload or ctx.phase is Phase.RACE_WEEK or capped,
    )
    if from_log is not None:
        load = from_log
    return Prescription.model_construct(
        id=exercise.id,
        name=exercise.name,
        sets=sets,
        reps=reps,
        per_side=exercise.per_side,
        hold_s=None,
        load=load,
        rest_s=120 if exercise.is_upper_body else 150,
        cue=exercise.cue,
        warmup_sets=1 if weighted else 0,
    )


def _power(exercise: Exercise, slot: Slot, ctx: WeekContext, cond: Conditions) -> Prescription:
    """S8: plyometrics first, when fresh; the set count is tuned to the contact range later."""
    reps = slot.reps if exercise.contacts <= 1 or slot.reps[0] <= 5 else (5, 5)
    if exercise.id in ("pogo_hops", "skipping") and reps[1] < 10:
        reps = (10, 10)
    elif exercise.id not in ("pogo_hops", "skipping") and reps[1] > 5:
        reps = (5, 5)
    return Prescription.model_construct(
        id=exercise.id,
        name=exercise.name,
        sets=slot.sets,
        reps=reps,
        per_side=exercise.per_side,
        hold_s=None,
        load=Load.body(),
        rest_s=60,
        cue=exercise.cue,
        warmup_sets=0,
    )


def _hold_seconds(experience: Experience) -> int:
    """S4: holds 20–60 s (003: plank 30–60 s); novices start at 20."""
    return {Experience.NOVICE: 20, Experience.INTERMEDIATE: 30, Experience.ADVANCED: 40}[
        experience
    ]


def _simple(
    exercise: Exercise,
    slot: Slot,
    ctx: WeekContext,
    cond: Conditions,
    profile: RunnerProfile,
    history: HistoryMap | None,
) -> Prescription:
    """S4: accessories 2–3 × 8–12 (rest 60 s), core 2 × 8–12 or holds (rest 30 s)."""
    core = slot.block is BlockKind.CORE
    sets = slot.sets
    if not core and (cond.light or cond.experience is Experience.NOVICE):
        sets = min(sets, 2)
    hold = _hold_seconds(cond.experience) if exercise.timed else None
    reps = (1, 1) if exercise.timed else (exercise.rep_range or slot.reps)
    if exercise.load_kind in (LoadKind.BARBELL, LoadKind.DUMBBELL, LoadKind.KETTLEBELL):
        load = Load.reserve((2, 3))
    else:
        load = Load.body()
    if not exercise.timed:
        from_log = _history_load(exercise, reps, history, profile, deload=ctx.deload)
        if from_log is not None:
            load = from_log
    return Prescription.model_construct(
        id=exercise.id,
        name=exercise.name,
        sets=sets,
        reps=reps,
        per_side=exercise.per_side,
        hold_s=hold,
        load=load,
        rest_s=30 if core else 60,
        cue=exercise.cue,
        warmup_sets=0,
    )


def _mobility(exercise: Exercise) -> Prescription:
    return Prescription.model_construct(
        id=exercise.id,
        name=exercise.name,
        sets=1,
        reps=(1, 1),
        per_side=False,
        hold_s=MOBILITY_S,
        load=Load.body(),
        rest_s=0,
        cue=exercise.cue,
        warmup_sets=0,
    )


def contacts(prescriptions: Sequence[Prescription], catalogue: Catalogue) -> int:
    """S8: plyometric foot contacts, both legs counted."""
    total = 0
    for p in prescriptions:
        exercise = catalogue.get(p.id)
        if exercise.contacts:
            total += p.sets * p.reps[1] * exercise.contacts * (2 if p.per_side else 1)
    return total


def _tune_contacts(
    items: list[tuple[Slot, Prescription]], catalogue: Catalogue, cond: Conditions
) -> None:
    """S8: set plyometric sets so the session's contacts land in the experience's range.

    Deload, taper and race-week sessions cut volume: they stay at or under the range's bottom.
    """
    low, high = PLYO_CONTACTS[cond.experience]
    if cond.light:
        low, high = 0, low
    power = [i for i, (_, p) in enumerate(items) if catalogue.get(p.id).contacts]
    if not power:
        return

    def total() -> int:
        return contacts([items[i][1] for i in power], catalogue)

    def bump(index: int, delta: int) -> None:
        slot, p = items[index]
        items[index] = (slot, p.model_copy(update={"sets": p.sets + delta}))

    while total() < low:
        growable = [i for i in power if items[i][1].sets < 4]
        if not growable:
            break
        bump(min(growable, key=lambda i: items[i][1].sets), 1)
    while total() > high:
        shrinkable = [i for i in power if items[i][1].sets > 1]
        if not shrinkable:
            break
        bump(max(reversed(shrinkable), key=lambda i: items[i][1].sets), -1)
    while total() > high and len(power) > 1:
        last = power.pop()
        del items[last]


def estimate_seconds(prescriptions: Sequence[Prescription]) -> int:
    """S2: mobility minutes + Σ sets × (work + rest); work ≈ 4 s a rep (× 2 per side) or the
    hold. Warm-up sets count as sets."""
    total = 0
    for p in prescriptions:
        sides = 2 if p.per_side else 1
        if p.hold_s is not None:
            work = p.hold_s * sides
        else:
            work = SECONDS_PER_REP * math.ceil((p.reps[0] + p.reps[1]) / 2) * sides
        total += (p.sets + p.warmup_sets) * (work + p.rest_s)
    return total


def _minutes(items: Sequence[tuple[Slot, Prescription]]) -> int:
    return math.ceil(estimate_seconds([p for _, p in items]) / 60)


def _fit(
    items: list[tuple[Slot, Prescription]], catalogue: Catalogue, *, pad: bool, min_contacts: int
) -> None:
    """S2: trim accessories first (sets, then whole exercises, upper body last), then sets of
    the other blocks; pad short sessions with accessory sets, mobility time and core sets."""

    def set_sets(index: int, sets: int) -> None:
        slot, p = items[index]
        items[index] = (slot, p.model_copy(update={"sets": sets}))

    def indices(kind: BlockKind) -> list[int]:
        return [i for i, (s, _) in enumerate(items) if s.block is kind]

    for i in reversed(indices(BlockKind.ACCESSORY)):
        if _minutes(items) <= MAX_MINUTES:
            break
        if items[i][1].sets > 2:
            set_sets(i, 2)

    def droppable() -> list[int]:
        upper = [i for i, (_, p) in enumerate(items) if catalogue.get(p.id).is_upper_body]
        return [i for i in indices(BlockKind.ACCESSORY) if upper != [i]]

    while _minutes(items) > MAX_MINUTES and droppable():
        del items[max(droppable())]  # the last accessory goes first; sole upper body stays

    def power_spare(i: int) -> bool:
        """S8: a plyometric set may go only while the contacts stay in range."""
        p = items[i][1]
        per_set = p.reps[1] * catalogue.get(p.id).contacts * (2 if p.per_side else 1)
        total = contacts([q for _, q in items], catalogue)
        return p.sets > 1 and total - per_set >= min_contacts

    while _minutes(items) > MAX_MINUTES:
        candidates = [i for i in indices(BlockKind.STRENGTH) if items[i][1].sets > 2] + [
            i for i in indices(BlockKind.POWER) if power_spare(i)
        ]
        if not candidates:
            break
        biggest = max(reversed(candidates), key=lambda i: items[i][1].sets)
        set_sets(biggest, items[biggest][1].sets - 1)
    while _minutes(items) > MAX_MINUTES and indices(BlockKind.ACCESSORY):
        del items[max(indices(BlockKind.ACCESSORY))]
    if not pad:
        return
    for i in indices(BlockKind.ACCESSORY):
        while _minutes(items) < MIN_MINUTES and items[i][1].sets < 3:
            set_sets(i, items[i][1].sets + 1)
    mobility = indices(BlockKind.MOBILITY)
    while mobility and _minutes(items) < MIN_MINUTES:
        slot, p = items[mobility[0]]
        if p.hold_s is None or p.hold_s >= MOBILITY_MAX_S:
            break
        items[mobility[0]] = (slot, p.model_copy(update={"hold_s": p.hold_s + 60}))
    for i in indices(BlockKind.CORE):
        while _minutes(items) < MIN_MINUTES and items[i][1].sets < 3:
            set_sets(i, items[i][1].sets + 1)


def build_session(
    profile: RunnerProfile,
    day: date,
    name: str,
    reason: str,
    ctx: WeekContext,
    *,
    catalogue: Catalogue,
    history: HistoryMap | None = None,
) -> Session:
    """Fill template `name` ("A"/"B"; race week gets a primer) for `day`.

    Args:
        profile: equipment, limitations, experience, units and goal.
        day: the session's date (PH3 limits are counted from it).
        name: "A" or "B" (S3).
        reason: the placement's one-line reason (P8).
        ctx: the week's phase, training week and deload flag.
        catalogue: the exercise catalogue.
        history: logged performance by exercise id, for kg loads (L1).

    Returns:
        The session, its blocks in S1 order and its duration estimate (S2).
    """
    cond = conditions_for(profile, day, ctx)
    technique = cond.experience is Experience.NOVICE and ctx.technique
    template = TEMPLATES[name]
    if ctx.week_no >= ROTATION_FROM_WEEK and name == "B":
        template = (*template[:-1], _ROTATION_SLOT)
    race_week = ctx.phase is Phase.RACE_WEEK
    used: set[str] = set()
    items: list[tuple[Slot, Prescription]] = []
    for slot in template:
        if race_week and slot.block is BlockKind.ACCESSORY:
            continue  # PH3: a primer, not a workout
        exercise = resolve(catalogue, slot.exercise_id, cond, used, technique=technique)
        if exercise is None and slot.block is BlockKind.CORE:
            exercise = resolve(catalogue, "dead_bug", cond, used, technique=technique)
        if exercise is None:
            continue
        used.add(exercise.id)
        if slot.block is BlockKind.MOBILITY:
            prescription = _mobility(exercise)
        elif slot.block is BlockKind.POWER:
            prescription = _power(exercise, slot, ctx, cond)
        elif slot.block is BlockKind.STRENGTH:
            prescription = _main(exercise, slot, ctx, cond, profile, history)
        else:
            prescription = _simple(exercise, slot, ctx, cond, profile, history)
        items.append((slot, prescription))
    if race_week:
        items = _primer(items)
    _tune_contacts(items, catalogue, cond)
    low = 0 if cond.light else PLYO_CONTACTS[cond.experience][0]
    _fit(items, catalogue, pad=not race_week, min_contacts=low)
    blocks = []
    for kind in _BLOCK_ORDER:
        exercises = tuple(p for s, p in items if s.block is kind)
        if exercises:
            blocks.append(Block.model_construct(kind=kind, exercises=exercises))
    run = profile.week[WEEKDAYS[day.weekday()]]
    return Session.model_construct(
        date=day,
        weekday=WEEKDAYS[day.weekday()],
        after_run=run if run.is_run else None,
        name="Primer" if race_week else name,
        reason=reason,
        duration_min=_minutes(items),
        blocks=tuple(blocks),
    )


def _primer(items: list[tuple[Slot, Prescription]]) -> list[tuple[Slot, Prescription]]:
    """PH3: race week keeps one power drill, ≤ 2 work sets per lift, one core exercise."""
    out: list[tuple[Slot, Prescription]] = []
    power_kept = core_kept = False
    for slot, p in items:
        if slot.block is BlockKind.POWER:
            if power_kept:
                continue
            power_kept = True
            p = p.model_copy(update={"sets": 2})
        elif slot.block is BlockKind.CORE:
            if core_kept:
                continue
            core_kept = True
        elif slot.block is BlockKind.STRENGTH:
            p = p.model_copy(update={"sets": min(p.sets, 2)})
        out.append((slot, p))
    return out


__all__ = [
    "TEMPLATES",
    "Conditions",
    "Slot",
    "build_session",
    "conditions_for",
    "contacts",
    "estimate_seconds",
    "resolve",
    "usable",
]
