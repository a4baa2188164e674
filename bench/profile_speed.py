"""Samples the bot process with py-spy while it serves one phase of bench.speed.

`.venv/bin/python -m bench.profile_speed [--phase onboarding|start] [--runners 200]
[--out profile.txt]` starts runlift on a fresh SQLite (or `--database-url`) against the local
Bot API server, attaches `py-spy record` (install it into the venv first: it is not a project
dependency) to the bot for the phase only, and writes the collapsed stacks to `--out`, then
prints the functions with the most samples, inclusive and own. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import shutil
import signal
import sys
from pathlib import Path
from typing import Any

import psutil

from bench.common import ANSWERS, start_bot, temp_database
from bench.speed import bare_bot, onboarding_burst, settle, start_burst
from devtools.localapi import LocalBotApi


async def main(
    phase: str, runners: int, out: Path, database_url: str | None, rate: int, gil: bool, bare: bool
) -> None:
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    api = LocalBotApi()
    await api.start()
    if bare:
        context: Any = bare_bot(api)
        pid = await context.__aenter__()
    else:
        url = database_url or temp_database()[0]
        bot = await start_bot(api, url, QUIET_HOURS="off")
        pid = bot.process.pid
    try:
        await asyncio.sleep(1.0)
        # warm-up: imports, the first plan, the time-zone index
        await onboarding_burst(api, 9_000_000, 3)
        await settle(api)
        process = psutil.Process(pid)
        cpu_before = sum(process.cpu_times()[:2])
        recorder = await asyncio.create_subprocess_exec(
            spy,
            "record",
            "--pid",
            str(pid),
            "--format",
            "raw",
            "--rate",
            str(rate),
            *(["--gil"] if gil else []),
            "--output",
            str(out),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        await asyncio.sleep(1.0)
        if phase == "onboarding":
            figure, _, done = await onboarding_burst(api, 2_000_000, runners)
            replies = runners * len(ANSWERS)
            print(f"onboarding: {figure:.0f} replies/s, {done} finished")
        else:
            figure, _ = await start_burst(api, 1_000_000, runners)
            replies = runners
            print(f"/start: {figure:.0f} answers/s")
        cpu = sum(process.cpu_times()[:2]) - cpu_before
        print(f"bot CPU {1000 * cpu / replies:.2f} ms per reply")
        recorder.send_signal(signal.SIGINT)
        await recorder.wait()
    finally:
        if bare:
            await context.__aexit__(None, None, None)
        else:
            await bot.stop()
        await api.stop()
    summarize(out)


def summarize(path: Path, top: int = 45) -> None:
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack:
            continue
        count = int(count_text)
        frames = [f.split(" (")[0] + " " + _where(f) for f in stack.split(";")]
        total += count
        for frame in set(frames):
            inclusive[frame] += count
        own[frames[-1]] += count
    print(f"{total} samples")
    print("-- inclusive")
    for frame, count in inclusive.most_common(top):
        print(f"{100 * count / total:5.1f} %  {frame}")
    print("-- own")
    for frame, count in own.most_common(top // 2):
        print(f"{100 * count / total:5.1f} %  {frame}")


def _where(frame: str) -> str:
    if "(" not in frame:
        return ""
    place = frame.split(" (", 1)[1].rstrip(")")
    file, _, _line = place.rpartition(":")
    parts = Path(file).parts
    return "/".join(parts[-2:])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--phase", choices=("onboarding", "start"), default="onboarding")
    parser.add_argument("--runners", type=int, default=200)
    parser.add_argument("--out", type=Path, default=Path("profile.txt"))
    parser.add_argument("--database-url")
    parser.add_argument("--rate", type=int, default=250)
    parser.add_argument("--gil", action="store_true", help="only samples holding the GIL")
    parser.add_argument("--bare", action="store_true", help="the bare PTB bot instead")
    args = parser.parse_args()
    asyncio.run(
        main(args.phase, args.runners, args.out, args.database_url, args.rate, args.gil, args.bare)
    )
