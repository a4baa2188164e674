"""Reminder delivery: on time, once, never at night, after a crash, with Telegram's errors."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from bot.app import build_application
from bot.config import Settings
from bot.context import RunliftApplication
from bot.services import delivery as service
from bot.services.container import Services
from bot.storage.tables import Reminder, Runner
from handlers.callbacks import Action, decode, encode
from scheduler import deliver_due
from scheduler.jobs import JOB_HORIZON, SWEEP_JOB_ID, Deliverer, arm_upcoming, deliverer_of
from tests.fakes import ChatHarness, MutableClock, RecordingRequest
from tests.scheduler.support import onboard

RUNNER = 42


def at(hour: int, minute: int = 0, day: int = 24) -> datetime:
    """A time on the fixture's week (London is on GMT in November, so local == UTC)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


async def rows(services: Services, runner_id: int = RUNNER) -> list[Reminder]:
    async with services.db.session() as session:
        result = await session.scalars(
            select(Reminder).where(Reminder.runner_id == runner_id).order_by(Reminder.due_at)
        )
        return list(result.all())


def sent_texts(request: RecordingRequest, chat_id: int = RUNNER) -> list[str]:
    return [m.text for m in request.messages.values() if m.chat_id == chat_id]


async def test_tempo_day_gets_the_session_an_hour_after_the_run_then_the_log_prompt(
    app: RunliftApplication, services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    await onboard(services)  # Tuesday 10:00; the tempo run finishes at 12:00
    assert await deliver_due(app, services) == 0

    clock.set(at(12, 59))
    assert await deliver_due(app, services) == 0
    clock.set(at(13, 0))
    assert await deliver_due(app, services) == 1
    reminder = harness.last(RUNNER)
    assert "Session A" in reminder.text and "after your tempo run" in reminder.text
    assert "hard days hard" in reminder.text  # the "why today" line (P8)
    labels = [label for label, _ in reminder.buttons()]
    assert labels == [
        "▶️ Start",
        "⏰ Snooze 1 h",
        "⏭ Skip today",
        "📅 Move to tomorrow",
        "😀 Fresh",
        "😴 Tired",
        "🦵 Sore",
        "🔁 Swap an exercise",
    ]
    assert all(decode(data).owner_id == RUNNER for _, data in reminder.buttons())  # type: ignore[union-attr]

    clock.set(at(15, 59))
    assert await deliver_due(app, services) == 0
    clock.set(at(16, 0))
    assert await deliver_due(app, services) == 1
    prompt = harness.last(RUNNER)
    assert "How did today's strength session go?" in prompt.text
    assert "squat 4x5 60kg" in prompt.text
    buttons = prompt.buttons()
    assert buttons[0][0] == "✅ Done as planned" and buttons[0][1].startswith(
        encode(Action.LOG_DONE, RUNNER) + ":"
    )
    assert any(
        data.startswith(encode(Action.LOG_EXERCISE, RUNNER) + ":") for _, data in buttons[1:]
    )
    assert len(harness.chat(RUNNER)) == 2


async def test_delivering_twice_sends_once(
    app: RunliftApplication,
    services: Services,
    clock: MutableClock,
    request_recorder: RecordingRequest,
) -> None:
    await onboard(services)
    clock.set(at(13, 5))
    assert await deliver_due(app, services) == 1
    assert await deliver_due(app, services) == 0
    await deliverer_of(app).deliver_ids([r.id for r in await rows(services)])
    assert len(sent_texts(request_recorder)) == 1


async def test_two_instances_on_one_database_send_each_reminder_once(
    app: RunliftApplication,
    services: Services,
    clock: MutableClock,
    settings: Settings,
    request_recorder: RecordingRequest,
) -> None:
    runner_ids = list(range(100, 130))
    for runner_id in runner_ids:
        await onboard(services, runner_id)
    other_request = RecordingRequest()
    other = build_application(settings, request=other_request, clock=clock, database=services.db)
    async with other:
        assert other.post_init is not None
        await other.post_init(other)
        for application in (app, other):
            deliverer_of(application).batch_size = 5  # many small claims interleave
        clock.set(at(13, 0))
        first, second = await asyncio.gather(
            deliver_due(app, services), deliver_due(other, other.bot_data["services"])
        )
    assert first + second == len(runner_ids)
    for runner_id in runner_ids:
        delivered = sent_texts(request_recorder, runner_id) + sent_texts(other_request, runner_id)
        assert len(delivered) == 1, runner_id


async def test_a_claim_left_by_a_crash_before_sending_is_delivered_later_once(
    app: RunliftApplication,
    services: Services,
    clock: MutableClock,
    request_recorder: RecordingRequest,
) -> None:
    await onboard(services)
    clock.set(at(13, 0))
    report = await service.claim_deliveries(services, claimer="crashed:1", limit=10)
    assert len(report.deliveries) == 1  # ...and the instance dies before sending
    assert await deliver_due(app, services) == 0  # a fresh claim is respected
    clock.advance(timedelta(minutes=3))
    assert await deliver_due(app, services) == 1
    assert await deliver_due(app, services) == 0
    assert len(sent_texts(request_recorder)) == 1


async def test_a_crash_during_the_send_is_never_resent(
    app: RunliftApplication,
    services: Services,
    clock: MutableClock,
    request_recorder: RecordingRequest,
) -> None:
    await onboard(services)
    clock.set(at(13, 0))
    report = await service.claim_deliveries(services, claimer="crashed:2", limit=10)
    assert await service.begin_send(services, report.deliveries[0])  # then kill -9 mid-call
    clock.advance(timedelta(minutes=3))
    assert await deliver_due(app, services) == 0
    tuesday = next(r for r in await rows(services) if r.kind == "session")
    assert tuesday.status == "unknown"
    assert sent_texts(request_recorder) == []


async def test_after_downtime_the_evening_reminder_is_missed_not_sent_at_night(
    app: RunliftApplication,
    services: Services,
    clock: MutableClock,
    request_recorder: RecordingRequest,
) -> None:
    await onboard(services, run_times={"tue": "18:00", "fri": "18:00"})
    clock.set(at(23, 0))  # the bot was down from before 19:00 until 23:00
    assert await deliver_due(app, services) == 0
    by_kind = {r.kind: r for r in await rows(services) if r.session_id and r.due_at < at(23, 59)}
    assert by_kind["session"].status == "missed"
    clock.set(at(7, 0, day=25))  # the log prompt (22:00 → quiet) waits for the morning
    assert await deliver_due(app, services) == 1
    assert "How did Tuesday's strength session go?" in sent_texts(request_recorder)[-1]


async def test_a_late_evening_run_is_reminded_before_quiet_hours(
    app: RunliftApplication,
    services: Services,
    clock: MutableClock,
    request_recorder: RecordingRequest,
) -> None:
    await onboard(services, run_times={"tue": "23:30", "fri": "23:30"})
    session_row = next(r for r in await rows(services) if r.kind == "session")
    assert session_row.due_at == at(21, 20)
    clock.set(at(21, 20))
    assert await deliver_due(app, services) == 1


async def test_onboarding_after_the_reminder_time_on_a_tempo_day_still_sends_today(
    app: RunliftApplication,
    services: Services,
    clock: MutableClock,
    request_recorder: RecordingRequest,
) -> None:
    clock.set(at(15, 0))  # the tempo run finished at 12:00; its reminder was due at 13:00
    await onboard(services)
    assert await deliver_due(app, services) == 1
    assert "Session A" in sent_texts(request_recorder)[0]
    ask = next(r for r in await rows(services) if r.kind == "ask_log" and r.due_at < at(23))
    assert ask.due_at == at(18, 0)


async def test_paused_runners_get_nothing_and_resume_keeps_what_lies_ahead(
    app: RunliftApplication,
    services: Services,
    clock: MutableClock,
    harness: ChatHarness,
) -> None:
    await onboard(services)
    await harness.send(RUNNER, "/pause")
    assert "paused" in harness.last(RUNNER).text.lower()
    clock.set(at(13, 0))
    assert await deliver_due(app, services) == 0
    statuses = {r.kind: r.status for r in await rows(services) if r.due_at <= at(13)}
    assert statuses["session"] == "missed"
    await harness.send(RUNNER, "/resume")
    assert "back on" in harness.last(RUNNER).text
    clock.set(at(13, 0, day=27))  # Friday's session
    assert await deliver_due(app, services) == 1
    assert "Session B" in harness.last(RUNNER).text


async def test_a_runner_who_blocked_the_bot_is_marked_inactive_and_gets_nothing_more(
    app: RunliftApplication,
    services: Services,
    clock: MutableClock,
    request_recorder: RecordingRequest,
) -> None:
    await onboard(services)
    request_recorder.fail_next["sendMessage"] = (
        403,
        "Forbidden: bot was blocked by the user",
        None,
    )
    clock.set(at(13, 0))
    assert await deliver_due(app, services) == 0
    async with services.db.session() as session:
        runner = await session.get(Runner, RUNNER)
        assert runner is not None and runner.active is False
    assert all(r.status in ("failed", "cancelled") for r in await rows(services))
    clock.set(at(13, 0, day=27))
    assert await deliver_due(app, services) == 0
    assert sent_texts(request_recorder) == []


async def test_retry_after_is_waited_out_and_the_reminder_goes_once(
    app: RunliftApplication,
    services: Services,
    clock: MutableClock,
    request_recorder: RecordingRequest,
) -> None:
    await onboard(services)
    request_recorder.fail_next["sendMessage"] = (
        429,
        "Too Many Requests: retry after 1",
        {"retry_after": 1},
    )
    clock.set(at(13, 0))
    assert await deliver_due(app, services) == 1
    attempts = [c for c in request_recorder.calls if c[0] == "sendMessage"]
    assert len(attempts) == 2
    assert len(sent_texts(request_recorder)) == 1


async def test_a_network_error_is_retried_later_with_backoff(
    app: RunliftApplication,
    services: Services,
    clock: MutableClock,
    request_recorder: RecordingRequest,
) -> None:
    await onboard(services)
    request_recorder.fail_next["sendMessage"] = (502, "Bad Gateway", None)
    clock.set(at(13, 0))
    assert await deliver_due(app, services) == 0
    session_row = next(r for r in await rows(services) if r.kind == "session")
    assert session_row.status == "pending" and session_row.due_at > at(13, 0)
    clock.set(session_row.due_at)
    assert await deliver_due(app, services) == 1
    assert len(sent_texts(request_recorder)) == 1


async def test_a_restart_recreates_one_job_per_pending_reminder_with_fixed_ids(
    app: RunliftApplication,
    services: Services,
    clock: MutableClock,
    settings: Settings,
) -> None:
    await onboard(services)
    clock.set(at(12, 30))  # the 13:00 session reminder is within the hour, the rest later
    pending = [r for r in await rows(services) if r.status == "pending"]
    soon = [r.id for r in pending if r.due_at <= clock.now() + JOB_HORIZON]
    assert soon and len(soon) < len(pending)
    restarted = build_application(
        settings, request=RecordingRequest(), clock=clock, database=services.db
    )
    async with restarted:
        assert restarted.post_init is not None
        await restarted.post_init(restarted)
        await restarted.post_init(restarted)  # restoring twice does not duplicate
        assert restarted.job_queue is not None
        jobs = [job.id for job in restarted.job_queue.scheduler.get_jobs()]
        # later reminders hold no job (memory) until the arming pass reaches them
        clock.set(at(15, 30))
        await arm_upcoming(restarted, restarted.bot_data["services"])
        armed = [job.id for job in restarted.job_queue.scheduler.get_jobs()]
    assert sorted(j for j in jobs if j.startswith("reminder:")) == sorted(
        f"reminder:{rid}" for rid in soon
    )
    assert jobs.count(SWEEP_JOB_ID) == 1
    assert len(jobs) == len(set(jobs))
    ask = next(r.id for r in pending if r.kind == "ask_log")
    assert f"reminder:{ask}" in armed
    assert len(armed) == len(set(armed))


async def test_a_weekly_preview_goes_out_sunday_evening_with_next_weeks_sessions(
    app: RunliftApplication,
    services: Services,
    clock: MutableClock,
    request_recorder: RecordingRequest,
) -> None:
    await onboard(services)
    preview = next(r for r in await rows(services) if r.kind == "weekly_preview")
    assert preview.due_at == at(18, 0, day=29)
    deliverer: Deliverer = deliverer_of(app)
    deliverer.per_chat_interval = 0
    clock.set(at(18, 0, day=29))
    await deliver_due(app, services)
    text = sent_texts(request_recorder)[-1]
    assert "Your strength week from Monday 30 Nov" in text
    assert "Tuesday 1 Dec" in text and "Friday 4 Dec" in text
    following = [r for r in await rows(services) if r.kind == "weekly_preview"]
    assert {r.due_at for r in following} >= {
        at(18, 0, day=29),
        datetime(2026, 12, 6, 18, tzinfo=UTC),
    }


async def test_the_job_queue_itself_delivers_a_due_reminder_once(
    app: RunliftApplication,
    services: Services,
    clock: MutableClock,
    request_recorder: RecordingRequest,
) -> None:
    clock.set(at(15, 0))  # onboarding after the reminder time: due at once
    await onboard(services)
    assert app.job_queue is not None
    await app.job_queue.start()
    try:
        for _ in range(50):
            if sent_texts(request_recorder):
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)
    finally:
        await app.job_queue.stop(wait=True)
    assert len(sent_texts(request_recorder)) == 1
    assert "Session A" in sent_texts(request_recorder)[0]


async def test_a_log_prompt_never_overtakes_its_session_reminder(
    app: RunliftApplication, services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    await onboard(services)
    clock.set(at(16, 30))  # both the 13:00 reminder and the 16:00 prompt are due
    stored = await rows(services)
    reminder, ask = (next(r for r in stored if r.kind == kind) for kind in ("session", "ask_log"))
    # another job has just claimed the session reminder when the prompt's own job fires
    async with services.db.session() as session, session.begin():
        await session.execute(
            update(Reminder)
            .where(Reminder.id == reminder.id)
            .values(status="claimed", claimed_by="other", claimed_at=clock.now())
        )
    assert await deliverer_of(app).deliver_ids([ask.id]) == 0
    assert harness.chat(RUNNER) == []
    async with services.db.session() as session:
        held = await session.get(Reminder, ask.id)
    assert held is not None and held.status == "pending" and held.due_at > clock.now()
