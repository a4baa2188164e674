"""A run file in the chat: read, echoed, stored, and the session arrives when the run does.

The clock is Tuesday 24 Nov 2026 10:00 UTC (London); the runner has seed 000's week (tempo
Tuesday, done by 12:00), so today's session reminder is due at 13:00, hours away.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from fit_tool.profile.profile_type import Sport

from bot.context import RunliftApplication
from bot.services.container import Services
from scheduler import deliver_due
from scheduler.jobs import deliverer_of
from tests.fakes import ChatHarness, MutableClock, SentMessage
from tests.run_fixtures import fit_file, gpx_file, gzipped, tcx_file, zipped
from tests.scheduler.support import onboard

RUNNER = 42
FIT_MIME = "application/octet-stream"


def at(hour: int, minute: int = 0, day: int = 24) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


async def send_run(harness: ChatHarness, name: str, data: bytes) -> str:
    sent = await harness.send_document(RUNNER, name, data, FIT_MIME)
    assert len(sent) == 1, [m.text for m in sent]
    return sent[0].text


async def delivered(
    app: RunliftApplication, services: Services, harness: ChatHarness
) -> list[SentMessage]:
    before = len(harness.chat(RUNNER))
    deliverer_of(app).per_chat_interval = 0
    await deliver_due(app, services)
    return harness.chat(RUNNER)[before:]


async def test_a_fit_file_on_a_hard_day_is_echoed_and_brings_the_session_now(
    app: RunliftApplication, services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    await onboard(services)
    run = fit_file(start=at(9), distance_m=10_234, timer_s=3_000, average_hr=148)
    answer = await send_run(harness, "Morning_Run.fit", run)
    assert "Run Tue 24 Nov 09:00 · 10.2 km · 50:00 · avg HR 148" in answer
    assert "Matched your tempo run of Tue 24 Nov." in answer
    assert "Today's session is on its way." in answer
    clock.set(at(10, 0) + timedelta(seconds=30))  # well within a minute of the file
    [session] = await delivered(app, services, harness)
    assert "Session A" in session.text and "▶️ Start" in dict(session.buttons())
    clock.set(at(13))  # the usual time: nothing more
    assert await delivered(app, services, harness) == []
    # and the day goes on as usual: the sets are logged against today's session
    await harness.press(RUNNER, "▶️ Start")
    [confirmation] = await harness.send(RUNNER, "squat 3x8 60kg")
    assert (
        "Logged for Tue 24 Nov" in confirmation.text
        and "Back squat 3x8 @ 60 kg" in confirmation.text
    )


@pytest.mark.parametrize(
    ("name", "data", "line"),
    [
        ("run.gpx", gpx_file().encode(), "Run Sun 1 Mar 06:30 · 3.3 km · 16:35"),
        (
            "run.tcx",
            tcx_file([(600.0, 2000.0, 150), (900.0, 3000.0, 160)]).encode(),
            "Run Sun 1 Mar 06:30 · 5.0 km · 25:00",
        ),
        ("run.zip", zipped(("activity.fit", fit_file())), "Run Sun 1 Mar 06:30 · 10.2 km · 50:00"),
        ("run.fit.gz", gzipped(fit_file()), "Run Sun 1 Mar 06:30 · 10.2 km · 50:00"),
        ("run.gpx.gz", gzipped(gpx_file().encode()), "Run Sun 1 Mar 06:30 · 3.3 km · 16:35"),
    ],
)
async def test_every_run_file_kind_is_read_and_an_earlier_day_sends_nothing(
    app: RunliftApplication,
    services: Services,
    harness: ChatHarness,
    name: str,
    data: bytes,
    line: str,
) -> None:
    await onboard(services)
    answer = await send_run(harness, name, data)
    assert line in answer
    assert "Stored against Sun 1 Mar." in answer and "on its way" not in answer
    assert await delivered(app, services, harness) == []


async def test_a_run_half_as_long_again_as_usual_trims_the_session_and_says_why(
    app: RunliftApplication, services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    await onboard(services)
    last_week = fit_file(start=at(9, day=17), timer_s=1_800, elapsed_s=1_900)
    await send_run(harness, "last-week.fit", last_week)
    answer = await send_run(harness, "today.fit", fit_file(start=at(9), timer_s=2_700))
    assert "Your tempo run was 50 % longer than planned: one set fewer per lift" in answer
    [session] = await delivered(app, services, harness)
    assert "Your tempo run was 50 % longer than planned" in session.text
    assert "no jumps today" in session.text


async def test_a_ride_is_cross_training_and_the_reminder_keeps_its_time(
    app: RunliftApplication, services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    await onboard(services)
    answer = await send_run(harness, "ride.fit", fit_file(start=at(8), sport=Sport.CYCLING))
    assert "Ride Tue 24 Nov 08:00" in answer and "Noted as cross-training" in answer
    assert await delivered(app, services, harness) == []
    clock.set(at(13))
    [session] = await delivered(app, services, harness)
    assert "Session A" in session.text


async def test_a_file_after_the_reminder_only_records_the_run(
    app: RunliftApplication, services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    await onboard(services)
    clock.set(at(13))
    assert len(await delivered(app, services, harness)) == 1
    clock.set(at(13, 30))
    answer = await send_run(harness, "run.fit", fit_file(start=at(11)))
    assert "Matched your tempo run" in answer and "on its way" not in answer
    assert await delivered(app, services, harness) == []


async def test_in_quiet_hours_the_session_waits_for_their_end(
    app: RunliftApplication, services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    await onboard(services)
    clock.set(at(6, 10))  # quiet until 07:00 London
    answer = await send_run(harness, "dawn.fit", fit_file(start=at(5)))
    assert "Today's session comes at 07:00, when quiet hours end." in answer
    clock.set(at(6, 59))
    assert await delivered(app, services, harness) == []
    clock.set(at(7))
    [session] = await delivered(app, services, harness)
    assert "Session A" in session.text


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        ("run.fit", fit_file(session=False, records=0), "no activity summary"),
        ("run.fit", b"this is not a fit file at all" * 10, "damaged"),
        ("run.zip", b"PK\x03\x04 broken", "zip"),
        ("notes.pdf", b"%PDF-1.4", "can't read that kind of file"),
    ],
)
async def test_a_bad_file_gets_one_line_and_nothing_is_stored(
    services: Services, harness: ChatHarness, name: str, data: bytes, said: str
) -> None:
    await onboard(services)
    answer = await send_run(harness, name, data)
    assert said in answer.lower() or said in answer
    assert "\n" not in answer and "Traceback" not in answer
    runs = "\n".join(m.text for m in await harness.send(RUNNER, "/runs"))
    assert "No runs recorded" in runs


async def test_a_file_over_20_mb_is_refused_before_it_is_read(
    services: Services, harness: ChatHarness
) -> None:
    await onboard(services)
    answer = await send_run(harness, "huge.fit", b"\0" * (20 * 1024 * 1024 + 1))
    assert "larger than 20 MB" in answer


async def test_runs_lists_two_weeks_export_has_them_and_delete_removes_them(
    services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    await onboard(services)
    await send_run(harness, "old.fit", fit_file(start=at(9, day=1), timer_s=1_500))
    await send_run(harness, "lastweek.fit", fit_file(start=at(9, day=17), timer_s=1_800))
    await send_run(harness, "today.fit", fit_file(start=at(9)))
    await send_run(harness, "again.fit", fit_file(start=at(9)))  # the same run again
    listed = (await harness.send(RUNNER, "/runs"))[0].text
    assert "Run Tue 24 Nov 09:00 · 10.2 km · 50:00 · avg HR 148 · tempo" in listed
    assert "Run Tue 17 Nov 09:00 · 10.2 km · 30:00 · avg HR 148 · tempo" in listed
    assert "1 Nov" not in listed and listed.count("Run Tue 24 Nov") == 1
    exported = await harness.send(RUNNER, "/export")
    [data] = [m.payload for m in exported if m.filename == "runlift-data.json"]
    assert data is not None
    runs = json.loads(data)["runs"]
    assert [(r["date"], r["distance_km"]) for r in runs] == [
        ("2026-11-01", 10.23),
        ("2026-11-17", 10.23),
        ("2026-11-24", 10.23),
    ]
    [table] = [m.payload for m in exported if m.filename == "runlift-runs.csv"]
    assert table is not None
    rows = table.decode().splitlines()
    assert rows[0].startswith("date,start_utc,sport,matched_run,distance_km")
    assert rows[3].startswith("2026-11-24,2026-11-24T09:00:00+00:00,run,tempo,10.23,3000,148")
    await harness.send(RUNNER, "/delete")
    await harness.press(RUNNER, "🗑 Yes, delete everything")
    await onboard(services)
    assert "No runs recorded" in (await harness.send(RUNNER, "/runs"))[0].text
    exported = await harness.send(RUNNER, "/export")
    assert [m.filename for m in exported if m.kind == "document"] == [
        "runlift-sets.csv",
        "runlift-data.json",
    ]


async def test_an_ics_document_is_still_the_calendars(
    services: Services, harness: ChatHarness
) -> None:
    await onboard(services)
    sent = await harness.send_document(RUNNER, "export.ics", b"<html>Sign in</html>")
    assert "export.ics: not an iCalendar file" in sent[0].text


async def test_before_set_up_a_run_file_gets_the_nudge(harness: ChatHarness) -> None:
    answer = await send_run(harness, "run.fit", fit_file(start=at(9)))
    assert "/start" in answer


def calendar_with(*events: tuple[str, str, str]) -> bytes:
    """A plan's calendar of (DTSTART, DTEND, title) events."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Plan app//EN"]
    for index, (start, end, title) in enumerate(events):
        lines += [
            "BEGIN:VEVENT",
            f"UID:r{index}@plan.example",
            "DTSTAMP:20261101T000000Z",
            f"DTSTART:{start}",
            f"DTEND:{end}",
            f"SUMMARY:{title}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


async def test_the_calendar_events_length_is_the_planned_run_and_a_late_file_still_trims(
    app: RunliftApplication, services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    await onboard(services)
    plan = calendar_with(
        ("20261124T073000Z", "20261124T080000Z", "Tempo Run • 6km"),
        ("20261127T073000Z", "20261127T081000Z", "Intervals • 6x800m"),
        ("20261129T083000Z", "20261129T100000Z", "Long Run • 16km"),
    )
    await harness.send_document(RUNNER, "plan.ics", plan, "text/calendar")
    clock.set(at(13))
    [session] = await delivered(app, services, harness)
    assert "Session" in session.text and "longer than planned" not in session.text
    clock.set(at(13, 20))  # the reminder is out, the session not started: a 45-minute run
    answer = await send_run(harness, "tempo.fit", fit_file(start=at(7, 30), timer_s=2_700))
    assert "Your tempo run was 50 % longer than planned" in answer
    assert "/today shows today's session as it now stands." in answer
    today = "\n".join(m.text for m in await harness.send(RUNNER, "/today"))
    assert "Your tempo run was 50 % longer than planned" in today
    assert await delivered(app, services, harness) == []  # nothing sent twice


async def test_a_one_off_week_change_is_the_run_a_file_matches(
    services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    from datetime import date

    from bot.core.domain.adjustments import WeekAdjustment
    from bot.core.domain.profile import DayKind, Weekday
    from bot.storage import adjustments

    await onboard(services)
    change = WeekAdjustment(
        starts=date(2026, 11, 23),
        ends=date(2026, 11, 29),
        reason="This week the tempo is on Thursday",
        days={Weekday.TUE: DayKind.EASY, Weekday.THU: DayKind.TEMPO},
    )
    async with services.db.session() as session, session.begin():
        await adjustments.add_adjustment(session, RUNNER, change, now=services.now())
    clock.set(at(10, day=26))
    answer = await send_run(harness, "thursday.fit", fit_file(start=at(8, day=26)))
    assert "Matched your tempo run of Thu 26 Nov." in answer
