"""What the runner has done: history, adherence, streaks, e1RM trends, export and deletion."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bot.core.dates import monday_of
from bot.core.domain.logs import estimate_1rm
from bot.core.domain.plan import KG_PER_LB
from bot.core.domain.profile import Units
from bot.core.domain.statuses import SessionStatus
from bot.core.planner.progression import shown_e1rm, shows_e1rm
from bot.core.setlog import format_sets
from bot.services import planning
from bot.services.container import Services
from bot.services.set_logging import entries_from_rows
from bot.storage import reminders as reminder_rows_repo
from bot.storage import runners, set_logs
from bot.storage import runs as run_rows
from bot.storage import sessions as session_rows
from bot.storage.tables import LoggedSetRow

CSV_COLUMNS = (
    "date",
    "exercise",
    "set_number",
    "target_reps",
    "target_load",
    "actual_reps",
    "actual_load",
    "rir",
    "notes",
)
"""One row per set; loads in the runner's units, named in the header's unit column."""

_DUE_STATUSES = (SessionStatus.DONE, SessionStatus.SKIPPED, SessionStatus.MISSED)
CHART_LIFTS = 4


@dataclass(frozen=True)
class Progress:
    """Adherence, streaks and a chart; `chart` is None when nothing loaded was logged."""

    sessions_done: int
    sessions_planned: int
    streak_weeks: int
    best_e1rm: dict[str, tuple[float, date]] = field(default_factory=dict)
    """Per lift: the best e1RM as shown (0.5 kg or 1 lb) and the day it was lifted."""
    chart: bytes | None = None
    units: Units = Units.KG

    @property
    def adherence(self) -> float | None:
        return self.sessions_done / self.sessions_planned if self.sessions_planned else None


@dataclass(frozen=True)
class HistoryDay:
    performed_on: date
    lines: tuple[str, ...]


def _display(kg: float | None, units: Units) -> float | None:
    if kg is None:
        return None
    return round(kg / KG_PER_LB, 1) if units is Units.LB else round(kg, 2)


async def progress(services: Services, runner_id: int) -> Progress | None:
    """Sessions done vs planned so far, the weekly streak, and the e1RM/volume chart."""
    async with services.db.session() as db:
        found = await planning.onboarded(db, runner_id)
        if found is None:
            return None
        profile = found[1]
        today = services.today_in(profile.timezone)
        counted = [
            s for s in SessionStatus if s not in (SessionStatus.CANCELLED, SessionStatus.MOVED)
        ]
        sessions = await session_rows.between(db, runner_id, date.min, None, counted)
        sets = await set_logs.all_sets(db, runner_id)
    done = [s for s in sessions if s.status == SessionStatus.DONE]
    # a skipped session was due (as /summary counts it), even if its day is today
    due = [s for s in sessions if s.status in _DUE_STATUSES or s.date < today]
    units = profile.units
    return Progress(
        sessions_done=len(done),
        sessions_planned=len(due),
        streak_weeks=_streak({s.date for s in done} | {r.performed_on for r in sets}, today),
        best_e1rm=_best(sets, services, units),
        chart=await chart_of(sets, services, units) if sets else None,
        units=units,
    )


def _streak(trained: set[date], today: date) -> int:
    """Consecutive weeks with at least one strength session, up to this week (or last)."""
    weeks = {monday_of(day) for day in trained}
    week = monday_of(today)
    if week not in weeks:
        week -= timedelta(days=7)
    count = 0
    while week in weeks:
        count += 1
        week -= timedelta(days=7)
    return count


def _main_lifts(sets: Sequence[LoggedSetRow], services: Services) -> dict[str, str]:
    names: dict[str, str] = {}
    for row in sets:
        if row.exercise_id in names or row.load_kg is None or row.bodyweight:
            continue
        exercise = services.catalogue.get(row.exercise_id)
        if shows_e1rm(exercise):
            names[row.exercise_id] = exercise.name
    return names


def _e1rm_series(
    sets: Sequence[LoggedSetRow], services: Services, units: Units
) -> dict[str, list[tuple[date, float]]]:
    lifts = _main_lifts(sets, services)
    best: dict[str, dict[date, float]] = defaultdict(dict)
    for row in sets:
        if row.exercise_id not in lifts or row.bodyweight or row.hold_s is not None:
            continue
        value = estimate_1rm(row.load_kg, row.reps, row.rir)
        if value is None:
            continue
        day_best = best[row.exercise_id].get(row.performed_on, 0.0)
        best[row.exercise_id][row.performed_on] = max(day_best, value)
    ranked = sorted(best, key=lambda lift: -len(best[lift]))[:CHART_LIFTS]
    return {
        lifts[lift]: [
            (day, _display(value, units) or 0.0) for day, value in sorted(best[lift].items())
        ]
        for lift in ranked
    }


def _best(
    sets: Sequence[LoggedSetRow], services: Services, units: Units
) -> dict[str, tuple[float, date]]:
    """Each charted lift's best e1RM, rounded as shown, with the (first) day it was reached."""
    best: dict[str, tuple[float, date]] = {}
    for name, points in _e1rm_series(sets, services, units).items():
        for day, value in points:
            shown = shown_e1rm(value * KG_PER_LB if units is Units.LB else value, units)
            if name not in best or shown > best[name][0]:
                best[name] = (shown, day)
    return best


