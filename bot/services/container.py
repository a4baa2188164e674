"""The services a handler or job reaches through `context.services`; built by `bot.app`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.core.catalogue.loader import Catalogue
from bot.core.domain.errors import CalendarError
from bot.core.domain.runs import SyncedActivity
from bot.core.runs.errors import IntervalsUnavailable
from bot.ports import ActivityFeed, CalendarFetcher, Clock, ReminderScheduler
from bot.storage.db import Database


class NullReminderScheduler:
    """Used until the real scheduler is wired (and by tools that never send reminders)."""

    def schedule(self, reminder_id: int, due_at: datetime) -> None:
        return None

    def cancel(self, reminder_id: int) -> None:
        return None


class NoCalendarFetcher:
    """Used where feeds are not wired (tools); a pasted feed URL gets one clear line."""

    async def fetch(self, url: str) -> bytes:
        raise CalendarError("your calendar feed: feeds cannot be fetched here; send the .ics file")


class NoActivityFeed:
    """Used where intervals.icu is not wired (tools): every call is "unavailable"."""

    async def check_key(self, key: str) -> bool:
        raise IntervalsUnavailable("intervals.icu cannot be reached from here")

    async def activities(
        self, key: str, oldest: date, newest: date, zone: tzinfo
    ) -> list[SyncedActivity]:
        raise IntervalsUnavailable("intervals.icu cannot be reached from here")

    async def aclose(self) -> None:
        return None


@dataclass
class Services:
    """Everything a use case needs; one instance per Application."""

    settings: Settings
    db: Database
    clock: Clock
    catalogue: Catalogue
    scheduler: ReminderScheduler = field(default_factory=NullReminderScheduler)
    fetcher: CalendarFetcher = field(default_factory=NoCalendarFetcher)
    intervals: ActivityFeed = field(default_factory=NoActivityFeed)

    def now(self) -> datetime:
        return self.clock.now()

    def today_in(self, timezone: str) -> date:
        """The runner's local calendar date right now."""
        return self.clock.now().astimezone(ZoneInfo(timezone)).date()
