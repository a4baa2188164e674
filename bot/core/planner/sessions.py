"""What goes in a session: seed 002's template filled from seed 000's A/B program (§4, §5).

The session's volume and intensity come from ONE row of the dose model
(`bot.core.planner.dose.dose_for`); this module only chooses exercises (S5 experience, S6
equipment, X1 limitations, plyometric levels) and writes each prescription from the dose.
S1 order mobility → power (lowest level first) → strength → accessory → core; S2 duration
30–45 min (trim accessories first, then sets; pad only normal weeks, and only up to the dose's
own maxima); S3 A/B, and a once-a-week session that covers a knee-dominant lift and a hinge;
S8 plyometric contacts; L1 loads from history through `bot.core.planner.progression`.

Exception to S2: deload, taper and race-week sessions and the marathon's upper-body session in
the last 10 days are deliberately short (they may be under 30 minutes): nothing re-adds the
volume the dose took away (L6, Bosquet et al. 2007, PH3).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache, lru_cache
from typing import Any, Protocol

from bot.core.catalogue.loader import (
    Catalogue,
    Category,
    Exercise,
    LoadKind,
    PlyoLevel,
    available_equipment,
)
from bot.core.domain.plan import Block, BlockKind, Load, Phase, Prescription, Session
from bot.core.domain.profile import WEEKDAYS, Equipment, Experience, Limitation, RunnerProfile
from bot.core.planner import progression
from bot.core.planner.dose import (
    MAIN_SETS,
    RACE_WEEK_MAX_PCT,
    Dose,
    DoseState,
    capped,
    deload_of_new_lift,
    dose_for,
    light_day,
    lighter,
    masters_technique_deload,
    pct_1rm,
    pct_range,
    rest_for_load,
    step_of,
)
from bot.core.planner.phases import (
    LAST_HEAVY_LOWER_DAYS,
    NO_LOWER_BODY_DAYS,
    WeekContext,
    is_long_distance,
)
from bot.core.planner.season import NO_PLYO_DAYS, DayGuard

MIN_MINUTES = 30
MAX_MINUTES = 45
"""S2: sessions last 30–45 minutes (seed 001)."""

SECONDS_PER_REP = 4
"""S2: work time per rep (doubled for per-side exercises)."""

SETUP_S = 60
"""S2: loading a bar or picking weights, per loaded exercise (estimates ran short)."""

CHANGE_S = 30
"""S2: moving to the next exercise, per unloaded exercise."""

WARMUP_REST_S = 60

MOBILITY_S = 300
"""S1: five minutes of hip and ankle mobility open every session."""

MOBILITY_MAX_S = 600

PLYO_CONTACTS: dict[Experience, tuple[int, int]] = {
    Experience.NOVICE: (20, 40),
    Experience.INTERMEDIATE: (40, 80),
    Experience.ADVANCED: (60, 100),
}
"""S8: foot contacts per session, both legs counted (the dose's `CONTACTS` stay inside)."""

ROTATION_FROM_WEEK = 5
"""S7: rotational core only from week 5 of training."""

PLYO_WEEKS_BEFORE_HIGH = 8
"""S5: depth jumps (high level) only after 8 weeks of plyometrics in runlift."""

TECHNIQUE_WEEKS = 2
"""S5/X4: the first two weeks of a lift are technique weeks (lighter end of the range)."""

_BODY = Load.body()
"""Bodyweight load, shared: `Load` is frozen."""


@cache
def _percent(pct: tuple[int, int], rir: tuple[int, int]) -> Load:
    """A %1RM load with its reserve, shared (frozen) across sessions."""
    return Load.percent(pct[0], pct[1], rir)


@cache
def _reserve(rir: tuple[int, int]) -> Load:
    return Load.reserve(rir)


@dataclass(slots=True)
class _Draft:
    """A prescription while the session is being fitted: plain and mutable, built into a
    frozen `Prescription` once at the end (fast: bench/planner.py ≥ 1,000 runner-weeks/s)."""

    id: str
    name: str
    sets: int
    reps: tuple[int, int]
    per_side: bool
    hold_s: int | None
    load: Load
    rest_s: int
    cue: str | None
    warmup_sets: int
    show_cue: bool
    note: str | None
    tempo: str | None = None

    def build(self) -> Prescription:
        return _prescription(
            self.id,
            self.name,
            self.sets,
            self.reps,
            self.per_side,
            self.hold_s,
            self.load,
            self.rest_s,
            self.cue,
            self.warmup_sets,
            self.show_cue,
            self.note,
            self.tempo,
        )


@lru_cache(maxsize=8192)
def _prescription(
    id: str,
    name: str,
    sets: int,
    reps: tuple[int, int],
    per_side: bool,
    hold_s: int | None,
    load: Load,
    rest_s: int,
    cue: str | None,
    warmup_sets: int,
    show_cue: bool,
    note: str | None,
    tempo: str | None,
) -> Prescription:
    """One frozen prescription per distinct value, shared by every session that has it (most
    runners' sessions repeat the same ones: building each anew was a sixth of planning)."""
    return Prescription.model_construct(
        id=id,
        name=name,
        sets=sets,
        reps=reps,
        per_side=per_side,
        hold_s=hold_s,
        load=load,
        rest_s=rest_s,
        cue=cue,
        warmup_sets=warmup_sets,
        show_cue=show_cue,
        note=note,
        tempo=tempo,
    )


class _Named(Protocol):
    @property
    def id(self) -> str: ...


PLYO_ORDER = {PlyoLevel.LOW: 0, PlyoLevel.MODERATE: 1, PlyoLevel.HIGH: 2}
"""S1: plyometrics lowest level first (the session and the deload's jumps taken back)."""
_WEIGHTED = (LoadKind.BARBELL, LoadKind.DUMBBELL, LoadKind.KETTLEBELL)


@dataclass(frozen=True, slots=True)
class Slot:
    """A place in a template: which exercise (before substitution) and its role."""

    block: BlockKind
    exercise_id: str
    sets: int = 2
    reps: tuple[int, int] = (8, 12)


_MOBILITY = Slot(BlockKind.MOBILITY, "hip_ankle_mobility", 1, (1, 1))


def _slots(block: BlockKind, *ids: str) -> tuple[Slot, ...]:
    return tuple(Slot(block, ident) for ident in ids)


_P, _S, _A, _C = BlockKind.POWER, BlockKind.STRENGTH, BlockKind.ACCESSORY, BlockKind.CORE

TEMPLATES: dict[str, tuple[Slot, ...]] = {
    # S3, seed 000's session A (+ pogo hops so advanced runners reach S8's contacts).
    "A": (
        _MOBILITY,
        *_slots(_P, "pogo_hops", "single_leg_bounds"),
        *_slots(_S, "back_squat", "pull_up"),
        *_slots(_A, "step_up", "single_leg_calf_raise"),
        *_slots(_C, "dead_bug", "plank"),
    ),
    # S3, seed 000's session B (+ skipping for contacts, + push-up so B has upper body too).
    "B": (
        _MOBILITY,
        *_slots(_P, "skipping", "broad_jump", "depth_jump"),
        *_slots(_S, "deadlift", "power_clean"),
        *_slots(_A, "single_leg_calf_raise", "hip_thrust", "push_up"),
        *_slots(_C, "dead_bug", "pallof_press"),
    ),
    # PH2/S3: one session a week covers a knee-dominant lift AND a hinge every week; the upper
    # body alternates pull (A) and push (B).
    "A1": (
        _MOBILITY,
        *_slots(_P, "pogo_hops", "single_leg_bounds"),
        *_slots(_S, "back_squat", "deadlift"),
        *_slots(_A, "pull_up", "single_leg_calf_raise"),
        *_slots(_C, "dead_bug", "plank"),
    ),
    "B1": (
        _MOBILITY,
        *_slots(_P, "skipping", "broad_jump", "depth_jump"),
        *_slots(_S, "deadlift", "back_squat"),
        *_slots(_A, "push_up", "single_leg_calf_raise"),
        *_slots(_C, "dead_bug", "pallof_press"),
    ),
    # PH3: the race week's primer: a quick low-level drill, a squat and a pull, far from
    # failure (no cleans or hinges to learn or to feel on race day).
    "Primer": (
        _MOBILITY,
        *_slots(_P, "pogo_hops"),
        *_slots(_S, "back_squat", "pull_up"),
        *_slots(_A, "single_leg_calf_raise"),
        *_slots(_C, "dead_bug"),
    ),
    # PH3: marathon/ultra, last 10 days: a real short session of upper body, core, mobility.
    "Upper": (
        _MOBILITY,
        *_slots(_S, "pull_up", "bench_press"),
        *_slots(_A, "dumbbell_row"),
        *_slots(_C, "dead_bug", "side_plank", "pallof_press"),
    ),
    # S12: a requested third session: upper body, core and calf/foot, 20–30 minutes, no jumps
    # and no heavy legs (the lower-body count stays capped, PH1, P3–P5, P9).
    "Third": (
        _MOBILITY,
        *_slots(_S, "pull_up", "push_up"),
        *_slots(_A, "single_leg_calf_raise"),
        *_slots(_C, "dead_bug", "side_plank"),
    ),
}

_ROTATION_SLOT = Slot(BlockKind.CORE, "russian_twist")
"""S7: from week 5, session B's second core exercise becomes rotational."""

_BLOCK_ORDER = tuple(BlockKind)


@lru_cache(maxsize=64)
def _kit(equipment: tuple[Equipment, ...]) -> frozenset[Equipment]:
    """`available_equipment` of a profile's kit, worked out once per kit (asked per exercise)."""
    return available_equipment(equipment)


@dataclass(frozen=True, slots=True)
class Conditions:
    """What the day and week allow, derived once per session."""

    experience: Experience
    available: frozenset[Equipment]
    limitations: frozenset[Any]
    week_no: int
    phase: Phase
    no_plyo: bool
    no_lower: bool
    heavy_cap: bool
    light: bool
    """Taper, deload or race week: cut volume (L6, Bosquet 2007)."""
    calf_step: int | None = None
    """X5: where a `calf` limitation stands on its graded return (None: no calf limitation)."""
    plyo_cap: PlyoLevel | None = None
    """L7/X5: the highest plyometric level allowed (None: the usual rules decide)."""
    no_new: bool = False
    """S10: no exercise may appear for the first time (deload, the A race's last 6 weeks)."""
    masters: bool = False
    """X6: 50 or over."""
    block_no: int = 0
    """S10: the 8-week block (0, 1, …): odd blocks rotate one variation per pattern."""
    verdicts: dict[str, bool] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )
    """`usable`'s answers under these conditions, by exercise id: a session asks about the
    same substitution chains slot after slot (`replace` starts a new one)."""


