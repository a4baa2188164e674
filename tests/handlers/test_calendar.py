"""Bring your run plan: an .ics document or feed link in the chat, /calendar, and /plan.

The clock is Tuesday 24 Nov 2026 10:00 UTC; the runner onboarded with seed 000's week (tempo
Tuesday, intervals Friday, long Sunday), so without a calendar the sessions are Tue and Fri.
"""

from __future__ import annotations

import time
from datetime import timedelta

from bot.calendar_feed import HttpCalendarFetcher
from bot.services.container import Services
from scheduler.jobs import send_calendar_resync
from tests.calendar_bombs import daily_series, repeating
from tests.fakes import ChatHarness, MutableClock, RecordingFetcher
from tests.feed_server import FeedServer
from tests.handlers.onboarding_steps import onboard_by_buttons

UID = 1801


def ics(*events: tuple[str, str]) -> bytes:
    """A calendar of (YYYYMMDDTHHMMSSZ or YYYYMMDD, title) events."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Plan app//EN"]
    for index, (start, title) in enumerate(events):
        value = f"DTSTART:{start}" if "T" in start else f"DTSTART;VALUE=DATE:{start}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:e{index}@plan.example",
            "DTSTAMP:20261101T000000Z",
            value,
            f"SUMMARY:{title}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


PLAN = ics(
    ("20261125T063000Z", "Tempo Run • 8km"),
    ("20261127T063000Z", "Intervals • 6x800m"),
    ("20261129T083000Z", "Easy Run • 10km"),  # no long run the day before Monday's (P9)
    ("20261130T063000Z", "Intervals • 5x1km"),
    ("20261203T063000Z", "Tempo Run • 9km"),
    ("20261206T083000Z", "Long Run • 18km"),
)


async def plan_text(harness: ChatHarness) -> str:
    return "\n".join(m.text for m in await harness.send(UID, "/plan"))


async def test_an_ics_document_moves_the_plan_onto_the_calendars_hard_days(
    harness: ChatHarness,
) -> None:
    await onboard_by_buttons(harness, UID)
    answer = "\n".join(m.text for m in await harness.send_document(UID, "plan.ics", PLAN))
    assert "Read your calendar" in answer
    assert "Wed 25 Nov tempo" in answer and "Session" in answer
    shown = await plan_text(harness)
    for day in ("Wednesday 25 Nov", "Friday 27 Nov", "Monday 30 Nov", "Thursday 3 Dec"):
        assert day in shown, day
    assert "Tuesday 1 Dec" not in shown  # the template's tempo day is not a run this week
    assert "after your tempo run" in shown and "Sunday" not in shown  # P1, P5


async def test_a_bad_file_gets_one_clear_line_and_the_plan_stays(harness: ChatHarness) -> None:
    await onboard_by_buttons(harness, UID)
    sent = await harness.send_document(UID, "export.ics", b"<html>Sign in</html>")
    assert "export.ics: not an iCalendar file" in sent[0].text
    assert "Friday 27 Nov" in await plan_text(harness)


async def test_fix_a_misread_day_and_turn_the_calendar_off(harness: ChatHarness) -> None:
    await onboard_by_buttons(harness, UID)
    await harness.send_document(UID, "plan.ics", PLAN)
    fixed = "\n".join(m.text for m in await harness.send(UID, "/calendar wed easy"))
    assert "Wed 25 Nov is now easy" in fixed and "✎" in fixed
    assert "Wednesday 25 Nov" not in await plan_text(harness)
    shown = "\n".join(m.text for m in await harness.send(UID, "/calendar"))
    assert "Wed 25 Nov easy" in shown and "Mon 30 Nov intervals" in shown
    off = "\n".join(m.text for m in await harness.send(UID, "/calendar off"))
    assert "usual week again" in off
    shown = await plan_text(harness)
    assert "Tuesday 1 Dec" in shown and "Monday 30 Nov" not in shown  # seed 000 again


async def test_a_feed_link_is_fetched_as_https_and_resyncs_daily(
    harness: ChatHarness, services: Services, clock: MutableClock
) -> None:
    await onboard_by_buttons(harness, UID)
    url = "https://plans.example.com/feed/abc.ics"
    fetcher = RecordingFetcher({url: PLAN})
    services.fetcher = fetcher
    answer = "\n".join(
        m.text for m in await harness.send(UID, "webcal://plans.example.com/feed/abc.ics")
    )
    assert fetcher.fetched == [url]
    assert "re-read every day" in answer
    assert "Monday 30 Nov" in await plan_text(harness)
    # The coach moves next week's intervals to Tuesday; the daily re-sync follows.
    fetcher.feeds[url] = PLAN.replace(b"20261130T063000Z", b"20261201T063000Z")
    clock.advance(timedelta(days=1))
    assert await send_calendar_resync(services) == 1
    shown = await plan_text(harness)
    assert "Tuesday 1 Dec" in shown and "Monday 30 Nov" not in shown


async def test_a_feed_that_cannot_be_fetched_is_one_line(
    harness: ChatHarness, services: Services
) -> None:
    await onboard_by_buttons(harness, UID)
    services.fetcher = RecordingFetcher()
    sent = await harness.send(UID, "https://plans.example.com/missing.ics")
    assert "your calendar feed: the server answered 404" in sent[0].text


async def test_the_calendar_race_becomes_the_goal_with_taper(harness: ChatHarness) -> None:
    await onboard_by_buttons(harness, UID)  # general fitness: no goal given
    race = ics(
        *[(f"202612{d:02d}", t) for d, t in ((1, "Tempo 6km"), (3, "Easy 5km"))],
        ("20261206", "Brighton 10K Race"),
    )
    answer = "\n".join(m.text for m in await harness.send_document(UID, "race.ics", race))
    assert "Planning toward your 10K on Sun 6 Dec 2026" in answer
    shown = await plan_text(harness)
    assert "race week" in shown
    assert "Saturday 5 Dec" not in shown and "Friday 4 Dec" not in shown  # PH3


async def test_calendar_before_onboarding_nudges_to_start(harness: ChatHarness) -> None:
    sent = await harness.send(UID, "/calendar")
    assert "/start" in sent[0].text
    sent = await harness.send_document(UID, "plan.ics", PLAN)
    assert "/start" in sent[0].text


async def test_a_timed_calendar_run_sets_that_days_reminder_time(
    harness: ChatHarness, services: Services
) -> None:
    """Wednesday's tempo is at 06:30 London: the session reminder follows it (+60 min)."""
    from sqlalchemy import select

    from bot.storage.tables import PlannedSession, Reminder

    await onboard_by_buttons(harness, UID)  # runs at 18:30 in the usual week
    await harness.send_document(UID, "plan.ics", PLAN)
    async with services.db.session() as session:
        rows = (
            await session.execute(
                select(PlannedSession.date, Reminder.kind, Reminder.due_at, Reminder.status)
                .join(Reminder, Reminder.session_id == PlannedSession.id)
                .where(PlannedSession.status == "planned", Reminder.kind == "session")
            )
        ).all()
    due = {day.isoformat(): at for day, _, at, status in rows if status == "pending"}
    assert due["2026-11-25"].hour == 7 and due["2026-11-25"].minute == 30
    assert due["2026-11-30"].hour == 7 and due["2026-11-30"].minute == 30


