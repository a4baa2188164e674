"""The plan the planner returns: weeks of sessions of blocks of exercise prescriptions.

`Plan.model_dump(mode="json")` is the JSON interface of `runlift plan`:
``{"weeks": [{"week_start", "phase", "sessions": [{"date", "weekday", "after_run", "name",
"reason", "duration_min", "blocks": [{"kind", "exercises": [{"id", "name", "sets", "reps",
"per_side", "hold_s", "load", "rest_s", ...}]}]}]}]}``. A few extra fields (`notes`, `deload`,
`cue`, `rir` next to `pct_1rm`, `lb`) add detail without changing the named ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, model_serializer

from bot.core.domain.profile import DayKind, Priority, RaceDistance, Units, Weekday

KG_PER_LB = 0.45359237


@dataclass(frozen=True, slots=True)
class _Shape:
    names: frozenset[str]
    required: frozenset[str]
    template: dict[str, Any]
    """Every field in declaration order, with its default (None where it has none)."""


@cache
def _shape(cls: type[BaseModel]) -> _Shape | None:
    fields = cls.model_fields
    if any(f.alias or f.validation_alias or f.default_factory for f in fields.values()):
        return None  # not this shortcut's kind of model: pydantic's own construct
    return _Shape(
        names=frozenset(fields),
        required=frozenset(name for name, f in fields.items() if f.is_required()),
        template={name: None if f.is_required() else f.default for name, f in fields.items()},
    )


class _Trusted(BaseModel):
    """A frozen plan model. The planner builds thousands of these per second from values it
    made itself (bench/planner.py: ≥ 1,000 runner-weeks/s), so `model_construct` skips
    pydantic's per-field alias search: it fills the defaults from one template per class. Any
    other call (a missing required field, an unknown name) goes to pydantic's own."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    @classmethod
    def model_construct(  # type: ignore[override]  # pydantic's mypy plugin types it per model
        cls, _fields_set: set[str] | None = None, **values: Any
    ) -> Self:
        shape = _shape(cls)
        if shape is None or not shape.required <= values.keys() <= shape.names:
            return super().model_construct(_fields_set, **values)
        data = shape.template.copy()
        data.update(values)  # declaration order kept: updating a key keeps its place
        model = cls.__new__(cls)
        object.__setattr__(model, "__dict__", data)
        object.__setattr__(
            model, "__pydantic_fields_set__", set(values) if _fields_set is None else _fields_set
        )
        object.__setattr__(model, "__pydantic_extra__", None)
        object.__setattr__(model, "__pydantic_private__", None)
        return model


class Phase(StrEnum):
    """Where the runner is on the way to the goal race (docs/coaching.md §2)."""

    BASE = "base"
    BUILD = "build"
    RACE_SEASON = "race_season"
    TAPER = "taper"
    RACE_WEEK = "race_week"
    RECOVERY = "recovery"


class BlockKind(StrEnum):
    """The parts of a session, in the order of seed 002's template (S1)."""

    MOBILITY = "mobility"
    POWER = "power"
    STRENGTH = "strength"
    ACCESSORY = "accessory"
    CORE = "core"