NEW_EXERCISE_DAYS = 42
"""S10: no exercise introduced in the last 6 weeks before the A race."""

CALF_IDS = frozenset(
    {
        "single_leg_calf_raise",
        "calf_raise",
        "seated_soleus_raise",
        "isometric_calf_hold",
        "tibialis_raise",
    }
)
"""S9/X5: calf and foot work."""

CALF_EARLY: dict[int, frozenset[str]] = {
    0: frozenset({"isometric_calf_hold", "tibialis_raise"}),
    1: frozenset({"isometric_calf_hold", "tibialis_raise", "calf_raise"}),
}
"""X5: the graded return's first steps: isometric holds (weeks 1–2), then the slow two-legged
calf raise (weeks 3–4); single-leg and seated soleus raises from week 5, pogo hops from week 7,
bounds from week 9 (one step per 2 weeks: the CLI has no pain reports, so it walks by itself)."""

CALF_STEP_WEEKS = 2
CALF_SOLEUS_STEP = 2
"""X5: the step of single-leg (session A) and seated soleus raises (session B)."""
UPPER_POWER = ("medicine_ball_throw", "plyo_push_up", "medicine_ball_slam")
"""X1/X5: the power block's substitutes while a limitation (a calf on its way back, an
achilles, a knee…) keeps the legs off plyometrics."""
CALF_LOW_PLYO_STEP = 3
CALF_FREE_STEP = 4

PLYO_RESET_DAYS = 28
"""L7: after a break of more than 4 weeks plyometrics restart from the lowest level (2 weeks)."""

SINGLE_LEG_SLOTS = frozenset({"step_up", "single_leg_rdl", "split_squat"})
BALANCE_ID = "single_leg_balance"
"""X6: the masters' balance item where the legs rest (race week, taper, the last 10 days)."""
"""X6: template slots that give a session its single-leg balance item."""

NOVICE_HEAVY_WEEK = 6
"""L7: a novice reaches ≥ 80 % 1RM only after 6 weeks of lifting."""

MASTERS_TECHNIQUE_WEEKS = 4
"""X6: masters reach heavy work after a 4-week technique block."""


