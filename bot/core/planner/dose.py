"""The one dose model: how much, how heavy and how hard, as a table a coach can read.

Every session is derived from one `Dose`, looked up by phase × experience × week of the 4-week
mesocycle, or by the state of the week (technique, deload, taper, race week, the marathon's last
10 days, a layoff). Filters (limitations, equipment, owned loads, plyometric level) then choose the
exercises; nothing later adds volume back (`sessions._fit` only pads normal weeks, up to the
dose's own maxima).

Coherence: the %1RM of every main-lift row is *derived* from its reps and
RIR through one RIR/%1RM table, Brzycki's `%1RM = (37 − (reps + RIR)) / 36`, the same formula the
e1RM of a logged set uses (L2). So "5 reps at RIR 3" is 80.6 % (8 reps to failure), never 85 %.
Rest follows the load: the heavier the set, the longer the rest (S4: 2–3 min for main lifts).

PURE: no clock; the caller says which week and state it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache

from bot.core.domain.plan import Phase
from bot.core.domain.profile import Experience

MAX_PCT = 85
MIN_PCT = 70
"""S4: main lifts at 70–85 % 1RM."""

RACE_WEEK_MAX_PCT = 75
"""PH3: race week (and lower-body work inside the last-heavy cut-off) at most 75 % 1RM."""

DELOAD_LOAD = 0.9
"""L6: deload loads −10 %."""

HOLD_STEP_S = 5
MAX_HOLD_S = 60
"""S4/L5: holds 20–60 s, growing 5 s a week when nothing is logged."""


def pct_1rm(reps: int, rir: int) -> float:
    """The RIR/%1RM table (Brzycki, L2): the %1RM at which `reps` leave `rir` in reserve."""
    return 100.0 * (37 - (reps + rir)) / 36


def reps_in_reserve(reps: int, pct: float) -> float:
    """The inverse of `pct_1rm`: reps left in reserve doing `reps` at `pct` % 1RM."""
    return 37 - 36 * pct / 100 - reps


def pct_range(reps: tuple[int, int], rir: tuple[int, int], cap: int = MAX_PCT) -> tuple[int, int]:
    """%1RM range coherent with a reps and an RIR range, capped (S4, PH3).

    The light end is the most reps at the most reserve, the heavy end the fewest at the least.
    """
    low = math.floor(pct_1rm(reps[1], rir[1]))
    high = min(cap, math.floor(pct_1rm(reps[0], rir[0])))
    return (min(low, high), high)


def rest_for_load(pct_high: float | None, *, upper: bool = False, loaded: bool = True) -> int:
    """S4: rest from the load: ≥ 80 % 3 min, ≥ 70 % 2½ min, lighter 2 min (upper body 30 s
    less); accessories 90 s loaded, 60 s bodyweight."""
    if pct_high is None:
        return 90 if loaded else 60
    rest = 180 if pct_high >= 80 else 150 if pct_high >= 70 else 120
    return rest - 30 if upper else rest


class DoseState(StrEnum):
    """What kind of week (or day) the dose is for, beyond phase and step."""

    NORMAL = "normal"
    TECHNIQUE = "technique"
    """S5: a novice's weeks 1–2."""
    LAYOFF = "layoff"
    """L7: the first week back after more than 2 weeks without strength."""
    DELOAD = "deload"
    """L6: every 4th week of base and build."""
    TAPER = "taper"
    """§2 taper (Bosquet et al. 2007)."""
    RACE_WEEK = "race_week"
    """PH3: the race week's short primer."""
    UPPER_ONLY = "upper_only"
    """PH3: marathon and ultra, last 10 days: upper body, core and mobility only."""


