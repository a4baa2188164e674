"""Reminder rows follow the plan: created once, moved with the time zone, cancelled with it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.services import delivery as service
from bot.services import planning
from bot.services.container import Services
from bot.storage import runners
from bot.storage.tables import Reminder
from tests.fakes import MutableClock
from tests.scheduler.support import onboard

RUNNER = 42


async def rows(services: Services) -> list[Reminder]:
    async with services.db.session() as session:
        result = await session.scalars(select(Reminder).order_by(Reminder.due_at, Reminder.id))
        return list(result.all())


async def resync(services: Services, profile_changes: dict[str, object] | None = None) -> None:
    async with services.db.session() as session, session.begin():
        runner = await runners.get_runner(session, RUNNER)
        assert runner is not None and runner.profile is not None
        if profile_changes:
            runner.profile = {**runner.profile, **profile_changes}
        await planning.sync_plan(session, services, runner)


async def test_each_session_gets_a_reminder_and_a_log_prompt_and_syncing_again_adds_none(
    services: Services,
) -> None:
    await onboard(services)
    first = [(r.kind, r.dedupe_key, r.due_at) for r in await rows(services)]
    await resync(services)
    assert [(r.kind, r.dedupe_key, r.due_at) for r in await rows(services)] == first
    kinds = [kind for kind, _, _ in first]
    # this week: Tue + Fri; next week: Tue + Fri; and Sunday's preview
    assert kinds.count("session") == 4 and kinds.count("ask_log") == 4
    assert kinds.count("weekly_preview") == 1
    tuesday = [r for r in await rows(services) if r.due_at.day == 24]
    assert [(r.kind, r.due_at.hour) for r in tuesday] == [("session", 13), ("ask_log", 16)]


async def test_a_new_time_zone_moves_the_pending_reminders(services: Services) -> None:
    await onboard(services)
    await resync(services, {"timezone": "America/New_York"})  # 12:00 EST = 17:00 UTC
    tuesday = [r for r in await rows(services) if r.session_id and r.due_at.day == 24]
    assert [(r.kind, r.due_at) for r in tuesday] == [
        ("session", datetime(2026, 11, 24, 18, 0, tzinfo=UTC)),
        ("ask_log", datetime(2026, 11, 24, 21, 0, tzinfo=UTC)),
    ]


async def test_a_dropped_session_loses_its_pending_reminders(services: Services) -> None:
    await onboard(services)
    week = {
        "mon": "rest",
        "tue": "tempo",
        "wed": "easy",
        "thu": "rest",
        "fri": "long",
        "sat": "easy",
        "sun": "rest",
    }  # Friday becomes a long-run day (P5)
    await resync(services, {"week": week})
    friday = [r for r in await rows(services) if r.due_at.day == 27 and r.session_id]
    assert friday and all(r.status == "cancelled" for r in friday)


async def test_a_returning_runner_gets_their_cancelled_reminders_back(
    services: Services, clock: MutableClock
) -> None:
    await onboard(services)
    await service.record_blocked(services, RUNNER, None)
    assert all(r.status == "cancelled" for r in await rows(services))
    async with services.db.session() as session, session.begin():
        await runners.upsert_runner(
            session, RUNNER, chat_id=RUNNER, first_name="Ada", now=services.now()
        )
    assert await planning.resync_runner(services, RUNNER)
    assert all(r.status == "pending" for r in await rows(services))


async def test_a_session_on_a_day_without_running_is_reminded_at_the_chosen_time(
    services: Services,
) -> None:
    week = {
        "mon": "easy",
        "tue": "tempo",
        "wed": "rest",
        "thu": "easy",
        "fri": "intervals",
        "sat": "easy",
        "sun": "long",
    }  # Wednesday is free (P2)
    await onboard(
        services,
        week=week,
        run_times={},
        placement="separate_days",
        session_time="18:30",
        sessions_per_week=1,
    )
    sessions = [r for r in await rows(services) if r.kind == "session"]
    assert all(r.due_at.weekday() == 2 for r in sessions)
    assert sessions
    for row in sessions:
        assert (row.due_at.hour, row.due_at.minute) == (18, 30)
