"""/progress, /history, /export and /delete as a runner sees them."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from bot.core.charts import PNG_SIGNATURE
from bot.services.container import Services
from bot.storage import runners, set_logs
from handlers.callbacks import Action, encode
from tests.fakes import ChatHarness, MutableClock
from tests.scheduler.support import onboard

RUNNER = 42
OTHER = 43


async def _log_two_weeks(harness: ChatHarness, clock: MutableClock) -> None:
    await harness.send(RUNNER, "squat 3x8 60kg\nplank 2x40s")  # Tuesday, session A
    clock.advance(timedelta(days=7))
    await harness.send(RUNNER, "squat 3x8 62.5kg")


async def test_progress_sends_a_chart_with_adherence_and_streak(
    services: Services, harness: ChatHarness, clock: MutableClock
) -> None:
    await onboard(services)
    await _log_two_weeks(harness, clock)
    sent = await harness.send(RUNNER, "/progress")
    photo = sent[-1]
    assert photo.kind == "photo"
    assert photo.payload is not None and photo.payload.startswith(PNG_SIGNATURE)
    assert "Streak: 2 weeks" in photo.text
    assert "Back squat: estimated 1RM" in photo.text
    assert "Sessions done: 2 of" in photo.text


async def test_progress_before_any_log_explains_instead_of_an_empty_chart(
    services: Services, harness: ChatHarness
) -> None:
    await onboard(services)
    sent = await harness.send(RUNNER, "/progress")
    assert sent[-1].kind == "text"
    assert "Log a session" in sent[-1].text


async def test_history_lists_sessions_as_logged(
    services: Services, harness: ChatHarness, clock: MutableClock
) -> None:
    await onboard(services)
    await _log_two_weeks(harness, clock)
    text = (await harness.send(RUNNER, "/history"))[-1].text
    assert text.index("62.5") < text.index("60 kg"), "newest first"
    assert "Plank 2x40s" in text


async def test_export_sends_csv_with_one_row_per_set_and_json(
    services: Services, harness: ChatHarness, clock: MutableClock
) -> None:
    await onboard(services)
    await _log_two_weeks(harness, clock)
    sent = await harness.send(RUNNER, "/export")
    documents = {m.filename: m.payload for m in sent if m.kind == "document"}
    assert set(documents) == {"runlift-sets.csv", "runlift-data.json"}
    rows = list(csv.reader(io.StringIO((documents["runlift-sets.csv"] or b"").decode())))
    assert rows[0] == [
        "date",
        "exercise",
        "set_number",
        "target_reps",
        "target_load_kg",
        "actual_reps",
        "actual_load_kg",
        "rir",
        "notes",
    ]
    assert len(rows) == 1 + 3 + 2 + 3
    assert rows[1][:7] == ["2026-11-24", "Back squat", "1", "6-8", "", "8", "60.0"]
    data = json.loads((documents["runlift-data.json"] or b"").decode())
    assert data["profile"]["week"]["tue"] == "tempo"
    assert len(data["sets"]) == 8


async def test_delete_asks_first_then_removes_everything_and_only_theirs(
    services: Services, harness: ChatHarness
) -> None:
    await onboard(services)
    await onboard(services, OTHER)
    await harness.send(RUNNER, "squat 3x5 60kg")
    await harness.send(OTHER, "squat 3x5 80kg")
    await harness.send(RUNNER, "/delete")
    await harness.press(RUNNER, "Keep my data")
    async with services.db.session() as session:
        assert await runners.get_runner(session, RUNNER) is not None
    await harness.send(RUNNER, "/delete")
    await harness.press(RUNNER, "🗑 Yes, delete everything")
    assert "Deleted everything" in harness.last(RUNNER).text
    async with services.db.session() as session:
        assert await runners.get_runner(session, RUNNER) is None
        assert await set_logs.all_sets(session, RUNNER) == []
        assert len(await set_logs.all_sets(session, OTHER)) == 3
    after = await harness.send(RUNNER, "/plan")
    assert "/start" in after[-1].text


async def test_someone_elses_delete_button_is_refused(
    services: Services, harness: ChatHarness
) -> None:
    await onboard(services)
    await onboard(services, OTHER)
    asked = (await harness.send(RUNNER, "/delete"))[-1]
    yes = dict(asked.buttons())["🗑 Yes, delete everything"]
    await harness.press_data(RUNNER, asked.message_id, yes, presser=OTHER)
    forged = encode(Action.DELETE, OTHER, "yes")
    await harness.press_data(RUNNER, asked.message_id, forged, presser=RUNNER)
    assert harness.callback_answers()[-2:] == ["That button isn't yours."] * 2
    async with services.db.session() as session:
        assert await runners.get_runner(session, RUNNER) is not None
        assert await runners.get_runner(session, OTHER) is not None


async def test_commands_before_start_point_to_start(harness: ChatHarness) -> None:
    for command in ("/progress", "/export"):
        sent = await harness.send(999, command)
        assert "/start" in sent[-1].text, command
    history = await harness.send(999, "/history")
    assert "No sessions logged yet" in history[-1].text
