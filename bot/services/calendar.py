"""Use cases of a linked calendar: link a file or feed, show it, fix a day, re-sync, unlink.

Each use case is one short transaction: read (or fetch before it), store what was read beside
the profile, and re-sync the plan so /plan and the reminders follow.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.calendar.feeds import feed_url
from bot.core.calendar.reader import MAX_BYTES
from bot.core.calendar.setup import SetupFacts, calendar_zone, setup_facts
from bot.core.dates import monday_of
from bot.core.domain.errors import CalendarError
from bot.core.domain.profile import DayKind, Goal, RunnerProfile, Weekday
from bot.core.domain.rundays import RunKind
from bot.services import calendar_pending, planning
from bot.services.calendar_reading import read_untrusted
from bot.services.calendar_state import (
    StoredCalendar,
    calendar_goal,
    planning_inputs,
    stored_calendar,
)
from bot.services.container import Services
from bot.storage import runners
from bot.storage.tables import Runner

log = logging.getLogger(__name__)

LOOKAHEAD_DAYS = 366
"""Read a year ahead, so a race months away still sets the goal and the phases (PH1–PH4)."""

SHOWN_DAYS = 14
"""/calendar shows the next two weeks, the horizon of /plan."""


@dataclass(frozen=True, slots=True)
class ShownDay:
    """One row of /calendar: the day's run as the planner will read it."""

    day: date
    kind: RunKind
    time: time | None
    title: str
    source: str
    """"calendar", "fixed" (the runner corrected it) or "template" (a week without runs)."""
    session: str | None
    """The strength session planned that day ("A", "B", "Primer"), if any."""


@dataclass(frozen=True)
class CalendarView:
    """What /calendar shows."""

    linked: bool
    name: str = ""
    url: str | None = None
    synced_on: date | None = None
    days: tuple[ShownDay, ...] = ()
    notes: tuple[str, ...] = ()
    goal: Goal | None = None
    last_error: str | None = None
    other_race: Goal | None = None
    """The calendar's race when it differs from the goal the runner gave (they choose)."""


async def link_calendar(
    services: Services,
    runner_id: int,
    data: bytes,
    *,
    name: str,
    url: str | None = None,
    queue_for: float | None = None,
) -> CalendarView | None:
    """Read an .ics the runner sent (or a feed's body), store it and re-plan.

    The file is read first, in a killable child (`calendar_reading`), and only then is the
    short write transaction opened: a slow or hostile file never holds the database's write
    lock that every other runner's update needs. `queue_for`: how long the read may wait for
    a free reader (by default the read's own deadline covers the wait).

    Returns:
        What /calendar would show, or None for a runner who has not finished onboarding.

    Raises:
        CalendarError: not iCalendar, empty, no runs, or too big to read; one line.
    """
    async with services.db.reading() as session:
        found = await planning.onboarded(session, runner_id)
        if found is None:
            return None
        runner, profile = found
    today = services.today_in(profile.timezone)
    monday = monday_of(today)
    read = await read_untrusted(
        data,
        start=monday,
        end=today + timedelta(days=LOOKAHEAD_DAYS),
        zone=profile.timezone,
        name=name,
        queue_for=queue_for,
    )
    async with services.db.session() as session, session.begin():
        found = await planning.onboarded(session, runner_id)
        if found is None:
            return None
        runner, profile = found
        old = stored_calendar(runner.profile)
        stored = StoredCalendar.from_runs(read, name=name, url=url, today=today)
        if old is not None:
            # the runner's day fixes are their word about those days, whatever source replaces
            # the calendar (a feed link after a file); race choices belong to the same source
            keep = {d: k for d, k in old.fixes.items() if d >= monday}
            same = old.url == url
            stored = stored.model_copy(
                update={
                    "fixes": keep,
                    "use_calendar_race": old.use_calendar_race if same else False,
                    "declined_race": old.declined_race if same else None,
                }
            )
        return await _save_and_view(services, session, runner, stored, today)


async def link_feed(services: Services, runner_id: int, url: str) -> CalendarView | None:
    """Fetch a feed URL (https/webcal) and link it; it re-syncs daily afterwards.

    Raises:
        CalendarError: the fetch was refused or failed, or the feed holds no runs; one line.
    """
    clean = feed_url(url)
    data = await services.fetcher.fetch(clean)
    return await link_calendar(services, runner_id, data, name="your calendar feed", url=clean)


@dataclass(frozen=True)
class HeldCalendar:
    """A calendar held during set-up: the usual week it implies and the answers it gives."""

    week: dict[Weekday, DayKind]
    facts: SetupFacts


