"""Conversation speed against a bare python-telegram-bot bot, on SQLite and PostgreSQL.

For each database, in one run, runlift and the bare PTB bot (`bench.bare_bot`, one message with a
keyboard per update, no database) each face the same local Bot API server and the same runners:

- /start from N new runners, 50 in flight: answers per second and their ratio (target ≥ 0.7×);
- the full onboarding (12 typed answers each) of 200 runners, 50 in flight: replies per second
  and their ratio (target ≥ 0.5×); the bare bot answers every message with one message;
- p50/p95/p99 answer latency while N new runners arrive at 200 per second (target p99 ≤ 1 s)
  and at a steady 20 updates per second (target p99 ≤ 50 ms);
- the bot's peak RSS (target ≤ 150 MB);
- database round trips per update (statements, commits and rollbacks), counted in-process on a
  small onboarding with an SQLAlchemy event listener.

An answer's latency is from the runner's message to the bot's first message after it. The
PostgreSQL server is a throw-away one the benchmark starts itself with fsync and synchronous
commit on (set RUNLIFT_BENCH_POSTGRES_URL to use another); without PostgreSQL installed that half
is skipped. Run: `.venv/bin/python -m bench.speed [--runners 1000] [--onboarding-runners 200]
[--repeat 3] [--database both] [--bare-transport httpx]` (about 15 minutes on two cores).
`--bare-transport aiohttp` puts the bare bot on runlift's own Bot API client, so the ratio shows
what runlift costs above PTB with the transport held equal.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import psutil

from bench.common import ANSWERS, TOKEN, percentiles, row, start_bot, temp_database
from devtools.localapi import LocalBotApi

IN_FLIGHT = 50
ARRIVAL_RATE = 200.0
STEADY_RATE = 20.0
STEADY_SECONDS = 15.0


@dataclass
class Figures:
    """One bot's figures in one run."""

    start_rate: float = 0.0
    start_latency: dict[str, float] = field(default_factory=dict)
    onboarding_rate: float = 0.0
    onboarded: int = 0
    arrivals: dict[str, float] = field(default_factory=dict)
    steady: dict[str, float] = field(default_factory=dict)
    rss_mb: float = 0.0


# --- runners --------------------------------------------------------------------------------


async def _say(api: LocalBotApi, runner_id: int, text: str, out: list[float]) -> bool:
    loop = asyncio.get_running_loop()
    began = loop.time()
    sent = await api.send_text(runner_id, text)
    replies = await api.wait_for_bot_messages(runner_id, after=sent["message_id"], timeout=60)
    if replies:
        out.append(loop.time() - began)
    return bool(replies)


async def _pool(count: int, in_flight: int, work: Callable[[int], Awaitable[None]]) -> float:
    """Runs work(0..count-1) with `in_flight` at a time; returns the wall time."""
    loop = asyncio.get_running_loop()
    queue = iter(range(count))

    async def worker() -> None:
        for i in queue:
            await work(i)

    began = loop.time()
    await asyncio.gather(*(worker() for _ in range(in_flight)))
    return loop.time() - began


async def start_burst(api: LocalBotApi, first_id: int, runners: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    await api.create_users(range(first_id, first_id + runners))

    async def one(i: int) -> None:
        await _say(api, first_id + i, "/start", latencies)

    wall = await _pool(runners, IN_FLIGHT, one)
    return len(latencies) / wall, latencies


async def onboarding_burst(
    api: LocalBotApi, first_id: int, runners: int
) -> tuple[float, list[float], int]:
    """Every runner types all answers, each after the bot answered the one before."""
    latencies: list[float] = []
    done = 0
    await api.create_users(range(first_id, first_id + runners))

    async def one(i: int) -> None:
        nonlocal done
        for text in ANSWERS:
            if not await _say(api, first_id + i, text, latencies):
                return
        done += 1

    wall = await _pool(runners, IN_FLIGHT, one)
    return len(latencies) / wall, latencies, done


async def paced(api: LocalBotApi, first_id: int, count: int, rate: float) -> list[float]:
    """A /start from a new runner every 1/rate seconds, whatever the bot's backlog."""
    latencies: list[float] = []
    await api.create_users(range(first_id, first_id + count))
    loop = asyncio.get_running_loop()
    began = loop.time()
    tasks = []
    for i in range(count):
        delay = began + i / rate - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(_say(api, first_id + i, "/start", latencies)))
    await asyncio.gather(*tasks)
    return latencies


