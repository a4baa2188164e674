"""Reminder fan-out: N runners whose session reminders fall due in the same minute.

The local Bot API server enforces Telegram's limits (30 messages/s overall, 1/s per chat) and
answers 429 above them. Prints the time to deliver all, the send rate, 429s, duplicates and
losses. Targets: ≥ 0.95 × 30 msg/s, 0 duplicates, 0 lost, 0 429s. A full run of 10,000 takes
at least 333 s. Run: `.venv/bin/python -m bench.fanout [--runners N]`.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime, timedelta

from bench.common import row, seed, start_bot, temp_database
from devtools.localapi import LocalBotApi

FIRST_ID = 1_000_000


async def main(runners: int, timeout: float) -> None:
    database_url, _ = temp_database()
    await seed(
        database_url,
        runners,
        reminders_due=datetime.now(UTC) - timedelta(seconds=30),
        first_id=FIRST_ID,
    )
    api = LocalBotApi(
        auto_create_users=True, max_per_second=30, per_chat_per_second=1, per_chat_burst=1
    )
    await api.start()
    bot = await start_bot(api, database_url, QUIET_HOURS="off")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    try:
        while api.stats()["messages_sent"] < runners and loop.time() < deadline:
            await asyncio.sleep(0.5)
        await asyncio.sleep(2)  # anything sent twice arrives now
        stats = api.stats(include_times=True)
    finally:
        await bot.stop()
    times = sorted(stats["send_times"])
    span = (times[-1] - times[0]) if len(times) > 1 else 0.0
    rate = (len(times) - 1) / span if span else 0.0
    counts = []
    for runner_id in range(FIRST_ID, FIRST_ID + runners):
        history = await api.history(runner_id)
        counts.append(sum(1 for m in history if m["from_bot"]))
    await api.stop()
    duplicates = sum(max(0, c - 1) for c in counts)
    lost = sum(1 for c in counts if c == 0)
    print(f"reminder fan-out: {runners} runners due in the same minute")
    print(row("time to deliver all", f"{span:.1f} s", f"≥ {runners / 30:.0f} s", None))
    print(row("average send rate", f"{rate:.1f} msg/s", "≥ 28.5 msg/s", rate >= 28.5))
    print(
        row(
            "peak send rate (1 s window)",
            f"{stats['peak_per_second']} msg/s",
            "≤ 30",
            stats["peak_per_second"] <= 30,
        )
    )
    print(row("429 answers", str(stats["rate_limited"]), "0", stats["rate_limited"] == 0))
    print(row("duplicates", str(duplicates), "0", duplicates == 0))
    print(row("lost", str(lost), "0", lost == 0))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runners", type=int, default=10_000)
    parser.add_argument("--timeout", type=float, default=900.0)
    args = parser.parse_args()
    asyncio.run(main(args.runners, args.timeout))
