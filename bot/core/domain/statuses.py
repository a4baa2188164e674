"""Where a session, a reminder and a half-finished conversation stand.

Stored as their string values (the columns are plain strings, so no data migration): a
`StrEnum` compares equal to its value, and a typo becomes an error instead of a silent miss.
"""

from __future__ import annotations

from enum import StrEnum


class SessionStatus(StrEnum):
    """A planned strength session's life: planned, then done, skipped, moved, missed or dropped."""

    PLANNED = "planned"
    DONE = "done"
    SKIPPED = "skipped"
    """The runner said so (a button or "skip"); not made up later (X3)."""
    MOVED = "moved"
    """Moved to another day: a new planned row carries it there (`moved_from`)."""
    CANCELLED = "cancelled"
    """Dropped by a re-plan (a changed week, race or profile)."""
    MISSED = "missed"
    """Its day ended without a log."""


SHOWN_STATUSES = (SessionStatus.PLANNED, SessionStatus.DONE, SessionStatus.SKIPPED)
"""What /plan lists: a moved, dropped or missed row is not a session any more."""
OVER_STATUSES = (
    SessionStatus.SKIPPED,
    SessionStatus.CANCELLED,
    SessionStatus.MOVED,
)
"""A session in one of these takes no log and no button press."""


class ReminderStatus(StrEnum):
    """A reminder row on its way out: pending → claimed → sending → sent (or one of the ends)."""

    PENDING = "pending"
    CLAIMED = "claimed"
    """Taken by one delivery job; no other sends it."""
    SENDING = "sending"
    """Handed to Telegram; a crash now leaves it `unknown`, never sent twice."""
    SENT = "sent"
    UNKNOWN = "unknown"
    """The process died mid-send: Telegram may or may not have it, so it is not resent."""
    MISSED = "missed"
    """Fell due while the runner had paused reminders (or blocked the bot): never sent late."""
    CANCELLED = "cancelled"
    FAILED = "failed"
    """Telegram refused it for good (after the retries)."""


class DraftKind(StrEnum):
    """Which conversation a stored draft belongs to (one draft per runner and kind)."""

    ONBOARDING = "onboarding"
    SETTINGS = "settings"
    SWAP = "swap"
    """The exercises offered by /swap, so a press picks from what was shown."""
    WEEK = "week"
    """A changed week waiting for "Use this week"."""
    ADAPT_ASK = "adapt_ask"
    """A question the bot asked (which part hurts, which race) awaiting a typed answer."""
    LOG_CONFIRM = "log_confirm"
    """A half-read set log waiting for "Log it"."""
    CALENDAR = "calendar"
    """A calendar that arrived mid-onboarding, held until the plan is built."""
