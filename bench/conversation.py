"""Conversation throughput: N runners onboarding at once, against the bare-PTB yardstick.

Every simulated runner types the whole onboarding (12 answers), each after the bot answered the
previous one, like a person would. Prints replies per second and p50/p95/p99 latency for runlift,
the same for a bare python-telegram-bot bot answering /start (its own local server, same run),
their ratio (target ≥ 0.7), and runlift's p99 at a steady 20 updates/s (target ≤ 50 ms).
Run: `.venv/bin/python -m bench.conversation [--runners 1000]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence

from bench.common import ANSWERS, TOKEN, percentiles, row, start_bot, temp_database
from devtools.localapi import LocalBotApi


async def _talk(api: LocalBotApi, runner_id: int, texts: Sequence[str], out: list[float]) -> None:
    loop = asyncio.get_running_loop()
    for text in texts:
        began = loop.time()
        sent = await api.send_text(runner_id, text)
        replies = await api.wait_for_bot_messages(runner_id, after=sent["message_id"], timeout=60)
        if replies:
            out.append(loop.time() - began)


async def _burst(
    api: LocalBotApi, runners: int, texts: Sequence[str], first_id: int
) -> tuple[float, list[float]]:
    latencies: list[float] = []
    await api.create_users(range(first_id, first_id + runners))
    loop = asyncio.get_running_loop()
    began = loop.time()
    await asyncio.gather(*(_talk(api, first_id + i, texts, latencies) for i in range(runners)))
    return loop.time() - began, latencies


async def _paced(api: LocalBotApi, rate: float, seconds: float, first_id: int) -> list[float]:
    """One /start every 1/rate seconds from a new runner; the bot is never flooded."""
    latencies: list[float] = []
    count = int(rate * seconds)
    await api.create_users(range(first_id, first_id + count))
    tasks = []
    for i in range(count):
        tasks.append(asyncio.create_task(_talk(api, first_id + i, ("/start",), latencies)))
        await asyncio.sleep(1 / rate)
    await asyncio.gather(*tasks)
    return latencies


async def _settle(api: LocalBotApi) -> None:
    """Waits until the bot has sent nothing for a second."""
    last = -1
    while (sent := api.stats()["messages_sent"]) != last:
        last = sent
        await asyncio.sleep(1)


async def _bare(runners: int) -> tuple[float, list[float]]:
    api = LocalBotApi()
    await api.start()
    environment = dict(os.environ, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=api.url)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.bare_bot",
        env=environment,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    while api.stats()["calls"].get("getUpdates", 0) == 0:
        await asyncio.sleep(0.01)
    try:
        return await _burst(api, runners, ("/start",), 1)
    finally:
        process.terminate()
        await process.wait()
        await api.stop()


def _report(name: str, wall: float, latencies: list[float]) -> float:
    rate = len(latencies) / wall if wall else 0.0
    p = percentiles(latencies)
    print(
        f"{name}: {len(latencies)} replies in {wall:.1f} s = {rate:.0f} replies/s; "
        f"latency p50 {p['p50'] * 1000:.0f} ms, p95 {p['p95'] * 1000:.0f} ms, "
        f"p99 {p['p99'] * 1000:.0f} ms"
    )
    return rate


async def main(runners: int) -> None:
    database_url, _ = temp_database()
    api = LocalBotApi()
    await api.start()
    bot = await start_bot(api, database_url)
    try:
        wall, latencies = await _burst(api, runners, ANSWERS, 10_000)
        await _settle(api)  # the last plans are still going out; measure the steady state
        paced = await _paced(api, 20, 15, 500_000)
    finally:
        await bot.stop()
        await api.stop()
    bare_wall, bare_latencies = await _bare(runners)
    print(f"conversation: {runners} runners onboarding at once ({len(ANSWERS)} answers each)")
    ours = _report("runlift", wall, latencies)
    theirs = _report("bare PTB /start", bare_wall, bare_latencies)
    ratio = ours / theirs if theirs else 0.0
    p99 = percentiles(paced)["p99"] * 1000
    print(row("replies/s, runlift ÷ bare PTB", f"{ratio:.2f}×", "≥ 0.7×", ratio >= 0.7))
    print(row("p99 latency at 20 updates/s", f"{p99:.0f} ms", "≤ 50 ms", p99 <= 50))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runners", type=int, default=1000)
    args = parser.parse_args()
    asyncio.run(main(args.runners))
