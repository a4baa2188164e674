"""Replicas behind HAProxy on loopback, for the replica fault trial and the balancer benchmark.

What `scripts/cluster.sh` starts for a developer, driven from Python so a trial can kill a
replica with -9 and stop PostgreSQL mid-burst: a throw-away PostgreSQL (scripts/postgres.sh),
`runlift db upgrade` once, N × `runlift run` each in an empty directory with only the settings
deploy/README.md lists, and HAProxy with deploy/haproxy.cfg rebound to free ports. Telegram is
played by `WebhookTelegram`: the local Bot API delivering webhook updates through the balancer
as Telegram does (one chat's next update after the previous one's 200, chats in parallel,
retries with backoff) and re-delivering some on purpose.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import glob
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from bench.common import RunliftProcess
from devtools.localapi import LocalBotApi
from devtools.localapi.state import PendingUpdate

ROOT = Path(__file__).resolve().parents[1]
HAPROXY_CFG = ROOT / "deploy" / "haproxy.cfg"
POSTGRES_SH = ROOT / "scripts" / "postgres.sh"
TOKEN = "123456:replica-trial-token"
SECRET = "replica-trial-secret-0123456789-abcdefghijkl"
PUBLIC_URL = "https://runlift.invalid"
"""WEBHOOK_URL as an operator sets it (no path); Telegram here is told to post to HAProxy."""


def missing_tools() -> str | None:
    """Why the cluster cannot run here, or None."""
    if shutil.which("haproxy") is None:
        return "haproxy is not installed (apt-get install haproxy)"
    if not glob.glob("/usr/lib/postgresql/*/bin"):
        return "PostgreSQL is not installed (apt-get install postgresql)"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rebind(config: str, frontend_port: int, replica_ports: Sequence[int]) -> str:
    """deploy/haproxy.cfg on loopback: the frontend on `frontend_port`, one `server` line per
    replica port (the first line's options kept)."""
    config = re.sub(r"(?m)^(\s*bind\s+)\S+", rf"\g<1>127.0.0.1:{frontend_port}", config)
    servers = re.findall(r"(?m)^(\s*)server\s+\S+\s+\S+(.*)$", config)
    indent, options = servers[0]
    lines = "".join(
        f"{indent}server replica{i + 1} 127.0.0.1:{port}{options}\n"
        for i, port in enumerate(replica_ports)
    )
    config = re.sub(r"(?m)^\s*server\s+.*\n?", "", config)
    return config.rstrip("\n") + "\n" + lines


@dataclass
class Postgres:
    """A throw-away server: stopped and started again (data kept) for an outage."""

    directory: str
    url: str

    @classmethod
    async def start(cls) -> Postgres:
        out = await _run("bash", str(POSTGRES_SH), "start")
        found = dict(re.findall(r"export (\w+)=(\S+)", out))
        return cls(found["RUNLIFT_PG_DIR"], found["RUNLIFT_TEST_POSTGRES_URL"])

    async def down(self) -> None:
        await _run("bash", str(POSTGRES_SH), "down", self.directory)

    async def up(self) -> None:
        await _run("bash", str(POSTGRES_SH), "up", self.directory)

    async def stop(self) -> None:
        await _run("bash", str(POSTGRES_SH), "stop", self.directory)


async def _run(*command: str, env: dict[str, str] | None = None) -> str:
    process = await asyncio.create_subprocess_exec(
        *command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    out, err = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"{command[:3]} failed: {err.decode(errors='replace')[-800:]}")
    return out.decode()


@dataclass
class Replica(RunliftProcess):
    """One replica behind the balancer, on its own webhook port."""

    port: int = 0

    async def stop(self, timeout: float = 20) -> int:
        return await super().stop(timeout)


@dataclass
class Cluster:
    """N replicas and HAProxy against `api_url` and `database_url`."""

    api_url: str
    database_url: str
    replicas: int = 3
    public_url: str = PUBLIC_URL
    """WEBHOOK_URL; `scripts/cluster.sh` gives the balancer's own URL, so the local Bot API
    posts its updates there as Telegram would."""
    env: dict[str, str] = field(default_factory=dict)
    """The clock, quiet-hours, delay, time-zone and log settings, as an operator may set them."""
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="runlift-cl-")))
    running: list[Replica] = field(default_factory=list)
    frontend_port: int = 0
    haproxy: asyncio.subprocess.Process | None = None

    @property
    def frontend(self) -> str:
        return f"http://127.0.0.1:{self.frontend_port}"

    def _environment(self, port: int | None) -> dict[str, str]:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": self.api_url,
            "DATABASE_URL": self.database_url,
            **self.env,
        }
        if port is not None:
            env.update(
                WEBHOOK_URL=self.public_url,
                WEBHOOK_SECRET=SECRET,
                WEBHOOK_LISTEN="127.0.0.1",
                WEBHOOK_PORT=str(port),
            )
        return env

    async def start(self) -> None:
        """`runlift db upgrade` once, the replicas (each in an empty directory), HAProxy."""
        upgrade_dir = self.workdir / "upgrade"
        upgrade_dir.mkdir(parents=True)
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "db", "upgrade", cwd=upgrade_dir,
            env=self._environment(None), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        _, err = await process.communicate()
        if process.returncode != 0:
            raise RuntimeError(f"runlift db upgrade failed: {err.decode()[-800:]}")
        ports = [free_port() for _ in range(self.replicas)]
        await asyncio.gather(*(self.start_replica(port) for port in ports))
        self.frontend_port = self.frontend_port or free_port()
        config = self.workdir / "haproxy.cfg"
        config.write_text(rebind(HAPROXY_CFG.read_text(), self.frontend_port, ports))
        self.haproxy = await asyncio.create_subprocess_exec(
            "haproxy", "-db", "-f", str(config),
            stdout=subprocess.DEVNULL, stderr=(self.workdir / "haproxy.log").open("wb"),
        )  # fmt: skip
        await _until_healthy(f"{self.frontend}/healthz", lambda: self.haproxy_running)

    @property
    def haproxy_running(self) -> bool:
        return self.haproxy is not None and self.haproxy.returncode is None

    async def start_replica(self, port: int) -> Replica:
        folder = self.workdir / f"replica-{port}"
        folder.mkdir(parents=True)
        log_path = self.workdir / f"replica-{port}.log"
        with log_path.open("wb") as log_file:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", cwd=folder, env=self._environment(port),
                stdout=log_file, stderr=subprocess.STDOUT,
            )  # fmt: skip
        replica = Replica(process, log_path, port)
        self.running.append(replica)
        await _until_healthy(f"http://127.0.0.1:{port}/healthz", lambda: replica.running)
        return replica

    async def stop(self) -> None:
        if self.haproxy is not None and self.haproxy.returncode is None:
            self.haproxy.terminate()
            await self.haproxy.wait()
        await asyncio.gather(*(replica.stop() for replica in self.running))

    def logs(self) -> str:
        return "\n".join(f"--- replica {r.port}\n{r.log()[-3000:]}" for r in self.running)


