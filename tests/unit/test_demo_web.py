"""The demo's web API against the real bot and the in-process local Bot API server.

Each test starts the whole demo (`Demo`: local server, `build_application`, the page server) on
free ports with a throw-away database and talks to it as the page does: JSON routes and the
per-runner websocket.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.config import Settings
from devtools.demo.supervisor import Demo, DemoOptions
from tests.conftest import copy_migrated

Event = dict[str, Any]
ANN = 51_001
BEN = 51_002


@pytest.fixture
async def demo(
    tmp_path: Path, pinned_now: datetime, migrated_sqlite: Path | None
) -> AsyncIterator[Demo]:
    """The demo with its clock starting at `pinned_now`, as `runlift demo --start-at` does;
    its database a copy of the session's migrated one (the demo's own first start migrates)."""
    settings = Settings(_env_file=None)
    options = DemoOptions(port=0, data_dir=tmp_path / "data", start_at=pinned_now)
    running = Demo(options, settings=settings)
    if migrated_sqlite is not None:
        copy_migrated(migrated_sqlite, f"sqlite+aiosqlite:///{running.database_path}")
    await running.start()
    try:
        yield running
    finally:
        await running.stop()


@pytest.fixture
async def http(demo: Demo) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(base_url=demo.url) as session:
        yield session


async def _post(http: aiohttp.ClientSession, path: str, body: dict[str, Any]) -> Any:
    async with http.post(path, json=body) as response:
        assert response.status == 200, await response.text()
        return await response.json()


async def _until(
    ws: aiohttp.ClientWebSocketResponse, wanted: Callable[[Event], bool], *, seen: list[Event]
) -> Event:
    """Reads events (recording them in `seen`) until one matches; fails after 15 s."""
    async with asyncio.timeout(15):
        while True:
            event: Event = await ws.receive_json()
            seen.append(event)
            if wanted(event):
                return event


def _text(event: Event) -> str:
    message = event.get("message") or {}
    return str(message.get("text") or message.get("caption") or "")


def _buttons(event: Event) -> list[dict[str, Any]]:
    markup = (event.get("message") or {}).get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]


async def _say(demo: Demo, runner: int, text: str, expect: str) -> None:
    """Types like a runner and waits for the bot's answer containing `expect`."""
    api = demo.parts.api
    sent = await api.send_text(runner, text)
    after = sent["message_id"]
    async with asyncio.timeout(15):
        while True:
            for message in await api.wait_for_bot_messages(runner, after, 15):
                after = max(after, message["message_id"])
                if expect.lower() in str(message["text"]).lower():
                    return


async def _onboard(demo: Demo, runner: int) -> None:
    for text, expect in (
        ("/start", "running week"),
        ("tue tempo, fri intervals, sun long, rest otherwise", "finish running"),
        ("17:30", "time zone"),
        ("London", "race"),
        ("general fitness", "lifted"),
        ("some", "train with"),
        ("full gym", "how many"),
        ("2", "where should strength"),
        ("after hard runs", "sore spots"),
        ("none", "kg or lb"),
        ("kg", "here's what i have"),
        ("yes", "all set"),
    ):
        await _say(demo, runner, text, expect)


async def test_each_tab_sees_only_its_own_runners_chat(
    demo: Demo, http: aiohttp.ClientSession
) -> None:
    await _post(http, "/api/session", {"runner_id": ANN, "name": "Ann"})
    await _post(http, "/api/session", {"runner_id": BEN, "name": "Ben"})
    ann_events: list[Event] = []
    ben_events: list[Event] = []
    async with (
        http.ws_connect(f"/api/runners/{ANN}/ws") as ann,
        http.ws_connect(f"/api/runners/{BEN}/ws") as ben,
    ):
        assert (await ann.receive_json()) == {"type": "snapshot", "messages": []}
        assert (await ben.receive_json()) == {"type": "snapshot", "messages": []}
        await _post(http, f"/api/runners/{ANN}/messages", {"text": "/start"})
        await _until(ann, lambda e: "Hi Ann" in _text(e), seen=ann_events)
        await _post(http, f"/api/runners/{BEN}/messages", {"text": "/start"})
        await _until(ben, lambda e: "Hi Ben" in _text(e), seen=ben_events)
    assert {e["chat_id"] for e in ann_events} == {ANN}
    assert {e["chat_id"] for e in ben_events} == {BEN}
    assert not any("Ann" in _text(e) for e in ben_events)


async def test_a_reopened_tab_gets_the_chat_so_far(
    demo: Demo, http: aiohttp.ClientSession
) -> None:
    await _post(http, "/api/session", {"runner_id": ANN, "name": "Ann"})
    await _say(demo, ANN, "/start", "running week")
    async with http.ws_connect(f"/api/runners/{ANN}/ws") as ws:
        snapshot = await ws.receive_json()
    assert snapshot["type"] == "snapshot"
    texts = [m["text"] for m in snapshot["messages"]]
    assert texts[0] == "/start"
    assert any("Hi Ann" in str(text) for text in texts)


