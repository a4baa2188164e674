"""/settings changes one answer; the plan follows."""

from __future__ import annotations

from bot.core.domain.profile import Weekday
from bot.core.domain.statuses import DraftKind
from bot.services.container import Services
from bot.services.onboarding import get_draft, get_profile
from tests.fakes import ChatHarness
from tests.handlers.onboarding_steps import onboard_by_typing

UID = 801


async def test_friday_from_intervals_to_easy_and_the_plan_follows(
    harness: ChatHarness, services: Services
) -> None:
    await onboard_by_typing(harness, UID)
    await harness.send(UID, "/plan")
    assert any("Friday 27 Nov, after your intervals run" in t for t in harness.texts(UID))
    await harness.send(UID, "/settings")
    assert "<b>Running week:</b> Mon rest, Tue tempo" in harness.last(UID).text
    await harness.press(UID, "Running week")
    await harness.press(UID, "Fri · intervals")  # cycles to long run
    for label in ("Fri · long run", "Fri · cross-training", "Fri · rest"):
        await harness.press(UID, label)
    await harness.press(UID, "✅ Done")
    assert "Saved" in "\n".join(harness.texts(UID)[-2:])
    profile = await get_profile(services, UID)
    assert profile is not None and profile.week[Weekday.FRI].value == "easy"
    assert profile.goal is not None  # the other answers are untouched
    sent = await harness.send(UID, "/plan")
    shown = "\n".join(m.text for m in sent)
    assert "Friday 27 Nov, after your intervals run" not in shown
    assert "Tuesday 1 Dec, after your tempo run" in shown
    assert await get_draft(services, UID, DraftKind.SETTINGS) is None


async def test_a_typed_setting_with_a_follow_up_question(
    harness: ChatHarness, services: Services
) -> None:
    await onboard_by_typing(harness, UID)
    await harness.send(UID, "/settings")
    await harness.press(UID, "Where strength goes")
    await harness.send(UID, "separate days")
    assert "What time would you lift" in harness.last(UID).text
    await harness.send(UID, "banana")
    assert "What time would you lift" in harness.last(UID).text
    await harness.send(UID, "12:30")
    profile = await get_profile(services, UID)
    assert profile is not None and profile.placement.value == "separate_days"
    assert profile.session_time is not None and profile.session_time.hour == 12


async def test_cancel_and_back_leave_the_profile_unchanged(
    harness: ChatHarness, services: Services
) -> None:
    await onboard_by_typing(harness, UID)
    before = await get_profile(services, UID)
    await harness.send(UID, "/settings")
    await harness.press(UID, "Units")
    await harness.press(UID, "⬅ Back")
    assert "tap one to change it" in harness.last(UID).text
    await harness.press(UID, "Units")
    sent = await harness.send(UID, "/cancel")
    assert "No changes" in sent[0].text
    assert await get_profile(services, UID) == before
    sent = await harness.send(UID, "lb")  # no longer an answer
    assert await get_profile(services, UID) == before


async def test_settings_before_onboarding_nudges_to_start(harness: ChatHarness) -> None:
    sent = await harness.send(UID, "/settings")
    assert "/start" in sent[0].text


async def test_the_dumbbells_owned_are_typed_in_settings(
    harness: ChatHarness, services: Services
) -> None:
    await onboard_by_typing(harness, UID)
    await harness.send(UID, "/settings")
    await harness.press(UID, "Equipment")
    await harness.send(UID, "dumbbells 5, 10 and 12.5 kg, band, pull-up bar")
    assert "Saved" in "\n".join(harness.texts(UID)[-2:])
    profile = await get_profile(services, UID)
    assert profile is not None and profile.dumbbells_kg == (5, 10, 12.5)
    await harness.send(UID, "/settings")
    assert "Dumbbells (5, 10, 12.5 kg)" in harness.last(UID).text
