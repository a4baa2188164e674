"""The runner's profile: what onboarding collects and what the planner reads.

Its JSON form is the interface of `runlift plan --profile FILE.json` (see README).
"""

from __future__ import annotations

from datetime import date, time
from enum import StrEnum
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    field_validator,
    model_validator,
)


class Weekday(StrEnum):
    """Days as runners write them; `list(Weekday)` is Monday-first like `date.weekday()`."""

    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @classmethod
    def of(cls, day: date) -> Weekday:
        return WEEKDAYS[day.weekday()]

    @property
    def number(self) -> int:
        """0 for Monday … 6 for Sunday, as `date.weekday()`."""
        return WEEKDAYS.index(self)

    @property
    def title(self) -> str:  # type: ignore[override]
        return _DAY_TITLES[self]


WEEKDAYS: tuple[Weekday, ...] = tuple(Weekday)
_DAY_TITLES = dict(
    zip(
        WEEKDAYS,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)


class DayKind(StrEnum):
    """What the runner does on a day (docs/coaching.md §1)."""

    REST = "rest"
    EASY = "easy"
    TEMPO = "tempo"
    INTERVALS = "intervals"
    LONG = "long"
    CROSS = "cross"

    @property
    def is_hard(self) -> bool:
        """Hard runs (tempo, intervals) are where strength goes by default (P1)."""
        return self in (DayKind.TEMPO, DayKind.INTERVALS)

    @property
    def is_key(self) -> bool:
        """Key runs must not follow a strength day (P3)."""
        return self in (DayKind.TEMPO, DayKind.INTERVALS, DayKind.LONG)

    @property
    def is_run(self) -> bool:
        return self not in (DayKind.REST, DayKind.CROSS)


class RaceDistance(StrEnum):
    FIVE_K = "5k"
    TEN_K = "10k"
    HALF_MARATHON = "half_marathon"
    MARATHON = "marathon"
    ULTRA = "ultra"


class Experience(StrEnum):
    NOVICE = "novice"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class Equipment(StrEnum):
    GYM = "gym"
    DUMBBELLS = "dumbbells"
    KETTLEBELL = "kettlebell"
    BODYWEIGHT = "bodyweight"
    BOX = "box"
    BAND = "band"
    PULLUP_BAR = "pullup_bar"


class Placement(StrEnum):
    """Where strength goes: after hard runs (seeds 000, 004) or on separate days (001, 003)."""

    AFTER_HARD_RUNS = "after_hard_runs"
    SEPARATE_DAYS = "separate_days"


class Limitation(StrEnum):
    KNEE = "knee"
    ACHILLES = "achilles"
    HIP = "hip"
    LOWER_BACK = "lower_back"
    SHOULDER = "shoulder"
    CALF = "calf"
    """X5: a calf strain or soreness: like `achilles` at first, then a graded return."""


class Units(StrEnum):
    KG = "kg"
    LB = "lb"


MASTERS_AGE = 50
"""X6: the age from which the masters rules apply."""


class Goal(BaseModel):
    """A race to peak for; `RunnerProfile.goal is None` means general fitness."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    race_distance: RaceDistance
    race_date: date


class Priority(StrEnum):
    """How much a race matters (PH5): A the goal, B a tune-up that matters, C run as training."""

    A = "A"
    B = "B"
    C = "C"


class SeasonRace(Goal):
    """Another race of the season, spelt like the goal plus an optional priority (PH5).

    Without a priority the planner classifies it (`bot.core.planner.season.classify`)."""

    priority: Priority | None = None

    @field_validator("priority", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value


def _check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"{value!r} is not an IANA time zone name (e.g. Europe/London, America/New_York)"
        ) from None
    return value


SessionsPerWeek = Annotated[int, Field(ge=1, le=3)]
Age = Annotated[int, Field(ge=10, le=100)]
"""X6: an optional age in years; 50 and over switches on the masters rules."""
OwnedLoad = Annotated[float, Field(gt=0, le=200)]
"""One owned kettlebell or dumbbell in kg (L8's sanity bounds: a bell is never 0 or 500 kg)."""
ClockTime = Annotated[time, PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str)]
"""A local wall-clock time, written `HH:MM` in JSON."""


class RunnerProfile(BaseModel):
    """Everything the planner and the reminders need to know about one runner."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    timezone: str = "Europe/London"
    week: dict[Weekday, DayKind]
    run_times: dict[Weekday, ClockTime] = Field(default_factory=dict)
    goal: Goal | None = None
    races: tuple[SeasonRace, ...] = Field(
        default=(),
        description="The season's other races (PH5); the goal stays the A race.",
    )
    experience: Experience = Experience.INTERMEDIATE
    equipment: tuple[Equipment, ...] = (Equipment.GYM,)
    sessions_per_week: SessionsPerWeek | None = None
    placement: Placement = Placement.AFTER_HARD_RUNS
    limitations: tuple[Limitation, ...] = ()
    units: Units = Units.KG
    session_time: ClockTime | None = Field(
        default=None,
        description="When strength happens on a day without a run time (separate days).",
    )
    kettlebells_kg: tuple[OwnedLoad, ...] | None = Field(
        default=None,
        description="Kettlebells the runner owns, e.g. [12, 16, 24] (L4: loads round to them).",
    )
    dumbbells_kg: tuple[OwnedLoad, ...] | None = Field(
        default=None,
        description="The dumbbells the runner owns, per hand (L4: loads round to them).",
    )
    age: Age | None = Field(
        default=None,
        description="Age in years, optional (X6: 50 and over get the masters rules).",
    )

    @field_validator("timezone")
    @classmethod
    def _valid_timezone(cls, value: str) -> str:
        return _check_timezone(value)

    @field_validator("kettlebells_kg", "dumbbells_kg", mode="after")
    @classmethod
    def _sorted_loads(cls, value: tuple[float, ...] | None) -> tuple[float, ...] | None:
        return None if value is None else tuple(sorted(set(value)))

    @model_validator(mode="before")
    @classmethod
    def _a_race_is_the_goal(cls, data: Any) -> Any:
        """PH5: without a goal, the first race marked A is the goal (the phases count to it)."""
        if not isinstance(data, dict) or data.get("goal") or not data.get("races"):
            return data
        races = list(data["races"])
        for index, race in enumerate(races):
            if isinstance(race, dict) and str(race.get("priority") or "").strip().upper() == "A":
                goal = {k: v for k, v in race.items() if k in ("race_date", "race_distance")}
                return {**data, "goal": goal, "races": races[:index] + races[index + 1 :]}
        return data

    @field_validator("races", mode="after")
    @classmethod
    def _one_race_a_day(cls, value: tuple[SeasonRace, ...]) -> tuple[SeasonRace, ...]:
        """Date order, one race a day (the later entry wins: a changed priority)."""
        by_day = {race.race_date: race for race in value}
        return tuple(by_day[day] for day in sorted(by_day))

    @field_validator("equipment", "limitations", mode="after")
    @classmethod
    def _dedupe(cls, value: tuple[StrEnum, ...]) -> tuple[StrEnum, ...]:
        return tuple(dict.fromkeys(value))

    @model_validator(mode="after")
    def _complete_week(self) -> RunnerProfile:
        missing = [day.value for day in WEEKDAYS if day not in self.week]
        if missing:
            raise ValueError(f"week: give a kind for every day (missing: {', '.join(missing)})")
        if not self.equipment:
            raise ValueError('equipment: list at least one, e.g. ["bodyweight"]')
        return self

    @property
    def masters(self) -> bool:
        """X6: 50 or over (LIFTMOR, Watson et al. 2018: heavy work, after a longer run-in)."""
        return self.age is not None and self.age >= MASTERS_AGE

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def day_kind(self, day: date) -> DayKind:
        return self.week[Weekday.of(day)]

    def time_for(self, weekday: Weekday, fallback: time = time(18, 0)) -> time:
        """When the runner is usually done on that day: its run time, else a shared time."""
        if weekday in self.run_times:
            return self.run_times[weekday]
        if self.session_time is not None:
            return self.session_time
        if self.run_times:
            return sorted(self.run_times.values())[len(self.run_times) // 2]
        return fallback