def calf_step(profile: RunnerProfile, week_no: int) -> int | None:
    """X5: the graded-return step of a `calf` limitation in training week `week_no`."""
    if Limitation.CALF not in profile.limitations:
        return None
    return min(CALF_FREE_STEP, max(0, week_no - 1) // CALF_STEP_WEEKS)


def conditions_for(
    profile: RunnerProfile,
    day: date,
    ctx: WeekContext,
    *,
    days_off: int = 0,
    guard: DayGuard | None = None,
    today: date | None = None,
) -> Conditions:
    """PH3 limits from the days to the race, plus the runner's equipment and limitations;
    X5's graded return, L7's plyometric reset, S10's no-new-exercise windows, X6.

    PH5/P9: a B or C race near, or a long run two days away (`guard`,
    `bot.core.planner.season.day_guard`), adds no-jump and no-heavy-legs limits to the day's
    own. S10: the plan's first two weeks from `today` introduce it all."""
    no_plyo = no_lower = heavy_cap = False
    goal = profile.goal
    near_goal = False
    if goal is not None and goal.race_date > day:
        to_race = (goal.race_date - day).days
        no_plyo = to_race <= NO_PLYO_DAYS
        no_lower = is_long_distance(goal.race_distance) and to_race <= NO_LOWER_BODY_DAYS
        heavy_cap = to_race < LAST_HEAVY_LOWER_DAYS[goal.race_distance]
        near_goal = to_race <= NEW_EXERCISE_DAYS
    step = calf_step(profile, ctx.week_no)
    plyo_cap: PlyoLevel | None = None
    if step is not None and step == CALF_LOW_PLYO_STEP:
        plyo_cap = PlyoLevel.LOW
    if days_off > PLYO_RESET_DAYS and ctx.week_no <= TECHNIQUE_WEEKS:
        plyo_cap = PlyoLevel.LOW
    if guard is not None:
        no_plyo = no_plyo or guard.no_plyo
        heavy_cap = heavy_cap or guard.heavy_cap
    light_phase = ctx.phase in (Phase.RACE_SEASON, Phase.TAPER, Phase.RACE_WEEK)
    no_new = ctx.week_no > TECHNIQUE_WEEKS and (ctx.deload or near_goal or light_phase)
    if today is not None and (day - today).days < 2 * 7:
        no_new = False
    return Conditions(
        experience=profile.experience,
        available=_kit(profile.equipment),
        limitations=frozenset(profile.limitations),
        week_no=ctx.week_no,
        phase=ctx.phase,
        no_plyo=no_plyo,
        no_lower=no_lower,
        heavy_cap=heavy_cap,
        light=ctx.deload or ctx.phase in (Phase.TAPER, Phase.RACE_WEEK),
        calf_step=step,
        plyo_cap=plyo_cap,
        no_new=no_new,
        masters=profile.masters,
        block_no=max(0, ctx.week_no - 1) // 8,
    )


def usable(exercise: Exercise, cond: Conditions) -> bool:
    """Whether the exercise may be planned today (S5, S6, S7, X1, PH3).

    S5: high-level plyometrics (depth jumps) only after 8 weeks of plyometrics and never first
    met in race season, taper or race week.
    """
    verdict = cond.verdicts.get(exercise.id)
    if verdict is None:
        verdict = cond.verdicts[exercise.id] = _usable(exercise, cond)
    return verdict


def _usable(exercise: Exercise, cond: Conditions) -> bool:
    if exercise.level is PlyoLevel.HIGH and (
        cond.week_no <= PLYO_WEEKS_BEFORE_HIGH or cond.phase not in (Phase.BASE, Phase.BUILD)
    ):
        return False
    return (
        exercise.auto
        and exercise.usable_with(cond.available)
        and exercise.suits(cond.limitations)
        and exercise.allowed_for(cond.experience, cond.week_no)
        and not (cond.no_plyo and exercise.is_plyometric and exercise.is_lower_body)
        and not (
            cond.no_lower and exercise.is_lower_body and exercise.category is not Category.MOBILITY
        )
        and not (exercise.rotation and cond.week_no < ROTATION_FROM_WEEK)
        and not (exercise.rotation and cond.masters and cond.experience is Experience.NOVICE)
        and _plyo_allowed(exercise, cond)
        and _calf_allowed(exercise, cond)
    )


def _plyo_allowed(exercise: Exercise, cond: Conditions) -> bool:
    """L7/X5: plyometrics from the lowest level after a long break or a calf problem; after
    a calf problem, depth jumps only 8 weeks after the plyometrics came back (S5)."""
    if not (exercise.is_plyometric and exercise.is_lower_body):
        return True
    if cond.calf_step is not None and cond.calf_step < CALF_LOW_PLYO_STEP:
        return False
    if (
        cond.calf_step is not None
        and exercise.level is PlyoLevel.HIGH
        and cond.week_no <= CALF_LOW_PLYO_STEP * CALF_STEP_WEEKS + PLYO_WEEKS_BEFORE_HIGH
    ):
        return False
    return cond.plyo_cap is None or exercise.level in (None, PlyoLevel.LOW)


def _calf_allowed(exercise: Exercise, cond: Conditions) -> bool:
    """X5: the calf work a `calf` limitation allows at its step of the graded return."""
    step = cond.calf_step
    if step is None or exercise.id not in CALF_IDS or step not in CALF_EARLY:
        return True
    return exercise.id in CALF_EARLY[step]


def resolve(
    catalogue: Catalogue,
    slot_id: str,
    cond: Conditions,
    used: set[str],
    *,
    technique: bool,
    seen: Mapping[str, int] | None = None,
    required: bool = True,
) -> Exercise | None:
    """The first usable exercise in the slot's substitution chain (S5 novice variant first).

    S10: where no exercise may be new (`cond.no_new`), one the runner has already done comes
    first; a slot that is not `required` (accessories, core, power) is left out rather than
    filled with a new one.
    """
    found = _resolve(catalogue, slot_id, cond, used, technique=technique)
    if found is None or seen is None or not cond.no_new or seen.get(found.id, 0) > 0:
        return found
    for exercise in catalogue.substitution_chain(slot_id):
        if (
            exercise.id not in used
            and seen.get(exercise.id, 0) > 0
            and usable(exercise, cond)
            and (found.heavy or not exercise.heavy)  # an accessory never becomes a main lift
        ):
            return exercise
    calf = found.id in CALF_IDS
    # one the runner knows from the same family (S10): a calf slot's from the calf work, any
    # other slot's from its own category, so a hinge stays a hinge (PH2) and a deload's
    # accessory never becomes a main lift
    for exercise in catalogue:
        if (
            (exercise.id in CALF_IDS if calf else exercise.category is found.category)
            and exercise.body is found.body
            and exercise.category is not Category.MOBILITY
            and exercise.id not in used
            and seen.get(exercise.id, 0) > 0
            and usable(exercise, cond)
            and (found.heavy or not exercise.heavy)
        ):
            return exercise
    return found if required else None


def _resolve(
    catalogue: Catalogue, slot_id: str, cond: Conditions, used: set[str], *, technique: bool
) -> Exercise | None:
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
"""Logged performance per exercise id: `bot.core.domain.logs.ExerciseLog` items, oldest first."""


@dataclass(frozen=True, slots=True)
class Logs:
    """What the session needs from the runner's log: history, today, deload weeks (L3–L7)."""

    history: HistoryMap
    today: date
    was_deload: Callable[[date], bool] | None = None
    day: date | None = None
    """The session's date: sessions in later weeks are projected (L11)."""
    met: Mapping[str, tuple[date, float | None]] | None = None
    """The date each exercise first comes in the plan, and the e1RM its load implied: after a
    break a lift restarts lighter the first time it is met (L7), then climbs from there."""


def owned_loads(profile: RunnerProfile, exercise: Exercise) -> tuple[float, ...]:
    """L4/S6: the bells or dumbbells the runner owns for this exercise (empty: no limit).

    A gym has every size; otherwise a kettlebell lift uses the owned kettlebells (or dumbbells
    when that is all there is), a dumbbell lift the owned dumbbells (or kettlebells).
    """
    if exercise.load_kind not in (LoadKind.DUMBBELL, LoadKind.KETTLEBELL):
        return ()
    if Equipment.GYM in profile.equipment:
        return ()
    kettlebells = tuple(sorted(profile.kettlebells_kg or ()))
    dumbbells = tuple(sorted(profile.dumbbells_kg or ()))
    if exercise.load_kind is LoadKind.KETTLEBELL:
        return kettlebells or dumbbells
    return dumbbells or kettlebells


def _history_load(
    exercise: Exercise,
    reps: tuple[int, int],
    profile: RunnerProfile,
    logs: Logs | None,
    *,
    dose: Dose,
    rir: tuple[int, int],
    max_pct: float | None,
) -> tuple[Load | None, str | None]:
    """L1: kg from the runner's log once they have one (L3–L7, L9–L11 via
    `progression.advise`); sessions in later weeks show the progression the plan expects."""
    if logs is None:
        return None, None
    history = logs.history.get(exercise.id)
    if not history:
        return None, None
    day = logs.day or logs.today
    origin, restarted_at = logs.today, None
    if logs.met is not None and progression.after_break(history, logs.today):
        origin, restarted_at = logs.met.get(exercise.id, (day, None))  # L7: its restart first
        origin = min(origin, day)
    weeks_ahead = max(0, (day - origin).days + origin.weekday() - day.weekday()) // 7
    advice = progression.advise(
        exercise,
        reps,
        history,
        experience=profile.experience,
        units=profile.units,
        deload=dose.state is DoseState.DELOAD,
        today=logs.today,
        target_rir=rir[0],
        owned=owned_loads(profile, exercise),
        allow_raise=dose.state not in (DoseState.TAPER, DoseState.RACE_WEEK),
        max_pct=max_pct,
        was_deload=logs.was_deload,
        weeks_ahead=weeks_ahead,
        restarted_at=restarted_at,
    )
    if advice is None:
        return None, None
    return advice.load, advice.note


def _equivalent_pct(reps: tuple[int, int], rir: tuple[int, int]) -> float:
    return pct_1rm(reps[0], rir[0])


_NEW_LIFT_LIGHTER = frozenset(
    {DoseState.NORMAL, DoseState.LAYOFF, DoseState.TAPER, DoseState.RACE_WEEK}
)
"""X4 in every week that loads the lift: a taper's "weights kept heavy" is for lifts the runner
already knows, never for one met for the first time two weeks before a race."""


HEAVY_PCT = 80
"""S11: a work set at or above 80 % 1RM gets a warm-up ramp of 2–3 climbing sets."""

LIGHT_OWNED_KG = 16
"""L11: below this heaviest owned weight, lower-body lifts use higher reps (10–15) and a
tempo, so the heaviest dumbbell lands near the target reserve."""

MID_OWNED_KG = 32
"""L11: up to this heaviest owned weight, lower-body lifts use 8–12 reps, never 3–5."""

TEMPO_DOWN = "3 s down"
"""L5/L11: the progression step written into the prescription."""


POWER_MAX_PCT = 78
"""S11: power cleans stay light enough to move fast (and under the 80 % that needs a ramp)."""


def _power_lift(
    exercise: Exercise, dose: Dose, profile: RunnerProfile, logs: Logs | None, pct: tuple[int, int]
) -> _Draft:
    """S11: power as power: 3–6 reps (swing 6–10), full rest, no RIR; sets as the lifts'
    (3 in base and build)."""
    reps = exercise.rep_range or (3, 5)
    novice = profile.experience is Experience.NOVICE
    normal = dose.state is DoseState.NORMAL and not novice
    sets = 3 if normal else min(3, dose.main_sets)
    warmups = 0
    if exercise.load_kind is LoadKind.BARBELL:
        cap = POWER_MAX_PCT if dose.state is not DoseState.DELOAD else POWER_MAX_PCT * 0.9
        high = min(pct[1], math.floor(cap))  # S11: fast reps, not a grind (L6: −10 %)
        load = Load.percent(min(pct[0], high - 5), high)
        pct = (min(pct[0], high - 5), high)
        warmups = 2 if pct[1] >= HEAVY_PCT else 1
    else:
        owned = owned_loads(profile, exercise)
        history = logs.history.get(exercise.id) if logs is not None else None
        logged = [
            s.load_kg
            for s in (history[-1].sets if history else ())
            if s.load_kg is not None and not s.bodyweight
        ]
        warmups = 2  # S11: two climbing sets of swings before the working bell
        if logged:
            heaviest = max(logged)
            load = Load.weight(progression.owned_floor(heaviest, owned) if owned else heaviest)
        elif owned:
            load = Load.weight(owned[-1])
        else:
            load, warmups = Load.model_construct(), 1
    return _Draft(
        id=exercise.id,
        name=exercise.name_for(_kit(profile.equipment)),
        sets=sets,
        reps=reps,
        per_side=exercise.per_side,
        hold_s=None,
        load=load,
        rest_s=120 if exercise.load_kind is LoadKind.BARBELL else 90,  # S11: full recovery
        cue=exercise.cue,
        warmup_sets=warmups,
        show_cue=False,
        note="Power: every rep fast; stop when the speed drops; full rest between sets.",
    )


def _owned_reps(
    exercise: Exercise, owned: Sequence[float], history: Sequence[Any] | None
) -> tuple[int, int] | None:
    """L11: the rep range at which the heaviest owned weight lands near the target reserve.

    From the log: reps to failure with that weight (reps + RIR) minus the reserve; without one,
    10–15 for light lower-body weights (an 8 kg goblet squat is no 3–5-rep lift), else None.
    """
    if not owned:
        return None
    top = owned[-1]
    if history:
        sets = [
            s
            for s in history[-1].sets
            if s.reps is not None and s.load_kg is not None and s.load_kg >= top - 1e-6
        ]
        if sets:
            to_failure = max(s.reps + (s.rir or 0) for s in sets)
            high = max(6, min(20, to_failure - 2))
            return (max(5, high - 3), high)
    if exercise.is_lower_body and top < LIGHT_OWNED_KG:
        return (10, 15)
    if exercise.is_lower_body and top < MID_OWNED_KG:
        return (8, 12)
    return None


def _main(
    exercise: Exercise,
    dose: Dose,
    cond: Conditions,
    profile: RunnerProfile,
    logs: Logs | None,
    *,
    new_lift: bool,
    tempo: str | None = None,
    light: bool = False,
    second: bool = False,
) -> _Draft:
    """S4/S5: main lifts — a warm-up (a ramp of 2 before ≥ 80 %, S11), then the dose's work
    sets at a coherent load; power lifts as power (S11); owned weights set the reps (L11)."""
    if exercise.is_plyometric:
        return _power(exercise, 2, dose)
    if new_lift and dose.state in _NEW_LIFT_LIGHTER:
        dose = lighter(dose)  # X4: the first two weeks of a new lift use the lighter end
    elif new_lift and dose.state is DoseState.DELOAD:
        dose = deload_of_new_lift(dose)  # L6 on top of X4: 10 % under the new lift's cap
    reps, rir, pct = dose.main_reps, dose.main_rir, dose.pct
    # PH3/§2: near the race the %1RM is a ceiling on logged kilograms too
    ceiling = dose.state in (DoseState.TAPER, DoseState.RACE_WEEK, DoseState.UPPER_ONLY)
    lighter_lift = (
        (second or (light and exercise.load_kind is LoadKind.BARBELL))
        and dose.state is DoseState.NORMAL
        and pct[1] >= HEAVY_PCT - 2
    )
    if lighter_lift and exercise.is_lower_body and not cond.heavy_cap:
        reps, rir, pct = light_day(dose)  # X6/S2: the lighter lower-body lift, under 80 %
    if (
        cond.heavy_cap
        and exercise.is_lower_body
        and dose.state is not DoseState.RACE_WEEK
        and dose.pct[1] > RACE_WEEK_MAX_PCT  # a light dose (technique, X4) is under it already
    ):
        # PH3: no ≥ 80 % lower body inside the cut-off; X6: a masters runner's second
        # session of the week is the lighter one (≥ 72 h between heavy lower-body sessions)
        reps, rir, pct = capped(dose)
        ceiling = True
    if exercise.power:
        return _power_lift(exercise, dose, profile, logs, pct)
    if exercise.rep_range is not None and exercise.load_kind in _WEIGHTED:
        reps = exercise.rep_range
        pct = pct_range(reps, rir, pct[1])
    weighted = exercise.load_kind in _WEIGHTED and not exercise.timed
    note: str | None = None
    warmups = 1 if weighted else 0
    history = logs.history.get(exercise.id) if logs is not None else None
    if not weighted:
        reps = exercise.rep_range or (8, 12)
        load = _BODY
        rest = 120  # S4: main lifts rest 2–3 min, bodyweight ones too
    else:
        owned = owned_loads(profile, exercise)
        fitted = _owned_reps(exercise, owned, history)
        if fitted is not None and not history and dose.state is DoseState.TECHNIQUE:
            fitted = None  # S5: technique weeks keep 8–10 reps
        if fitted is not None:  # L11: the reps the runner's own weights call for
            reps = fitted
            tempo = tempo or (TEMPO_DOWN if fitted[1] >= 12 else None)
        if exercise.load_kind is LoadKind.BARBELL:
            load = _percent(pct, rir)
            heavy_end: float = pct[1]
        else:
            load = _reserve(rir)
            heavy_end = _equivalent_pct(reps, rir)
        rest = rest_for_load(heavy_end, upper=exercise.is_upper_body)
        from_log, note = _history_load(
            exercise,
            reps,
            profile,
            logs,
            dose=dose,
            rir=rir,
            max_pct=heavy_end if ceiling else None,  # PH3: kg under the %1RM ceiling
        )
        if from_log is not None:  # L1: kilograms, with the dose's reserve beside them (L3)
            load = Load.model_construct(kg=from_log.kg, lb=from_log.lb, rir=rir)
            e1rm = progression.log_e1rm(history[-1]) if history else None
            # S11: a ramp before kilograms at ≥ 80 % of the log's e1RM (or of no estimate)
            heavy_end = 100.0 if not e1rm else 100 * (from_log.kg or 0.0) / e1rm
        elif fitted is not None and owned:
            load = Load.model_construct(kg=owned[-1], rir=rir)
        if heavy_end >= HEAVY_PCT - 2:
            warmups = 2  # S11: a ramp, not one set, before ≥ 80 % 1RM
    return _Draft(
        id=exercise.id,
        name=exercise.name_for(_kit(profile.equipment)),
        sets=dose.main_sets,
        reps=reps,
        per_side=exercise.per_side,
        hold_s=None,
        load=load,
        rest_s=rest,
        cue=exercise.cue,
        warmup_sets=warmups,
        show_cue=False,
        note=note,
        tempo=tempo,
    )


def _power_reps(exercise: Exercise) -> tuple[int, int]:
    """S8: pogo hops and skipping 10 a set, jumps and bounds 5 (per side for bounds)."""
    return (10, 10) if exercise.id in ("pogo_hops", "skipping") else (5, 5)


def _power(exercise: Exercise, sets: int, dose: Dose) -> _Draft:
    """S8: plyometrics first, when fresh; the set count is tuned to the dose's contacts.

    Rest grows with the level: 45 s for pogo hops and skips, 60 s for bounds, 90 s for depth
    jumps (full recovery keeps every contact quick)."""
    rest = {PlyoLevel.HIGH: 90, PlyoLevel.MODERATE: 60}.get(exercise.level or PlyoLevel.LOW, 45)
    if exercise.power and not exercise.contacts:  # S11: upper-body power, 3 × 5, full rest
        sets = 3 if dose.state is DoseState.NORMAL else max(1, dose.main_sets)
        rest = 90
    return _Draft(
        id=exercise.id,
        name=exercise.name,
        sets=sets,
        reps=_power_reps(exercise),
        per_side=exercise.per_side,
        hold_s=None,
        load=_BODY,
        rest_s=rest,
        cue=exercise.cue,
        warmup_sets=0,
        show_cue=False,
        note=None,
    )


def _logged_hold(history: Sequence[Any] | None) -> int | None:
    """L11: the next hold from the last logged one: +5 s when every hold reached its target,
    up to 60 s; never shorter than what was logged."""
    if not history:
        return None
    holds: list[int] = [s.hold_s for s in history[-1].sets if s.hold_s is not None]
    if not holds:
        return None
    target: int = history[-1].target_hold_s or max(holds)
    grown = min(holds) + 5 if all(h >= target for h in holds) else max(holds)
    return min(max(grown, max(holds)), max(60, max(holds)))


def _simple(
    exercise: Exercise,
    block: BlockKind,
    dose: Dose,
    profile: RunnerProfile,
    logs: Logs | None,
    *,
    tempo: str | None = None,
) -> _Draft:
    """S4: accessories 2–3 × 8–12 (rest 60–90 s), core 2 × 8–12 or holds (rest 30 s); holds
    and reps start from the log (L11)."""
    core = block is BlockKind.CORE
    sets = dose.core_sets if core else max(1, dose.accessory_sets)
    history = logs.history.get(exercise.id) if logs is not None else None
    hold = dose.hold_s if exercise.timed else None
    if hold is not None:
        logged = _logged_hold(history)
        if logged is not None:  # never longer in a deload (L6), never shorter otherwise
            hold = min(hold, logged) if dose.state is DoseState.DELOAD else max(hold, logged)
        if exercise.hold_max is not None:  # L11: a hard variation is a short, hard hold
            hold = min(hold, exercise.hold_max)
    reps = (1, 1) if exercise.timed else (exercise.rep_range or dose.accessory_reps)
    loaded = exercise.load_kind in _WEIGHTED
    load = _reserve((2, 3)) if loaded else _BODY
    note: str | None = None
    if loaded and not exercise.timed:
        owned = owned_loads(profile, exercise)
        fitted = _owned_reps(exercise, owned, history)
        if fitted is not None:
            reps = fitted
        from_log, note = _history_load(
            exercise, reps, profile, logs, dose=dose, rir=(2, 3), max_pct=None
        )
        if from_log is not None:
            load = from_log
        elif fitted is not None and owned:
            load = Load.model_construct(kg=owned[-1], rir=(2, 3))
    return _Draft(
        id=exercise.id,
        name=exercise.name_for(_kit(profile.equipment)),
        sets=sets,
        reps=reps,
        per_side=exercise.per_side,
        hold_s=hold,
        load=load,
        rest_s=30 if core else rest_for_load(None, loaded=loaded),
        cue=exercise.cue,
        warmup_sets=0,
        show_cue=False,
        note=note,
        tempo=None if exercise.timed else tempo,
    )


def _mobility(exercise: Exercise, dose: Dose) -> _Draft:
    return _Draft(
        id=exercise.id,
        name=exercise.name,
        sets=1,
        reps=(1, 1),
        per_side=False,
        hold_s=dose.mobility_s,
        load=_BODY,
        rest_s=0,
        cue=exercise.cue,
        warmup_sets=0,
        show_cue=False,
        note=None,
    )


def contacts(prescriptions: Sequence[Prescription], catalogue: Catalogue) -> int:
    """S8: plyometric foot contacts, both legs counted."""
    return sum(contacts_of(p, catalogue.get(p.id)) for p in prescriptions)


def contacts_of(p: Prescription, exercise: Exercise) -> int:
    """S8: one prescription's plyometric foot contacts, both legs counted."""
    return p.sets * contacts_per_set(p, exercise)


def contacts_per_set(p: Prescription | _Draft, exercise: Exercise) -> int:
    """S8: the foot contacts of one set: the range's top reps, both legs counted."""
    return p.reps[1] * exercise.contacts * (2 if p.per_side else 1)


def _tune_contacts(b: _Budget, target: int, most: int = 4) -> None:
    """S8: plyometric sets so the session's contacts reach, never pass, the dose's target.

    Every power exercise starts at one set; sets are added in S1 order (lowest level first),
    up to `most` (4; PH3's 2 in race week); an exercise whose single set would pass the target
    goes.
    """
    power = [i for i in range(len(b.sets)) if b.alive[i] and b.per_set_contacts[i]]
    total = 0
    keep: list[int] = []
    for i in power:
        if total + b.per_set_contacts[i] <= target:
            keep.append(i)
            total += b.per_set_contacts[i]
            b.sets[i] = 1
        else:
            b.alive[i] = False
    grew = True
    while grew:
        grew = False
        for i in keep:
            if b.sets[i] < most and total + b.per_set_contacts[i] <= target:
                b.sets[i] += 1
                total += b.per_set_contacts[i]
                grew = True


def estimate_seconds(prescriptions: Sequence[Prescription]) -> int:
    """S2: mobility minutes + Σ sets × (work + rest) + warm-up sets + setting up each exercise;
    work ≈ 4 s a rep (× 2 per side) or the hold."""
    total = 0
    for p in prescriptions:
        sides = 2 if p.per_side else 1
        if p.hold_s is not None:
            work = p.hold_s * sides
        else:
            work = SECONDS_PER_REP * math.ceil((p.reps[0] + p.reps[1]) / 2) * sides
        if p.rest_s == 0:  # mobility: one continuous block
            total += p.sets * work
            continue
        total += p.sets * (work + p.rest_s) + p.warmup_sets * (work + WARMUP_REST_S)
        total += SETUP_S if p.warmup_sets or p.load.kg is not None else CHANGE_S
    return total


CIRCUIT_BLOCKS = (BlockKind.ACCESSORY, BlockKind.CORE)
"""S3: accessories (and core) go as a circuit, as seed 000 writes them:
"(step-up 8/side + single-leg calf raise 8/side) × 3" — one rest per round."""


def circuit_seconds(prescriptions: Sequence[Prescription]) -> int:
    """S2: a circuit's time: all its work, one rest per round (the longest), a change each."""
    if not prescriptions:
        return 0
    work = 0
    for p in prescriptions:
        sides = 2 if p.per_side else 1
        each = p.hold_s if p.hold_s is not None else SECONDS_PER_REP * math.ceil(sum(p.reps) / 2)
        work += p.sets * each * sides + CHANGE_S
    rounds = max(p.sets for p in prescriptions)
    return work + rounds * max(p.rest_s for p in prescriptions)


def paired(strength: Sequence[_Named], catalogue: Catalogue) -> bool:
    """S2: a lower-body and an upper-body main lift alternate (pull-ups in the squat's rest),
    as seed 000's session A pairs them; two lower-body lifts are done one after the other."""
    return _pairs([catalogue.get(p.id).is_upper_body for p in strength])


def _pairs(uppers: Sequence[bool]) -> bool:
    """`paired` from whether each of the session's main lifts is upper-body."""
    return len(uppers) == 2 and uppers[0] != uppers[1]


def _paired_seconds(strength: Sequence[Prescription]) -> int:
    """Two alternating lifts: both lifts' work and warm-ups, one rest (the longer) a round."""
    total = 0
    for p in strength:
        sides = 2 if p.per_side else 1
        work = SECONDS_PER_REP * math.ceil(sum(p.reps) / 2) * sides
        total += p.sets * work + p.warmup_sets * (work + WARMUP_REST_S) + SETUP_S
    rounds = max(p.sets for p in strength)
    return total + rounds * max(p.rest_s for p in strength)


def session_minutes(session: Session, catalogue: Catalogue) -> int:
    """S2: the duration estimate of a finished session (what `duration_min` says), from its
    blocks: single exercises, a paired strength block, circuits for accessories and core."""
    strength = [p for b in session.blocks if b.kind is BlockKind.STRENGTH for p in b.exercises]
    pair = paired(strength, catalogue)
    total = estimate_seconds(
        [
            p
            for b in session.blocks
            if b.kind not in CIRCUIT_BLOCKS and not (pair and b.kind is BlockKind.STRENGTH)
            for p in b.exercises
        ]
    )
    total += _paired_seconds(strength) if pair else 0
    for b in session.blocks:
        if b.kind in CIRCUIT_BLOCKS:
            total += circuit_seconds(b.exercises)
    return math.ceil(total / 60)


_PAIRED = 0
"""`_Budget.group` of a paired strength block (S2: the lifts alternate, one rest per round)."""

_GROUPS = {kind: n for n, kind in enumerate(CIRCUIT_BLOCKS, start=1)}
"""`_Budget.group` of each circuit's items (S3: one rest per round)."""


@dataclass(slots=True)
class _Budget:
    """A session's sets and holds as plain numbers while it is trimmed or padded (S2).

    Fitting tries many set counts; doing the arithmetic on ints and copying each prescription
    once at the end keeps the planner fast (bench/planner.py: ≥ 1,000 runner-weeks/s).
    """

    blocks: list[BlockKind]
    sets: list[int]
    holds: list[int | None]
    sides: list[int]
    rep_work: list[int]
    rest: list[int]
    warmups: list[int]
    setup: list[int]
    per_set_contacts: list[int]
    upper: list[bool]
    alive: list[bool]
    group: list[int]
    """Which rest-sharing group an item is in (`_PAIRED`, a circuit's) or -1 for its own rests."""

    @classmethod
    def of(cls, items: Sequence[tuple[Slot, _Draft]], catalogue: Catalogue) -> _Budget:
        b = cls([], [], [], [], [], [], [], [], [], [], [True] * len(items), [])
        strength: list[bool] = []  # whether each main lift is upper-body (`paired`)
        for slot, p in items:
            exercise = catalogue.get(p.id)
            sides = 2 if p.per_side else 1
            b.blocks.append(slot.block)
            b.sets.append(p.sets)
            b.holds.append(p.hold_s)
            b.sides.append(sides)
            b.rep_work.append(SECONDS_PER_REP * math.ceil((p.reps[0] + p.reps[1]) / 2))
            b.rest.append(p.rest_s)
            b.warmups.append(p.warmup_sets)
            b.setup.append(SETUP_S if p.warmup_sets or p.load.kg is not None else CHANGE_S)
            b.per_set_contacts.append(contacts_per_set(p, exercise))
            b.upper.append(exercise.is_upper_body)
            b.group.append(_GROUPS.get(slot.block, -1))
            if slot.block is BlockKind.STRENGTH:
                strength.append(exercise.is_upper_body)
        if _pairs(strength):
            b.group = [
                _PAIRED if block is BlockKind.STRENGTH else g
                for block, g in zip(b.blocks, b.group, strict=True)
            ]
        return b

    def indices(self, kind: BlockKind) -> list[int]:
        return [i for i, block in enumerate(self.blocks) if block is kind and self.alive[i]]

    def _work(self, i: int) -> int:
        hold = self.holds[i]
        return (hold if hold is not None else self.rep_work[i]) * self.sides[i]

    def minutes(self) -> int:
        """S2's estimate, as `session_minutes` computes it for prescriptions."""
        return math.ceil(self.seconds() / 60)

    def seconds(self) -> int:
        """The estimate in seconds (called for every set the fit tries: plain int arithmetic)."""
        total = 0
        sets, holds, rep_work, sides, rest, warmups = (
            self.sets,
            self.holds,
            self.rep_work,
            self.sides,
            self.rest,
            self.warmups,
        )
        group, alive = self.group, self.alive
        top_sets = [0, 0, 0]
        top_rest = [0, 0, 0]
        for i in range(len(sets)):
            if not alive[i]:
                continue
            hold = holds[i]
            work = (hold if hold is not None else rep_work[i]) * sides[i]
            n = sets[i]
            g = group[i]
            if g >= 0:  # one rest per round for the group (S3's circuits, a paired block)
                if g == _PAIRED:
                    total += n * work + warmups[i] * (work + WARMUP_REST_S) + SETUP_S
                else:
                    total += n * work + CHANGE_S
                if n > top_sets[g]:
                    top_sets[g] = n
                if rest[i] > top_rest[g]:
                    top_rest[g] = rest[i]
            elif rest[i] == 0:
                total += n * work
            else:
                total += n * (work + rest[i]) + self.setup[i] + warmups[i] * (work + WARMUP_REST_S)
        total += top_sets[0] * top_rest[0] + top_sets[1] * top_rest[1] + top_sets[2] * top_rest[2]
        return total

    def shed(self, i: int, floor: int, limit_s: int) -> None:
        """Take sets off item `i`, down to `floor`, while the session runs over `limit_s`: the
        loop `while over: sets -= 1`, in one step for an item with its own rests (each set it
        loses saves its work and its rest exactly)."""
        while self.sets[i] > floor:
            excess = self.seconds() - limit_s
            if excess <= 0:
                return
            per_set = self.one_set(i) if self.alive[i] and self.group[i] < 0 else 0
            if per_set <= 0:  # shared rests (a circuit, a pair): one set at a time
                self.sets[i] -= 1
                continue
            self.sets[i] = max(floor, self.sets[i] - math.ceil(excess / per_set))

    def one_set(self, i: int) -> int:
        """The seconds one set of item `i` takes with its rest (an item with its own rests)."""
        return self._work(i) + self.rest[i]

    def shorten_rests(self, i: int, step_s: int, least_s: int, limit_s: int) -> None:
        """Rest `step_s` less at a time on item `i` while the session runs over `limit_s` and
        the rest is above `least_s`: the loop `while over: rest -= step`, in one step for an
        item with its own rests (each step saves a step a set)."""
        if self.rest[i] <= least_s:
            return
        if not (self.alive[i] and self.group[i] < 0):  # a shared rest: one step at a time
            while self.seconds() > limit_s and self.rest[i] > least_s:
                self.rest[i] -= step_s
            return
        excess = self.seconds() - limit_s
        if excess <= 0:
            return
        steps = math.ceil((self.rest[i] - least_s) / step_s)
        if self.sets[i] > 0:
            steps = min(steps, math.ceil(excess / (self.sets[i] * step_s)))
        self.rest[i] -= steps * step_s

    def lengthen(self, i: int, step_s: int, most_s: int, until_s: int) -> None:
        """Hold `i` longer by `step_s` at a time while the session lasts at most `until_s` and
        the hold is under `most_s`: the loop `while short: hold += step`, in one step for a hold
        with its own rests or none (each step adds the same seconds)."""
        hold = self.holds[i]
        if hold is None or hold >= most_s:
            return
        steps = math.ceil((most_s - hold) / step_s)  # the loop stops once the hold reaches most
        if self.alive[i] and self.group[i] < 0 and self.sets[i] > 0:
            per_step = (
                step_s * self.sides[i] * (self.sets[i] + (self.warmups[i] if self.rest[i] else 0))
            )
            short = until_s - self.seconds()
            steps = min(steps, short // per_step + 1 if short >= 0 else 0)
        elif self.alive[i] and self.sets[i] > 0:  # shared rests: one step at a time
            while steps and self.seconds() <= until_s:
                self.holds[i] = hold = hold + step_s
                steps -= 1
            return
        elif self.seconds() > until_s:
            return
        self.holds[i] = hold + steps * step_s

    def contacts(self) -> int:
        return sum(
            self.sets[i] * self.per_set_contacts[i] for i in range(len(self.sets)) if self.alive[i]
        )

    def apply(
        self, items: Sequence[tuple[Slot, _Draft]], seen: MutableMapping[str, int] | None
    ) -> list[tuple[Slot, Prescription]]:
        """The fitted prescriptions, with X4's cue flags; each built once."""
        out: list[tuple[Slot, Prescription]] = []
        for i, (slot, draft) in enumerate(items):
            if not self.alive[i]:
                continue
            draft.sets = self.sets[i]
            draft.hold_s = self.holds[i]
            draft.rest_s = self.rest[i]
            if seen is not None:
                count = seen.get(draft.id, 0)
                seen[draft.id] = count + 1
                draft.show_cue = count < CUE_TIMES and bool(draft.cue)
            out.append((slot, draft.build()))
        return out


def _trim(
    b: _Budget,
    dose: Dose,
    plain: list[int],
    uppers: list[int],
    kept: list[int],
    keep_upper: bool,
    min_contacts: int,
    calf_first: Sequence[int],
) -> None:
    """S9's trim order for a session over 45 minutes (see `_fit`)."""
    floor_sets = min(2, dose.accessory_sets)  # S4: accessories 2–3 sets (1 in a deload)

    limit = MAX_MINUTES * 60

    def over() -> bool:
        return b.seconds() > limit

    calf_first = calf_first or [0] * len(b.sets)
    for i in reversed(plain):
        b.shed(i, floor_sets, limit)
    for i in reversed(plain):
        if over():
            b.alive[i] = False
    for i in reversed(b.indices(BlockKind.CORE)):
        b.shed(i, 1, limit)

    def cut_contacts(floor: int) -> None:
        excess = b.seconds() - limit
        total = b.contacts()
        while excess > 0:
            cuttable = [
                i
                for i in b.indices(BlockKind.POWER)
                if b.sets[i] > 1
                and b.per_set_contacts[i]
                and total - b.per_set_contacts[i] >= floor
            ]
            if not cuttable:
                return
            i = max(reversed(cuttable), key=lambda i: b.sets[i])
            b.sets[i] -= 1
            total -= b.per_set_contacts[i]
            # a jump has its own rests: a set off saves its work and its rest exactly
            excess = excess - b.one_set(i) if b.group[i] < 0 else b.seconds() - limit

    cut_contacts(min_contacts)
    for group in (uppers, kept):
        for i in reversed(group):
            b.shed(i, floor_sets, limit)
    # S4's fewest work sets for the experience (3, novice 2): the second lift gives first
    least = min(dose.main_sets, 3)
    for i in reversed(b.indices(BlockKind.STRENGTH)):
        b.shed(i, least, limit)
    for i in b.indices(BlockKind.POWER):  # S11's power lifts: 2 fast sets before jumps go
        if not b.per_set_contacts[i]:
            b.shed(i, 2, limit)
    if over():
        upper_alive = [i for i in range(len(b.sets)) if b.alive[i] and b.upper[i]]
        for i in reversed(uppers):
            if over() and not (keep_upper and upper_alive == [i]):
                b.alive[i] = False
                upper_alive.remove(i)
    cut_contacts(0)
    if over():
        jumps = [i for i in b.indices(BlockKind.POWER) if b.per_set_contacts[i]]
        for i in reversed(jumps[1:]):  # S9: whole jumps (the first kept) before lifts lose sets
            if over():
                b.alive[i] = False
    if over():
        for i in reversed(b.indices(BlockKind.POWER)):  # X1's upper-body power: sets, then whole
            if not b.upper[i]:
                continue
            b.shed(i, 1, limit)
            if over():
                b.alive[i] = False
    # S4 rests 2–3 min: a full session takes the shorter end before losing more work
    for i in b.indices(BlockKind.STRENGTH):
        b.shorten_rests(i, 30, MIN_MAIN_REST_S, limit)
    # S2 still over: one calf or single-leg exercise is enough (S9), calf work kept first
    spare = sorted((i for i in kept if b.alive[i]), key=lambda i: calf_first[i])
    while over() and len(spare) > 1:
        b.alive[spare.pop()] = False


MIN_MAIN_REST_S = 120
"""S4: main lifts rest 2–3 minutes."""


def _fit(
    b: _Budget,
    dose: Dose,
    *,
    keep_upper: bool,
    min_contacts: int,
    keep: Sequence[bool],
    calf_first: Sequence[int] = (),
) -> int:
    """S2 within S9's order: to fit 45 minutes, cut first the accessories that are neither
    calf, single-leg nor the sole upper-body work (sets to 2, then whole), then core sets,
    then plyometric contacts down to S8's floor, then upper-body accessory sets, then calf and
    single-leg sets (to 2), then plyometrics below the floor. Main lifts keep the dose's work
    sets (S4): contacts are cut before lifts lose sets. Pad short normal sessions up to the
    dose's own maxima (accessory sets, mobility, core sets); light weeks (deload, taper, race
    week) pad mobility only: nothing re-adds the sets the dose took away (L6, PH3).

    Returns the session's minutes (S2's estimate)."""
    minutes = b.minutes()
    if MIN_MINUTES <= minutes <= MAX_MINUTES:
        return minutes  # most sessions fit as they are
    accessory = b.indices(BlockKind.ACCESSORY)
    plain = [i for i in accessory if not keep[i] and not b.upper[i]]
    uppers = [i for i in accessory if b.upper[i]]
    kept = [i for i in accessory if keep[i]]
    if minutes > MAX_MINUTES:
        _trim(b, dose, plain, uppers, kept, keep_upper, min_contacts, calf_first)
        minutes = b.minutes()
    if minutes >= MIN_MINUTES:
        return minutes
    if dose.pad:
        for i in (*kept, *uppers, *plain):
            while b.alive[i] and b.minutes() < MIN_MINUTES and b.sets[i] < dose.accessory_max_sets:
                b.sets[i] += 1
    mobility = b.indices(BlockKind.MOBILITY) if dose.state is not DoseState.RACE_WEEK else []
    if mobility:
        b.lengthen(mobility[0], 60, MOBILITY_MAX_S, (MIN_MINUTES - 1) * 60)
    if dose.pad:
        for i in b.indices(BlockKind.CORE):
            while b.minutes() < MIN_MINUTES and b.sets[i] < 3:
                b.sets[i] += 1
    return b.minutes()


def state_for(
    ctx: WeekContext, cond: Conditions, experience: Experience, *, layoff: bool
) -> DoseState:
    """Which row of the dose model the session takes (PH3 first: the race decides)."""
    if cond.no_lower:
        return DoseState.UPPER_ONLY
    if ctx.phase is Phase.RACE_WEEK:
        return DoseState.RACE_WEEK
    if ctx.phase is Phase.TAPER:
        return DoseState.TAPER
    if ctx.deload:
        return DoseState.DELOAD
    if experience is Experience.NOVICE and ctx.technique:
        return DoseState.TECHNIQUE
    if cond.masters and ctx.week_no <= MASTERS_TECHNIQUE_WEEKS:
        return DoseState.TECHNIQUE  # X6: a 4-week technique block before heavy work
    if layoff:
        return DoseState.LAYOFF
    return DoseState.NORMAL


def template_name(name: str, *, once_a_week: bool, state: DoseState) -> str:
    """S3 A/B; a once-a-week runner's A1/B1 (knee + hinge); PH3's upper-body session."""
    if state is DoseState.UPPER_ONLY:
        return "Upper"
    if state is DoseState.RACE_WEEK:
        return "Primer"
    if once_a_week:
        return f"{name}1"
    return name


def _days_off(history: HistoryMap | None, today: date) -> int:
    """L7: days since the last logged exercise (0 without a log)."""
    if not history:
        return 0
    dates = [logs[-1].performed_on for logs in history.values() if logs]
    return (today - max(dates)).days if dates else 0


def masters_technique(dose: Dose, experience: Experience, week_no: int) -> Dose:
    """X6: the masters technique block stays at or under 70 % 1RM (8–10 reps), with the
    experience's work sets (S4); week 1 is three reps of reserve further from failure, and it
    climbs a rep a week to RIR 3–4 in week 4 (L5: no week repeats the last without logs)."""
    weeks_left = MASTERS_TECHNIQUE_WEEKS - min(week_no, MASTERS_TECHNIQUE_WEEKS)
    rir = (dose.main_rir[0] + weeks_left, dose.main_rir[1] + weeks_left)
    low, high = pct_range(dose.main_reps, rir, MASTERS_TECHNIQUE_PCT)
    return replace(
        dose,
        main_rir=rir,
        pct=(min(low, high), high),
        main_sets=MAIN_SETS[experience],
        rules=(*dose.rules, "X6"),
    )


MASTERS_TECHNIQUE_PCT = 70


def _progresses_by_tempo(exercise: Exercise) -> bool:
    """L5: bodyweight strength and accessory work progresses by tempo within the block."""
    return (
        exercise.load_kind in (LoadKind.BODYWEIGHT, LoadKind.NONE)
        and not exercise.timed
        and not exercise.is_plyometric
        and exercise.category is not Category.MOBILITY
        and exercise.category is not Category.CORE
    )


def _step_tempo(ctx: WeekContext, dose: Dose) -> str | None:
    """L5/L11: weeks 2–3 of each mesocycle slow the lowering to 3 s (week 1 is normal tempo,
    the deload drops it): bodyweight work gets harder without new exercises."""
    if dose.state is not DoseState.NORMAL:
        return None
    return TEMPO_DOWN if step_of(ctx.week_of_block) >= 2 else None


ROTATION: dict[str, str] = {
    "deadlift": "trap_bar_deadlift",
    "step_up": "reverse_lunge",
    "goblet_squat": "split_squat",
    "dumbbell_rdl": "single_leg_rdl",
    "bodyweight_split_squat": "rfe_split_squat",
    "glute_bridge": "single_leg_glute_bridge",
    "dumbbell_hip_thrust": "single_leg_glute_bridge",
    "box_squat": "bodyweight_split_squat",
    "hip_thrust": "single_leg_glute_bridge",
    "calf_raise": "seated_soleus_raise",
    "split_squat": "bulgarian_split_squat",
    "rfe_split_squat": "step_down",
    "single_leg_rdl": "single_leg_hip_thrust",
}
"""S10: block to block (every 8 weeks) one variation per pattern rotates: the same pattern
with a different tool or stance, so no runner does the same session for 16 weeks."""


def _topped(exercise: Exercise, history: Sequence[Any], profile: RunnerProfile) -> bool:
    """L11: the top of the range is too easy with what the runner owns: > range top + 3 reps,
    RIR ≥ 5, or 60 s holds (bodyweight, or the heaviest owned weight)."""
    last = history[-1]
    sets = last.sets
    if exercise.timed:
        return any((s.hold_s or 0) >= MAX_HOLD for s in sets)
    weighted = exercise.load_kind in _WEIGHTED
    if weighted:
        owned = owned_loads(profile, exercise)
        if not owned or not any((s.load_kg or 0) >= owned[-1] - 1e-6 for s in sets):
            return False
    top = (last.target_reps or exercise.rep_range or (8, 12))[1]
    return any((s.reps or 0) > top + 3 or (s.rir or 0) >= 5 for s in sets)


MAX_HOLD = 60
"""S4: holds 20–60 s; at 60 s the harder variation (L11)."""


def _progressed(
    exercise: Exercise,
    catalogue: Catalogue,
    cond: Conditions,
    used: set[str],
    profile: RunnerProfile,
    history: HistoryMap | None,
    seen: Mapping[str, int] | None,
    *,
    rotate: bool = True,
) -> tuple[Exercise, str | None]:
    """S10 rotation (odd blocks, where `rotate`) and L11's ladder: the exercise a runner
    progresses to.

    A topped-out exercise moves one step up its ladder (a harder variation that is usable);
    where no step may be added (S10) or none is usable, the tempo slows instead.
    """
    if rotate and cond.block_no % 2 == 1:
        alt = ROTATION.get(exercise.id)
        # S10: a week that may bring nothing new (a deload, near the A race) keeps the
        # block's rotation once the runner has done it, rather than going back a block
        known = seen is not None and alt is not None and seen.get(alt, 0) > 0
        if (
            alt is not None
            and (known or not cond.no_new)
            and alt not in used
            and usable(catalogue.get(alt), cond)
        ):
            exercise = catalogue.get(alt)
    logged = history.get(exercise.id) if history else None
    if not logged or not _topped(exercise, logged, profile):
        return exercise, None
    for step in catalogue.ladder(exercise.id)[1:]:
        known = seen is not None and seen.get(step.id, 0) > 0
        if step.id not in used and usable(step, cond) and (known or not cond.no_new):
            return step, None
    return exercise, None if exercise.timed else TEMPO_DOWN


def _kept(exercise: Exercise) -> bool:
    """S9: calf and single-leg work is kept when a session is trimmed."""
    return exercise.id in CALF_IDS or (
        exercise.is_lower_body
        and not exercise.is_plyometric
        and (exercise.per_side or exercise.category is Category.STRENGTH_UNILATERAL)
    )


def _new_in_plan(
    exercise_id: str,
    day: date,
    met: Mapping[str, tuple[date, float | None]] | None,
    today: date | None,
) -> bool:
    """X4: a lift first met in this plan after its first two weeks, within the last two weeks.
    The plan's first two weeks may continue an earlier plan (a resync mid-week drops the days
    already gone, so a lift met then is first met here a week later): there the training week
    decides (`first_week`)."""
    if met is None or today is None:
        return False
    first = met.get(exercise_id, (day, None))[0]
    settled = 7 * TECHNIQUE_WEEKS - today.weekday()  # the Monday two weeks after the plan's
    return (first - today).days >= settled and (day - first).days < 7 * TECHNIQUE_WEEKS


def first_week(exercise: Exercise, experience: Experience) -> int:
    """The training week a lift is first planned (S5: novices start on easier variants)."""
    if experience is Experience.NOVICE and exercise.load_kind is LoadKind.BARBELL:
        return TECHNIQUE_WEEKS + 1
    return 1


def build_session(
    profile: RunnerProfile,
    day: date,
    name: str,
    reason: str,
    ctx: WeekContext,
    *,
    catalogue: Catalogue,
    history: HistoryMap | None = None,
    today: date | None = None,
    once_a_week: bool = False,
    layoff: bool = False,
    seen: MutableMapping[str, int] | None = None,
    was_deload: Callable[[date], bool] | None = None,
    met: Mapping[str, tuple[date, float | None]] | None = None,
    guard: DayGuard | None = None,
) -> Session:
    """Fill template `name` ("A"/"B") for `day` from the dose of its week.

    Args:
        profile: equipment, owned loads, limitations, experience, units and goal.
        day: the session's date (PH3 limits are counted from it).
        name: "A" or "B" (S3).
        reason: the placement's one-line reason (P8).
        ctx: the week's phase, training week and deload flag.
        catalogue: the exercise catalogue.
        history: logged performance by exercise id, for kg loads (L1).
        today: the day the plan is made (L7 layoff from the log; default `day`).
        once_a_week: the week has one session: cover a knee-dominant lift and a hinge (PH2).
        layoff: the runner is back after more than 2 weeks off (L7).
        seen: how often each exercise was already shown (cues the first two times, X4);
            updated in place.
        was_deload: whether a logged day fell in a deload week (re-anchor after it, L6).
        met: the date each exercise first came in the plan and the e1RM its load implied (L7's
            restart after a break, X4's new lift weeks in).
        guard: what the season's other races and the runs around the day allow (PH5, P9;
            `bot.core.planner.season.day_guard`).

    Returns:
        The session, its blocks in S1 order, its duration estimate (S2) and its why.
    """
    today = today or day
    days_off = _days_off(history, today)
    cond = conditions_for(profile, day, ctx, days_off=days_off, guard=guard, today=today)
    state = state_for(ctx, cond, profile.experience, layoff=layoff)
    dose = dose_for(ctx.phase, profile.experience, ctx.week_of_block, ctx.week_no, state)
    if (
        profile.experience is Experience.NOVICE
        and ctx.week_no <= NOVICE_HEAVY_WEEK
        and state in (DoseState.NORMAL, DoseState.DELOAD)
        and (dose.pct[1] >= HEAVY_PCT - 2 or state is DoseState.DELOAD)
    ):
        reps, rir, pct = light_day(dose)  # L7: a novice reaches ≥ 80 % only after 6 weeks
        dose = replace(dose, main_reps=reps, main_rir=rir, pct=pct)
    if cond.masters and state is DoseState.TECHNIQUE:
        dose = masters_technique(dose, profile.experience, ctx.week_no)  # X6: ≤ 70 %, climbing
    if cond.masters and state is DoseState.DELOAD and ctx.week_no <= MASTERS_TECHNIQUE_WEEKS:
        dose = masters_technique_deload(dose)
    # S5 + X4: a novice's first two weeks use the easier variants whatever the week's state,
    # and a novice whose first barbell weeks would fall in the taper or race week keeps them
    # there too: a first barbell squat two weeks before a race is no time to learn it
    near_race = state in (DoseState.TAPER, DoseState.RACE_WEEK)
    technique = profile.experience is Experience.NOVICE and (
        ctx.technique or (near_race and ctx.week_no <= 2 * TECHNIQUE_WEEKS)
    )
    if technique and near_race:
        learning = dose_for(ctx.phase, profile.experience, 1, ctx.week_no, DoseState.TECHNIQUE)
        dose = replace(
            dose, main_reps=learning.main_reps, main_rir=learning.main_rir, pct=learning.pct
        )
    key = template_name(name, once_a_week=once_a_week, state=state)
    template = TEMPLATES[key]
    if cond.masters:  # X6: a single-leg balance item in every session
        template = tuple(
            replace(slot, exercise_id="single_leg_rdl")
            if slot.exercise_id == "hip_thrust"
            else slot
            for slot in template
        )
        if not any(slot.exercise_id in SINGLE_LEG_SLOTS for slot in template):
            at = max(i for i, slot in enumerate(template) if slot.block is not BlockKind.CORE)
            light = state in (DoseState.UPPER_ONLY, DoseState.RACE_WEEK, DoseState.TAPER)
            known = seen is None or seen.get(BALANCE_ID, 0) > 0 or not seen.get("single_leg_rdl")
            # the third session keeps off the legs (S12); a light week's balance item is one
            # the runner knows (S10)
            quiet = key == "Third" or (light and known)
            balance = Slot(BlockKind.ACCESSORY, BALANCE_ID if quiet else "single_leg_rdl")
            template = (*template[: at + 1], balance, *template[at + 1 :])
    if ctx.week_no >= ROTATION_FROM_WEEK and key.startswith("B"):
        template = (*template[:-1], _ROTATION_SLOT)
    logs = Logs(history, today, was_deload, day, met) if history else None
    masters_light = cond.masters and name == "B" and not once_a_week  # X6: ≥ 72 h apart
    step_tempo = _step_tempo(ctx, dose)
    used: set[str] = set()
    items: list[tuple[Slot, _Draft]] = []
    core_count = power_count = heavy_lower = 0
    for slot in template:
        if slot.block is BlockKind.CORE and core_count >= dose.core_exercises:
            continue
        if (
            slot.block is BlockKind.ACCESSORY
            and dose.accessory_sets == 0
            and slot.exercise_id not in CALF_IDS
            and slot.exercise_id != BALANCE_ID
            and not (cond.masters and slot.exercise_id == "single_leg_rdl")
        ):
            continue  # S9: light sessions keep their calf work (X6: and the balance item)
        # S10 leaves out a new accessory or drill near a race, never the session's core (S1),
        # its calf work (S9) or its lifts
        required = (
            slot.block in (BlockKind.STRENGTH, BlockKind.MOBILITY, BlockKind.CORE)
            or slot.exercise_id in CALF_IDS
        )
        if cond.calf_step == CALF_SOLEUS_STEP and name == "B" and slot.exercise_id in CALF_IDS:
            slot = replace(slot, exercise_id="seated_soleus_raise")  # X5: the soleus too
        exercise = resolve(
            catalogue,
            slot.exercise_id,
            cond,
            used,
            technique=technique,
            seen=None if slot.exercise_id == BALANCE_ID else seen,  # X6: balance, not a lift
            required=required,
        )
        if exercise is None and slot.block is BlockKind.POWER and cond.limitations:
            for upper in UPPER_POWER:  # X1/X5: upper-body power where a limitation rules out jumps
                exercise = resolve(
                    catalogue, upper, cond, used, technique=technique, seen=seen, required=False
                )
                if exercise is not None and exercise.power:
                    break
                exercise = None
        if exercise is None and slot.block is BlockKind.CORE:
            exercise = resolve(
                catalogue, "dead_bug", cond, used, technique=technique, seen=seen, required=False
            )
        if exercise is None:
            continue
        tempo = step_tempo if _progresses_by_tempo(exercise) else None
        if slot.block in (BlockKind.STRENGTH, BlockKind.ACCESSORY, BlockKind.CORE):
            # X6: the masters' single-leg RDL is their balance item: it does not rotate away
            balance_item = cond.masters and slot.block is BlockKind.ACCESSORY
            exercise, climbed_tempo = _progressed(
                exercise, catalogue, cond, used, profile, history, seen, rotate=not balance_item
            )
            tempo = climbed_tempo or tempo
        if cond.calf_step == 1 and exercise.id == "calf_raise":
            tempo = "3 s up, 3 s down"  # X5: slow heavy two-legged calf raises
        if slot.block is BlockKind.POWER or (
            slot.block is BlockKind.STRENGTH and exercise.is_plyometric
        ):
            if dose.contacts == 0 or power_count >= dose.power_exercises:
                continue
            power_count += 1
        used.add(exercise.id)
        if slot.block is BlockKind.MOBILITY:
            prescription = _mobility(exercise, dose)
        elif slot.block is BlockKind.POWER and exercise.power and exercise.load_kind in _WEIGHTED:
            # S11: a swing standing in for a jump (X1) is still a swing: its reps, full rest
            prescription = _main(exercise, dose, cond, profile, logs, new_lift=False, tempo=None)
        elif slot.block is BlockKind.POWER:
            prescription = _power(exercise, 1, dose)
        elif slot.block is BlockKind.STRENGTH:
            new = (
                ctx.week_no - first_week(exercise, profile.experience) < TECHNIQUE_WEEKS
                or (exercise.rotation and 0 <= ctx.week_no - ROTATION_FROM_WEEK < TECHNIQUE_WEEKS)
                or _new_in_plan(exercise.id, day, met, today)
            )  # X4: a lift first met later (block 2's rotation, a novice's next step) too
            if new and history and history.get(exercise.id):
                new = False  # logged before: not new to this runner (X4)
            # S2/S11: a once-a-week session's second lower-body lift is the lighter one
            second = once_a_week and exercise.is_lower_body and heavy_lower > 0
            heavy_lower += exercise.is_lower_body
            prescription = _main(
                exercise,
                dose,
                cond,
                profile,
                logs,
                new_lift=new,
                tempo=tempo,
                light=masters_light,
                second=second,
            )
        else:
            core_count += slot.block is BlockKind.CORE
            prescription = _simple(exercise, slot.block, dose, profile, logs, tempo=tempo)
            if dose.accessory_sets == 0 and slot.block is BlockKind.ACCESSORY:
                prescription.sets = 1
        if slot.block is BlockKind.STRENGTH and exercise.power:
            slot = replace(slot, block=BlockKind.POWER)  # S1/S11: power first, when fresh
        items.append((slot, prescription))
    # S1: plyometrics lowest level first, whatever the template's order.
    power = sorted(
        (item for item in items if item[0].block is BlockKind.POWER),
        key=lambda item: PLYO_ORDER.get(catalogue.get(item[1].id).level or PlyoLevel.LOW, 0),
    )
    items = [item for item in items if item[0].block is not BlockKind.POWER]
    after_mobility = sum(1 for slot, _ in items if slot.block is BlockKind.MOBILITY)
    items[after_mobility:after_mobility] = power
    budget = _Budget.of(items, catalogue)
    _tune_contacts(budget, dose.contacts, 2 if dose.state is DoseState.RACE_WEEK else 4)
    floor = min(dose.contacts, PLYO_CONTACTS[profile.experience][0]) if dose.pad else 0
    keep = [_kept(catalogue.get(p.id)) for _, p in items]
    # S1: the week's upper body is A's pull (or the once-a-week session's): B's push-up may go
    keep_upper = once_a_week or name != "B"
    # S9 keeps calf work first; X6 keeps the masters' single-leg balance item first
    calf_first = [
        (1 if p.id in CALF_IDS else 0) if cond.masters else (0 if p.id in CALF_IDS else 1)
        for _, p in items
    ]
    minutes = _fit(
        budget,
        dose,
        keep_upper=keep_upper,
        min_contacts=floor,
        keep=keep,
        calf_first=calf_first,
    )
    built = budget.apply(items, seen)
    blocks = []
    for kind in _BLOCK_ORDER:
        exercises = tuple(p for s, p in built if s.block is kind)
        if exercises:
            blocks.append(Block.model_construct(kind=kind, exercises=exercises))
    run = profile.week[WEEKDAYS[day.weekday()]]
    return Session.model_construct(
        date=day,
        weekday=WEEKDAYS[day.weekday()],
        after_run=run if run.is_run else None,
        name=_SESSION_NAMES.get(state, name),
        reason=reason,
        duration_min=minutes,
        blocks=tuple(blocks),
        focus=_focus(dose, built, profile, catalogue),
    )


def _focus(
    dose: Dose,
    built: Sequence[tuple[Slot, Prescription]],
    profile: RunnerProfile,
    catalogue: Catalogue,
) -> str:
    """The dose's why, and, where the runner's own weights set the main lifts' reps (L11), the
    reps they lift: "heavy, 3–5 reps" over a 10–15-rep goblet squat read as a mistake."""
    if Equipment.GYM in profile.equipment or not (profile.dumbbells_kg or profile.kettlebells_kg):
        return dose.why  # no owned weights: `owned_loads` is empty for every lift
    own = sorted(
        {
            p.reps
            for slot, p in built
            if slot.block is BlockKind.STRENGTH
            and p.reps != dose.main_reps
            and p.load.kg is not None
            and owned_loads(profile, catalogue.get(p.id))
        }
    )
    if not own:
        return dose.why
    reps = ", ".join(f"{low}–{high}" for low, high in own)
    return f"{dose.why} With the weights you own, the lifts go by reps instead: {reps}."


_SESSION_NAMES = {DoseState.RACE_WEEK: "Primer", DoseState.UPPER_ONLY: "Upper"}
"""PH3: the race week's primer and the marathon's last-10-days session are named for what they
are; every other session is A or B (S3)."""

CUE_TIMES = 2
"""X4: a new exercise starts with a cue; the runner sees it the first two times."""


__all__ = [
    "PLYO_CONTACTS",
    "TEMPLATES",
    "Conditions",
    "Logs",
    "Slot",
    "build_session",
    "conditions_for",
    "contacts",
    "estimate_seconds",
    "owned_loads",
    "resolve",
    "session_minutes",
    "state_for",
    "usable",
]
