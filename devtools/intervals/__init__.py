"""A local intervals.icu stand-in for tests and the demo (see `server`)."""

from devtools.intervals.server import Athlete, LocalIntervals

__all__ = ["Athlete", "LocalIntervals"]