async def _until_healthy(url: str, alive: Any, within: float = 60) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as session:
        while loop.time() < deadline:
            if not alive():
                raise RuntimeError(f"exited before {url} answered")
            try:
                async with session.get(url) as response:
                    if response.status == 200:
                        return
            except (aiohttp.ClientError, TimeoutError):
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} not healthy within {within} s")


class WebhookTelegram(LocalBotApi):
    """The local Bot API posting webhook updates to `target` (the balancer) like Telegram: a
    chat's next update once the previous one got a 200, chats in parallel, retries with backoff
    on anything else; and a `duplicate_rate` share of updates posted again 0–3 s after their
    200, as Telegram does when a 200 got lost."""

    def __init__(self, *, duplicate_rate: float = 0.06, seed: int = 1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.target = ""
        self.duplicate_rate = duplicate_rate
        self.random = random.Random(seed)
        self.duplicates = 0
        self.refused = 0
        """Deliveries answered non-200 or not at all (then retried)."""
        self.delivery_times: list[float] = []
        """When each update's first delivery began (the loop's clock): the offered load."""
        self._again: set[asyncio.Task[None]] = set()

    async def _deliver(
        self,
        session: aiohttp.ClientSession,
        semaphore: asyncio.Semaphore,
        previous: asyncio.Task[None] | None,
        update: PendingUpdate,
    ) -> None:
        if previous is not None and not previous.done():
            await asyncio.wait([previous])
        self.delivery_times.append(asyncio.get_running_loop().time())
        await self._post(session, semaphore, update)
        self._inflight.pop(update.update_id, None)
        self.webhook_deliveries += 1
        if self.random.random() < self.duplicate_rate:
            self.duplicates += 1
            task = asyncio.create_task(self._post_again(session, semaphore, update))
            self._again.add(task)
            task.add_done_callback(self._again.discard)

    async def _post_again(
        self, session: aiohttp.ClientSession, semaphore: asyncio.Semaphore, update: PendingUpdate
    ) -> None:
        await asyncio.sleep(self.random.uniform(0, 3))
        with contextlib.suppress(RuntimeError):  # the server stopped meanwhile
            await self._post(session, semaphore, update)

    async def _post(
        self, session: aiohttp.ClientSession, semaphore: asyncio.Semaphore, update: PendingUpdate
    ) -> None:
        url = self.target + urlsplit(self.webhook_url).path
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook_secret or ""}
        delay = 0.1
        while True:
            async with semaphore:
                try:
                    async with session.post(
                        url,
                        json=update.payload,
                        headers=headers,
                        timeout=aiohttp.ClientTimeout(10),
                    ) as response:
                        if response.status == 200:
                            return
                except (aiohttp.ClientError, TimeoutError):
                    pass
            self.refused += 1
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)