@dataclass(frozen=True, slots=True)
class Dose:
    """Everything a session's volume and intensity comes from (one row of the table)."""

    main_sets: int
    main_reps: tuple[int, int]
    main_rir: tuple[int, int]
    pct: tuple[int, int]
    """%1RM for barbell main lifts, derived from reps and RIR (`pct_range`)."""
    accessory_sets: int
    """0: no accessories (taper, race week)."""
    accessory_max_sets: int
    """Padding to 30 minutes may add accessory sets up to this, never beyond (S2)."""
    accessory_reps: tuple[int, int]
    core_exercises: int
    core_sets: int
    hold_s: int
    contacts: int
    """Target plyometric foot contacts, both legs counted (S8); 0 = no plyometrics."""
    power_exercises: int
    mobility_s: int
    pad: bool
    """Normal weeks may pad up to 30 minutes; light weeks never re-add sets (L6, taper)."""
    rules: tuple[str, ...]
    why: str
    state: DoseState = DoseState.NORMAL

    @property
    def target_rir(self) -> int:
        """L3: a set with fewer reps in reserve than this was not a success."""
        return self.main_rir[0]

    @property
    def work_sets(self) -> int:
        """A rough per-session volume: main (×2 lifts), accessory (×2) and core work sets."""
        return 2 * self.main_sets + 2 * self.accessory_sets + self.core_exercises * self.core_sets


# --- the table -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MainRow:
    """A main-lift row: reps and RIR; %1RM follows from them."""

    reps: tuple[int, int]
    rir: tuple[int, int]
    rules: tuple[str, ...]
    cap: int = MAX_PCT


MAIN_LIFTS: dict[tuple[Phase, int], MainRow] = {
    # §2 base: strength 5–8 reps; weeks 1–3 of each 4-week mesocycle go heavier, fewer reps.
    (Phase.BASE, 1): MainRow((6, 8), (3, 3), ("§2", "S4")),
    (Phase.BASE, 2): MainRow((5, 7), (2, 3), ("§2", "S4")),
    (Phase.BASE, 3): MainRow((5, 6), (2, 2), ("§2", "S4")),
    # §2 build: heavy 3–5 reps (000, 004; Rønnestad & Mujika 2014), ≤ 85 % (S4).
    (Phase.BUILD, 1): MainRow((4, 5), (2, 3), ("§2", "S4")),
    (Phase.BUILD, 2): MainRow((4, 5), (2, 2), ("§2", "S4")),
    (Phase.BUILD, 3): MainRow((3, 4), (2, 3), ("§2", "S4")),
    # Race season: maintenance, keep the intensity, 2 work sets (000).
    (Phase.RACE_SEASON, 1): MainRow((3, 5), (2, 3), ("§2", "S4")),
    # Taper: intensity kept until the race week (Bosquet et al. 2007).
    (Phase.TAPER, 1): MainRow((3, 5), (2, 3), ("§2", "PH3")),
    # PH3: race week ≤ 75 % 1RM, RIR ≥ 3.
    (Phase.RACE_WEEK, 1): MainRow((3, 5), (7, 8), ("PH3",), RACE_WEEK_MAX_PCT),
}

TECHNIQUE_ROW = MainRow((8, 10), (3, 4), ("S5", "X4"))
"""S5: a novice's technique weeks: 2 × 8–10 at RIR 3–4."""

CAPPED_ROW = MainRow((3, 5), (7, 8), ("PH3",), RACE_WEEK_MAX_PCT)
"""PH3: lower body inside the last-heavy cut-off (< 80 % 1RM; ≤ 75 % as in race week)."""

UPPER_ROW = MainRow((6, 8), (3, 3), ("PH3", "S4"), RACE_WEEK_MAX_PCT)
"""PH3: the marathon's last 10 days: upper-body lifts, moderate, far from failure."""

MAIN_SETS: dict[Experience, int] = {
    Experience.NOVICE: 2,
    Experience.INTERMEDIATE: 3,
    Experience.ADVANCED: 4,
}
"""S4/S5: work sets in base and build; race season, taper and race week use 2 (≤ 2, PH3)."""

NOVICE_EXTRA_RIR = 1
"""S5/X4: novices stay one rep further from failure outside the technique weeks."""

CONTACTS: dict[Experience, tuple[int, int, int]] = {
    Experience.NOVICE: (20, 30, 40),
    Experience.INTERMEDIATE: (40, 50, 60),
    Experience.ADVANCED: (60, 70, 80),
}
"""S8: foot contacts by mesocycle week 1–3, inside novice 20–40, intermediate 40–80, advanced
60–100: plyometric volume progresses week to week on its own (L5). Intermediate and advanced
runners stop short of the range's top: seed 000's sessions hold 20–40 contacts, and the top of
the range would take 15 minutes of a 45-minute session."""

