"""/plan and /today after onboarding, and the nudge before it."""

from __future__ import annotations

from datetime import timedelta

from tests.fakes import ChatHarness, MutableClock
from tests.handlers.onboarding_steps import onboard_by_buttons

UID = 901


async def test_plan_shows_this_week_and_next(harness: ChatHarness) -> None:
    await onboard_by_buttons(harness, UID)
    shown = "\n".join(m.text for m in await harness.send(UID, "/plan"))
    assert "This week" in shown and "Next week" in shown
    for day in ("Tuesday 24 Nov", "Friday 27 Nov", "Tuesday 1 Dec", "Friday 4 Dec"):
        assert day in shown
    assert "Monday" not in shown and "Sunday" not in shown  # P3, P5


async def test_today_on_a_hard_run_day_shows_todays_session(harness: ChatHarness) -> None:
    await onboard_by_buttons(harness, UID)
    shown = "\n".join(m.text for m in await harness.send(UID, "/today"))
    assert "today's session" in shown and "Tuesday 24 Nov, after your tempo run" in shown


async def test_today_without_a_session_says_whats_next(
    harness: ChatHarness, clock: MutableClock
) -> None:
    await onboard_by_buttons(harness, UID)
    clock.advance(timedelta(days=1))
    shown = "\n".join(m.text for m in await harness.send(UID, "/today"))
    assert "No strength today" in shown and "on Friday 27 Nov" in shown
    clock.advance(timedelta(days=1))
    shown = "\n".join(m.text for m in await harness.send(UID, "/today"))
    assert "Your next session is tomorrow" in shown


async def test_plan_and_today_before_onboarding_nudge_to_start(harness: ChatHarness) -> None:
    for command in ("/plan", "/today"):
        sent = await harness.send(UID, command)
        assert "/start" in sent[0].text
