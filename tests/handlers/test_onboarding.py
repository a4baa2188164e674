"""Onboarding by chat through the real Application: buttons, typing, mistakes, back, resume."""

from __future__ import annotations

from bot.services.onboarding import get_draft, get_profile
from bot.services.container import Services
from tests.fakes import ChatHarness
from tests.handlers.onboarding_steps import onboard_by_buttons, onboard_by_typing

UID = 501


async def test_buttons_only_gives_seed_000_a_tuesday_and_friday_plan(
    harness: ChatHarness, services: Services
) -> None:
    await onboard_by_buttons(harness, UID)
    text = "\n".join(harness.texts(UID))
    assert "Here's what I have" in text
    assert "Tuesday 24 Nov, after your tempo run" in text
    assert "Friday 27 Nov, after your intervals run" in text
    profile = await get_profile(services, UID)
    assert profile is not None and profile.timezone == "Europe/London"
    assert await get_draft(services, UID, "onboarding") is None
