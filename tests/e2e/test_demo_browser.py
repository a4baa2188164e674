"""`runlift demo` in real headless Chromium: set up by tapping, a reminder, a typed log, the chart.

The demo runs exactly as a visitor starts it (`python -m bot demo --port … --data-dir …`) and the
test drives the page only through what a person sees: buttons, the text box, the fast-forward
control. A screenshot of the finished chat is kept as `artifacts/demo.png`.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import FilePayload, Page, expect, sync_playwright

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WAIT_MS = 15_000

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def demo_url(tmp_path: Path, pinned_now: datetime) -> Iterator[str]:
    """`runlift demo` as a child process, its clock starting at `pinned_now`; stopped with
    SIGINT like Ctrl-C, which must be clean."""
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "DATABASE_", "WEBHOOK_", "RUNLIFT_CLOCK_"))
    }
    env.update(PYTHONUNBUFFERED="1", LOG_LEVEL="INFO")
    log_path = tmp_path / "demo.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bot",
                "demo",
                "--port",
                str(port),
                "--data-dir",
                str(tmp_path / "data"),
                "--start-at",
                pinned_now.isoformat(),
            ],
            cwd=tmp_path,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while "open http" not in log_path.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the demo did not start:\n{log_path.read_text()}")
            time.sleep(0.1)
        yield url
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    output = log_path.read_text(errors="replace")
    assert process.returncode == 0, output
    assert "Traceback" not in output, output


def _tap(page: Page, label: str, *, times: int = 1) -> None:
    """Taps the newest bot button whose label contains `label`, waiting for the bot's answer."""
    for _ in range(times):
        button = page.locator(".row.in .kb-button", has_text=label).last
        button.click(timeout=WAIT_MS)
        page.wait_for_timeout(150)
    # the pressed question is answered (edited or followed by the next one) before going on
    page.wait_for_load_state()


def _last_bot_text(page: Page) -> str:
    return page.locator(".row.in .text").last.inner_text()


def _type(page: Page, text: str) -> None:
    box = page.get_by_label("Message")
    box.fill(text)
    box.press("Enter")


def _onboard(page: Page) -> None:
    """Sets up a runner by tapping: a tempo Tuesday, an intervals Friday, a long Sunday."""
    page.locator(".start-button").click()
    expect(page.locator(".row.in .kb-button", has_text="Tue ·").last).to_be_visible(
        timeout=WAIT_MS
    )
    for day, taps in (("Tue", 2), ("Fri", 3), ("Sun", 4)):  # rest → easy → tempo → intervals …
        for _ in range(taps):
            before = page.locator(".row.in .kb-button", has_text=f"{day} ·").last.inner_text()
            _tap(page, f"{day} ·")
            expect(page.locator(".row.in .kb-button", has_text=f"{day} ·").last).not_to_have_text(
                before, timeout=WAIT_MS
            )
    expect(page.locator(".kb-button", has_text="Tue · tempo")).to_have_count(1)
    _tap(page, "Done")
    _tap(page, "17:30")
    expect(page.locator(".row.in .text", has_text="time zone").last).to_be_visible(timeout=WAIT_MS)
    _tap(page, "London")
    _tap(page, "General fitness")
    _tap(page, "Some experience")
    _tap(page, "Full gym")
    expect(page.locator(".kb-button", has_text="✓ Full gym")).to_have_count(1, timeout=WAIT_MS)
    _tap(page, "Done")
    _tap(page, "⭐")
    _tap(page, "After hard runs")
    _tap(page, "None")
    _tap(page, "kg")
    _tap(page, "Looks good")
    expect(page.locator(".row.in .text", has_text="All set").last).to_be_visible(timeout=WAIT_MS)


def _fast_forward_until(page: Page, button_label: str, *, presses: int = 8) -> int:
    """Presses ⏩ until a bot message with `button_label` arrives (a preview may come first);
    returns how often it pressed (0: it had arrived on its own, e.g. an overdue reminder)."""
    target = page.locator(".row.in .kb-button", has_text=button_label)
    try:  # an overdue message is on its way by itself: a press now would race it
        expect(target.last).to_be_visible(timeout=3_000)
        return 0
    except AssertionError:
        pass
    for pressed in range(presses):
        if target.count():
            return pressed
        count = page.locator(".row.in").count()
        page.locator("#fast-forward").click()
        try:
            expect(page.locator(".row.in")).not_to_have_count(count, timeout=5_000)
        except AssertionError:
            continue
        page.wait_for_timeout(300)
    expect(target.last).to_be_visible(timeout=WAIT_MS)
    return presses


def test_demo_journey_in_chromium(demo_url: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = browser.new_page(viewport={"width": 900, "height": 1000})
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(demo_url)
            expect(page.locator("body[data-connected='1']")).to_have_count(1, timeout=WAIT_MS)

            # the command menu lists what the bot registered with setMyCommands
            page.locator("#menu-button").click()
            expect(page.locator(".command-item", has_text="/progress")).to_be_visible()
            page.locator("#menu-button").click()

            _onboard(page)
            clock_before = page.locator("#clock-text").inner_text()

            # fast-forward: the post-run session reminder, then the log prompt
            pressed = _fast_forward_until(page, "Snooze")
            reminder = page.locator(".row.in", has=page.locator(".kb-button", has_text="Snooze"))
            expect(reminder.last.locator(".text")).to_contain_text(re.compile("session", re.I))
            if pressed:  # on a run day's evening the overdue reminder came without a jump
                assert page.locator("#clock-text").inner_text() != clock_before
            _fast_forward_until(page, "Done as planned")

            # a typed log is read, stored and confirmed
            _type(page, "squat 3x5 60kg")
            expect(page.locator(".row.in .text", has_text="Logged").last).to_be_visible(
                timeout=WAIT_MS
            )
            expect(page.locator(".row.in .text", has_text="Logged").last).to_contain_text("60 kg")

            # 📎 takes a run file: the demo's sample run is read and echoed
            expect(page.locator("#run-hint")).to_contain_text(".fit, .gpx, .tcx")
            with urllib.request.urlopen(f"{demo_url}demo/run.gpx", timeout=10) as response:
                run = response.read()
            sample: FilePayload = {
                "name": "demo-run.gpx",
                "mimeType": "application/gpx+xml",
                "buffer": run,
            }
            page.set_input_files("#file-input", files=[sample])
            expect(page.locator(".row.in .text", has_text="8.0 km").last).to_be_visible(
                timeout=WAIT_MS
            )

            # /progress from the command menu: the chart arrives as a photo, shown inline
            page.locator("#menu-button").click()
            page.locator(".command-item", has_text="/progress").click()
            chart = page.locator(".row.in img.photo").last
            expect(chart).to_be_visible(timeout=WAIT_MS)
            page.wait_for_function(
                "img => img.complete && img.naturalWidth > 100", arg=chart.element_handle()
            )
            chart.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "demo.png"), full_page=False)
            assert not errors, errors
        finally:
            browser.close()
