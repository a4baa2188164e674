"""Two runners onboard at the same time over HTTP; each gets a plan for their own week."""

from __future__ import annotations

import asyncio
import re

import pytest

from tests.e2e.conftest import StartBot, wait_for_text
from tests.localapi_client import LocalApiClient

pytestmark = pytest.mark.e2e

ANSWERS = {
    8101: (
        "tue tempo, fri intervals, sun long, wed easy, sat easy, rest otherwise",
        "18:30",
        "London",
        "general fitness",
        "some",
        "full gym",
        "2",
        "after hard runs",
        "none",
        "kg",
    ),
    8102: (
        "mon intervals, thu tempo, sat long, rest otherwise",
        "7am",
        "New York",
        "general fitness",
        "experienced",
        "dumbbells",
        "2",
        "after hard runs",
        "knee",
        "lb",
    ),
}


async def _onboard(client: LocalApiClient, uid: int, answers: tuple[str, ...]) -> str:
    """Types every answer, waiting for the next question each time; returns the plan text."""
    last = await client.send_text(uid, "/start")
    await wait_for_text(client, uid, "", after=last["message_id"])
    for answer in answers:
        last = await client.send_text(uid, answer)
        await wait_for_text(client, uid, "", after=last["message_id"])
    last = await client.send_text(uid, "yes")
    await wait_for_text(client, uid, "after your", after=last["message_id"], within=15)
    history = await client.history(uid)
    after_confirm = [m for m in history if m["from_bot"] and m["message_id"] > last["message_id"]]
    plans = [str(m.get("text")) for m in after_confirm if "All set" in str(m.get("text"))]
    assert plans, f"no plan after confirming: {[m.get('text') for m in after_confirm]}"
    return plans[0]


def _sessions(plan_text: str) -> set[tuple[str, str]]:
    """(weekday, run kind) of every session header: "Session A · Tuesday 24 Nov, after your
    tempo run · about 44 min"."""
    return set(re.findall(r"Session \w+ · (\w+) \d+ \w+, after your (\w+) run", plan_text))


async def test_two_runners_onboard_concurrently_and_get_their_own_plans(
    start_bot: StartBot, client: LocalApiClient
) -> None:
    bot = await start_bot()
    for uid in ANSWERS:
        await client.create_user(uid, first_name=f"Runner{uid}")
    plans = await asyncio.gather(*(_onboard(client, uid, ans) for uid, ans in ANSWERS.items()))
    first, second = plans
    # Each runner's sessions sit after their own hard runs (the dates depend on today).
    assert _sessions(first) <= {("Tuesday", "tempo"), ("Friday", "intervals")}
    assert _sessions(second) <= {("Monday", "intervals"), ("Thursday", "tempo")}
    assert _sessions(first) and _sessions(second)
    if "Back squat" in second:
        raise AssertionError("runner 2 has dumbbells only, yet got a barbell squat")
    assert "Traceback" not in bot.log()
