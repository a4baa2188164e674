"""Shared steps for onboarding handler tests: a runner answering by buttons or by typing."""

from __future__ import annotations

from tests.fakes import ChatHarness

CYCLE = ("rest", "easy", "tempo", "intervals", "long run", "cross-training")
SEED_000 = {"tue": "tempo", "wed": "easy", "fri": "intervals", "sat": "easy", "sun": "long run"}
SEED_000_LINE = "tue tempo, fri intervals, sun long, wed easy, sat easy, rest otherwise"


async def tap_week(harness: ChatHarness, uid: int, week: dict[str, str]) -> None:
    """Taps each day through the kinds until it shows the wanted one, then Done."""
    for day, kind in week.items():
        current = "rest"
        while current != kind:
            await harness.press(uid, f"{day.title()} · {current}")
            current = CYCLE[(CYCLE.index(current) + 1) % len(CYCLE)]
    await harness.press(uid, "✅ Done")


async def onboard_by_buttons(harness: ChatHarness, uid: int) -> None:
    """Seed 000's week, 18:30, London, general fitness, some experience, full gym, kg."""
    await harness.send(uid, "/start")
    await tap_week(harness, uid, SEED_000)
    await harness.press(uid, "18:30")
    await harness.press(uid, "London")
    await harness.press(uid, "General fitness")
    await harness.press(uid, "Some experience")
    await harness.press(uid, "Full gym")
    await harness.press(uid, "✅ Done")
    await harness.press(uid, "2 ⭐")
    await harness.press(uid, "After hard runs (recommended)")
    await harness.press(uid, "None")
    await harness.press(uid, "kg")
    await harness.press(uid, "👍 Looks good")


TYPED_ANSWERS = (
    SEED_000_LINE,
    "18:30",
    "London",
    "half marathon on 14 March",
    "some",
    "dumbbells, band and a pull-up bar",
    "2",
    "after hard runs",
    "knee",
    "kg",
    "yes",
)


async def onboard_by_typing(harness: ChatHarness, uid: int) -> None:
    await harness.send(uid, "/start")
    for text in TYPED_ANSWERS:
        await harness.send(uid, text)