ACCESSORY_REPS: dict[int, tuple[int, int]] = {1: (8, 10), 2: (8, 12), 3: (10, 12)}
"""S4: accessories 8–12 reps; the range climbs through the mesocycle (L5)."""

HOLD_START_S: dict[Experience, int] = {
    Experience.NOVICE: 20,
    Experience.INTERMEDIATE: 30,
    Experience.ADVANCED: 40,
}
"""S4: holds 20–60 s (003: plank 30–60 s)."""


def step_of(week_of_block: int) -> int:
    """The week within the 4-week mesocycle, 1–3 (week 4 is the deload, L6)."""
    return min(3, (week_of_block - 1) % 4 + 1)


def hold_seconds(experience: Experience, week_no: int) -> int:
    """L5: +5 s a training week (deloads excluded) from the experience's start, to 60 s."""
    weeks = max(0, week_no - 1) - max(0, week_no - 1) // 4
    return min(MAX_HOLD_S, HOLD_START_S[experience] + HOLD_STEP_S * weeks)


def _main(row: MainRow, *, extra_rir: int = 0) -> tuple[tuple[int, int], tuple[int, int]]:
    rir = (row.rir[0] + extra_rir, row.rir[1] + extra_rir)
    return rir, pct_range(row.reps, rir, row.cap)


@dataclass(frozen=True, slots=True)
class Shape:
    """The rest of a two-work-set session around its main lifts: accessories, core, power."""

    accessory_sets: int
    accessory_max_sets: int
    accessory_reps: tuple[int, int]
    core_exercises: int
    power_exercises: int
    pad: bool
    core_sets: int = 2
    mobility_s: int = 300


PRIMER = Shape(0, 0, (8, 10), core_exercises=1, power_exercises=1, pad=False)
"""Taper and race week (§2, PH3): no accessories, one core and one power exercise, no padding."""
MAINTENANCE = Shape(2, 2, (8, 10), core_exercises=2, power_exercises=2, pad=True)
"""Technique weeks (S5) and race season (PH1, PH2): the whole session, lighter on sets."""
UPPER_BODY = Shape(2, 2, (8, 12), core_exercises=3, power_exercises=0, pad=False, mobility_s=480)
"""The marathon's last 10 days (PH3, S7): upper body, more core and longer mobility."""


def _light_dose(
    row: MainRow,
    shape: Shape,
    *,
    extra_rir: int = 0,
    hold: int,
    contacts: int,
    rules: tuple[str, ...],
    why: str,
    state: DoseState,
) -> Dose:
    """A session of 2 work sets on the main lifts (≤ 2 from race season on, PH3)."""
    rir, pct = _main(row, extra_rir=extra_rir)
    return Dose(
        main_sets=2,
        main_reps=row.reps,
        main_rir=rir,
        pct=pct,
        accessory_sets=shape.accessory_sets,
        accessory_max_sets=shape.accessory_max_sets,
        accessory_reps=shape.accessory_reps,
        core_exercises=shape.core_exercises,
        core_sets=shape.core_sets,
        hold_s=hold,
        contacts=contacts,
        power_exercises=shape.power_exercises,
        mobility_s=shape.mobility_s,
        pad=shape.pad,
        rules=rules,
        why=why,
        state=state,
    )


