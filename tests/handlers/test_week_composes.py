"""One runner's week through the real Application: every adaptation composes with the others.

Each test is a journey a runner took where two features met (a log and "same as last time", a
move and a tired day, a swap and a changed week, pain and /swap, a skip and /progress).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from bot.context import RunliftApplication
from bot.core.domain.profile import Limitation
from bot.core.domain.rundays import RunKind
from bot.services import calendar, pain, swaps
from bot.services.calendar_state import stored_calendar
from bot.services.container import Services
from bot.storage import reminders as reminder_rows
from bot.storage import runners, set_logs
from bot.storage.tables import LoggedSetRow
from scheduler import deliver_due
from tests.fakes import ChatHarness, MutableClock
from tests.handlers.test_reminders import RUNNER, at, reminded
from tests.scheduler.support import onboard


def sets_of(name: str, text: str) -> int:
    """How many sets a /today or reminder text prescribes for one exercise."""
    found = re.search(rf"• {re.escape(name)} (\d+) ×", text)
    assert found is not None, f"{name} not in the session"
    return int(found.group(1))


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


async def test_tired_under_a_moved_sessions_reminder_trims_it_on_its_new_day(
    app: RunliftApplication, services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    await onboard(services)
    await reminded(app, services, clock, harness, at(13))
    [full] = await harness.send(RUNNER, "/today")
    await harness.press(RUNNER, "📅 Move to tomorrow")
    wednesday = await reminded(app, services, clock, harness, at(13, day=25))
    assert "Moved from Tuesday" in wednesday.text
    await harness.press(RUNNER, "😴 Tired", message_id=wednesday.message_id)
    text = "\n".join(m.text for m in harness.chat(RUNNER)[-2:])
    assert "no strength session" not in text and "Session A" in text
    [today] = await harness.send(RUNNER, "/today")
    assert "Tired today" in today.text and "Power" not in today.text
    assert "Back squat" in today.text and "Moved from Tuesday" in today.text
    for lift in ("Back squat", "Pull-up", "Step-up", "Single-leg calf raise"):
        assert sets_of(lift, today.text) == sets_of(lift, full.text) - 1
    assert sets_of("Dead bug", today.text) == sets_of("Dead bug", full.text)  # core aside
    await harness.press(RUNNER, "😀 Fresh", message_id=wednesday.message_id)
    [again] = await harness.send(RUNNER, "/today")
    assert "Power" in again.text and "Tired today" not in again.text


async def test_a_swap_follows_its_session_when_the_week_changes(
    services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    clock.set(at(10, day=23))  # Monday; session A is due tomorrow after the tempo run
    await onboard(services)
    await harness.send(RUNNER, "/swap")
    offer = await harness.press(RUNNER, "Back squat")
    names = [
        text
        for text, _ in offer[-1].buttons()
        if text not in ("♾ Always", "📅 My plan", "🗓 My week")
    ]
    await harness.press(RUNNER, names[0])
    await harness.send(RUNNER, "this week my tempo is on wednesday")
    plan = "\n".join(m.text for m in await harness.send(RUNNER, "/plan"))
    this_week = plan.split("Session B")[0]
    assert "Session A · Wednesday 25 Nov" in this_week
    assert names[0] in this_week and "• Back squat" not in this_week


JUMPS_AND_KNEE_BENDS = ("hop", "jump", "bound", "skipping", "squat", "lunge", "step-up")


async def test_with_knee_pain_over_5_swap_offers_no_jumps_and_no_knee_bends(
    services: Services, harness: ChatHarness
) -> None:
    await onboard(services)
    await pain.report_pain(services, RUNNER, Limitation.KNEE, 6)
    for lift in ("pogo hops", "box jump", "calf raise"):
        sent = await harness.send(RUNNER, f"/swap {lift}")
        offered = [label.lower() for m in sent for label, _ in m.buttons()]
        assert len(offered) > 2, f"/swap {lift} offered nothing"
        for label in offered:
            assert not any(word in label for word in JUMPS_AND_KNEE_BENDS), (lift, label)


async def test_progress_counts_a_skip_as_due_and_shows_e1rm_rounded_with_its_date(
    services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    await onboard(services)
    await harness.send(RUNNER, "squat 3x8 61kg\nstep up 3x8/side 16kg")  # Tuesday, session A
    clock.set(datetime(2026, 11, 27, 10, 0, tzinfo=UTC))
    await harness.send(RUNNER, "skip")  # Friday's session B
    summary = "\n".join(m.text for m in await harness.send(RUNNER, "/summary"))
    assert "1 skipped" in summary
    text = (await harness.send(RUNNER, "/progress"))[-1].text
    assert "Sessions done: 1 of 2 (50%)" in text
    # Brzycki: 61 × 36 / 29 = 75.72… → 75.5 kg, on the day it was lifted
    assert "Back squat: estimated 1RM 75.5 kg (Tue 24 Nov)" in text
    assert "Step-up" not in text


async def test_a_log_stores_the_lift_named_not_the_swap_of_the_day(
    services: Services, harness: ChatHarness
) -> None:
    await onboard(services)
    await swaps.choose_swap(
        services, RUNNER, datetime(2026, 11, 24).date(), "back_squat", "split_squat"
    )
    [today] = await harness.send(RUNNER, "/today")
    assert "Split squat" in today.text and "• Back squat" not in today.text
    reply = (await harness.send(RUNNER, "squat 4x5 60kg"))[-1].text
    assert "Back squat 4x5 @ 60 kg" in reply and "Split squat" not in reply
    rows = await stored(services)
    assert [(r.exercise_id, r.reps, r.load_kg, r.per_side) for r in rows] == [
        ("back_squat", 5, 60.0, False)
    ] * 4
    # the session's own lift, named loosely, is still read as it
    await harness.send(RUNNER, "split squats 3x8/side 16kg")
    assert [r.exercise_id for r in await stored(services)][4:] == ["split_squat"] * 3


async def test_a_runner_without_a_gym_logs_the_squat_they_did_not_a_barbell_one(
    services: Services, harness: ChatHarness
) -> None:
    await onboard(services, equipment=["dumbbells"])
    [today] = await harness.send(RUNNER, "/today")
    assert "Back squat" not in today.text
    reply = (await harness.send(RUNNER, "squat 3x10 10kg each hand"))[-1].text
    assert "Goblet squat 3x10 @ 10 kg" in reply and "Back squat" not in reply
    rows = await stored(services)
    assert [(r.exercise_id, r.reps, r.load_kg, r.per_side) for r in rows] == [
        ("goblet_squat", 10, 10.0, False)
    ] * 3
    await harness.send(RUNNER, "/undo")
    # a lift named in full is the lift named, kit or not
    await harness.send(RUNNER, "back squat 3x5 40kg")
    assert [r.exercise_id for r in await stored(services)] == ["back_squat"] * 3


async def test_a_swap_pain_took_out_again_is_not_told_about(
    services: Services, harness: ChatHarness
) -> None:
    await onboard(services)
    await swaps.choose_swap(
        services, RUNNER, datetime(2026, 11, 24).date(), "back_squat", "goblet_squat", always=True
    )
    plan = "\n".join(m.text for m in await harness.send(RUNNER, "/plan"))
    assert "Goblet squat" in plan  # the swap and its note
    await pain.report_pain(services, RUNNER, Limitation.KNEE, 8)
    plan = "\n".join(m.text for m in await harness.send(RUNNER, "/plan"))
    today = "\n".join(m.text for m in await harness.send(RUNNER, "/today"))
    for text in (plan, today):
        assert "goblet squat" not in text.lower(), text  # neither the lift nor a note of it
        assert "knee" in text.lower()


EARLY_TEMPO = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//runlift tests//EN
BEGIN:VEVENT
UID:tempo-2026-11-24@example
DTSTAMP:20261120T090000Z
DTSTART;TZID=Europe/London:20261124T063000
DTEND;TZID=Europe/London:20261124T073500
SUMMARY:Tempo run
END:VEVENT
BEGIN:VEVENT
UID:intervals-2026-11-27@example
DTSTAMP:20261120T090000Z
DTSTART;TZID=Europe/London:20261127T120000
DTEND;TZID=Europe/London:20261127T130000
SUMMARY:Intervals 6x800m
END:VEVENT
BEGIN:VEVENT
UID:long-2026-11-29@example
DTSTAMP:20261120T090000Z
DTSTART;TZID=Europe/London:20261129T090000
DTEND;TZID=Europe/London:20261129T110000
SUMMARY:Long run
END:VEVENT
END:VCALENDAR
"""


