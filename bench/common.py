"""Shared pieces of the benchmarks: a bot process against a local Bot API server, and seeding.

Benchmarks print figures and exit 0; they assert nothing. They talk only to 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from bot.storage.db import Database
from bot.storage.tables import LogEntry, LoggedSetRow, PlannedSession, Reminder, Runner
from devtools.localapi import LocalBotApi

TOKEN = "123456:bench-token"
ANSWERS = (  # a newcomer typing the whole onboarding, one answer per bot question
    "/start",
    "tue tempo, fri intervals, sun long, wed easy, sat easy, rest otherwise",
    "18:30",
    "London",
    "half marathon in 20 weeks",
    "some",
    "full gym",
    "2",
    "after hard runs",
    "none",
    "kg",
    "yes",
)

ZONE = "Europe/London"


@dataclass
class RunliftProcess:
    """A running `runlift run` writing to `log_path`; kill it like an operator (or a crash)
    would. The e2e and fault trials (tests/e2e/conftest.py) and the replica cluster
    (bench/cluster.py) share it."""

    process: asyncio.subprocess.Process
    log_path: Path

    @property
    def running(self) -> bool:
        return self.process.returncode is None

    async def kill9(self) -> None:
        """SIGKILL: no shutdown hooks, no flushing — the crash case."""
        if self.running:
            self.process.send_signal(signal.SIGKILL)
            await self.process.wait()

    async def stop(self, timeout: float = 15) -> int:
        """SIGTERM and wait: the clean stop."""
        if self.running:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), timeout)
            except TimeoutError:
                await self.kill9()
        return self.process.returncode or 0

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@dataclass
class BotProcess:
    process: asyncio.subprocess.Process
    started: float

    async def stop(self) -> None:
        if self.process.returncode is None:
            self.process.terminate()
            try:
                await asyncio.wait_for(self.process.wait(), 15)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()


async def start_bot(api: LocalBotApi, database_url: str, **env: str) -> BotProcess:
    """Starts `python -m bot run` against the server; returns once it polls for updates."""
    environment = dict(os.environ)
    environment.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=api.url,
        DATABASE_URL=database_url,
        LOG_LEVEL="WARNING",
        **env,
    )
    loop = asyncio.get_running_loop()
    started = loop.time()
    polls = api.stats()["calls"].get("getUpdates", 0)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=environment,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    while api.stats()["calls"].get("getUpdates", 0) <= polls:
        if process.returncode is not None:
            raise RuntimeError("the bot exited during start-up")
        await asyncio.sleep(0.01)
    return BotProcess(process, started)


def temp_database() -> tuple[str, Path]:
    folder = Path(tempfile.mkdtemp(prefix="runlift-bench-"))
    return f"sqlite+aiosqlite:///{folder / 'bench.db'}", folder / "bench.db"


def percentiles(values: Sequence[float]) -> dict[str, float]:
    if not values:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0}
    ordered = sorted(values)
    cut = statistics.quantiles(ordered, n=100, method="inclusive") if len(ordered) > 1 else None

    def pick(p: int) -> float:
        return ordered[0] if cut is None else cut[p - 1]

    return {"p50": pick(50), "p95": pick(95), "p99": pick(99)}


def profile_for(day: str, finish: str) -> dict[str, Any]:
    week = dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), "rest")
    week[day] = "tempo"
    return {
        "timezone": ZONE,
        "week": week,
        "run_times": {day: finish},
        "goal": None,
        "experience": "intermediate",
        "equipment": ["gym"],
        "sessions_per_week": None,
        "placement": "after_hard_runs",
        "limitations": [],
        "units": "kg",
        "session_time": None,
    }


SESSION_CONTENT: dict[str, Any] = {}


def session_content(day: date) -> dict[str, Any]:
    """A real planned session (built once by the planner) moved to `day`."""
    if not SESSION_CONTENT:
        from bot.core.domain.profile import RunnerProfile
        from bot.core.planner import build_plan

        profile = RunnerProfile.model_validate(profile_for("tue", "07:00"))
        monday = date(2026, 11, 23)
        plan = build_plan(profile, monday, 1)
        SESSION_CONTENT.update(plan.sessions()[0].model_dump(mode="json"))
    content = dict(SESSION_CONTENT)
    content["date"] = day.isoformat()
    content["weekday"] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day.weekday()]
    return content


async def seed(
    database_url: str,
    runners: int,
    *,
    reminders_due: datetime | None = None,
    weeks_of_logs: int = 0,
    first_id: int = 1_000_000,
    now: datetime | None = None,
) -> None:
    """Bulk-inserts runners (one tempo day: today), their session today and, optionally, a
    session reminder due at `reminders_due` and `weeks_of_logs` weeks of logged sessions.

    `now` is the bot's clock (a test pins it); the benchmarks run on the wall clock."""
    db = Database(database_url)
    await db.upgrade()
    now = now or datetime.now(UTC)
    local = now.astimezone(ZoneInfo(ZONE))
    today = local.date()
    day = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[today.weekday()]
    profile = profile_for(day, local.strftime("%H:%M"))
    content = session_content(today)
    chunk = 1000
    try:
        for start in range(0, runners, chunk):
            ids = range(first_id + start, first_id + min(runners, start + chunk))
            async with db.session() as session, session.begin():
                await session.execute(
                    insert(Runner),
                    [
                        {
                            "id": i,
                            "chat_id": i,
                            "first_name": "B",
                            "profile": profile,
                            "block_start": today - timedelta(days=today.weekday()),
                            "active": True,
                            "paused": False,
                            "created_at": now,
                            "updated_at": now,
                        }
                        for i in ids
                    ],
                )
                await session.execute(
                    insert(PlannedSession),
                    [
                        {
                            "id": i,
                            "runner_id": i,
                            "date": today,
                            "name": "A",
                            "phase": "base",
                            "status": "planned",
                            "content": content,
                            "created_at": now,
                            "updated_at": now,
                        }
                        for i in ids
                    ],
                )
                if reminders_due is not None:
                    await session.execute(
                        insert(Reminder),
                        [
                            {
                                "runner_id": i,
                                "session_id": i,
                                "kind": "session",
                                "dedupe_key": f"session:{i}",
                                "due_at": reminders_due,
                                "status": "pending",
                                "attempts": 0,
                                "created_at": now,
                            }
                            for i in ids
                        ],
                    )
                if weeks_of_logs:
                    await _seed_logs(session, ids, today, weeks_of_logs, now)
    finally:
        await db.dispose()


