"""Progress services: adherence, streaks, e1RM trends, history, export and deleting a runner."""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import io
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.__main__ import main
from bot.config import Settings
from bot.core.charts import PNG_SIGNATURE
from bot.core.domain.logs import estimate_1rm
from bot.services import progress
from bot.services import set_logging as logging_service
from bot.services.container import Services
from bot.storage import runners, set_logs
from bot.storage.tables import PlannedSession, Reminder
from tests.fakes import MutableClock
from tests.scheduler.support import onboard

RUNNER = 42
OTHER = 43


class RecordingScheduler:
    """Remembers which reminder jobs were cancelled."""

    def __init__(self) -> None:
        self.cancelled: list[int] = []

    def schedule(self, reminder_id: int, due_at: datetime) -> None:
        pass

    def cancel(self, reminder_id: int) -> None:
        self.cancelled.append(reminder_id)


async def log(services: Services, text: str, runner_id: int = RUNNER) -> None:
    result = await logging_service.record_sets(services, runner_id, text)
    assert result.outcome is logging_service.Outcome.LOGGED, result


def csv_rows(text: str | None) -> list[list[str]]:
    assert text is not None
    return list(csv.reader(io.StringIO(text)))


async def test_adherence_counts_sessions_done_against_sessions_due(
    services: Services, clock: MutableClock
) -> None:
    await onboard(services)
    await log(services, "squat 3x8 60kg")  # Tuesday's session
    clock.advance(timedelta(days=4))  # Saturday: Friday's session passed without a log
    result = await progress.progress(services, RUNNER)
    assert result is not None
    assert (result.sessions_done, result.sessions_planned) == (1, 2)
    assert result.adherence == 0.5


async def test_streak_counts_consecutive_weeks_and_a_gap_restarts_it(
    services: Services, clock: MutableClock
) -> None:
    await onboard(services)
    await log(services, "squat 3x5 60kg")  # week of 23 Nov
    clock.advance(timedelta(days=7))
    await log(services, "squat 3x5 60kg")  # week of 30 Nov
    result = await progress.progress(services, RUNNER)
    assert result is not None and result.streak_weeks == 2
    clock.advance(timedelta(days=3))  # later that week: still two
    result = await progress.progress(services, RUNNER)
    assert result is not None and result.streak_weeks == 2
    clock.advance(timedelta(days=11))  # a whole week with nothing, now in the week of 14 Dec
    result = await progress.progress(services, RUNNER)
    assert result is not None and result.streak_weeks == 0
    await log(services, "squat 3x5 60kg")
    result = await progress.progress(services, RUNNER)
    assert result is not None and result.streak_weeks == 1


async def test_e1rm_per_main_lift_and_a_png_chart(services: Services, clock: MutableClock) -> None:
    await onboard(services)
    await log(services, "squat 3x8 60kg\nplank 2x30s\npull ups 3x5 bw")
    clock.advance(timedelta(days=7))
    await log(services, "squat 3x8 62.5kg")
    result = await progress.progress(services, RUNNER)
    assert result is not None and result.chart is not None
    assert result.chart.startswith(PNG_SIGNATURE)
    expected = estimate_1rm(62.5, 8)
    assert expected is not None
    # no plank, no bodyweight; 77.59 kg shown as 77.5 kg, with the day it was lifted
    assert result.best_e1rm == {"Back squat": (round(expected * 2) / 2, date(2026, 12, 1))}


async def test_no_logs_means_no_chart(services: Services) -> None:
    await onboard(services)
    result = await progress.progress(services, RUNNER)
    assert result is not None and result.chart is None and result.best_e1rm == {}
    assert await progress.progress(services, 999) is None


async def test_history_lists_days_newest_first_without_undone_logs(
    services: Services, clock: MutableClock
) -> None:
    await onboard(services)
    await log(services, "squat 3x5 60kg\nplank 2x40s")
    clock.advance(timedelta(days=7))
    await log(services, "squat 3x5 62.5kg")
    await log(services, "deadlift 3x3 100kg")
    await logging_service.undo_last_log(services, RUNNER)
    days = await progress.history(services, RUNNER)
    assert [d.performed_on for d in days] == [date(2026, 12, 1), date(2026, 11, 24)]
    assert days[0].lines == ("Back squat 3x5 @ 62.5 kg",)
    assert days[1].lines == ("Back squat 3x5 @ 60 kg", "Plank 2x40s")


