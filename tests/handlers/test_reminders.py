"""The reminder buttons and /pause, /resume as a runner uses them."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.context import RunliftApplication
from bot.services.container import Services
from scheduler import deliver_due
from scheduler.jobs import deliverer_of
from tests.fakes import ChatHarness, MutableClock, SentMessage
from tests.scheduler.support import onboard

RUNNER = 42


def at(hour: int, minute: int = 0, day: int = 24) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


async def reminded(
    app: RunliftApplication,
    services: Services,
    clock: MutableClock,
    harness: ChatHarness,
    when: datetime,
) -> SentMessage:
    clock.set(when)
    deliverer_of(app).per_chat_interval = 0
    assert await deliver_due(app, services) >= 1
    return harness.last(RUNNER)


async def test_start_sends_the_go_message_with_how_to_log(
    app: RunliftApplication, services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    await onboard(services)
    await reminded(app, services, clock, harness, at(13))
    answer = await harness.press(RUNNER, "▶️ Start")
    assert "Have a good session!" in harness.callback_answers()
    assert any("reply with your sets" in m.text for m in answer)


async def test_snooze_sends_the_session_again_an_hour_later_and_moves_the_log_prompt(
    app: RunliftApplication, services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    await onboard(services)
    await reminded(app, services, clock, harness, at(13))
    clock.set(at(13, 30))
    await harness.press(RUNNER, "⏰ Snooze 1 h")
    assert "OK, I'll remind you at 14:30." in harness.callback_answers()
    clock.set(at(14, 29))
    assert await deliver_due(app, services) == 0
    again = await reminded(app, services, clock, harness, at(14, 30))
    assert "Session A" in again.text and again.buttons()
    clock.set(at(16, 0))  # the prompt would have been 16:00; it follows the snooze
    assert await deliver_due(app, services) == 0
    prompt = await reminded(app, services, clock, harness, at(17, 30))
    assert "How did today's" in prompt.text


async def test_snooze_into_quiet_hours_is_refused_with_the_reason(
    app: RunliftApplication, services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    await onboard(services, run_times={"tue": "19:30", "fri": "19:30"})
    await reminded(app, services, clock, harness, at(20, 45))
    await harness.press(RUNNER, "⏰ Snooze 1 h")
    assert any("quiet hours start at 21:30" in text for text in harness.callback_answers())


async def test_skip_today_cancels_the_log_prompt_and_is_not_made_up(
    app: RunliftApplication, services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    await onboard(services)
    message = await reminded(app, services, clock, harness, at(13))
    await harness.press(RUNNER, "⏭ Skip today")
    assert any("No need to make it up" in text for text in harness.callback_answers())
    assert harness.request.messages[message.message_id].buttons() == []
    clock.set(at(16, 0))
    assert await deliver_due(app, services) == 0  # no "how did it go?" for a skipped day
    friday = await reminded(app, services, clock, harness, at(13, day=27))
    assert "Session B" in friday.text  # X3: Friday is the usual session, not a double


async def test_a_stale_press_after_skipping_gets_a_short_answer(
    app: RunliftApplication, services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    await onboard(services)
    message = await reminded(app, services, clock, harness, at(13))
    start = dict(message.buttons())["▶️ Start"]
    await harness.press(RUNNER, "⏭ Skip today")
    await harness.press_data(RUNNER, message.message_id, start)
    assert harness.callback_answers()[-1] == "You skipped this one; the plan goes on."


async def test_someone_elses_button_is_refused(
    app: RunliftApplication, services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    await onboard(services)
    message = await reminded(app, services, clock, harness, at(13))
    skip = dict(message.buttons())["⏭ Skip today"]
    await harness.press_data(RUNNER, message.message_id, skip, presser=7)
    assert harness.callback_answers()[-1] == "That button isn't yours."
    await harness.press(RUNNER, "▶️ Start")  # the session is still planned
    assert harness.callback_answers()[-1] == "Have a good session!"


async def test_move_to_tomorrow_when_p3_to_p5_allow_it(
    app: RunliftApplication, services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    await onboard(services)
    message = await reminded(app, services, clock, harness, at(13))
    await harness.press(RUNNER, "📅 Move to tomorrow")  # Wed is easy, Thu rest: allowed
    assert "Moved to tomorrow." in harness.callback_answers()
    assert harness.request.messages[message.message_id].buttons() == []
    clock.set(at(16, 0))
    assert await deliver_due(app, services) == 0  # Tuesday's prompt went with it
    wednesday = await reminded(app, services, clock, harness, at(13, day=25))
    assert "Session A" in wednesday.text and "Moved from Tuesday" in wednesday.text


async def test_after_move_to_tomorrow_plan_today_and_history_still_answer(
    app: RunliftApplication, services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    await onboard(services)
    await reminded(app, services, clock, harness, at(13))
    await harness.press(RUNNER, "📅 Move to tomorrow")
    assert "Moved to tomorrow." in harness.callback_answers()
    # two weeks of sessions with their cues (X4) may take more than one message
    plan_text = "\n".join(m.text for m in await harness.send(RUNNER, "/plan"))
    assert "Session A" in plan_text and "Wed" in plan_text
    assert "went wrong" not in plan_text
    clock.set(at(9, day=25))
    [today] = await harness.send(RUNNER, "/today")
    assert "Session A" in today.text and "went wrong" not in today.text
    [history] = await harness.send(RUNNER, "/history")
    assert "went wrong" not in history.text


async def test_move_to_tomorrow_is_refused_before_a_long_run(
    app: RunliftApplication, services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    await onboard(services)
    await reminded(app, services, clock, harness, at(13, day=27))  # Friday's session
    await harness.press(RUNNER, "📅 Move to tomorrow")  # Saturday is the day before the long run
    refusal = harness.last(RUNNER).text
    assert refusal.startswith("Can't move it to tomorrow")
    assert "never the day before a key run (long)" in refusal


async def test_pause_and_resume_answer_and_need_a_plan(harness: ChatHarness) -> None:
    await harness.send(5, "/pause")
    assert "/start" in harness.last(5).text
    await harness.send(5, "/resume")
    assert "/start" in harness.last(5).text
