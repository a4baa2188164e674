"""Protocols the services depend on, so the core never imports a concrete clock or scheduler."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Protocol

from bot.core.domain.runs import SyncedActivity


class Clock(Protocol):
    """Tells the current time, always as an aware UTC datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The wall clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class OffsetClock:
    """The wall clock shifted by an adjustable offset: the demo's fast-forward, and tests.

    It keeps ticking at the wall clock's pace (so APScheduler's real-time jobs still fire when
    the shifted clock says they are due) but can start at any instant, past or future.
    """

    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self.offset = offset

    @classmethod
    def starting_at(cls, instant: datetime) -> OffsetClock:
        """A clock that reads `instant` now and ticks on from there: a test or the demo pins
        the day and hour it runs at, whatever the wall clock says."""
        if instant.tzinfo is None:
            raise ValueError("use an aware datetime")
        return cls(instant - datetime.now(UTC))

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        """Moves the clock forward; it never goes back, so due work stays due."""
        if delta > timedelta(0):
            self.offset += delta


class ReminderScheduler(Protocol):
    """Asks for a reminder row to be delivered at its due time (the database stays the truth)."""

    def schedule(self, reminder_id: int, due_at: datetime) -> None: ...

    def cancel(self, reminder_id: int) -> None: ...


class CalendarFetcher(Protocol):
    """Fetches a calendar feed URL a runner pasted (https/webcal); the adapter enforces limits.

    Raises `CalendarError` with one line a runner understands when the feed cannot be had.
    """

    async def fetch(self, url: str) -> bytes: ...


class ActivityFeed(Protocol):
    """A runner's activities from intervals.icu with their own API key (`bot.intervals_icu`).

    Raises the `bot.core.runs` errors: `IntervalsKeyRefused`, `IntervalsRateLimited`,
    `IntervalsUnavailable`; their messages never hold the key.
    """

    async def check_key(self, key: str) -> bool: ...

    async def activities(
        self, key: str, oldest: date, newest: date, zone: tzinfo
    ) -> list[SyncedActivity]: ...

    async def aclose(self) -> None: ...
