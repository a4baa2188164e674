"""A run as a watch or intervals.icu recorded it: what "the session arrives when the run does"
reads.

Times are aware UTC instants like every other stored time; the runner's zone is applied when a
run is shown (`bot.core.runs.format_run_line`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

Sport = Literal["run", "ride", "swim", "walk", "other"]
RunSource = Literal["fit", "gpx", "tcx", "intervals"]


class RunRecord(BaseModel):
    """One recorded activity: when it started, how far, how long moving, the average HR."""

    model_config = ConfigDict(frozen=True)

    start: AwareDatetime
    distance_m: float = Field(ge=0)
    moving_time_s: int = Field(ge=0)
    average_hr: int | None = Field(default=None, gt=0, lt=260)
    sport: Sport
    source: RunSource

    @field_validator("start")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        """Stored as UTC so two records compare and sort without their zones."""
        return value.astimezone(UTC)

    @property
    def is_run(self) -> bool:
        """Only a run counts as the run a session follows; a ride or a walk does not."""
        return self.sport == "run"


class SyncedActivity(BaseModel):
    """One activity intervals.icu listed for the runner.

    `record` is None for an activity synced from Strava: intervals.icu may not share Strava's
    metrics through its API, so it lists only the id and start. Such a stub counts as a run done
    (a runner's synced activity is almost always the run), with nothing to show about it.
    """

    model_config = ConfigDict(frozen=True)

    id: str = Field(min_length=1)
    start: AwareDatetime
    record: RunRecord | None = None

    @field_validator("start")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)

    @property
    def is_run(self) -> bool:
        """A run with metrics, or a stub whose metrics were withheld."""
        return self.record is None or self.record.is_run
