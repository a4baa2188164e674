"""Chart latency: how long other runners wait for an answer while someone's /progress renders.

Seeds runners with 8 weeks of logged sessions, starts `python -m bot run` against the local Bot
API server, then has one runner send /progress back to back while ten others each send /help
every 50 ms. Prints the /help answer latency (p50/p99/max) with and without charts rendering, and
how long a /progress takes. A chart drawn on the event loop (~100 ms of matplotlib) shows up as
the others' p99; drawn in a worker thread it should not.
Run: `.venv/bin/python -m bench.chart_latency [--charts 20]`.
"""

from __future__ import annotations

import argparse
import asyncio

from bench.common import percentiles, row, seed, start_bot, temp_database
from devtools.localapi import LocalBotApi

CHARTER = 1_000_000
OTHERS = range(1_000_001, 1_000_011)


async def ask(api: LocalBotApi, user_id: int, text: str) -> float:
    """Seconds from sending `text` to the bot's first answer."""
    loop = asyncio.get_running_loop()
    sent = await api.send_text(user_id, text)
    began = loop.time()
    answers = await api.wait_for_bot_messages(user_id, after=int(sent["message_id"]), timeout=30)
    if not answers:
        raise RuntimeError(f"no answer to {text!r}")
    return loop.time() - began


async def others_ask(api: LocalBotApi, stop: asyncio.Event, latencies: list[float]) -> None:
    async def one(user_id: int) -> None:
        while not stop.is_set():
            latencies.append(await ask(api, user_id, "/help"))
            await asyncio.sleep(0.05)

    await asyncio.gather(*(one(user_id) for user_id in OTHERS))


async def phase(api: LocalBotApi, charts: int) -> tuple[list[float], list[float]]:
    """(others' /help latencies, /progress latencies) while `charts` charts render in a row."""
    stop = asyncio.Event()
    others: list[float] = []
    background = asyncio.create_task(others_ask(api, stop, others))
    progress = []
    if charts:
        for _ in range(charts):
            progress.append(await ask(api, CHARTER, "/progress"))
    else:
        await asyncio.sleep(3)
    stop.set()
    await background
    return others, progress


async def main(charts: int) -> None:
    database_url, _ = temp_database()
    await seed(database_url, 1 + len(OTHERS), weeks_of_logs=8, first_id=CHARTER)
    api = LocalBotApi()
    await api.start()
    for user_id in (CHARTER, *OTHERS):
        await api.create_user(user_id, first_name="B")
    bot = await start_bot(api, database_url, QUIET_HOURS="off")
    try:
        await ask(api, CHARTER, "/progress")  # matplotlib's first import is not the figure
        quiet, _ = await phase(api, 0)
        busy, progress = await phase(api, charts)
    finally:
        await bot.stop()
        await api.stop()
    q, b, p = percentiles(quiet), percentiles(busy), percentiles(progress)
    print(f"chart latency: {charts} charts, {len(OTHERS)} other runners sending /help every 50 ms")
    print(
        row(
            "/help p50 / p99, nobody charting (ms)",
            f"{q['p50'] * 1e3:.0f} / {q['p99'] * 1e3:.0f}",
            "",
            None,
        )
    )
    print(
        row(
            "/help p50 / p99 while charts render (ms)",
            f"{b['p50'] * 1e3:.0f} / {b['p99'] * 1e3:.0f}",
            "",
            None,
        )
    )
    print(row("/help max while charts render (ms)", f"{max(busy) * 1e3:.0f}", "", None))
    print(row("/progress p50 (ms)", f"{p['p50'] * 1e3:.0f}", "", None))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--charts", type=int, default=20)
    asyncio.run(main(parser.parse_args().charts))
