"""Replying with completed reps via the real Application: typed, one tap, confirm, fix, undo."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.services.container import Services
from bot.storage import set_logs
from bot.storage.tables import LoggedSetRow, PlannedSession
from handlers.callbacks import Action, encode
from scheduler import deliver_due
from tests.fakes import ChatHarness, MutableClock
from tests.scheduler.support import onboard

RUNNER = 42
OTHER = 43


async def stored(services: Services, runner_id: int = RUNNER) -> list[LoggedSetRow]:
    async with services.db.session() as session:
        return list(await set_logs.all_sets(session, runner_id))


async def test_a_typed_log_is_stored_with_its_target_and_raises_the_next_load(
    services: Services, harness: ChatHarness
) -> None:
    await onboard(services)  # Tuesday: session A (back squat 3 × 6–8, the base week-1 dose)
    sent = await harness.send(RUNNER, "squat 3x8 60kg")
    reply = sent[-1].text
    assert "Logged" in reply and "Back squat 3x8 @ 60 kg" in reply
    rows = await stored(services)
    assert [(r.exercise_id, r.reps, r.load_kg) for r in rows] == [("back_squat", 8, 60.0)] * 3
    assert rows[0].target_reps_min == 6 and rows[0].target_reps_max == 8  # target beside actual
    # every set at the top of the range: the next squat goes up one step (L3, L4)
    assert "Back squat 62.5 kg" in reply


async def test_a_failed_set_never_raises_the_load(
    services: Services, harness: ChatHarness
) -> None:
    await onboard(services)
    sent = await harness.send(RUNNER, "squat 8,8,4 @ 60kg")
    assert "62.5" not in sent[-1].text
    assert "Back squat 60 kg" in sent[-1].text


async def test_one_tap_on_done_as_planned_logs_every_set(
    services: Services, harness: ChatHarness, clock: MutableClock, app: object
) -> None:
    await onboard(services)
    clock.set(datetime(2026, 11, 24, 13, 0, tzinfo=UTC))
    await deliver_due(app, services)  # the session reminder
    clock.set(datetime(2026, 11, 24, 16, 0, tzinfo=UTC))
    await deliver_due(app, services)  # the log prompt
    await harness.press(RUNNER, "✅ Done as planned")
    assert "Logged" in harness.last(RUNNER).text
    exercises = {r.exercise_id for r in await stored(services)}
    assert {"back_squat", "dead_bug", "plank"} <= exercises
    # a second tap on the same (now old) button logs nothing twice
    count = len(await stored(services))
    await harness.press(RUNNER, "✅ Done as planned")
    assert len(await stored(services)) == count
    assert "already logged" in harness.callback_answers()[-1]


async def test_a_half_read_message_waits_for_confirmation(
    services: Services, harness: ChatHarness
) -> None:
    await onboard(services)
    sent = await harness.send(RUNNER, "squat 3x5 60kg\nflurbo 3x5")
    assert "…but not this" in sent[-1].text and "flurbo" in sent[-1].text
    assert await stored(services) == []
    await harness.press(RUNNER, "✅ Log it")
    assert len(await stored(services)) == 3


async def test_cancelling_a_half_read_message_stores_nothing(
    services: Services, harness: ChatHarness
) -> None:
    await onboard(services)
    await harness.send(RUNNER, "squat 3x5 60kg; zzz 2x2")
    await harness.press(RUNNER, "✖️ Cancel")
    assert await stored(services) == []
    assert "nothing logged" in harness.last(RUNNER).text


async def test_garbled_and_impossible_logs_store_nothing_and_show_what_works(
    services: Services, harness: ChatHarness
) -> None:
    await onboard(services)
    garbled = await harness.send(RUNNER, "i did some stuff lol")
    assert "couldn't log that" in garbled[-1].text and "squat 4x5 60kg" in garbled[-1].text
    impossible = await harness.send(RUNNER, "squat 3x5 900kg")
    assert "couldn't log that" in impossible[-1].text
    assert await stored(services) == []


async def test_reply_to_the_confirmation_corrects_it_and_undo_removes_it(
    services: Services, harness: ChatHarness
) -> None:
    await onboard(services)
    confirmation = (await harness.send(RUNNER, "squat 3x5 60kg"))[-1]
    fixed = await harness.send(RUNNER, "squat 3x5 70kg", reply_to=confirmation.message_id)
    assert "Corrected" in fixed[-1].text
    assert {r.load_kg for r in await stored(services)} == {70.0}
    undone = await harness.send(RUNNER, "/undo")
    assert "Removed" in undone[-1].text
    assert await stored(services) == []
    assert "no log to undo" in (await harness.send(RUNNER, "/undo"))[-1].text


async def test_correcting_one_lift_by_reply_keeps_the_rest_of_that_log(
    services: Services, harness: ChatHarness
) -> None:
    """Replying `deadlift 3x5 100kg` to a five-exercise "done" took the other four away."""
    await onboard(services)
    confirmation = (await harness.send(RUNNER, "squat 3x5 60kg\npull ups 3x5\nplank 2x30s"))[-1]
    fixed = await harness.send(RUNNER, "squat 3x5 70kg", reply_to=confirmation.message_id)
    assert "Corrected" in fixed[-1].text
    rows = await stored(services)
    assert {(r.exercise_id, r.load_kg) for r in rows if r.exercise_id == "back_squat"} == {
        ("back_squat", 70.0)
    }
    assert sorted({r.exercise_id for r in rows}) == ["back_squat", "plank", "pull_up"]
    assert len(rows) == 8  # 3 + 3 + 2, nothing doubled


async def test_skip_and_same_as_last_time(services: Services, harness: ChatHarness) -> None:
    await onboard(services)
    await harness.send(RUNNER, "squat 3x6 60kg")
    await harness.send(RUNNER, "/undo")
    await harness.send(RUNNER, "squat 3x6 60kg")
    repeat = await harness.send(RUNNER, "same as last time")
    assert "already logged" in repeat[-1].text  # the day has its log: nothing stored twice
    assert len(await stored(services)) == 3
    skipped = await harness.send(RUNNER, "skip")
    assert "no session waiting" in skipped[-1].text or "Skipped" in skipped[-1].text


async def test_another_runners_button_is_refused(services: Services, harness: ChatHarness) -> None:
    await onboard(services)
    await onboard(services, OTHER)
    shown = await harness.send(OTHER, "squat 3x5 60kg")
    undo_data = dict(shown[-1].buttons())["↩️ Undo"]
    await harness.press_data(OTHER, shown[-1].message_id, undo_data, presser=RUNNER)
    assert harness.callback_answers()[-1] == "That button isn't yours."
    assert len(await stored(services, OTHER)) == 3
    forged = undo_data.replace(f":{OTHER}:", f":{RUNNER}:", 1)
    await harness.press_data(OTHER, shown[-1].message_id, forged, presser=RUNNER)
    assert len(await stored(services, OTHER)) == 3


async def test_someone_not_set_up_is_sent_to_start(harness: ChatHarness) -> None:
    sent = await harness.send(999, "squat 3x5 60kg")
    assert "/start" in sent[-1].text


async def _log_prompt(app: object, services: Services, clock: MutableClock) -> None:
    """Delivers Tuesday's session reminder and then its log prompt."""
    clock.set(datetime(2026, 11, 24, 13, 0, tzinfo=UTC))
    await deliver_due(app, services)
    clock.set(datetime(2026, 11, 24, 16, 0, tzinfo=UTC))
    await deliver_due(app, services)


