"""One message, one reading: the open question first, then a set log, then an intent, then help."""

from __future__ import annotations

from tests.fakes import ChatHarness, SentMessage
from tests.handlers.onboarding_steps import onboard_by_buttons

UID = 907


def texts(sent: list[SentMessage]) -> str:
    return "\n".join(m.text for m in sent)


async def test_a_skipped_long_run_while_sick_changes_the_week_not_todays_logged_session(
    harness: ChatHarness,
) -> None:
    await onboard_by_buttons(harness, UID)
    await harness.send(UID, "squat 3x5 60kg")
    before = texts(await harness.send(UID, "/today"))
    sent = texts(await harness.send(UID, "skipped the long run this week, sick"))
    assert "long run" in sent and "trimmed" not in sent
    after = texts(await harness.send(UID, "/today"))
    assert after == before and "Power" in after and "Back squat 3 × 6–8" in after