async def chart_of(sets: Sequence[LoggedSetRow], services: Services, units: Units) -> bytes:
    """The series are gathered here; the drawing (~100 ms of CPU) runs in a worker thread so other
    runners' answers are not held up while a chart renders."""
    from bot.core.charts import progress_chart  # matplotlib costs ~40 MB: load it on first use

    volume: dict[date, float] = defaultdict(float)
    for row in sets:
        if row.reps is not None and row.load_kg is not None and not row.bodyweight:
            volume[monday_of(row.performed_on)] += row.reps * row.load_kg
    weekly = [(week, _display(kg, units) or 0.0) for week, kg in sorted(volume.items())]
    series = _e1rm_series(sets, services, units)
    return await asyncio.to_thread(progress_chart, series, weekly, unit=units.value)


async def history(services: Services, runner_id: int, *, days: int = 10) -> list[HistoryDay]:
    """The most recent logged days, newest first, one line per exercise."""
    async with services.db.session() as db:
        found = await planning.onboarded(db, runner_id)
        if found is None:
            return []
        units = found[1].units
        sets = await set_logs.all_sets(db, runner_id)
    by_day: dict[date, list[LoggedSetRow]] = defaultdict(list)
    for row in sets:
        by_day[row.performed_on].append(row)
    result = []
    for day in sorted(by_day, reverse=True)[:days]:
        text = format_sets(
            entries_from_rows(by_day[day], services, units),
            units=units,
            catalogue=services.catalogue,
        )
        result.append(HistoryDay(day, tuple(text.splitlines())))
    return result


async def export_csv(services: Services, runner_id: int) -> str | None:
    """One row per set: date, exercise, set number, target reps/load, actual reps/load, RIR."""
    async with services.db.session() as db:
        runner = await runners.get_runner(db, runner_id)
        if runner is None:
            return None
        units = planning.profile_of(runner).units if runner.profile else Units.KG
        sets = await set_logs.all_sets(db, runner_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            *CSV_COLUMNS[:4],
            f"target_load_{units.value}",
            "actual_reps",
            f"actual_load_{units.value}",
            "rir",
            "notes",
        ]
    )
    for row in sets:
        target_reps = (
            f"{row.target_reps_min}-{row.target_reps_max}"
            if row.target_reps_min is not None and row.target_reps_min != row.target_reps_max
            else (row.target_reps_min if row.target_reps_min is not None else "")
        )
        actual = row.reps if row.reps is not None else (f"{row.hold_s}s" if row.hold_s else "")
        load = _display(row.load_kg, units)
        writer.writerow(
            [
                row.performed_on.isoformat(),
                services.catalogue.get(row.exercise_id).name,
                row.set_no,
                target_reps,
                _blank(_display(row.target_load_kg, units)),
                actual,
                ("bw" + (f"+{load}" if load else "")) if row.bodyweight else _blank(load),
                _blank(row.rir),
                row.notes,
            ]
        )
    return buffer.getvalue()


def _blank(value: object) -> object:
    return "" if value is None else value


async def export_json(services: Services, runner_id: int) -> str | None:
    """Everything about the runner: profile, planned sessions, log entries and sets."""
    async with services.db.session() as db:
        runner = await runners.get_runner(db, runner_id)
        if runner is None:
            return None
        sessions = await session_rows.between(db, runner_id, date.min, None)
        entries = await set_logs.all_entries(db, runner_id)
        sets = await set_logs.all_sets(db, runner_id)
        runs = await run_rows.all_runs(db, runner_id)
    data: dict[str, Any] = {
        "runner": {
            "id": runner.id,
            "first_name": runner.first_name,
            "created_at": runner.created_at.isoformat(),
        },
        "profile": runner.profile,
        "sessions": [
            {
                "date": s.date.isoformat(),
                "name": s.name,
                "phase": s.phase,
                "status": s.status,
                "content": s.content,
            }
            for s in sessions
        ],
        "log_entries": [
            {
                "id": e.id,
                "performed_on": e.performed_on.isoformat(),
                "text": e.raw_text,
                "undone": e.undone_at is not None,
            }
            for e in entries
        ],
        "sets": [
            {
                "entry_id": r.entry_id,
                "date": r.performed_on.isoformat(),
                "exercise_id": r.exercise_id,
                "set_number": r.set_no,
                "target_reps": [r.target_reps_min, r.target_reps_max],
                "target_load_kg": r.target_load_kg,
                "target_hold_s": r.target_hold_s,
                "reps": r.reps,
                "load_kg": r.load_kg,
                "hold_s": r.hold_s,
                "rir": r.rir,
                "per_side": r.per_side,
                "bodyweight": r.bodyweight,
                "notes": r.notes,
            }
            for r in sets
        ],
        # the recorded runs; the intervals.icu key is the runner's secret and never exported
        "runs": [
            {
                "date": run.day.isoformat(),
                "start": run.started_at.isoformat(),
                "sport": run.sport,
                "matched": run.matched,
                "distance_km": (
                    round(run.distance_m / 1000, 2) if run.distance_m is not None else None
                ),
                "distance_m": run.distance_m,
                "moving_time_s": run.moving_time_s,
                "average_hr": run.average_hr,
                "source": run.source,
            }
            for run in runs
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


async def delete_everything(services: Services, runner_id: int) -> bool:
    """Removes the runner and everything about them; their scheduled reminder jobs go too."""
    async with services.db.session() as db, db.begin():
        if await runners.get_runner(db, runner_id) is None:
            return False
        pending = await reminder_rows_repo.ids_of_runner(db, runner_id)
        await runners.delete_runner(db, runner_id)
    for reminder_id in pending:
        services.scheduler.cancel(reminder_id)
    return True