async def test_the_daily_resync_is_one_job_with_a_fixed_id(harness: ChatHarness) -> None:
    from scheduler.jobs import CALENDAR_SYNC_JOB_ID, CALENDAR_SYNC_SECONDS

    job = harness.app.job_queue.scheduler.get_job(CALENDAR_SYNC_JOB_ID)
    assert job is not None and job.trigger.interval.total_seconds() == CALENDAR_SYNC_SECONDS


async def test_a_changed_answer_keeps_the_linked_calendar(
    harness: ChatHarness, services: Services
) -> None:
    from bot.services.onboarding import change_setting

    await onboard_by_buttons(harness, UID)
    await harness.send_document(UID, "plan.ics", PLAN)
    await change_setting(services, UID, {"units": "lb"})
    assert "Monday 30 Nov" in await plan_text(harness)


async def test_a_calendar_at_the_week_question_answers_it_and_plans_around_its_runs(
    harness: ChatHarness,
) -> None:
    asked = "\n".join(m.text for m in await harness.send(UID, "/start"))
    assert "send your plan's calendar" in asked
    sent = await harness.send_document(UID, "plan.ics", PLAN)
    said = "\n".join(m.text for m in sent)
    assert "Got your plan's calendar" in said
    assert "Mon intervals" in said and "Sun long" in said  # the usual week it implies
    for button in (
        "18:30",
        "London",
        "General fitness",
        "Some experience",
        "Full gym",
        "✅ Done",
        "2 ⭐",
        "After hard runs (recommended)",
        "None",
        "kg",
        "👍 Looks good",
    ):
        await harness.press(UID, button)
    shown = await plan_text(harness)
    for day in ("Wednesday 25 Nov", "Friday 27 Nov", "Monday 30 Nov", "Thursday 3 Dec"):
        assert day in shown, day
    linked = "\n".join(m.text for m in await harness.send(UID, "/calendar"))
    assert "Wed 25 Nov tempo" in linked


async def test_a_feed_link_at_the_week_question_is_not_read_as_a_week(
    harness: ChatHarness, services: Services
) -> None:
    url = "https://plans.example.com/me.ics"
    services.fetcher = RecordingFetcher({url: PLAN})
    await harness.send(UID, "/start")
    said = "\n".join(m.text for m in await harness.send(UID, "webcal://plans.example.com/me.ics"))
    assert "Got your plan's calendar" in said and "Tue rest" in said
    assert "finish" in said.lower() or "time" in said.lower()  # on to the next question


