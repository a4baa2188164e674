"""A calendar sent during set-up answers what it already says: time zone, finish time, goal.

The clock is Tuesday 24 Nov 2026 10:00 UTC. A runner sends their plan's calendar right after
/start; onboarding then skips the questions the calendar answered and shows those answers in
the summary, where "Change something" still corrects them.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.services.container import Services
from tests.fakes import ChatHarness, RecordingFetcher

UID = 1803
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "calendars"

ASKED = {
    "run_time": "When do you usually finish running",
    "timezone": "Which time zone are you in?",
    "goal": "Are you training for a race?",
    "race_date": "When is your",
    "experience": "How much have you lifted weights before?",
}


def berlin_plan() -> bytes:
    """Tempo Tuesdays and Thursdays 06:30–07:35 Berlin time, a long run on Sundays (all-day),
    and the Berlin half marathon on Sun 14 Mar 2027."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Coach//EN",
        "BEGIN:VEVENT",
        "UID:tempo@coach.example",
        "DTSTAMP:20261101T000000Z",
        "DTSTART;TZID=Europe/Berlin:20261201T063000",
        "DTEND;TZID=Europe/Berlin:20261201T073500",
        "RRULE:FREQ=WEEKLY;BYDAY=TU,TH;COUNT=30",
        "SUMMARY:Tempo Run • 8km",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:easy@coach.example",
        "DTSTAMP:20261101T000000Z",
        "DTSTART;TZID=Europe/Berlin:20261202T180000",
        "DTEND;TZID=Europe/Berlin:20261202T184000",
        "RRULE:FREQ=WEEKLY;COUNT=14",
        "SUMMARY:Easy Run • 6km",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:race@coach.example",
        "DTSTAMP:20261101T000000Z",
        "DTSTART;TZID=Europe/Berlin:20270314T091500",
        "DTEND;TZID=Europe/Berlin:20270314T110000",
        "SUMMARY:Berlin Half Marathon",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


def utc_all_day_plan() -> bytes:
    """Runs in UTC ("Z", no end) and all-day runs, no race: nothing to take."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Plan app//EN"]
    events = [
        ("DTSTART:20261201T063000Z", "Tempo Run • 8km"),
        ("DTSTART;VALUE=DATE:20261203", "Intervals • 6x800m"),
        ("DTSTART;VALUE=DATE:20261206", "Long Run • 16km"),
        ("DTSTART:20261208T063000Z", "Tempo Run • 9km"),
        ("DTSTART;VALUE=DATE:20261210", "Intervals • 5x1km"),
        ("DTSTART;VALUE=DATE:20261213", "Long Run • 18km"),
    ]
    for index, (start, title) in enumerate(events):
        lines += [
            "BEGIN:VEVENT",
            f"UID:e{index}@plan.example",
            "DTSTAMP:20261101T000000Z",
            start,
            f"SUMMARY:{title}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def summary_of(harness: ChatHarness) -> str:
    return re.sub(r"</?b>", "", harness.last(UID).text)


def asked(text: str) -> str | None:
    return next((key for key, words in ASKED.items() if words in text), None)


async def test_a_calendar_right_after_start_answers_zone_finish_time_and_goal(
    harness: ChatHarness,
) -> None:
    await harness.send(UID, "/start")
    sent = await harness.send_document(UID, "plan.ics", berlin_plan())
    said = "\n".join(m.text for m in sent)
    assert "From your calendar: time zone Europe/Berlin, runs usually done by 07:35" in said
    assert "goal: half marathon on Sun 14 Mar 2027" in said
    assert asked(sent[-1].text) == "experience"  # zone, finish time, goal, race date skipped
    for button in (
        "Some experience",
        "Full gym",
        "✅ Done",
        "2 ⭐",
        "After hard runs (recommended)",
        "None",
        "kg",
    ):
        await harness.press(UID, button)
    summary = summary_of(harness)
    assert "Time zone: Berlin" in summary
    assert "Finish time: 07:35" in summary
    assert "Goal: Half marathon on 14 March 2027" in summary


async def test_change_something_corrects_an_answer_the_calendar_gave(
    harness: ChatHarness,
) -> None:
    await harness.send(UID, "/start")
    await harness.send_document(UID, "plan.ics", berlin_plan())
    for button in ("Some experience", "Full gym", "✅ Done", "2 ⭐"):
        await harness.press(UID, button)
    for button in ("After hard runs (recommended)", "None", "kg"):
        await harness.press(UID, button)
    await harness.press(UID, "✏️ Change something")
    await harness.press(UID, "Finish time")
    assert asked(harness.last(UID).text) == "run_time"
    await harness.send(UID, "18:30")
    summary = summary_of(harness)
    assert "Finish time: 18:30" in summary and "Time zone: Berlin" in summary
    await harness.press(UID, "👍 Looks good")
    assert "All set!" in "\n".join(harness.texts(UID)[-3:])


async def test_a_utc_calendar_of_all_day_runs_leaves_the_questions_to_the_runner(
    harness: ChatHarness,
) -> None:
    await harness.send(UID, "/start")
    sent = await harness.send_document(UID, "plan.ics", utc_all_day_plan())
    said = "\n".join(m.text for m in sent)
    assert "Got your plan's calendar" in said and "From your calendar" not in said
    assert asked(sent[-1].text) == "run_time"
    await harness.press(UID, "18:30")
    assert asked(harness.last(UID).text) == "timezone"
    await harness.press(UID, "London")
    assert asked(harness.last(UID).text) == "goal"
    await harness.press(UID, "Half marathon")
    assert asked(harness.last(UID).text) == "race_date"


async def test_a_utc_app_calendar_gives_its_race_but_not_a_zone_or_finish_time(
    harness: ChatHarness,
) -> None:
    """UTC times name no zone, so their end times would be a guess: only the race is taken."""
    await harness.send(UID, "/start")
    data = (FIXTURES / "app_half_marathon_utc.ics").read_bytes()
    sent = await harness.send_document(UID, "plan.ics", data)
    said = "\n".join(m.text for m in sent)
    assert "From your calendar: goal: half marathon on Sun 28 Feb 2027" in said
    assert "time zone" not in said
    assert asked(sent[-1].text) == "run_time"
    await harness.press(UID, "18:30")
    assert asked(harness.last(UID).text) == "timezone"
    await harness.press(UID, "London")
    assert asked(harness.last(UID).text) == "experience"


async def test_a_calendar_sent_later_keeps_the_answers_already_given(
    harness: ChatHarness,
) -> None:
    await harness.send(UID, "/start")
    await harness.send(UID, "tue tempo, thu tempo, sun long, rest otherwise")
    await harness.press(UID, "18:30")
    assert asked(harness.last(UID).text) == "timezone"
    sent = await harness.send_document(UID, "plan.ics", berlin_plan())
    said = "\n".join(m.text for m in sent)
    assert "time zone Europe/Berlin" in said and "runs usually done by" not in said
    assert asked(sent[-1].text) == "experience"  # the open zone question and the goal taken


async def test_a_feed_link_right_after_start_answers_the_same_questions(
    harness: ChatHarness, services: Services
) -> None:
    url = "https://plans.example.com/berlin.ics"
    services.fetcher = RecordingFetcher({url: berlin_plan()})
    await harness.send(UID, "/start")
    sent = await harness.send(UID, url)
    said = "\n".join(m.text for m in sent)
    assert "time zone Europe/Berlin, runs usually done by 07:35" in said
    assert asked(sent[-1].text) == "experience"