@lru_cache(maxsize=4096)  # pure, and its Dose frozen: every runner in the same week shares it
def dose_for(
    phase: Phase,
    experience: Experience,
    week_of_block: int,
    week_no: int,
    state: DoseState = DoseState.NORMAL,
) -> Dose:
    """The dose of a session (the table above, plus the state transforms).

    Args:
        phase: the week's phase (§2).
        experience: novice, intermediate or advanced (S5).
        week_of_block: 1–8 within the 8-week block (mesocycle step, L6 deload in 4 and 8).
        week_no: the training week since the block started (holds, S7).
        state: technique, layoff, deload, taper, race week or the marathon's last 10 days.

    Returns:
        The dose; `rules` names the rule ids it follows.
    """
    step = step_of(week_of_block)
    novice = experience is Experience.NOVICE
    low, mid, high = CONTACTS[experience]
    hold = hold_seconds(experience, week_no)
    sets = MAIN_SETS[experience]
    extra = NOVICE_EXTRA_RIR if novice else 0
    accessory_sets = 2
    accessory_max = 2 if novice else 3

    if state is DoseState.UPPER_ONLY:
        return _light_dose(
            UPPER_ROW,
            UPPER_BODY,
            hold=hold,
            contacts=0,
            rules=("PH3", "S1", "S7"),
            why=(
                "Last 10 days before your race: upper body, core and mobility only, "
                "so your legs arrive fresh."
            ),
            state=state,
        )
    if state is DoseState.RACE_WEEK:
        return _light_dose(
            MAIN_LIFTS[(Phase.RACE_WEEK, 1)],
            PRIMER,
            hold=hold,
            contacts=low // 2,
            rules=("PH3",),
            why="Race week primer: light, short and sharp; at most 2 sets, far from failure.",
            state=state,
        )
    if state is DoseState.TAPER:
        return _light_dose(
            MAIN_LIFTS[(Phase.TAPER, 1)],
            PRIMER,
            extra_rir=extra,
            hold=hold,
            contacts=low // 2,
            rules=("§2", "PH3"),
            why=(
                "Taper: about half the volume of race season with the weights kept heavy, "
                "so you keep your strength and your legs freshen up."
            ),
            state=state,
        )
    if state is DoseState.TECHNIQUE:
        return _light_dose(
            TECHNIQUE_ROW,
            MAINTENANCE,
            hold=hold,
            contacts=low,
            rules=("S5", "X4", "S8"),
            why="Technique week: light weights, smooth reps, learn the movements.",
            state=state,
        )
    if phase is Phase.RACE_SEASON:
        return _light_dose(
            MAIN_LIFTS[(Phase.RACE_SEASON, 1)],
            MAINTENANCE,
            extra_rir=extra,
            hold=hold,
            contacts=low,
            rules=("§2", "PH1", "PH2", "S4"),
            why="Race season: one heavy session with 2 work sets a week keeps your strength.",
            state=state,
        )
    lifting_phase = phase if phase in (Phase.BASE, Phase.BUILD) else Phase.BASE
    if state is DoseState.DELOAD:
        row = MAIN_LIFTS[(lifting_phase, 3)]
        rir, pct = _main(row, extra_rir=extra)
        # L6: −10 %, with the reserve that makes the heavy end coherent at it (S4)
        deload_rir = reserve_for(row.reps, math.floor(pct[1] * DELOAD_LOAD), rir[0] + 1)
        light = pct_range(row.reps, deload_rir, math.floor(pct[1] * DELOAD_LOAD))
        return Dose(
            main_sets=max(1, sets // 2),  # L6: half, never more: 4 → 2, 3 → 1, 2 → 1
            main_reps=row.reps,
            main_rir=deload_rir,
            pct=light,
            accessory_sets=1,
            accessory_max_sets=1,
            accessory_reps=ACCESSORY_REPS[1],
            core_exercises=2,
            core_sets=1,
            hold_s=hold,
            contacts=low // 2,  # L6: half of even the lightest normal week (S8)
            power_exercises=2,
            mobility_s=300,
            pad=False,
            rules=("L6",),
            why="Deload week: half the sets, about 10% lighter, no new maximums.",
            state=state,
        )
    row = MAIN_LIFTS[(lifting_phase, step)]
    rir, pct = _main(row, extra_rir=extra)
    dose = Dose(
        main_sets=sets,
        main_reps=row.reps,
        main_rir=rir,
        pct=pct,
        accessory_sets=accessory_sets,
        accessory_max_sets=accessory_max,
        accessory_reps=ACCESSORY_REPS[step],
        core_exercises=2,
        core_sets=2,
        hold_s=hold,
        contacts=(low, mid, high)[step - 1],
        power_exercises=3,
        mobility_s=300,
        pad=True,
        rules=(*row.rules, "S8", "L5"),
        why=_NORMAL_WHY[lifting_phase].format(step=step),
        state=state,
    )
    if state is DoseState.LAYOFF:
        # L7 with a log: the re-entry is 10–20 % off the load (progression.advise) at the
        # week's reps and reserve, so the climb back is on one scale; RIR 3–4 is for a runner
        # without a log (the technique weeks)
        first = MAIN_LIFTS[(lifting_phase, 1)]
        return replace(
            dose,
            main_sets=sets,  # S4: the phase's sets; the re-entry is lighter, not shorter
            pct=pct_range(dose.main_reps, dose.main_rir, first.cap),
            contacts=low,
            accessory_max_sets=2,
            rules=("L7", *dose.rules),
            why="Welcome back: a lighter week to pick the lifts up again after your break.",
        )
    return dose


_NORMAL_WHY: dict[Phase, str] = {
    Phase.BASE: (
        "Base phase, loading week {step} of 3 before a deload: strength, 5–8 reps, a little "
        "heavier each week."
    ),
    Phase.BUILD: (
        "Build phase, loading week {step} of 3 before a deload: heavy, 3–5 reps, and more power."
    ),
}


NEW_LIFT_MAX_PCT = 75
"""X4: the first two weeks of a new lift stay in the lighter end of S4's 70–85 %."""


def reserve_for(reps: tuple[int, int], cap: int, least: int) -> tuple[int, int]:
    """An RIR range (at least `least`) whose heavy end (reps[0] at RIR[0]) stays ≤ `cap` %."""
    low = max(least, math.ceil(37 - reps[0] - 36 * cap / 100))
    return (low, low + 1)


def lighter(dose: Dose) -> Dose:
    """X4: the first two weeks of a new lift use the lighter end: one more rep in reserve (or
    as many as keep it) at most 75 % 1RM, coherent (S4)."""
    cap = min(NEW_LIFT_MAX_PCT, dose.pct[1])
    least = reserve_for(dose.main_reps, cap, dose.main_rir[0] + 1)[0]
    rir = (least, max(least, dose.main_rir[1] + 1))
    low, high = pct_range(dose.main_reps, rir, cap)
    low = max(MIN_PCT, min(low, high - 3))  # S4's floor; within a rep of reserve
    return replace(dose, main_rir=rir, pct=(min(low, high), high))


def deload_of_new_lift(dose: Dose) -> Dose:
    """L6 + X4: a deload in a lift's first two weeks is 10 % under the new lift's cap."""
    high = min(dose.pct[1], math.floor(NEW_LIFT_MAX_PCT * DELOAD_LOAD))
    rir = reserve_for(dose.main_reps, high, dose.main_rir[0])
    return replace(dose, pct=pct_range(dose.main_reps, rir, high), main_rir=rir)


def capped(dose: Dose) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
    """PH3: reps, RIR and %1RM for lower-body lifts inside the last-heavy cut-off."""
    rir, pct = _main(CAPPED_ROW)
    return CAPPED_ROW.reps, rir, (min(pct[0], dose.pct[0]), min(pct[1], dose.pct[1]))


LIGHT_DAY_MAX_PCT = 77
"""X6/S2: the lighter of two heavy lower-body lifts (or days) stays under 80 % 1RM."""


def light_day(dose: Dose) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
    """X6/S2: reps, RIR and %1RM for the lighter lower-body lift: the same reps, more in
    reserve, ≤ 77 % 1RM, coherent (the reserve is chosen so the heavy end stays under the cap)."""
    reps = dose.main_reps
    low_rir = max(dose.main_rir[0] + 1, math.ceil(37 - reps[0] - 36 * LIGHT_DAY_MAX_PCT / 100))
    rir = (low_rir, low_rir + 1)
    return reps, rir, pct_range(reps, rir, LIGHT_DAY_MAX_PCT)


def masters_technique_deload(dose: Dose) -> Dose:
    """X6 + L6: a deload inside the masters' 4-week technique block: half the sets of 8–10
    reps at RIR 4–5 (≤ 70 % 1RM)."""
    reps, cap = TECHNIQUE_ROW.reps, 63  # L6: 10 % under the technique block's 70 %
    rir = reserve_for(reps, cap, TECHNIQUE_ROW.rir[0] + 1)
    return replace(dose, main_reps=reps, main_rir=rir, pct=pct_range(reps, rir, cap))


__all__ = [
    "CONTACTS",
    "MAIN_LIFTS",
    "Dose",
    "DoseState",
    "capped",
    "deload_of_new_lift",
    "dose_for",
    "hold_seconds",
    "light_day",
    "lighter",
    "masters_technique_deload",
    "pct_1rm",
    "pct_range",
    "reps_in_reserve",
    "rest_for_load",
    "step_of",
]