async def hold_during_setup(
    services: Services,
    runner_id: int,
    *,
    data: bytes | None = None,
    name: str = "calendar.ics",
    url: str | None = None,
    runner_zone: str | None = None,
) -> HeldCalendar:
    """A calendar sent before set-up is done: held for the first plan; returns its usual week
    and what it says of the runner (zone, finish time, goal race).

    The runs are read in the calendar's own zone, else the one the runner gave
    (`runner_zone`), else the bot's default. Read (in a killable child) before the
    transaction that holds it, as `link_calendar`.

    Raises:
        CalendarError: the feed could not be fetched, or the calendar holds no runs; one line.
    """
    if url is not None:
        url = feed_url(url)
        data = await services.fetcher.fetch(url)
        name = "your calendar feed"
    assert data is not None
    own_zone = calendar_zone(data.decode("utf-8", errors="replace")[:MAX_BYTES])
    known = own_zone or runner_zone
    zone = known or services.settings.default_timezone
    today = services.today_in(zone)
    start, end = calendar_pending.read_window(today)
    runs = await read_untrusted(data, start=start, end=end, zone=zone, name=name)
    async with services.db.session() as session, session.begin():
        week = await calendar_pending.hold_for_setup(
            session, runner_id, data, runs, name=name, url=url, now=services.now()
        )
    facts = setup_facts(runs, zone=own_zone, zone_known=known is not None, today=today)
    return HeldCalendar(week, facts)


async def show_calendar(services: Services, runner_id: int) -> CalendarView | None:
    """The next two weeks as read (None before onboarding; `linked=False` without a calendar)."""
    async with services.db.session() as session, session.begin():
        found = await planning.onboarded(session, runner_id)
        if found is None:
            return None
        runner, profile = found
        stored = stored_calendar(runner.profile)
        if stored is None:
            return CalendarView(linked=False)
        profile = planning.profile_of(runner)
        today = services.today_in(profile.timezone)
        sync = await planning.sync_plan(session, services, runner, today=today)
        return _view(runner, stored, today, {s.date: s.name for s in sync.plan.sessions()})


NOT_LINKED = "No calendar linked: send your plan's .ics file or its link"


async def _change(
    services: Services,
    runner_id: int,
    change: Callable[[StoredCalendar, RunnerProfile, date], StoredCalendar],
) -> CalendarView | None:
    """Applies a runner's change to their stored calendar and re-plans, in one transaction.

    Returns:
        None for a runner without a profile.

    Raises:
        CalendarError: no calendar is linked, or `change` refused.
    """
    async with services.db.session() as session, session.begin():
        found = await planning.onboarded(session, runner_id)
        if found is None:
            return None
        runner, profile = found
        stored = stored_calendar(runner.profile)
        if stored is None:
            raise CalendarError(NOT_LINKED)
        profile = planning.profile_of(runner)
        today = services.today_in(profile.timezone)
        changed = change(stored, profile, today)
        return await _save_and_view(services, session, runner, changed, today)


async def fix_day(
    services: Services, runner_id: int, day: date, kind: RunKind
) -> CalendarView | None:
    """The runner corrects a misread day; the fix outlives re-syncs of the feed.

    Raises:
        CalendarError: no calendar is linked, or the day is in a week the calendar leaves to the
            template (there the usual week applies: /settings changes it).
    """

    def fixed(stored: StoredCalendar, profile: RunnerProfile, today: date) -> StoredCalendar:
        _, run_days, _ = planning_inputs(profile, stored, today)
        if not run_days.is_calendar_week(day):
            raise CalendarError(
                f"{day:%a %-d %b} is in a week with no runs in your calendar, so your usual "
                "week applies there (change it with /settings)"
            )
        return stored.model_copy(update={"fixes": {**stored.fixes, day: kind}})

    return await _change(services, runner_id, fixed)


async def use_calendar_race(services: Services, runner_id: int) -> CalendarView | None:
    """The runner agrees to plan toward the race their calendar holds (not the goal they gave).

    Raises:
        CalendarError: no calendar is linked, or it holds no race ahead with a distance.
    """

    def agreed(stored: StoredCalendar, profile: RunnerProfile, today: date) -> StoredCalendar:
        if calendar_goal(stored, today) is None:
            raise CalendarError("Your calendar holds no race ahead with a distance in its title")
        return stored.model_copy(update={"use_calendar_race": True})

    return await _change(services, runner_id, agreed)


