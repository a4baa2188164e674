"""The error taxonomy: one small class per failure mode under `RunliftError`.

Callers catch the specific class they can answer (a handler turns a `ProfileError` into "here is
what works"); anything else reaches the global error handler.
"""

from __future__ import annotations


class RunliftError(Exception):
    """Base of every expected runlift failure."""


class ProfileError(RunliftError, ValueError):
    """A runner profile (JSON file or answers) is invalid; the message names the field."""


class CatalogueError(RunliftError):
    """The exercise catalogue is inconsistent (duplicate id or alias, unknown substitute …)."""


class UnknownExerciseError(RunliftError, KeyError):
    """No catalogue exercise has that id."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown exercise"


class PlanningError(RunliftError):
    """The planner was asked for something it cannot plan (e.g. a non-positive week count)."""


class SetLogParseError(RunliftError, ValueError):
    """A set log that had to be read completely was not; the message lists each problem."""


class CalendarError(RunliftError, ValueError):
    """An .ics calendar could not be planned from (not iCalendar, empty, no runs); one line."""


class NotOnboardedError(RunliftError):
    """The runner asked for something that needs a profile before finishing onboarding."""
