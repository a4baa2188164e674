"""What can go wrong reading a run: a file the runner sent, or intervals.icu.

Each message is one friendly line a handler can send as it is. They live in the core (not beside
the intervals.icu client) so use cases can catch them without importing an adapter.
"""

from __future__ import annotations

from bot.core.domain.errors import RunliftError


class RunFileError(RunliftError, ValueError):
    """A run file could not be read (empty, damaged, too big, not a run file); one line."""


class IntervalsError(RunliftError):
    """intervals.icu could not be asked; the message never holds the runner's API key."""


class IntervalsUnavailable(IntervalsError):  # noqa: N818 - reads as what happened
    """No usable answer: a timeout, a 5xx, an unexpected status or an unreadable body."""


class IntervalsKeyRefused(IntervalsError):  # noqa: N818 - reads as what happened
    """intervals.icu refused the API key (401): revoked or mistyped."""


class IntervalsRateLimited(IntervalsError):  # noqa: N818 - reads as what happened
    """intervals.icu asked us to slow down (429); try again after `retry_after_s` seconds."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"intervals.icu asked to wait {retry_after_s} s before asking again")
        self.retry_after_s = retry_after_s
