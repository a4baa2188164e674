"""How the runner feels today: tired or sore trims the day's session, fresh keeps it.

Each use case is one short transaction: load, call the pure core, save, re-sync the plan
(reminders follow), and return what the chat needs to answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.domain.adjustments import Readiness, ReadinessAdjustment
from bot.core.domain.plan import Session
from bot.services import planning
from bot.services.container import Services
from bot.storage import adjustments as store

READINESS_REASONS: dict[Readiness, str] = {
    Readiness.TIRED: "Tired today: one set fewer per lift, no jumps, one more rep in reserve",
    Readiness.SORE: "Sore today: one set fewer per lift, no jumps, one more rep in reserve",
    Readiness.FRESH: "Fresh today: the session as planned",
}


@dataclass(frozen=True)
class ReadinessResult:
    state: Readiness
    session: Session | None
    """Today's session as it now stands, or None when there is none today."""
    reason: str


async def record_readiness(
    services: Services,
    runner_id: int,
    state: Readiness,
    *,
    day: date | None = None,
    reason: str | None = None,
) -> ReadinessResult:
    """Tired or sore trims the day's session; fresh changes nothing (and replaces a tired
    answer given earlier the same day). `reason` replaces the usual line (a run much longer
    than planned trims the day as Tired does, and says so).

    Raises:
        NotOnboardedError: no profile yet.
    """
    async with services.db.session() as db, db.begin():
        runner, profile = await planning.require_onboarded(db, runner_id)
        today = services.today_in(profile.timezone)
        day = day or today
        now = services.now()
        for row in await store.active_rows(db, runner_id, since=day, kind="readiness"):
            if row.starts_on == day:
                store.end(row, now=now)
        reason = reason or READINESS_REASONS[state]
        if state is not Readiness.FRESH:
            await store.add_adjustment(
                db,
                runner_id,
                ReadinessAdjustment(starts=day, ends=day, reason=reason, state=state),
                now=now,
            )
        sync = await planning.sync_plan(db, services, runner, today=today)
    session = next((s for s in sync.plan.sessions() if s.date == day), None)
    return ReadinessResult(state, session, reason)
