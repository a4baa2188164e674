"""A calendar sent during set-up, held until the runner has a profile.

At the week question the runner may send their plan's .ics (or its link) instead of typing the
week: its usual week answers the question, and the file waits in a `calendar` draft. The first
plan sync after set-up links it, read in the runner's own time zone (at the week question known
only when the calendar names one), so the first plan already follows the calendar's dated runs.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.calendar import CalendarRuns
from bot.core.calendar.inputs import usual_week
from bot.core.calendar.reader import MAX_BYTES
from bot.core.dates import monday_of
from bot.core.domain.errors import CalendarError
from bot.core.domain.profile import DayKind, RunnerProfile, Weekday
from bot.core.domain.statuses import DraftKind
from bot.services.calendar_reading import read_untrusted
from bot.services.calendar_state import CALENDAR_KEY, StoredCalendar
from bot.storage import drafts, runners
from bot.storage.tables import Runner

log = logging.getLogger(__name__)

LOOKAHEAD_DAYS = 366
HELD_READ_DEADLINE_S = 5.0
"""Reading a held calendar again at the end of set-up; a slower one is left unlinked (the
runner can send it again with /calendar's help)."""


def read_window(today: date) -> tuple[date, date]:
    """From this Monday to a year ahead, so a race months away still sets the goal (PH1–PH4)."""
    return monday_of(today), today + timedelta(days=LOOKAHEAD_DAYS)


async def hold_for_setup(
    session: AsyncSession,
    runner_id: int,
    data: bytes,
    runs: CalendarRuns,
    *,
    name: str,
    url: str | None,
    now: datetime,
) -> dict[Weekday, DayKind]:
    """Keep the calendar (already read, in the zone best known now) for after set-up, and
    return the usual week it implies."""
    text = data.decode("utf-8", errors="replace")[:MAX_BYTES]
    await drafts.save_draft(
        session,
        runner_id,
        DraftKind.CALENDAR,
        step="held",
        data={"ics": text, "name": name, "url": url},
        now=now,
    )
    return usual_week(runs)


async def link_held(
    session: AsyncSession, runner: Runner, profile: RunnerProfile, today: date, now: datetime
) -> bool:
    """Link a calendar held during set-up, once; returns whether one was linked."""
    if runner.profile is None or CALENDAR_KEY in runner.profile:
        return False
    held = await drafts.get_draft(session, runner.id, DraftKind.CALENDAR)
    if held is None:
        return False
    await drafts.delete_draft(session, runner.id, DraftKind.CALENDAR)
    data = str(held.data.get("ics") or "")
    name = str(held.data.get("name") or "calendar.ics")
    url = held.data.get("url")
    start, end = read_window(today)
    try:
        # Read within the limits once already, when it was held; read again here (in the
        # runner's own zone) inside the plan's write transaction, so without queueing behind
        # other runners' files and with a short deadline.
        runs = await read_untrusted(
            data,
            start=start,
            end=end,
            zone=profile.timezone,
            name=name,
            deadline=HELD_READ_DEADLINE_S,
            wait_turn=False,
        )
    except CalendarError as error:
        log.info("held calendar of runner %s not linked: %s", runner.id, error)
        return False
    stored = StoredCalendar.from_runs(runs, name=name, url=str(url) if url else None, today=today)
    await runners.set_calendar(session, runner.id, stored.model_dump(mode="json"), now=now)
    await session.refresh(runner)
    return True
