"""A runner moves a session to tomorrow, then keeps using the bot: every command still answers.

After "📅 Move to tomorrow", /plan and /today answered "Sorry — something
went wrong" from then on, and no test saw it because the fixture ignored handler errors.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.context import RunliftApplication
from bot.services.container import Services
from handlers.errors import SORRY
from scheduler import deliver_due
from scheduler.jobs import deliverer_of
from tests.fakes import ChatHarness, MutableClock
from tests.scheduler.support import onboard

RUNNER = 42
TUESDAY_AFTER_THE_RUN = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)


async def test_after_move_to_tomorrow_plan_today_and_history_answer_normally(
    app: RunliftApplication, services: Services, clock: MutableClock, harness: ChatHarness
) -> None:
    await onboard(services, RUNNER)
    clock.set(TUESDAY_AFTER_THE_RUN)
    deliverer_of(app).per_chat_interval = 0
    assert await deliver_due(app, services) >= 1
    await harness.press(RUNNER, "📅 Move to tomorrow")
    assert "Moved to tomorrow." in harness.callback_answers()

    answers: dict[str, str] = {}
    for command in ("/plan", "/today", "/history"):
        answer = await harness.send(RUNNER, command)
        texts = [message.text for message in answer]
        assert texts, f"{command} got no answer"
        assert SORRY not in texts, f"{command} answered with the apology"
        answers[command] = "\n".join(texts)
    for command in ("/plan", "/today"):  # the moved session shows on its new day, with why
        assert "Session A · Wednesday 25 Nov" in answers[command], answers[command]
        assert "Moved from Tuesday" in answers[command], answers[command]