async def _seed_logs(session: Any, ids: range, today: date, weeks: int, now: datetime) -> None:
    """Two sessions a week of five exercises × three sets: what 8 weeks of logging leaves."""
    exercises = ("back_squat", "pull_up", "step_up", "dead_bug", "plank")
    entries = []
    for runner_id in ids:
        for week in range(weeks):
            for offset in (1, 4):
                day = today - timedelta(days=7 * (week + 1)) + timedelta(days=offset)
                entries.append(
                    {
                        "runner_id": runner_id,
                        "performed_on": day,
                        "raw_text": "done as planned",
                        "created_at": now,
                    }
                )
    result = await session.execute(
        insert(LogEntry).returning(LogEntry.id, LogEntry.runner_id, LogEntry.performed_on), entries
    )
    rows = []
    for entry_id, runner_id, day in result.all():
        for exercise in exercises:
            for set_no in (1, 2, 3):
                rows.append(
                    {
                        "entry_id": entry_id,
                        "runner_id": runner_id,
                        "exercise_id": exercise,
                        "performed_on": day,
                        "set_no": set_no,
                        "target_reps_min": 5,
                        "target_reps_max": 8,
                        "target_load_kg": 60.0,
                        "target_hold_s": None,
                        "reps": 8,
                        "load_kg": 60.0,
                        "hold_s": None,
                        "rir": 2,
                        "per_side": False,
                        "bodyweight": False,
                        "notes": "",
                    }
                )
    await session.execute(insert(LoggedSetRow), rows)


def row(name: str, value: str, target: str, met: bool | None) -> str:
    verdict = "—" if met is None else ("yes" if met else "NO")
    return f"{name:<52} {value:>16}   target {target:<14} met: {verdict}"