async def test_one_exercise_button_logs_that_exercise_and_done_logs_the_rest(
    services: Services, harness: ChatHarness, clock: MutableClock, app: object
) -> None:
    await onboard(services)
    await _log_prompt(app, services, clock)
    await harness.press(RUNNER, "Plank")
    assert "Plank 2x30s" in harness.last(RUNNER).text
    assert [r.exercise_id for r in await stored(services)] == ["plank", "plank"]
    await harness.press(RUNNER, "Plank")  # the same button again logs nothing twice
    assert len(await stored(services)) == 2
    await harness.press(RUNNER, "✅ Done as planned")
    rows = await stored(services)
    assert [r.exercise_id for r in rows].count("plank") == 2
    assert "back_squat" in {r.exercise_id for r in rows}
    # the squat was prescribed by %1RM, so a tap can't know the weight: say how to get loads
    assert "log the weights next time" in harness.last(RUNNER).text


async def test_typed_done_after_one_typed_lift_logs_the_rest_of_that_session(
    services: Services, harness: ChatHarness
) -> None:
    await onboard(services)
    await harness.send(RUNNER, "squat 3x8 60kg")
    sent = await harness.send(RUNNER, "done")
    assert "Logged" in sent[-1].text and "no session waiting" not in sent[-1].text
    rows = await stored(services)
    assert [r.exercise_id for r in rows].count("back_squat") == 3  # the typed sets, not twice
    assert {"dead_bug", "plank"} <= {r.exercise_id for r in rows}
    again = await harness.send(RUNNER, "done")
    assert "already logged" in again[-1].text
    assert len(await stored(services)) == len(rows)