async def test_after_a_calendar_run_the_reminder_waits_for_its_end_and_the_stated_finish(
    app: RunliftApplication, services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    clock.set(at(6, 0))  # Tuesday, before the 06:30–07:35 tempo; the runner said done by 07:45
    await onboard(services, run_times={"tue": "07:45", "fri": "12:00"})
    await calendar.link_calendar(services, RUNNER, EARLY_TEMPO, name="runs.ics")
    delay = services.settings.reminder_delay_minutes
    finish = at(7, 45) + timedelta(minutes=delay)
    clock.set(finish - timedelta(minutes=1))
    assert await deliver_due(app, services) == 0  # not before the run is over and the delay
    reminder = await reminded(app, services, clock, harness, finish)
    assert "Session A" in reminder.text


async def test_a_calendar_day_fix_survives_a_feed_link_replacing_the_file(
    services: Services,
) -> None:
    await onboard(services)
    await calendar.link_calendar(services, RUNNER, EARLY_TEMPO, name="runs.ics")
    await calendar.fix_day(services, RUNNER, datetime(2026, 11, 29).date(), RunKind.EASY)
    url = "https://example.com/runs.ics"
    await calendar.link_calendar(services, RUNNER, EARLY_TEMPO, name="runs.ics", url=url)
    view = await calendar.show_calendar(services, RUNNER)
    assert view is not None
    async with services.db.session() as session:
        runner = await runners.get_runner(session, RUNNER)
    stored = stored_calendar(runner.profile if runner is not None else None)
    assert stored is not None and stored.url == url
    assert stored.fixes == {datetime(2026, 11, 29).date(): RunKind.EASY}
