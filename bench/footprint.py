"""Footprint and start-up with many runners in the database.

Seeds N runners (default 10,000), each with 8 weeks of logged sessions (two a week, five
exercises × three sets) and a reminder due tomorrow, then starts the real bot against the local
Bot API server. Prints: time from process start to the first answer (target ≤ 5 s), the bot's
RSS (target ≤ 150 MB at 10,000 runners) and database size per 1,000 runners (target ≤ 2 MB).
Run: `.venv/bin/python -m bench.footprint [--runners N] [--weeks W]`.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime, timedelta

import psutil

from bench.common import row, seed, start_bot, temp_database
from devtools.localapi import LocalBotApi

PROBE = 42


async def main(runners: int, weeks: int) -> None:
    database_url, path = temp_database()
    loop = asyncio.get_running_loop()
    began = loop.time()
    await seed(
        database_url,
        runners,
        reminders_due=datetime.now(UTC) + timedelta(days=1),
        weeks_of_logs=weeks,
    )
    seeded = loop.time() - began
    size_mb = path.stat().st_size / 1e6
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        size_mb += wal.stat().st_size / 1e6

    api = LocalBotApi(auto_create_users=True)
    await api.start()
    await api.create_user(PROBE, first_name="Probe")
    await api.send_text(PROBE, "/help")  # waiting for the bot before it even starts
    bot = await start_bot(api, database_url, QUIET_HOURS="off")
    replies = await api.wait_for_bot_messages(PROBE, after=0, timeout=60)
    first_answer = loop.time() - bot.started if replies else float("inf")
    for _ in range(20):  # a little traffic, then measure memory
        await api.send_text(PROBE, "/plan")
    await asyncio.sleep(3)
    rss_mb = psutil.Process(bot.process.pid).memory_info().rss / 1e6
    await bot.stop()
    await api.stop()

    per_thousand = size_mb / (runners / 1000)
    print(f"footprint: {runners} runners, {weeks} weeks of logs each (seeded in {seeded:.0f} s)")
    print(
        row(
            "start-up: process start to first answer",
            f"{first_answer:.2f} s",
            "≤ 5 s",
            first_answer <= 5,
        )
    )
    print(
        row(
            f"bot RSS with {runners} runners",
            f"{rss_mb:.0f} MB",
            "≤ 150 MB",
            rss_mb <= 150 if runners >= 10_000 else None,
        )
    )
    print(
        row(
            "database size per 1,000 runners",
            f"{per_thousand:.1f} MB",
            "≤ 2 MB",
            per_thousand <= 2,
        )
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runners", type=int, default=10_000)
    parser.add_argument("--weeks", type=int, default=8)
    args = parser.parse_args()
    asyncio.run(main(args.runners, args.weeks))