async def test_typed_done_the_morning_after_finishes_the_session_just_begun(
    services: Services, harness: ChatHarness, clock: MutableClock
) -> None:
    """The log prompt comes the next morning: one lift typed, then "done" for the rest."""
    await onboard(services)  # Tuesday's session
    clock.set(datetime(2026, 11, 25, 8, 0, tzinfo=UTC))
    await harness.send(RUNNER, "squat 3x8 60kg")
    sent = await harness.send(RUNNER, "done")
    assert "Logged" in sent[-1].text
    rows = await stored(services)
    assert [r.exercise_id for r in rows].count("back_squat") == 3
    assert {"dead_bug", "plank"} <= {r.exercise_id for r in rows}


async def test_a_log_sent_again_for_want_of_a_confirmation_is_stored_once(
    services: Services, harness: ChatHarness, clock: MutableClock
) -> None:
    """The bot restarted before it confirmed: the runner sends the same log again."""
    await onboard(services)
    await harness.send(RUNNER, "squat 3x8 60kg")
    again = await harness.send(RUNNER, "squat 3x8 60kg")
    assert "Logged" in again[-1].text and "Back squat 3x8 @ 60 kg" in again[-1].text
    assert len(await stored(services)) == 3
    clock.advance(timedelta(hours=2))  # the same work done again later that day is new work
    await harness.send(RUNNER, "squat 3x8 60kg")
    assert len(await stored(services)) == 6


async def test_the_log_command_reads_the_same_as_typing(
    services: Services, harness: ChatHarness
) -> None:
    await onboard(services)
    empty = await harness.send(RUNNER, "/log")
    assert "squat 4x5 60kg" in empty[-1].text
    assert await stored(services) == []
    sent = await harness.send(RUNNER, "/log deadlift 3x3 100kg rir2")
    assert "Deadlift 3x3 @ 100 kg" in sent[-1].text
    assert [(r.reps, r.load_kg, r.rir) for r in await stored(services)] == [(3, 100.0, 2)] * 3


async def test_the_undo_button_removes_that_log(services: Services, harness: ChatHarness) -> None:
    await onboard(services)
    confirmation = (await harness.send(RUNNER, "squat 3x5 60kg"))[-1]
    undo_data = dict(confirmation.buttons())["↩️ Undo"]
    removed = await harness.press(RUNNER, "↩️ Undo")
    assert any("Removed your log" in m.text for m in removed)
    assert await stored(services) == []
    await harness.press_data(RUNNER, confirmation.message_id, undo_data)  # an old copy
    assert "no log to undo" in harness.callback_answers()[-1]


async def test_a_forged_done_press_for_another_runners_session_logs_nothing(
    services: Services, harness: ChatHarness
) -> None:
    await onboard(services)
    await onboard(services, OTHER)
    async with services.db.session() as session:
        theirs = (
            await session.scalars(
                select(PlannedSession.id).where(PlannedSession.runner_id == OTHER)
            )
        ).first()
    mine = await harness.send(RUNNER, "/help")
    for data in (
        encode(Action.LOG_DONE, RUNNER, theirs),
        encode(Action.LOG_DONE, OTHER, theirs),
        encode(Action.LOG_EXERCISE, RUNNER, theirs, 3),
        encode(Action.LOG_DONE, RUNNER, "notanumber"),
    ):
        await harness.press_data(RUNNER, mine[-1].message_id, data)
    assert await stored(services) == [] and await stored(services, OTHER) == []
    assert "That button isn't yours." in harness.callback_answers()


async def test_text_during_onboarding_is_an_answer_not_a_log(harness: ChatHarness) -> None:
    await harness.send(RUNNER, "/start")
    sent = await harness.send(RUNNER, "squat 3x5 60kg")
    assert sent and "running week" in sent[-1].text  # onboarding answered, still on its question
    assert not any("Logged" in m.text or "couldn't log" in m.text for m in sent)