async def keep_own_goal(services: Services, runner_id: int) -> CalendarView | None:
    """The runner keeps the goal they gave over the calendar's race; they aren't asked again
    about that race (a different race in the calendar later is asked about).

    Raises:
        CalendarError: no calendar is linked.
    """

    def kept(stored: StoredCalendar, profile: RunnerProfile, today: date) -> StoredCalendar:
        declined = calendar_goal(stored, today)
        return stored.model_copy(update={"declined_race": declined, "use_calendar_race": False})

    return await _change(services, runner_id, kept)


async def unlink_calendar(services: Services, runner_id: int) -> bool | None:
    """/calendar off: back to the weekly template. Returns whether a calendar was linked."""
    async with services.db.session() as session, session.begin():
        found = await planning.onboarded(session, runner_id)
        if found is None:
            return None
        runner = found[0]
        had = stored_calendar(runner.profile) is not None
        await runners.set_calendar(session, runner_id, None, now=services.now())
        await session.refresh(runner)
        await planning.sync_plan(session, services, runner)
    return had


RESYNC_AT_ONCE = 6
"""Feeds re-read at once by the daily job: a slow feed holds one of these, not the others."""
RESYNC_QUEUE_S = 600.0
"""How long a re-synced feed may wait for a free calendar reader (nobody is waiting on it)."""


async def resync_feeds(services: Services) -> int:
    """Re-read every linked feed (the daily job); the plan and reminders follow.

    Feeds are fetched and read concurrently (at most `RESYNC_AT_ONCE`); each fetch and read is
    bounded in time, so one slow or hostile feed delays no one else's. A feed that fails keeps
    what was read last and records the error for /calendar. Returns how many were re-read.
    """
    async with services.db.reading() as session:
        linked = [
            (runner.id, stored.url)
            for runner in await runners.runners_with_profile(session)
            if (stored := stored_calendar(runner.profile)) is not None and stored.url
        ]
    slots = asyncio.Semaphore(RESYNC_AT_ONCE)

    async def resync(runner_id: int, url: str) -> bool:
        async with slots:
            try:
                data = await services.fetcher.fetch(url)
                await link_calendar(
                    services,
                    runner_id,
                    data,
                    name="your calendar feed",
                    url=url,
                    queue_for=RESYNC_QUEUE_S,
                )
            except CalendarError as error:
                log.info("calendar feed of runner %s: %s", runner_id, error)
                await _record_error(services, runner_id, str(error))
                return False
            except Exception:  # one runner's failure must not end the others' re-sync
                log.exception("calendar feed of runner %s: re-sync failed", runner_id)
                return False
            return True

    done = await asyncio.gather(*(resync(runner_id, url) for runner_id, url in linked))
    return sum(done)


async def _record_error(services: Services, runner_id: int, error: str) -> None:
    async with services.db.session() as session, session.begin():
        runner = await runners.get_runner(session, runner_id)
        stored = stored_calendar(runner.profile if runner else None)
        if stored is None:
            return
        stored = stored.model_copy(update={"last_error": error})
        await runners.set_calendar(
            session, runner_id, stored.model_dump(mode="json"), now=services.now()
        )


async def _save_and_view(
    services: Services,
    session: AsyncSession,
    runner: Runner,
    stored: StoredCalendar,
    today: date,
) -> CalendarView:
    await runners.set_calendar(
        session, runner.id, stored.model_dump(mode="json"), now=services.now()
    )
    await session.refresh(runner)
    sync = await planning.sync_plan(session, services, runner, today=today)
    return _view(runner, stored, today, {s.date: s.name for s in sync.plan.sessions()})


def _view(
    runner: Runner, stored: StoredCalendar, today: date, sessions: dict[date, str]
) -> CalendarView:
    profile = planning.profile_of(runner)
    planned_profile, run_days, notes = planning_inputs(profile, stored, today)
    days = []
    for offset in range(SHOWN_DAYS):
        day = today + timedelta(days=offset)
        run = run_days.run(day)
        source: str = run_days.source(day)
        if source == "calendar" and day in stored.fixes:
            source = "fixed"
        days.append(ShownDay(day, run.kind, run.time, run.title, source, sessions.get(day)))
    return CalendarView(
        linked=True,
        name=stored.name,
        url=stored.url,
        synced_on=stored.synced_on,
        days=tuple(days),
        notes=notes,
        goal=planned_profile.goal,
        last_error=stored.last_error,
        other_race=_other_race(profile, stored, today),
    )


def _other_race(profile: RunnerProfile, stored: StoredCalendar, today: date) -> Goal | None:
    found = calendar_goal(stored, today)
    if (
        profile.goal is None
        or stored.use_calendar_race
        or found in (profile.goal, stored.declined_race)
    ):
        return None
    return found
