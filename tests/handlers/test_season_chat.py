"""A season of races in chat (PH5): a runner adds a tune-up or a race run as training, the goal
stays the A race, and /plan shows the season.

The clock is Tuesday 24 Nov 2026; the runner onboarded with seed 000's week and then gave the
goal "half marathon on 14 march" (2027).
"""

from __future__ import annotations

from tests.fakes import ChatHarness
from tests.handlers.onboarding_steps import onboard_by_buttons

UID = 922


async def onboard_with_goal(harness: ChatHarness) -> None:
    await onboard_by_buttons(harness, UID)
    await harness.send(UID, "/race half marathon on 14 march")


def texts(sent: list) -> str:  # type: ignore[type-arg]
    return "\n".join(m.text for m in sent)


async def test_ph5_a_b_race_by_command_joins_the_season_and_the_goal_stays(
    harness: ChatHarness,
) -> None:
    await onboard_with_goal(harness)
    sent = texts(await harness.send(UID, "/race 10k on 14 february B"))
    assert "10K on" in sent and "a B race" in sent and "primer" in sent
    assert "Season:" in sent and "half marathon (A, the goal)" in sent
    assert "Sun 14 Feb 10K (B, tune-up)" in sent
    plan = texts(await harness.send(UID, "/plan"))
    assert "🏁 Season: Sun 14 Feb 10K (B, tune-up)" in plan
    assert "Sun 14 Mar half marathon (A, the goal)" in plan


async def test_ph5_a_parkrun_in_words_is_a_c_race_that_protects_its_days(
    harness: ChatHarness,
) -> None:
    await onboard_with_goal(harness)
    sent = texts(await harness.send(UID, "parkrun on saturday is just a C race"))
    assert "5K on Saturday 28 Nov" in sent and "a C race, run as training" in sent
    plan = texts(await harness.send(UID, "/plan"))
    assert "Sat 28 Nov 5K (C, run as training)" in plan
    # PH3/PH5: nothing in its last 2 days; PH6: 4 days of recovery after it
    for day in ("Thursday 26 Nov", "Friday 27 Nov", "Tuesday 1 Dec"):
        assert day not in plan, day


async def test_ph5_a_race_made_the_a_race_keeps_the_old_goal_in_the_season(
    harness: ChatHarness,
) -> None:
    await onboard_with_goal(harness)
    sent = texts(await harness.send(UID, "/race marathon on 25 april A"))
    assert "your A race, the goal" in sent
    assert "Sun 14 Mar half marathon (B, tune-up)" in sent
    assert "Sun 25 Apr marathon (A, the goal)" in sent


async def test_ph5_a_priority_without_a_known_race_asks_which(harness: ChatHarness) -> None:
    await onboard_by_buttons(harness, UID)
    sent = texts(await harness.send(UID, "/race on 9 january is a C race"))
    assert "Which race" in sent or "When is your" in sent


async def test_ph5_a_dropped_tune_up_leaves_the_season_and_the_goal_stays(
    harness: ChatHarness,
) -> None:
    await onboard_with_goal(harness)
    await harness.send(UID, "/race 10k on 14 february B")
    sent = texts(await harness.send(UID, "dropped the 10k on 14 february"))
    assert "your 10K on Sunday 14 Feb is off the season" in sent
    assert (
        "Sun 14 Mar half marathon (A, the goal)" in sent
        and "14 Feb 10K" not in sent.split("off the season")[1]
    )
