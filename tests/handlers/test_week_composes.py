"""One runner's week through the real Application: every adaptation composes with the others.

Each test is a journey a runner took where two features met (a log and "same as last time", a
move and a tired day, a swap and a changed week, pain and /swap, a skip and /progress).
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.context import RunliftApplication
from bot.services.container import Services
from bot.storage import reminders as reminder_rows
from bot.storage import set_logs
from bot.storage.tables import LoggedSetRow
from scheduler import deliver_due
from tests.fakes import ChatHarness, MutableClock
from tests.handlers.test_reminders import RUNNER, at, reminded
from tests.scheduler.support import onboard


async def stored(services: Services) -> list[LoggedSetRow]:
    async with services.db.session() as session:
        return list(await set_logs.all_sets(session, RUNNER))


async def test_same_as_last_time_on_a_logged_day_adds_nothing(
    services: Services, harness: ChatHarness
) -> None:
    await onboard(services)  # Tuesday: session A
    await harness.send(RUNNER, "squat 3x6 60kg")
    await harness.send(RUNNER, "deadlift 3x5 80kg")
    before = [(r.exercise_id, r.reps, r.load_kg) for r in await stored(services)]
    [reply] = await harness.send(RUNNER, "same as last time")
    assert "already logged" in reply.text
    assert [(r.exercise_id, r.reps, r.load_kg) for r in await stored(services)] == before


async def test_same_as_last_time_repeats_the_last_session_of_the_same_kind_once(
    services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    await onboard(services)
    await harness.send(RUNNER, "squat 3x6 60kg")  # Tuesday, session A
    clock.set(datetime(2026, 11, 27, 10, 0, tzinfo=UTC))
    await harness.send(RUNNER, "split squat 3x8/side 16kg")  # Friday, session B
    clock.set(datetime(2026, 12, 1, 10, 0, tzinfo=UTC))  # next Tuesday: session A again
    reply = (await harness.send(RUNNER, "same as last time"))[-1].text
    assert "Back squat 3x6 @ 60 kg" in reply and "Split squat" not in reply
    tuesday = [
        (r.exercise_id, r.reps, r.load_kg)
        for r in await stored(services)
        if r.performed_on == datetime(2026, 12, 1).date()
    ]
    assert tuesday == [("back_squat", 6, 60.0)] * 3
    export = await harness.send(RUNNER, "same as last time")
    assert "already logged" in export[-1].text


async def test_typing_skip_cancels_the_days_reminders_as_the_button_does(
    app: RunliftApplication, services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    await onboard(services)  # Tuesday 10:00; the session reminder is due at 13:00
    skipped = await harness.send(RUNNER, "skip")
    assert "Skipped" in skipped[-1].text or "skip" in skipped[-1].text.lower()
    async with services.db.session() as session:
        pending = await reminder_rows.pending_for_runner(session, RUNNER)
    assert all(r.due_at.date() > at(0).date() for r in pending)  # today's are cancelled
    clock.set(at(13))
    assert await deliver_due(app, services) == 0  # no session reminder for a skipped day
    clock.set(at(17, 30))
    assert await deliver_due(app, services) == 0  # and no "how did it go?"
    friday = await reminded(app, services, clock, harness, at(13, day=27))
    assert "Session B" in friday.text  # X3: not made up
