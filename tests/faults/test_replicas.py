"""Three replicas behind HAProxy on one PostgreSQL, with Telegram's webhook delivery played in
front (bench/cluster.py): newcomers onboard while one replica is killed with -9 and PostgreSQL
is stopped for a few seconds, then a batch of reminders falls due across the replicas.

What a runner would notice is held: everyone reaches a plan, no answer comes twice or out of
order, nothing is lost, and the Bot API never sees more than 30 sends in a second nor answers
429. The full-scale figures (300 runners) come from `python -m bench.replicas`.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from bench.cluster import (
    Answered,
    Cluster,
    Postgres,
    WebhookTelegram,
    busiest_second,
    missing_tools,
    no_collection_pauses,
    onboard,
    transcript,
)
from bench.common import ANSWERS, seed
from bot.ports import OffsetClock
from bot.storage.db import Database

pytestmark = pytest.mark.e2e

NEWCOMERS = 36
"""A third of them type three answers back to back; 12 updates each."""
FIRST_ID = 7_100_000
REMINDED = 150
FIRST_REMINDED = 7_200_000
SEED = 2525
START = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
"""The bots' clock (a Tuesday morning in London). Fixed rather than `--now`: the trial is about
replicas, not instants, and runs once."""


@pytest.fixture
async def postgres() -> AsyncIterator[Postgres]:
    reason = missing_tools()
    if reason is not None:
        pytest.skip(f"the replica trial needs HAProxy and PostgreSQL: {reason}")
    server = await Postgres.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.mark.timeout(420)
async def test_replicas_behind_haproxy_answer_every_update_once_in_order_through_faults(
    postgres: Postgres,
) -> None:
    clock = OffsetClock.starting_at(START)
    api = WebhookTelegram(auto_create_users=True, clock=lambda: clock.now().timestamp(), seed=SEED)
    await api.start("127.0.0.1", 0)
    cluster = Cluster(
        api.url,
        postgres.url,
        env={
            "RUNLIFT_CLOCK_START": clock.now().isoformat(),
            "QUIET_HOURS": "off",
            "LOG_LEVEL": "INFO",
        },
    )
    try:
        await cluster.start()
        api.target = cluster.frontend
        await api.set_rate_limits(max_per_second=30, per_chat_per_second=None)
        with no_collection_pauses():
            await _burst_with_faults(api, cluster, postgres)
            await _reminders_fan_out(api, postgres.url, clock)
    except BaseException:
        print(cluster.logs())
        print(await _unhandled(cluster.database_url), api.updates, api._inflight)
        raise
    finally:
        await cluster.stop()
        await api.stop()


async def _burst_with_faults(api: WebhookTelegram, cluster: Cluster, postgres: Postgres) -> None:
    rng = random.Random(SEED)
    ids = range(FIRST_ID, FIRST_ID + NEWCOMERS)
    await api.create_users(ids)
    answered: list[Answered] = []
    total = NEWCOMERS * len(ANSWERS)
    kill_at = int(total * rng.uniform(0.2, 0.4))

    async def runner(index: int, runner_id: int) -> None:
        await asyncio.sleep(index * 0.25)  # arrivals spread over the first ~9 s
        await onboard(api, runner_id, ANSWERS, answered, back_to_back=index % 3 == 0)

    async def faults() -> tuple[float, float, float]:
        while api.webhook_deliveries < kill_at:  # noqa: ASYNC110 - a counter, not an event
            await asyncio.sleep(0.05)
        killed = asyncio.get_running_loop().time()
        await cluster.running[rng.randrange(len(cluster.running))].kill9()
        while api.webhook_deliveries < total * 0.6:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        loop = asyncio.get_running_loop()
        down = loop.time()
        await postgres.down()
        await asyncio.sleep(5)
        await postgres.up()
        return killed, down, loop.time()

    loop = asyncio.get_running_loop()
    began = loop.time()
    faulting = asyncio.create_task(faults())
    await asyncio.gather(*(runner(i, runner_id) for i, runner_id in enumerate(ids)))
    wall = loop.time() - began

    await asyncio.sleep(4)  # a late duplicate, if answered, would show now
    killed, down, up = await faulting
    calm = [
        a.latency
        for a in answered
        if not (killed - 2 <= a.sent_at <= killed + 10 or down - 2 <= a.sent_at <= up + 10)
    ]
    calm.sort()
    p99 = calm[int(len(calm) * 0.99) - 1] if calm else 0.0
    chats = {runner_id: await api.history(runner_id) for runner_id in ids}
    asked = {
        runner_id: [_question_of(str(m.get("text"))) for m in history if m["from_bot"]]
        for runner_id, history in chats.items()
    }
    usual = Counter(tuple(transcript(history)) for history in chats.values()).most_common(1)
    print(
        f"replicas: {NEWCOMERS} newcomers, {api.webhook_deliveries} updates in {wall:.1f} s, "
        f"{api.duplicates} re-delivered, {api.refused} deliveries refused or cut off "
        f"(kill -9, database outage), p99 answer {p99:.2f} s outside the outage; "
        f"{NEWCOMERS - usual[0][1]} chats where an update was handled again after its "
        "replica died (the open question asked again)"
    )
    # one answer per update, in order: the answer to the n-th update asks the n+1-th question
    # (or asks the open one again, when its first replica died after saving the answer); the
    # last one is the plan
    steps = list(range(len(ANSWERS)))
    wrong = {r: a for r, a in asked.items() if a != steps}
    # A kill in the few milliseconds between an answer leaving and its "answered" commit makes
    # the replica that takes over ask the open question once more: one such repeat at most.
    repeats = {
        r: a
        for r, a in wrong.items()
        if a == sorted(a) and sorted(set(a)) == steps and len(a) == len(steps) + 1
    }
    assert len(repeats) <= 1 and set(wrong) == set(repeats), "\n".join(
        f"{r}: {a} {transcript(chats[r])}" for r, a in wrong.items()
    )
    db = Database(cluster.database_url)
    try:
        async with db.engine.connect() as connection:
            left = await connection.scalar(
                text("SELECT count(*) FROM update_inbox WHERE answered_at IS NULL")
            )
    finally:
        await db.dispose()
    assert left == 0


async def _unhandled(database_url: str) -> list[object]:
    """The inbox rows still waiting (printed when the trial fails)."""
    db = Database(database_url)
    try:
        async with db.engine.connect() as connection:
            rows = await connection.execute(
                text(
                    "SELECT update_id, chat_id, received_at FROM update_inbox "
                    "WHERE answered_at IS NULL ORDER BY update_id"
                )
            )
            return list(rows.all())
    except Exception as error:
        return [error]
    finally:
        await db.dispose()


QUESTIONS = (  # what the bot's answer to each onboarding update asks, in order
    ("hi runner", "welcome back"),
    ("when do you usually finish",),
    ("which time zone",),
    ("training for a race",),
    ("lifted weights",),
    ("train with",),
    ("how many strength sessions",),
    ("where should strength go",),
    ("sore spots",),
    ("kg or lb",),
    ("here's what i have",),
    ("all set!",),
)


def _question_of(text: str) -> int:
    """Which step of the onboarding a bot message asks (-1: none of them)."""
    lowered = text.lower()
    for index in reversed(range(len(QUESTIONS))):
        if any(phrase in lowered for phrase in QUESTIONS[index]):
            return index
    return -1


async def _reminders_fan_out(api: WebhookTelegram, database_url: str, clock: OffsetClock) -> None:
    """Reminders due at once: the surviving replicas share the 30/s and each goes out once."""
    await api.set_rate_limits(max_per_second=30, per_chat_per_second=1, per_chat_burst=1)
    sent_before = api.stats()["messages_sent"]
    now = clock.now()
    await seed(
        database_url,
        REMINDED,
        reminders_due=now - timedelta(seconds=5),
        first_id=FIRST_REMINDED,
        now=now,
    )
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 90  # the sweep runs every 30 s; 150 at 22/s take 7 s
    while api.stats()["messages_sent"] < sent_before + REMINDED and loop.time() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.5)
    await asyncio.sleep(3)
    counts = Counter[int]()
    for runner_id in range(FIRST_REMINDED, FIRST_REMINDED + REMINDED):
        counts[runner_id] = sum(1 for m in await api.history(runner_id) if m["from_bot"])
    times = api.stats(include_times=True)["send_times"]
    busiest = busiest_second(times)
    print(
        f"replicas: {REMINDED} reminders due at once; busiest second of the whole run "
        f"{busiest} sends (onboarding {busiest_second(times[:sent_before])}, reminders "
        f"{busiest_second(times[sent_before:])}); 429 answers {api.rate_limited}"
    )
    assert [r for r, c in counts.items() if c != 1] == []
    assert busiest <= 30
    assert api.rate_limited == 0
