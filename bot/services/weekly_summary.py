"""The weekly summary: done against planned, sets, e1RM changes, what is coming.

Each use case is one short transaction: load, call the pure core, save, re-sync the plan
(reminders follow), and return what the chat needs to answer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from bot.core.domain.adjustments import week_of
from bot.core.domain.logs import estimate_1rm
from bot.core.domain.plan import Session
from bot.core.domain.profile import Units
from bot.core.domain.statuses import SHOWN_STATUSES, SessionStatus
from bot.core.planner.progression import shown_e1rm, shows_e1rm
from bot.services import planning
from bot.services.container import Services
from bot.services.progress import chart_of
from bot.storage import adjustments as store
from bot.storage import sessions, set_logs


@dataclass(frozen=True)
class WeeklySummary:
    """One message: this week's sessions done / planned, sets logged, e1RM changes, next week."""

    week_start: date
    done: int
    planned: int
    skipped: int
    sets_logged: int
    e1rm_changes: dict[str, tuple[float | None, float]] = field(default_factory=dict)
    coming: tuple[Session, ...] = ()
    adjustments: tuple[str, ...] = ()
    units: Units = Units.KG
    chart: bytes | None = None
    """The progress chart (PNG), drawn only when an e1RM rose or a lift was new this week."""

    @property
    def e1rm_rose(self) -> bool:
        return any(old is None or new > old for old, new in self.e1rm_changes.values())


async def weekly_summary(services: Services, runner_id: int) -> WeeklySummary:
    """This week so far, and the coming week (X3: skips and moves count in adherence).

    Raises:
        NotOnboardedError: no profile yet.
    """
    async with services.db.session() as db, db.begin():
        runner, profile = await planning.require_onboarded(db, runner_id)
        today = services.today_in(profile.timezone)
        monday, sunday = week_of(today)
        sync = await planning.sync_plan(db, services, runner, today=today)
        rows = await sessions.between(
            db,
            runner_id,
            monday,
            sunday + timedelta(days=1),
            (*SHOWN_STATUSES, SessionStatus.MISSED),
        )
        sets = await set_logs.all_sets(db, runner_id)
        active = await store.active_adjustments(db, runner_id, since=today)
    week_sets = [s for s in sets if monday <= s.performed_on <= sunday]
    changes = _e1rm_changes(sets, monday, services)
    coming = tuple(s for s in sync.plan.sessions() if today < s.date <= today + timedelta(days=7))
    summary = WeeklySummary(
        week_start=monday,
        done=sum(1 for r in rows if r.status == SessionStatus.DONE),
        planned=len(rows),
        skipped=sum(1 for r in rows if r.status in (SessionStatus.SKIPPED, SessionStatus.MISSED)),
        sets_logged=len(week_sets),
        e1rm_changes=changes,
        coming=coming,
        adjustments=tuple(dict.fromkeys(a.reason for a in active)),
        units=profile.units,
    )
    if summary.e1rm_rose:
        summary = replace(summary, chart=await chart_of(sets, services, profile.units))
    return summary


def _e1rm_changes(
    sets: Sequence[Any], monday: date, services: Services
) -> dict[str, tuple[float | None, float]]:
    """Best e1RM (L2) this week per lift, next to the best before it."""
    before: dict[str, float] = defaultdict(float)
    this_week: dict[str, float] = defaultdict(float)
    for row in sets:
        if row.bodyweight or row.hold_s is not None or row.load_kg is None:
            continue
        if row.exercise_id not in services.catalogue or not shows_e1rm(
            services.catalogue.get(row.exercise_id)
        ):
            continue
        value = estimate_1rm(row.load_kg, row.reps, row.rir)
        if value is None:
            continue
        bucket = this_week if row.performed_on >= monday else before
        bucket[row.exercise_id] = max(bucket[row.exercise_id], value)
    out: dict[str, tuple[float | None, float]] = {}
    for exercise_id, value in this_week.items():
        name = (
            services.catalogue.get(exercise_id).name
            if exercise_id in services.catalogue
            else exercise_id
        )
        old = before.get(exercise_id)
        out[name] = (shown_e1rm(old, Units.KG) if old else None, shown_e1rm(value, Units.KG))
    return out