async def settle(api: LocalBotApi) -> None:
    """Waits until the bot has sent nothing for half a second."""
    last = -1
    while (sent := api.stats()["messages_sent"]) != last:
        last = sent
        await asyncio.sleep(0.5)


# --- the bots -------------------------------------------------------------------------------


class RssWatch:
    """Samples a process's RSS every 100 ms; keeps the peak."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self._task = asyncio.create_task(self._watch())

    async def _watch(self) -> None:
        with contextlib.suppress(psutil.Error):
            while True:
                self.peak = max(self.peak, self.process.memory_info().rss)
                await asyncio.sleep(0.1)

    async def stop(self) -> float:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        return self.peak / 1e6


@contextlib.asynccontextmanager
async def bare_bot(api: LocalBotApi) -> AsyncIterator[int]:
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
        yield process.pid
    finally:
        process.terminate()
        await process.wait()


@contextlib.asynccontextmanager
async def runlift_bot(api: LocalBotApi, database_url: str) -> AsyncIterator[int]:
    bot = await start_bot(api, database_url, QUIET_HOURS="off")
    try:
        await asyncio.sleep(1.0)  # the time-zone index warms up in a thread at start
        yield bot.process.pid
    finally:
        await bot.stop()


async def measure(
    start: Callable[[LocalBotApi], contextlib.AbstractAsyncContextManager[int]],
    runners: int,
    onboarding: int,
) -> Figures:
    """All phases against one bot process, each with its own new runners."""
    api = LocalBotApi()
    await api.start()
    figures = Figures()
    try:
        async with start(api) as pid:
            watch = RssWatch(pid)
            figures.start_rate, latencies = await start_burst(api, 1_000_000, runners)
            figures.start_latency = percentiles(latencies)
            await settle(api)
            rate, _, done = await onboarding_burst(api, 2_000_000, onboarding)
            figures.onboarding_rate, figures.onboarded = rate, done
            await settle(api)
            figures.arrivals = percentiles(await paced(api, 3_000_000, runners, ARRIVAL_RATE))
            await settle(api)
            steady = int(STEADY_RATE * STEADY_SECONDS)
            figures.steady = percentiles(await paced(api, 4_000_000, steady, STEADY_RATE))
            figures.rss_mb = await watch.stop()
    finally:
        await api.stop()
    return figures


# --- database round trips -------------------------------------------------------------------


async def round_trips(database_url: str, runners: int = 20) -> dict[str, float]:
    """Statements + commits + rollbacks per update, by kind, on a small in-process onboarding."""
    from sqlalchemy import event

    from bot.app import build_application
    from bot.config import Settings
    from bot.storage.db import Database

    api = LocalBotApi()
    await api.start()
    db = Database(database_url)
    counts = {"n": 0}

    def count(*_: Any) -> None:
        counts["n"] += 1

    engines = {db.engine, db.read_engine}
    if db.is_sqlite:  # on PostgreSQL it is the engine with an option: counted there
        engines.add(db.peek_engine)
    sync_engines = [engine.sync_engine for engine in engines]
    # SQLite's in-loop reader of the open questions and its writer thread for plain statements
    sync_engines += [e for e in (db.peek_reader, db.statement_writer) if e is not None]
    for sync_engine in sync_engines:
        for name in ("before_cursor_execute", "commit", "rollback"):
            event.listen(sync_engine, name, count)
    settings = Settings(
        telegram_bot_token=TOKEN,
        telegram_api_url=api.url,
        database_url=database_url,
        quiet_hours="off",
    )
    app = build_application(settings, database=db)
    by_step: list[list[int]] = [[] for _ in ANSWERS]
    try:
        async with app:
            assert app.post_init is not None
            await app.post_init(app)
            assert app.updater is not None
            await app.updater.start_polling()
            await app.start()
            await api.create_users(range(5_000_000, 5_000_000 + runners))
            for i in range(runners):
                for step, text in enumerate(ANSWERS):
                    await settle_quick(api)
                    before = counts["n"]
                    await _say(api, 5_000_000 + i, text, [])
                    await settle_quick(api)
                    by_step[step].append(counts["n"] - before)
            await app.updater.stop()
            await app.stop()
    finally:
        await api.stop()
    middle = [n for step in by_step[1:-1] for n in step]
    return {
        "/start": statistics.mean(by_step[0]),
        "answer": statistics.mean(middle),
        "last answer (plan saved)": statistics.mean(by_step[-1]),
    }


async def settle_quick(api: LocalBotApi) -> None:
    last = -1
    while (sent := api.stats()["messages_sent"]) != last:
        last = sent
        await asyncio.sleep(0.05)


# --- PostgreSQL -----------------------------------------------------------------------------


@contextlib.contextmanager
def postgres() -> Any:
    """A throw-away durable PostgreSQL server (fsync on), or RUNLIFT_BENCH_POSTGRES_URL."""
    if url := os.environ.get("RUNLIFT_BENCH_POSTGRES_URL"):
        yield url
        return
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if not bins:
        yield None
        return
    binary = bins[-1]
    folder = Path(tempfile.mkdtemp(prefix="runlift-bench-pg-"))
    root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if root else []
    if root:
        shutil.chown(folder, "postgres")
    data, log = str(folder / "data"), str(folder / "log")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    subprocess.run(
        [*prefix, str(binary / "initdb"), "-D", data, "-A", "trust", "-U", "runlift"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=200"
    subprocess.run(
        [*prefix, str(binary / "pg_ctl"), "-D", data, "-l", log, "-w", "start", "-o", options],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        yield f"postgresql+asyncpg://runlift@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*prefix, str(binary / "pg_ctl"), "-D", str(folder / "data"), "-m", "fast", "stop"],
            check=False,
            stdout=subprocess.DEVNULL,
        )
        shutil.rmtree(folder, ignore_errors=True)


async def fresh_postgres(base_url: str) -> str:
    """A new empty database on the server for one run."""
    import asyncpg

    plain = base_url.replace("postgresql+asyncpg://", "postgresql://")
    name = f"bench_{os.getpid()}_{int(asyncio.get_running_loop().time() * 1000)}"
    connection = await asyncpg.connect(plain)
    try:
        await connection.execute(f"CREATE DATABASE {name}")
    finally:
        await connection.close()
    return base_url.rsplit("/", 1)[0] + f"/{name}"


# --- report ---------------------------------------------------------------------------------


def _spread(values: Sequence[float], unit: str = "", scale: float = 1.0) -> str:
    shown = [v * scale for v in values]
    if len(shown) == 1:
        return f"{shown[0]:.0f}{unit}"
    return f"{statistics.median(shown):.0f}{unit} ({min(shown):.0f}–{max(shown):.0f})"


def _ratio(ours: Sequence[float], theirs: Sequence[float]) -> list[float]:
    return [a / b if b else 0.0 for a, b in zip(ours, theirs, strict=True)]


def report(name: str, ours: list[Figures], bare: list[Figures], trips: dict[str, float]) -> None:
    ms = 1000.0
    print(f"\n{name}: {len(ours)} run(s); median (min–max)")
    lines = [
        ("/start answers/s", [f.start_rate for f in ours], [f.start_rate for f in bare], ""),
        (
            "onboarding replies/s",
            [f.onboarding_rate for f in ours],
            [f.onboarding_rate for f in bare],
            "",
        ),
    ]
    for label, a, b, _ in lines:
        print(f"  {label:<34} runlift {_spread(a):>16}   bare PTB {_spread(b):>16}")
    for label, key in (("arrivals 200/s", "arrivals"), ("steady 20/s", "steady")):
        for p in ("p50", "p95", "p99"):
            a = [getattr(f, key)[p] for f in ours]
            b = [getattr(f, key)[p] for f in bare]
            print(
                f"  {label + ' ' + p + ' latency':<34} runlift {_spread(a, ' ms', ms):>16}"
                f"   bare PTB {_spread(b, ' ms', ms):>16}"
            )
    print(
        f"  {'peak RSS':<34} runlift {_spread([f.rss_mb for f in ours], ' MB'):>16}"
        f"   bare PTB {_spread([f.rss_mb for f in bare], ' MB'):>16}"
    )
    onboarded = min(f.onboarded for f in ours)
    print(f"  runners who finished onboarding: {onboarded} or more per run")
    for kind, n in trips.items():
        print(f"  database round trips per update, {kind:<26} {n:.1f}")
    start_ratio = _ratio([f.start_rate for f in ours], [f.start_rate for f in bare])
    onboarding_ratio = _ratio([f.onboarding_rate for f in ours], [f.onboarding_rate for f in bare])
    worst_arrival = max(f.arrivals["p99"] for f in ours) * ms
    worst_steady = max(f.steady["p99"] for f in ours) * ms
    worst_rss = max(f.rss_mb for f in ours)

    def spread(values: list[float]) -> str:
        if len(values) == 1:
            return f"{values[0]:.2f}×"
        return f"{statistics.median(values):.2f}× ({min(values):.2f}–{max(values):.2f})"

    met = min(start_ratio) >= 0.7
    print(row("/start, runlift ÷ bare PTB", spread(start_ratio), "≥ 0.7×", met))
    print(
        row(
            "onboarding, runlift ÷ bare PTB",
            spread(onboarding_ratio),
            "≥ 0.5×",
            min(onboarding_ratio) >= 0.5,
        )
    )
    print(
        row(
            "p99, 1,000 arriving at 200/s (worst run)",
            f"{worst_arrival:.0f} ms",
            "≤ 1000 ms",
            worst_arrival <= 1000,
        )
    )
    steady = f"{worst_steady:.0f} ms"
    print(row("p99 at 20 updates/s (worst run)", steady, "≤ 50 ms", worst_steady <= 50))
    print(row("peak RSS (worst run)", f"{worst_rss:.0f} MB", "≤ 150 MB", worst_rss <= 150))


async def run_database(
    kind: str, base_url: str | None, runners: int, onboarding: int, repeat: int
) -> None:
    ours: list[Figures] = []
    bare: list[Figures] = []
    for attempt in range(repeat):
        if kind == "sqlite":
            url, _ = temp_database()
        else:
            assert base_url is not None
            url = await fresh_postgres(base_url)
        ours.append(await measure(partial(runlift_bot, database_url=url), runners, onboarding))
        bare.append(await measure(bare_bot, runners, onboarding))
        print(
            f"  {kind} run {attempt + 1}: /start {ours[-1].start_rate:.0f} vs "
            f"{bare[-1].start_rate:.0f}/s, onboarding {ours[-1].onboarding_rate:.0f} vs "
            f"{bare[-1].onboarding_rate:.0f}/s",
            flush=True,
        )
    if kind == "sqlite":
        url, _ = temp_database()
    else:
        assert base_url is not None
        url = await fresh_postgres(base_url)
    trips = await round_trips(url)
    report(f"{kind}: {runners} runners per phase, {onboarding} onboarding", ours, bare, trips)


async def main(runners: int, onboarding: int, repeat: int, database: str) -> None:
    load = os.getloadavg()
    print(
        f"speed: {os.cpu_count()} cores, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} "
        "at the start (the machine is shared: compare within a run); the bare bot on "
        f"{os.environ.get('RUNLIFT_BENCH_BARE_TRANSPORT', 'httpx')}",
        flush=True,
    )
    if database in ("sqlite", "both"):
        await run_database("sqlite", None, runners, onboarding, repeat)
    if database in ("postgres", "both"):
        with postgres() as base_url:
            if base_url is None:
                print("\npostgres: not installed here, skipped")
            else:
                await run_database("postgres", base_url, runners, onboarding, repeat)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runners", type=int, default=1000)
    parser.add_argument("--onboarding-runners", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument(
        "--bare-transport",
        choices=("httpx", "aiohttp"),
        default="httpx",
        help="the bare bot's HTTP client: PTB's default (the yardstick) or runlift's own",
    )
    args = parser.parse_args()
    if args.bare_transport == "aiohttp":
        os.environ["RUNLIFT_BENCH_BARE_TRANSPORT"] = "aiohttp"
    asyncio.run(main(args.runners, args.onboarding_runners, args.repeat, args.database))