async def test_a_calendar_race_that_differs_from_the_goal_is_asked_about_once(
    harness: ChatHarness,
) -> None:
    await onboard_by_buttons(harness, UID)
    await harness.send(UID, "/race marathon on 25 april")
    race = ics(("20261125T063000Z", "Tempo Run • 8km"), ("20261206", "Brighton 10K Race"))
    [answer] = await harness.send_document(UID, "race.ics", race)
    assert "marathon" in answer.text and "Send /calendar race" in answer.text
    labels = [label for label, _ in answer.buttons()]
    assert labels == ["🏁 Plan to the 10K on Sun 6 Dec 2026", "Keep my goal"]
    await harness.press(UID, "Keep my goal")
    kept = harness.last(UID)
    assert "Your goal stays" in kept.text and "Planning toward your marathon" in kept.text
    assert kept.buttons() == [] and "Send /calendar race" not in kept.text
    assert harness.request.messages[answer.message_id].buttons() == []  # spent
    [shown] = await harness.send(UID, "/calendar")
    assert shown.buttons() == []


async def test_the_calendar_race_button_plans_to_it(harness: ChatHarness) -> None:
    await onboard_by_buttons(harness, UID)
    await harness.send(UID, "/race marathon on 25 april")
    race = ics(("20261125T063000Z", "Tempo Run • 8km"), ("20261206", "Brighton 10K Race"))
    await harness.send_document(UID, "race.ics", race)
    await harness.press(UID, "🏁 Plan to the 10K on Sun 6 Dec 2026")
    taken = harness.last(UID)
    assert "Planning toward your 10K on Sun 6 Dec 2026" in taken.text
    assert "race week" in await plan_text(harness)


async def test_a_forged_race_choice_is_answered_as_expired(harness: ChatHarness) -> None:
    from handlers.callbacks import EXPIRED, Action, encode

    await onboard_by_buttons(harness, UID)
    last = harness.last(UID)
    await harness.press_data(UID, last.message_id, encode(Action.CALENDAR, UID, "maybe"))
    assert harness.callback_answers()[-1] == EXPIRED


async def test_a_calendar_that_repeats_endlessly_is_answered_in_one_line(
    harness: ChatHarness,
) -> None:
    """202 bytes of INTERVAL=0 used to freeze the whole bot; now the sender is told why."""
    await onboard_by_buttons(harness, UID)
    sent = await harness.send_document(UID, "bomb.ics", repeating("FREQ=DAILY;INTERVAL=0"))
    first = sent[0].text.split("\n")[0]
    assert first == "⚠️ bomb.ics: it repeats an event endlessly (INTERVAL=0), so I cannot read it"
    assert "Friday 27 Nov" in await plan_text(harness)  # the plan stays as it was


async def test_a_feed_repeating_every_minute_is_answered_in_one_line(
    harness: ChatHarness, services: Services
) -> None:
    await onboard_by_buttons(harness, UID)
    url = "https://plans.example.com/minutes.ics"
    services.fetcher = RecordingFetcher({url: repeating("FREQ=MINUTELY")})
    sent = await harness.send(UID, url)
    assert sent[0].text.startswith("⚠️ your calendar feed: it repeats an event every minute")


async def test_a_hostile_calendar_at_the_week_question_is_one_line_and_the_question_stays(
    harness: ChatHarness,
) -> None:
    await harness.send(UID, "/start")
    sent = await harness.send_document(UID, "big.ics", daily_series(1000))
    assert "big.ics: the calendar is too big to read" in sent[0].text
    said = "\n".join(m.text for m in await harness.send(UID, "mon easy, wed tempo, sun long"))
    assert "Got your plan's calendar" not in said


async def test_the_daily_resync_reads_feeds_at_once_and_a_tarpit_holds_up_no_one(
    harness: ChatHarness, services: Services, clock: MutableClock
) -> None:
    """Three linked feeds; by the next day one server has turned into a tarpit. The other two
    are re-read and followed; the tarpit's runner keeps their plan and sees why."""
    uids = (UID, UID + 1, UID + 2)
    async with FeedServer(drip_every=0.5).running() as server:
        services.fetcher = HttpCalendarFetcher(allow_private_hosts=True, deadline=3)
        for uid in uids:
            server.bodies[f"/{uid}.ics"] = PLAN
            await onboard_by_buttons(harness, uid)
            answer = "\n".join(m.text for m in await harness.send(uid, server.url(f"/{uid}.ics")))
            assert "re-read every day" in answer
        moved = PLAN.replace(b"20261130T063000Z", b"20261201T063000Z")
        server.bodies[f"/{UID}.ics"] = server.bodies[f"/{UID + 1}.ics"] = moved
        server.drip.add(f"/{UID + 2}.ics")
        clock.advance(timedelta(days=1))
        began = time.monotonic()
        assert await send_calendar_resync(services) == 2
        assert time.monotonic() - began < 20  # bounded by the fetch deadline, not the tarpit
    for uid in (UID, UID + 1):
        shown = "\n".join(m.text for m in await harness.send(uid, "/plan"))
        assert "Tuesday 1 Dec" in shown and "Monday 30 Nov" not in shown
    stuck = "\n".join(m.text for m in await harness.send(UID + 2, "/calendar"))
    assert "Last re-sync failed: your calendar feed: not fully sent within 3 seconds" in stuck
    assert "Monday 30 Nov" in "\n".join(m.text for m in await harness.send(UID + 2, "/plan"))