@contextlib.contextmanager
def no_collection_pauses() -> Iterator[None]:
    """No garbage collection in this process while a trial measures: the local Bot API here
    stamps each send as it reads it, and a full collection (0.14 s after 300 runners' chats, in
    `bench.replicas`) left the sends that reached it meanwhile stamped together, four within
    6 ms: a busiest second the replicas never sent."""
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


def busiest_second(times: Sequence[float], window: float = 1.0) -> int:
    """Most sends in any sliding `window`-s window (times in seconds, any origin)."""
    ordered = sorted(times)
    best = start = 0
    for end, at in enumerate(ordered):
        while at - ordered[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


@dataclass
class Answered:
    """One answer's round trip as the runner saw it."""

    sent_at: float
    latency: float


async def onboard(
    api: LocalBotApi,
    runner_id: int,
    answers: Sequence[str],
    out: list[Answered],
    *,
    back_to_back: bool = False,
    think: float = 0.3,
    within: float = 120,
) -> None:
    """A newcomer types the onboarding: one answer per question, or (`back_to_back`) three
    answers at a time without waiting for the questions in between."""
    loop = asyncio.get_running_loop()
    chunk = 3 if back_to_back else 1
    for start in range(0, len(answers), chunk):
        texts = answers[start : start + chunk]
        first = None
        for text in texts:
            sent = await api.send_text(runner_id, text)
            first = first or int(sent["message_id"])
            began = loop.time()
            if back_to_back:
                await asyncio.sleep(0.05)
        assert first is not None
        replies = await api.wait_for_bot_messages(
            runner_id, after=first, timeout=within, count=len(texts)
        )
        if len(replies) < len(texts):
            raise AssertionError(f"runner {runner_id}: no answer to {texts!r} in {within} s")
        out.append(Answered(began, loop.time() - began))
        await asyncio.sleep(think * api_random(runner_id, start))
    for _ in range(int(within)):
        history = await api.history(runner_id)
        if any("all set" in str(m.get("text")).lower() for m in history if m["from_bot"]):
            return
        await asyncio.sleep(1)
    raise AssertionError(f"runner {runner_id} never got a plan")


def api_random(runner_id: int, step: int) -> float:
    """A runner's think time factor, 0.5–1.5, the same on every run."""
    return 0.5 + random.Random(runner_id * 100 + step).random()


def transcript(history: Sequence[dict[str, Any]]) -> list[str]:
    """What the bot said in a chat, without what differs between runners (names, numbers)."""
    return [
        re.sub(r"\d+", "#", str(m.get("text") or m.get("caption")))[:80]
        for m in history
        if m["from_bot"]
    ]


async def _serve_for_a_developer(replicas: int, api_port: int, frontend_port: int) -> None:
    """What `scripts/cluster.sh` runs: everything up until Ctrl-C, then everything down."""
    postgres = await Postgres.start()
    api = LocalBotApi(auto_create_users=True)
    await api.start("127.0.0.1", api_port)
    cluster = Cluster(
        api.url,
        postgres.url,
        replicas=replicas,
        public_url=f"http://127.0.0.1:{frontend_port}",
        frontend_port=frontend_port,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await cluster.start()
        ports = ", ".join(str(r.port) for r in cluster.running)
        print(
            f"PostgreSQL   {postgres.url}\n"
            f"Bot API      {api.url}  (a runner types: curl -X POST "
            f"{api.url}/_user/1001/messages -H 'content-type: application/json' "
            """-d '{"text": "/start"}'; reads: curl """
            f"{api.url}/_user/1001/history)\n"
            f"HAProxy      {cluster.frontend}  ->  replicas on {ports} "
            f"(logs in {cluster.workdir})\n"
            "Ctrl-C stops everything.",
            flush=True,
        )
        await stop.wait()
    finally:
        await cluster.stop()
        await api.stop()
        await postgres.stop()


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="scripts/cluster.sh",
        description="PostgreSQL, the local Bot API, N replicas and HAProxy on loopback.",
    )
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--api-port", type=int, default=8081)
    parser.add_argument("--port", type=int, default=8443, help="HAProxy's frontend")
    args = parser.parse_args()
    reason = missing_tools()
    if reason is not None:
        print(f"cluster: {reason}", file=sys.stderr)
        return 2
    asyncio.run(_serve_for_a_developer(args.replicas, args.api_port, args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