async def test_the_page_gets_text_and_entities_never_html(
    demo: Demo, http: aiohttp.ClientSession
) -> None:
    await _post(http, "/api/session", {"runner_id": ANN, "name": "Ann"})
    seen: list[Event] = []
    async with http.ws_connect(f"/api/runners/{ANN}/ws") as ws:
        await ws.receive_json()
        sneaky = '<img src=x onerror="alert(1)"> hi'
        await _post(http, f"/api/runners/{ANN}/messages", {"text": sneaky})
        echo = await _until(ws, lambda e: e["type"] == "user_message", seen=seen)
        await _post(http, f"/api/runners/{ANN}/messages", {"text": "/start"})
        question = await _until(ws, lambda e: "running week" in _text(e), seen=seen)
    assert echo["message"]["text"] == sneaky
    for event in seen:
        message = event.get("message") or {}
        assert not {"text_html", "raw_text", "caption_html"} & message.keys()
    text = _text(question)
    bold = [e for e in question["message"]["entities"] if e["type"] == "bold"]
    assert "<b>" not in text
    assert text[bold[0]["offset"] : bold[0]["offset"] + bold[0]["length"]] == "Your running week."


async def test_a_pressed_button_edits_the_question_in_place(
    demo: Demo, http: aiohttp.ClientSession
) -> None:
    await _post(http, "/api/session", {"runner_id": ANN, "name": "Ann"})
    seen: list[Event] = []
    async with http.ws_connect(f"/api/runners/{ANN}/ws") as ws:
        await ws.receive_json()
        await _post(http, f"/api/runners/{ANN}/messages", {"text": "/start"})
        question = await _until(ws, lambda e: "running week" in _text(e), seen=seen)
        tuesday = next(b for b in _buttons(question) if b["text"].startswith("Tue"))
        message_id = question["message"]["message_id"]
        await _post(
            http,
            f"/api/runners/{ANN}/press",
            {"message_id": message_id, "data": tuesday["callback_data"]},
        )
        edited = await _until(ws, lambda e: e["type"] == "message_edited", seen=seen)
    assert edited["message"]["message_id"] == message_id
    assert any(b["text"] == "Tue · easy" for b in _buttons(edited))


async def test_refusals_come_back_as_short_json_errors(
    demo: Demo, http: aiohttp.ClientSession
) -> None:
    await _post(http, "/api/session", {"runner_id": ANN, "name": "Ann"})
    async with http.post(f"/api/runners/{ANN}/messages", json={"text": "   "}) as response:
        assert response.status == 400
        assert "empty" in (await response.json())["description"]
    async with http.post(
        f"/api/runners/{ANN}/press", json={"message_id": 999, "data": "ob:1:x"}
    ) as response:
        assert response.status == 400
    async with http.post("/api/session", json={"runner_id": "abc"}) as response:
        assert response.status == 400


async def test_page_and_command_menu(demo: Demo, http: aiohttp.ClientSession) -> None:
    async with http.get("/") as response:
        page = await response.text()
        assert response.status == 200
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "/static/app.js" in page
    assert "Fast-forward to next reminder" in page
    async with http.get("/static/app.js") as response:
        assert response.status == 200
    async with http.get("/api/commands") as response:
        commands = [c["command"] for c in await response.json()]
    assert {"start", "progress", "export"} <= set(commands)


async def test_fast_forward_with_nothing_scheduled_leaves_the_clock(
    demo: Demo, http: aiohttp.ClientSession
) -> None:
    session = await _post(http, "/api/session", {"runner_id": ANN, "name": "Ann"})
    result = await _post(http, "/api/fast-forward", {"runner_id": ANN})
    assert result["kind"] is None
    assert result["jumped_seconds"] == 0
    assert result["offset_ms"] == session["clock"]["offset_ms"]


