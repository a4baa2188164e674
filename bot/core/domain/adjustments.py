"""Adjustments: what the runner told the coach that bends the plan, stored as data.

adjustments are data: pain by body part (X2), a swap (this session or "always",
S6), a readiness answer (tired / sore trims one day) and a one-off week change (dated run days
for one week, X3) are rows with a date range. The plan is the core applied to profile +
adjustments + history (`bot.core.planner.adjust`), and /plan shows each active adjustment's
one-line `reason`. Each ends by its own rule: pain when it is back to ≤ 3, a week change when
its week is over, a readiness answer after its day, a swap after its session or when the runner
takes it back.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from bot.core.domain.profile import DayKind, Limitation, Weekday

PAIN_CARRY_ON_MAX = 3
"""X2: pain ≤ 3 out of 10: carry on (and an earlier pain adjustment for that part ends)."""

PAIN_REDUCE_MAX = 5
"""X2: pain 4–5: drop the load 20 % and swap to the substitute for that body part."""

PAIN_LOAD_FACTOR = 0.8
"""X2: "drop the load 20 %"."""


class PainLevel(StrEnum):
    """X2's three bands."""

    CARRY_ON = "carry_on"
    REDUCE = "reduce"
    STOP = "stop"

    @classmethod
    def of(cls, score: int) -> PainLevel:
        if score <= PAIN_CARRY_ON_MAX:
            return cls.CARRY_ON
        if score <= PAIN_REDUCE_MAX:
            return cls.REDUCE
        return cls.STOP


class _Base(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    starts: date
    ends: date | None = None
    """Inclusive; None means until the runner says otherwise."""
    reason: str

    def active_on(self, day: date) -> bool:
        return self.starts <= day and (self.ends is None or day <= self.ends)

    def active_between(self, first: date, last: date) -> bool:
        return self.starts <= last and (self.ends is None or first <= self.ends)


class PainAdjustment(_Base):
    """X2: pain in one body part; in force until the runner says it is ≤ 3."""

    kind: Literal["pain"] = "pain"
    part: Limitation
    score: int = Field(ge=0, le=10)

    @property
    def level(self) -> PainLevel:
        return PainLevel.of(self.score)


class SwapAdjustment(_Base):
    """S6: one exercise replaced by another, on one session's date or (no `ends`) always."""

    kind: Literal["swap"] = "swap"
    exercise_id: str
    replacement_id: str
    session: str | None = None
    """For a one-session swap: that session's name (A, B …), so the swap follows the session
    when it is moved or its week changes."""


class Readiness(StrEnum):
    FRESH = "fresh"
    TIRED = "tired"
    SORE = "sore"


class ReadinessAdjustment(_Base):
    """A tired or sore day: one set fewer per lift, no plyometrics, one more rep in reserve."""

    kind: Literal["readiness"] = "readiness"
    state: Readiness


class WeekAdjustment(_Base):
    """A one-off change to one week's runs: these weekdays have these kinds that week (X3)."""

    kind: Literal["week"] = "week"
    days: dict[Weekday, DayKind]

    @property
    def monday(self) -> date:
        return self.starts - timedelta(days=self.starts.weekday())


Adjustment = Annotated[
    PainAdjustment | SwapAdjustment | ReadinessAdjustment | WeekAdjustment,
    Field(discriminator="kind"),
]
ADJUSTMENT = TypeAdapter(Adjustment)
"""Reads an adjustment back from its JSON form (`ADJUSTMENT.validate_python(data)`)."""


def week_of(day: date) -> tuple[date, date]:
    """Monday and Sunday of `day`'s week: a week change lasts exactly that long."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


__all__ = [
    "ADJUSTMENT",
    "PAIN_CARRY_ON_MAX",
    "PAIN_LOAD_FACTOR",
    "PAIN_REDUCE_MAX",
    "Adjustment",
    "PainAdjustment",
    "PainLevel",
    "Readiness",
    "ReadinessAdjustment",
    "SwapAdjustment",
    "WeekAdjustment",
    "week_of",
]
