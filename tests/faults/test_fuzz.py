"""10,000 random messages, commands and button presses: no crash, no traceback, no trespass.

Strangers type anything, press buttons copied from other runners' messages, and forge callback
data carrying other runners' ids. The runners they target must come out byte-for-byte untouched.
"""

from __future__ import annotations

import os
import random
import string
from typing import Any

import pytest
from sqlalchemy import select

from bot.context import RunliftApplication, RunliftContext
from bot.services.container import Services
from bot.storage.tables import Draft, LogEntry, LoggedSetRow, PlannedSession, Reminder, Runner
from handlers.callbacks import VERSION
from tests.fakes import ChatHarness
from tests.scheduler.support import onboard

VICTIMS = (42, 43, 44)
STRANGERS = tuple(range(900, 912))
MESSAGES = int(os.environ.get("RUNLIFT_FUZZ_MESSAGES", "10000"))
SEED = int(os.environ.get("RUNLIFT_FUZZ_SEED", "20261124"))

COMMANDS = (
    "/start",
    "/plan",
    "/today",
    "/settings",
    "/log",
    "/undo",
    "/progress",
    "/history",
    "/export",
    "/delete",
    "/pause",
    "/resume",
    "/help",
    "/cancel",
    "/nope",
    "/start@runlift_test_bot",
    "/log squat 3x5 60kg",
    "/settings extra words",
)
TEXTS = (
    "squat 4x5 60",
    "squat 4x5 @ 60kg",
    "squat 5,5,5,4 @ 62.5",
    "deadlift 3x3 100kg rir2",
    "split squat 3x8/side 16kg",
    "calf raise 3x12 each",
    "plank 3x40s",
    "dead bug 2x10",
    "pull ups 4x5 bw",
    "bench 3x5 135lb",
    "sqaut 3x5 60",
    "same as last time",
    "skip",
    "done",
    "squat 3x5 9000kg",
    "squat 99x99",
    "plank 3x4000s",
    "tue tempo, fri intervals, rest otherwise",
    "18:30",
    "7am",
    "London",
    "Atlantis",
    "UTC+14",
    "UTC-12",
    "half marathon on 14 March",
    "marathon 1999-01-01",
    "10k in 600 weeks",
    "general fitness",
    "novice",
    "gym",
    "2",
    "4",
    "separate days",
    "knee and achilles",
    "lb",
    "yes",
    "no",
    "back",
    "",
    " ",
    "🏃‍♀️💪",
    "<b>bold</b> & <script>",
    "'; DROP TABLE runners; --",
    "\x00\x01",
    "x" * 5000,
    "Europe/London",
    "America/New_York",
    "Mars/Olympus",
    "0:00",
    "24:00",
    "23:59",
)
PREFIXES = ("ob", "st", "rs", "rz", "rk", "rm", "ld", "lx", "lc", "lu", "dl", "zz", "")


async def _snapshot(services: Services, runner_ids: tuple[int, ...]) -> list[tuple[Any, ...]]:
    """Every stored row that belongs to these runners, as plain tuples."""
    rows: list[tuple[Any, ...]] = []
    async with services.db.session() as session:
        for table in (Runner, Draft, PlannedSession, Reminder, LogEntry, LoggedSetRow):
            owner = table.__table__.c["id" if table is Runner else "runner_id"]
            result = await session.scalars(select(table).where(owner.in_(runner_ids)))
            for row in result.all():
                columns = table.__table__.columns
                rows.append((table.__tablename__, *(getattr(row, c.key) for c in columns)))
    return sorted(rows, key=repr)


def _random_text(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.25:
        return rng.choice(COMMANDS)
    if roll < 0.8:
        return rng.choice(TEXTS)
    alphabet = string.printable + "äöü€—…🏋️"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60))) or "?"


def _forged_data(rng: random.Random, real: list[str]) -> str:
    if real and rng.random() < 0.6:
        parts = rng.choice(real).split(":")
        if len(parts) > 2 and rng.random() < 0.5:
            parts[2] = str(rng.choice(VICTIMS))  # claim to be the victim (version:action:owner)
        return ":".join(parts)[:64]
    args = [str(rng.randint(-5, 10**6)) for _ in range(rng.randint(0, 3))]
    owner = str(rng.choice((*VICTIMS, *STRANGERS, 0, -1)))
    version = rng.choice((VERSION, VERSION, "0", ""))
    return ":".join([version, rng.choice(PREFIXES), owner, *args])[:64]


@pytest.mark.timeout(600)  # thousands of round trips; slower on a busy machine
async def test_random_traffic_never_crashes_leaks_or_trespasses(
    app: RunliftApplication, services: Services, harness: ChatHarness
) -> None:
    errors: list[BaseException] = []

    async def count_errors(update: object, context: RunliftContext) -> None:
        if context.error is not None:
            errors.append(context.error)

    app.add_error_handler(count_errors)
    for victim in VICTIMS:
        await onboard(services, victim)
        await harness.send(victim, "squat 3x5 60kg")
    before = await _snapshot(services, VICTIMS)

    rng = random.Random(SEED)
    for _ in range(MESSAGES):
        stranger = rng.choice(STRANGERS)
        if rng.random() < 0.6:
            await harness.send(stranger, _random_text(rng))
            continue
        own = harness.chat(stranger)
        victims_messages = [m for v in VICTIMS for m in harness.chat(v) if m.buttons()]
        pool = own if own and rng.random() < 0.5 else victims_messages
        if not pool:
            continue
        target = rng.choice(pool)
        real = [data for _, data in target.buttons()] + [
            data for m in victims_messages[-5:] for _, data in m.buttons()
        ]
        await harness.press_data(
            target.chat_id, target.message_id, _forged_data(rng, real), presser=stranger
        )

    assert errors == [], f"seed {SEED}: {len(errors)} errors, first: {errors[:1]!r}"
    leaked = [
        m.text
        for m in harness.request.messages.values()
        if "Traceback" in m.text or "Error:" in m.text or 'File "' in m.text
    ]
    assert leaked == [], f"seed {SEED}: a runner saw internals"
    assert await _snapshot(services, VICTIMS) == before, f"seed {SEED}: a victim's data changed"
    assert len(harness.request.messages) > MESSAGES // 2, "most messages got an answer"