async def test_fast_forward_brings_the_reminder_then_log_export_and_chart(
    demo: Demo, http: aiohttp.ClientSession
) -> None:
    session = await _post(http, "/api/session", {"runner_id": ANN, "name": "Ann"})
    assert session["clock"]["timezone"] == "Europe/London"
    await _onboard(demo, ANN)
    seen: list[Event] = []
    async with http.ws_connect(f"/api/runners/{ANN}/ws") as ws:
        await ws.receive_json()
        reminder: Event | None = None
        previous = 0
        for _ in range(6):  # a weekly preview may come first
            jump = await _post(http, "/api/fast-forward", {"runner_id": ANN})
            assert jump["now_ms"] >= previous, "the bot's clock never goes back"
            previous = jump["now_ms"]
            if jump["kind"] == "session":
                reminder = await _until(
                    ws, lambda e: any("Snooze" in b["text"] for b in _buttons(e)), seen=seen
                )
                break
        assert reminder is not None, [_text(e) for e in seen]
        assert jump["offset_ms"] >= session["clock"]["offset_ms"]  # moved by the jumps only
        clock = await _post(http, "/api/session", {"runner_id": ANN})
        assert clock["clock"]["now_ms"] >= jump["now_ms"]

        await _post(http, f"/api/runners/{ANN}/messages", {"text": "squat 3x5 60kg"})
        logged = await _until(ws, lambda e: "Logged" in _text(e), seen=seen)
        assert "Back squat 3x5 @ 60 kg" in _text(logged)

        await _post(http, f"/api/runners/{ANN}/messages", {"text": "/progress"})
        chart = await _until(ws, lambda e: bool((e.get("message") or {}).get("photo")), seen=seen)
        await _post(http, f"/api/runners/{ANN}/messages", {"text": "/export"})
        document = await _until(
            ws, lambda e: bool((e.get("message") or {}).get("document")), seen=seen
        )

    photo_url = chart["message"]["file_url"]
    assert photo_url.startswith("/files/")
    async with http.get(photo_url) as response:
        assert response.content_type == "image/png"
        assert "Content-Disposition" not in response.headers
        assert (await response.read()).startswith(b"\x89PNG")
    async with http.get(document["message"]["file_url"]) as response:
        assert response.headers["Content-Disposition"].startswith("attachment")
        body = await response.read()
    assert b"Back squat" in body


async def test_the_demo_takes_an_ics_upload_and_its_own_feed_link(
    demo: Demo, http: aiohttp.ClientSession
) -> None:
    """A run plan without Telegram: upload a plan's .ics, or paste the demo's own feed link."""
    await _post(http, "/api/session", {"runner_id": ANN, "name": "Ann"})
    await _onboard(demo, ANN)
    async with http.get("/demo/plan.ics") as response:
        assert response.content_type == "text/calendar"
        plan = await response.read()
    seen: list[Event] = []
    async with http.ws_connect(f"/api/runners/{ANN}/ws") as ws:
        await ws.receive_json()
        form = aiohttp.FormData()
        form.add_field("document", plan, filename="plan.ics", content_type="text/calendar")
        async with http.post(f"/api/runners/{ANN}/documents", data=form) as response:
            assert response.status == 200, await response.text()
        read = await _until(ws, lambda e: "Read your calendar" in _text(e), seen=seen)
        assert "Long Run" in _text(read) or "long" in _text(read)
        await _post(http, f"/api/runners/{ANN}/messages", {"text": f"{demo.url}demo/plan.ics"})
        fed = await _until(ws, lambda e: "calendar feed" in _text(e), seen=seen)
        assert "re-read every day" in _text(fed)


async def test_the_demo_takes_a_run_file_and_its_intervals_icu_key(
    demo: Demo, http: aiohttp.ClientSession
) -> None:
    """📎 takes run files (the page says so); its sample run brings the session now."""
    async with http.get("/") as response:
        page = await response.text()
    assert ".fit,.gpx,.tcx" in page and "/demo/run.gpx" in page
    await _post(http, "/api/session", {"runner_id": ANN, "name": "Ann"})
    await _onboard(demo, ANN)
    async with http.get("/demo/run.gpx") as response:
        assert response.headers["Content-Disposition"].startswith("attachment")
        run = await response.read()
    seen: list[Event] = []
    async with http.ws_connect(f"/api/runners/{ANN}/ws") as ws:
        await ws.receive_json()
        form = aiohttp.FormData()
        form.add_field(
            "document", run, filename="demo-run.gpx", content_type="application/gpx+xml"
        )
        async with http.post(f"/api/runners/{ANN}/documents", data=form) as response:
            assert response.status == 200, await response.text()
        read = await _until(ws, lambda e: "8.0 km" in _text(e), seen=seen)
        assert "42:00" in _text(read)
        if "on its way" in _text(read):  # a session day whose reminder was still to come
            await _until(ws, lambda e: any("Snooze" in b["text"] for b in _buttons(e)), seen=seen)
        await _post(
            http, f"/api/runners/{ANN}/messages", {"text": "/intervals demo-intervals-key"}
        )
        connected = await _until(ws, lambda e: "intervals.icu connected" in _text(e), seen=seen)
        assert "demo-intervals-key" not in _text(connected)


async def test_the_demo_intervals_athlete_has_just_run_once_a_day() -> None:
    from datetime import UTC, timedelta

    from bot.intervals_icu import IntervalsClient
    from devtools.demo.sample_run import DEMO_INTERVALS_KEY, DemoIntervals

    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    server = DemoIntervals(lambda: now)
    await server.start()
    try:
        async with IntervalsClient(server.url) as client:
            assert await client.check_key(DEMO_INTERVALS_KEY)
            for _ in range(2):
                [run] = await client.activities(DEMO_INTERVALS_KEY, now.date(), now.date(), UTC)
                assert run.record is not None and run.record.distance_m == 8_000
                assert run.start == now - timedelta(minutes=52)
    finally:
        await server.stop()
