"""Pure run reading: a run file in, a `RunRecord` out; how a run is shown and judged.

`read_run_file` reads .fit (fitdecode), .gpx (gpxpy) and .tcx (defusedxml), bare or in one
.zip/.gz, with sizes and work capped; every failure is a `RunFileError` of one friendly line.
"""

from bot.core.domain.runs import RunRecord, RunSource, Sport, SyncedActivity
from bot.core.runs.archive import MAX_BYTES
from bot.core.runs.errors import (
    IntervalsError,
    IntervalsKeyRefused,
    IntervalsRateLimited,
    IntervalsUnavailable,
    RunFileError,
)
from bot.core.runs.lines import format_duration, format_run_line, is_overrun, planned_duration
from bot.core.runs.reader import read_run_file

__all__ = [
    "MAX_BYTES",
    "IntervalsError",
    "IntervalsKeyRefused",
    "IntervalsRateLimited",
    "IntervalsUnavailable",
    "RunFileError",
    "RunRecord",
    "RunSource",
    "Sport",
    "SyncedActivity",
    "format_duration",
    "format_run_line",
    "is_overrun",
    "planned_duration",
    "read_run_file",
]