async def test_csv_has_one_row_per_set_with_target_beside_actual(services: Services) -> None:
    await onboard(services)
    await log(services, "squat 5,5,4 @ 60kg rir1\nplank 2x40s\npull ups 2x5 bw")
    rows = csv_rows(await progress.export_csv(services, RUNNER))
    assert rows[0] == [
        "date",
        "exercise",
        "set_number",
        "target_reps",
        "target_load_kg",
        "actual_reps",
        "actual_load_kg",
        "rir",
        "notes",
    ]
    body = rows[1:]
    assert len(body) == 3 + 2 + 2
    assert [r[:3] for r in body[:3]] == [["2026-11-24", "Back squat", str(n)] for n in (1, 2, 3)]
    assert [(r[3], r[5], float(r[6]), r[7]) for r in body[:3]] == [
        ("6-8", "5", 60.0, "1"),
        ("6-8", "5", 60.0, "1"),
        ("6-8", "4", 60.0, "1"),
    ]
    assert [r[5] for r in body[3:5]] == ["40s", "40s"]  # planks: holds, not reps
    assert [r[6] for r in body[5:]] == ["bw", "bw"]


async def test_csv_loads_are_in_the_runners_units(services: Services) -> None:
    await onboard(services, units="lb")
    await log(services, "bench 3x5 135lb")
    rows = csv_rows(await progress.export_csv(services, RUNNER))
    assert "actual_load_lb" in rows[0]
    assert {float(r[6]) for r in rows[1:]} == {135.0}


async def test_json_export_has_profile_sessions_and_sets(services: Services) -> None:
    await onboard(services)
    await log(services, "squat 3x5 60kg")
    text = await progress.export_json(services, RUNNER)
    assert text is not None
    data = json.loads(text)
    assert data["profile"]["timezone"] == "Europe/London"
    assert {s["status"] for s in data["sessions"]} >= {"done", "planned"}
    assert [(s["exercise_id"], s["reps"], s["load_kg"]) for s in data["sets"]] == [
        ("back_squat", 5, 60.0)
    ] * 3
    assert await progress.export_json(services, 999) is None
    assert await progress.export_csv(services, 999) is None


async def test_delete_removes_everything_cancels_jobs_and_leaves_others_alone(
    services: Services,
) -> None:
    await onboard(services)
    await onboard(services, OTHER)
    await log(services, "squat 3x5 60kg")
    await log(services, "squat 3x5 80kg", OTHER)
    async with services.db.session() as session:
        mine = set(
            (await session.scalars(select(Reminder.id).where(Reminder.runner_id == RUNNER))).all()
        )
        theirs_before = len(
            (await session.scalars(select(Reminder.id).where(Reminder.runner_id == OTHER))).all()
        )
    assert mine, "the runner had reminders to cancel"
    recorder = RecordingScheduler()
    assert await progress.delete_everything(
        dataclasses.replace(services, scheduler=recorder), RUNNER
    )
    assert set(recorder.cancelled) == mine
    async with services.db.session() as session:
        assert await runners.get_runner(session, RUNNER) is None
        assert await set_logs.all_sets(session, RUNNER) == []
        left = (
            await session.scalars(
                select(PlannedSession.id).where(PlannedSession.runner_id == RUNNER)
            )
        ).all()
        assert left == []
        assert len(await set_logs.all_sets(session, OTHER)) == 3
        theirs_after = (
            await session.scalars(select(Reminder.id).where(Reminder.runner_id == OTHER))
        ).all()
        assert len(theirs_after) == theirs_before
    assert not await progress.delete_everything(services, RUNNER)


async def test_the_operator_exports_a_runner_from_the_command_line(
    services: Services, settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    await onboard(services)
    await log(services, "squat 3x5 60kg")
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    out = tmp_path / "sets.csv"
    code = await asyncio.to_thread(
        main, ["export", "--runner", str(RUNNER), "--format", "csv", "--output", str(out)]
    )
    assert code == 0
    rows = csv_rows(out.read_text(encoding="utf-8"))
    assert len(rows) == 1 + 3 and rows[1][1] == "Back squat"
    out_json = tmp_path / "data.json"
    code = await asyncio.to_thread(
        main, ["export", "--runner", str(RUNNER), "--format", "json", "--output", str(out_json)]
    )
    assert code == 0 and len(json.loads(out_json.read_text())["sets"]) == 3
