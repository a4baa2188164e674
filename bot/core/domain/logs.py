"""What a runner did: logged sets, per-exercise logs, parse results and e1RM (L2, L8).

`ExerciseLog` is what the planner's progression reads (oldest first); `ParsedLog` is what
`bot.core.setlog.parse_set_log` returns from a chat message. Loads are kilograms at full
precision so a set typed in pounds converts back to exactly what the runner wrote.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from bot.core.domain.profile import Units

E1RM_MAX_REPS = 10
"""L2: estimate a 1RM only from sets of 1–10 reps (most accurate at 3–6)."""

E1RM_MAX_TO_FAILURE = 12
"""L2/L9: and at most 12 reps to failure (reps + RIR): Brzycki grows unreliable past it."""

_SAME_LOAD_KG = 1e-6


class LoggedSet(BaseModel):
    """One performed set: reps or a hold, optionally at a load (added load when `bodyweight`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    set_no: int
    reps: int | None = None
    load_kg: float | None = None
    hold_s: int | None = None
    rir: int | None = None
    per_side: bool = False
    bodyweight: bool = False


class ExerciseLog(BaseModel):
    """One exercise on one day, with the target beside what was done (wger's target vs actual)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    exercise_id: str
    performed_on: date
    target_reps: tuple[int, int] | None = None
    target_load_kg: float | None = None
    target_sets: int | None = None
    sets: tuple[LoggedSet, ...]
    target_hold_s: int | None = None


class ParsedEntry(BaseModel):
    """One exercise read from a message; `units` are the units its loads were written in."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    exercise_id: str
    exercise_name: str
    sets: tuple[LoggedSet, ...]
    units: Units = Units.KG
    raw: str = ""


class LineProblem(BaseModel):
    """A line the parser could not (or would not) read, with a line that would work."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    raw: str
    message: str
    example: str


class ParsedLog(BaseModel):
    """A whole message: sets, or one of the one-word answers ("done", "skip", "same").

    When both `entries` and `problems` are present the message was only half read: the caller
    asks the runner before logging anything.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["sets", "done", "skip", "same"]
    entries: tuple[ParsedEntry, ...] = ()
    problems: tuple[LineProblem, ...] = ()

    @property
    def complete(self) -> bool:
        """True when every line was read (nothing to confirm)."""
        return not self.problems


def estimate_1rm(load_kg: float | None, reps: int | None, rir: int | None = None) -> float | None:
    """L2/L9: the ONE load estimate runlift uses, Brzycki on reps to failure.

    `w × 36 / (37 − (reps + rir))`: the reps done plus the reps the runner says were left.
    Every prescription from logs (`bot.core.planner.progression`), /progress and the weekly
    summary read it, so a load and a chart never disagree. None outside 1–10 reps done or past
    12 reps to failure, or without a load (holds and bodyweight work have no e1RM).
    """
    if load_kg is None or reps is None or load_kg <= 0 or not 1 <= reps <= E1RM_MAX_REPS:
        return None
    to_failure = reps + max(0, rir or 0)
    if to_failure > E1RM_MAX_TO_FAILURE:
        return None
    return load_kg * 36 / (37 - to_failure)


def set_e1rm(logged: LoggedSet) -> float | None:
    """The e1RM of one logged set, or None for holds, bodyweight work and high-rep sets (L2)."""
    if logged.bodyweight or logged.hold_s is not None:
        return None
    return estimate_1rm(logged.load_kg, logged.reps, logged.rir)


def best_e1rm(sets: Iterable[LoggedSet]) -> float | None:
    """The highest e1RM among the sets, or None when none qualifies (L2)."""
    values = [value for value in map(set_e1rm, sets) if value is not None]
    return max(values) if values else None


def _load_key(logged: LoggedSet) -> tuple[bool, float]:
    return (logged.bodyweight, logged.load_kg or 0.0)


def is_personal_best(candidate: LoggedSet, previous: Iterable[LoggedSet]) -> bool:
    """L2: a higher e1RM than ever, or more reps than ever at the same load.

    A first log is a baseline, not a best; holds never count. Bodyweight sets count by reps
    at the same added load (no e1RM for them).
    """
    if candidate.reps is None or candidate.hold_s is not None:
        return False
    earlier = [s for s in previous if s.reps is not None and s.hold_s is None]
    if not earlier:
        return False
    mine = set_e1rm(candidate)
    theirs = best_e1rm(earlier)
    if mine is not None and theirs is not None and mine > theirs + _SAME_LOAD_KG:
        return True
    bodyweight, load = _load_key(candidate)
    same_load = [
        s.reps
        for s in earlier
        if s.reps is not None
        and s.bodyweight == bodyweight
        and s.per_side == candidate.per_side
        and abs((s.load_kg or 0.0) - load) < _SAME_LOAD_KG
    ]
    return bool(same_load) and candidate.reps > max(same_load)