class Load(_Trusted):
    """How heavy: exactly one of `pct_1rm`, `rir`, `kg` or `bodyweight` leads (L1).

    `rir` may sit next to `pct_1rm` or `kg` as guidance ("a weight you could lift 2–3 more
    times"): with kilograms from the log it is the reserve the next session aims for (L3).
    Weights are stored in kg; when the runner works in pounds `lb` holds the rounded display
    value so 135 lb stays 135 lb rather than 61.2 kg converted back. Unset fields are left out of
    the JSON form.
    """

    pct_1rm: tuple[int, int] | None = None
    rir: tuple[int, int] | int | None = None
    kg: float | None = None
    lb: float | None = None
    bodyweight: bool | None = None

    @model_serializer(mode="wrap")
    def _drop_unset(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        return {key: value for key, value in data.items() if value is not None}

    @classmethod
    def percent(cls, low: int, high: int, rir: tuple[int, int] | None = None) -> Load:
        """A %1RM range, optionally with reps-in-reserve guidance."""
        return cls.model_construct(pct_1rm=(low, high), rir=rir)

    @classmethod
    def reserve(cls, rir: tuple[int, int] | int) -> Load:
        """Load by effort only: pick a weight that leaves `rir` reps in the tank."""
        return cls.model_construct(rir=rir)

    @classmethod
    def weight(cls, value: float, units: Units = Units.KG) -> Load:
        """A concrete weight in the runner's units (stored in kg, `lb` kept for display)."""
        if units is Units.LB:
            return cls.model_construct(kg=round(value * KG_PER_LB, 2), lb=value)
        return cls.model_construct(kg=value)

    @classmethod
    def body(cls) -> Load:
        """Bodyweight, holds and drills: progress by reps, time or variation (L5, S6)."""
        return cls.model_construct(bodyweight=True)

    @property
    def is_weight(self) -> bool:
        return self.kg is not None

    def weight_in(self, units: Units) -> float | None:
        """The weight in the runner's units, or None when the load is not a weight."""
        if self.kg is None:
            return None
        if units is Units.LB:
            return self.lb if self.lb is not None else round(self.kg / KG_PER_LB, 1)
        return self.kg


class Prescription(_Trusted):
    """One exercise in a session with its target: sets × reps (or holds) at a load, rest."""

    id: str
    name: str
    sets: int
    reps: tuple[int, int]
    per_side: bool = False
    hold_s: int | None = None
    load: Load
    rest_s: int
    cue: str | None = None
    warmup_sets: int = 0
    show_cue: bool = False
    """X4: the first two times the runner meets the exercise, the cue is shown with it."""
    note: str | None = None
    """Why this load (from the log, L3–L7): "Every set hit the top of the range: up 2.5 kg."""
    tempo: str | None = None
    """A progression step in the prescription itself (L5, L11): "3 s down"."""


ExercisePrescription = Prescription


class Block(_Trusted):
    """One part of a session (S1)."""

    kind: BlockKind
    exercises: tuple[Prescription, ...]


class Session(_Trusted):
    """One planned strength session on one day, with the reason it sits there (P8)."""

    date: date
    weekday: Weekday
    after_run: DayKind | None
    name: str
    reason: str
    duration_min: int
    blocks: tuple[Block, ...]
    focus: str | None = None
    """The coaching why of the session's dose: phase, week, deload, taper (P8, §2)."""

    def exercises(self) -> tuple[Prescription, ...]:
        return tuple(ex for block in self.blocks for ex in block.exercises)


PlannedSession = Session


class PlanWeek(_Trusted):
    """A Monday–Sunday week: its phase, sessions and what a runner should know about it."""

    week_start: date
    phase: Phase
    sessions: tuple[Session, ...]
    deload: bool = False
    week_of_block: int = 1
    notes: tuple[str, ...] = ()


class RunDay(_Trusted):
    """What a planned date holds: its run kind and, for a race, its distance and priority."""

    kind: str
    distance: RaceDistance | None = None
    priority: Priority | None = None

    @model_serializer(mode="wrap")
    def _drop_unset(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        return {key: value for key, value in data.items() if value is not None}


class PlanRace(_Trusted):
    """One race of the season the plan was made for (PH5), spelt like the profile's races."""

    race_date: date
    race_distance: RaceDistance
    priority: Priority


class Plan(_Trusted):
    """Consecutive weeks; the first may start mid-week (days before `start` are dropped).

    `run_days` (date → kind, a race with its distance and priority) and `races` show what the
    plan was made around, so a coach can judge a calendar's plan too."""

    weeks: tuple[PlanWeek, ...]
    races: tuple[PlanRace, ...] = ()
    run_days: dict[date, RunDay] = {}

    def sessions(self) -> tuple[Session, ...]:
        return tuple(session for week in self.weeks for session in week.sessions)
