"""Answers through HAProxy with 1 and 3 replicas on one PostgreSQL, and the replica trial at
full scale.

Run: `.venv/bin/python -m bench.replicas [--runners 300] [--faults] [--reminders 600]`.
Newcomers onboard through the balancer (a third typing three answers back to back, arrivals
spread so the busiest 10 s hold about `--rate` updates/s); printed: answers/s, the busiest
10 s's updates/s, p50/p99 answer latency, sends in the busiest second, 429s. With `--faults`,
one replica is killed with -9 at 30 % of the burst and PostgreSQL stopped for 5 s at 60 %.
With `--reminders N`, N reminders fall due at once after.

On a 2-core machine shared by the database, the balancer, the replicas and this script, more
replicas cannot answer faster: the 1-versus-3 figure is what the inbox and the shared pace cost
(and that nothing is lost through them), not how far replicas scale.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta

from bench.cluster import (
    Answered,
    Cluster,
    Postgres,
    WebhookTelegram,
    busiest_second,
    missing_tools,
    no_collection_pauses,
    onboard,
)
from bench.common import ANSWERS, percentiles, seed
from bot.ports import OffsetClock

START = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


async def run(replicas: int, runners: int, rate: float, faults: bool, reminders: int) -> None:
    postgres = await Postgres.start()
    clock = OffsetClock.starting_at(START)
    api = WebhookTelegram(auto_create_users=True, clock=lambda: clock.now().timestamp())
    await api.start("127.0.0.1", 0)
    cluster = Cluster(
        api.url,
        postgres.url,
        replicas=replicas,
        env={
            "RUNLIFT_CLOCK_START": clock.now().isoformat(),
            "QUIET_HOURS": "off",
            "LOG_LEVEL": "WARNING",
        },
    )
    try:
        await cluster.start()
        api.target = cluster.frontend
        await api.set_rate_limits(max_per_second=30, per_chat_per_second=None)
        with no_collection_pauses():
            await _burst(api, cluster, postgres, replicas, runners, rate, faults)
            if reminders:
                await _reminders(api, postgres.url, clock, reminders)
    finally:
        await cluster.stop()
        await api.stop()
        await postgres.stop()


async def _burst(
    api: WebhookTelegram,
    cluster: Cluster,
    postgres: Postgres,
    replicas: int,
    runners: int,
    rate: float,
    faults: bool,
) -> None:
    ids = range(5_000_000, 5_000_000 + runners)
    await api.create_users(ids)
    answered: list[Answered] = []
    total = runners * len(ANSWERS)
    spread = total / rate  # seconds over which runners arrive, for about `rate` updates/s
    failed: list[str] = []

    async def runner(index: int, runner_id: int) -> None:
        await asyncio.sleep(spread * index / runners)
        try:
            await onboard(
                api, runner_id, ANSWERS, answered, back_to_back=index % 3 == 0, within=180
            )
        except AssertionError as error:
            failed.append(str(error))

    windows: list[tuple[float, float]] = []

    async def inject() -> None:
        loop = asyncio.get_running_loop()
        while api.webhook_deliveries < total * 0.3:
            await asyncio.sleep(0.05)
        windows.append((loop.time(), loop.time() + 10))
        await cluster.running[random.randrange(len(cluster.running))].kill9()
        while api.webhook_deliveries < total * 0.6:
            await asyncio.sleep(0.05)
        down = loop.time()
        await postgres.down()
        await asyncio.sleep(5)
        await postgres.up()
        windows.append((down, loop.time() + 10))

    loop = asyncio.get_running_loop()
    began = loop.time()
    tasks = [asyncio.create_task(inject())] if faults else []
    await asyncio.gather(*(runner(i, r) for i, r in enumerate(ids)))
    wall = loop.time() - began
    for task in tasks:
        task.cancel()
    calm = [a.latency for a in answered if not any(s - 2 <= a.sent_at <= e for s, e in windows)]
    figures = percentiles(calm)
    plans = 0
    twice = 0
    for runner_id in ids:
        texts = [str(m.get("text")) for m in await api.history(runner_id) if m["from_bot"]]
        plans += any(t.startswith("All set!") for t in texts)
        twice += len(texts) > len(ANSWERS)
    print(
        f"{replicas} replica(s), {runners} newcomers{' with faults' if faults else ''}: "
        f"{api.webhook_deliveries} updates in {wall:.1f} s ({api.webhook_deliveries / wall:.1f}"
        f"/s, {busiest_second(api.delivery_times, 10) / 10:.1f}/s in the busiest 10 s), answers "
        f"p50 {figures['p50'] * 1000:.0f} ms, p99 {figures['p99'] * 1000:.0f} ms"
        f"{' outside the fault windows' if faults else ''}; plans {plans}/{runners}; chats with "
        f"an extra answer {twice}; re-delivered {api.duplicates}; refused/cut {api.refused}; "
        f"busiest second {busiest_second(api.stats(include_times=True)['send_times'])} sends; "
        f"429s {api.rate_limited}; runners stuck {len(failed)}"
    )
    for line in failed[:5]:
        print("  ", line)


async def _reminders(api: WebhookTelegram, database_url: str, clock: OffsetClock, n: int) -> None:
    await api.set_rate_limits(max_per_second=30, per_chat_per_second=1, per_chat_burst=1)
    sent_before = api.stats()["messages_sent"]
    limited_before = api.rate_limited
    first = 6_000_000
    await seed(
        database_url, n, reminders_due=clock.now() - timedelta(seconds=5), first_id=first,
        now=clock.now(),
    )  # fmt: skip
    loop = asyncio.get_running_loop()
    began = loop.time()
    while api.stats()["messages_sent"] < sent_before + n and loop.time() < began + 240:
        await asyncio.sleep(0.5)
    took = loop.time() - began
    await asyncio.sleep(3)
    counts = Counter[int]()
    for runner_id in range(first, first + n):
        counts[sum(1 for m in await api.history(runner_id) if m["from_bot"])] += 1
    times = api.stats(include_times=True)["send_times"][sent_before:]
    print(
        f"{n} reminders due at once: all out {took:.1f} s after seeding (the sweep runs every "
        f"30 s), per runner {dict(counts)}, busiest second {busiest_second(times)} sends, "
        f"429s {api.rate_limited - limited_before}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runners", type=int, default=60)
    parser.add_argument("--rate", type=float, default=16.0, help="updates/s at the peak")
    parser.add_argument("--replicas", type=int, nargs="*", default=[1, 3])
    parser.add_argument("--faults", action="store_true")
    parser.add_argument("--reminders", type=int, default=0)
    args = parser.parse_args()
    reason = missing_tools()
    if reason is not None:
        print(f"bench.replicas: skipped ({reason})")
        return 0
    for replicas in args.replicas:
        asyncio.run(run(replicas, args.runners, args.rate, args.faults, args.reminders))
    return 0


if __name__ == "__main__":
    sys.exit(main())
