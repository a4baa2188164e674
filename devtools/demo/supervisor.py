"""Starts and stops the demo in one asyncio process: local Bot API, the real bot, the web page.

The bot is the same `build_application` that `runlift run` starts; only its Bot API URL (the
in-process local server), its database (`<data-dir>/demo.db`) and its clock (an `OffsetClock`
the page can fast-forward) differ. Start order: local server → bot (schema upgrade and command
menu in `post_init`, then polling) → page; stop is the reverse, so no request is left hanging.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web
from pydantic import SecretStr

from bot.config import Settings, make_private_dir
from bot.ports import OffsetClock
from devtools.demo.sample_run import DemoIntervals
from devtools.demo.web import DemoParts, make_web_app
from devtools.localapi import LocalBotApi

log = logging.getLogger(__name__)

DEMO_TOKEN = "123456:demo"
"""A placeholder: the local server accepts any well-formed token; nothing leaves the host."""
DATABASE_FILE = "demo.db"
CLOCK_FILE = "demo-clock.json"
"""The fast-forward offset, kept so a restarted demo does not re-send what it already sent."""
BOT_USERNAME = "runlift_demo_bot"


class DemoError(Exception):
    """A problem the operator can fix (a busy port); the message is one line."""


@dataclass(frozen=True)
class DemoOptions:
    """`runlift demo`'s command-line options."""

    host: str = "127.0.0.1"
    port: int = 8080
    data_dir: Path = Path("data")
    fresh: bool = False
    start_at: datetime | None = None
    """Where the bot's clock starts (tests pin it; a visitor can try any day and hour)."""


class Demo:
    """The three parts of the demo and their lifecycle; `start()` returns the page's URL."""

    def __init__(self, options: DemoOptions, *, settings: Settings | None = None) -> None:
        self.options = options
        self._settings = settings
        self.clock = OffsetClock()
        self.api: LocalBotApi | None = None
        self.intervals: DemoIntervals | None = None
        self.application: Any = None
        self._web: web.AppRunner | None = None
        self._started: list[str] = []
        self._parts: DemoParts | None = None
        self.url = ""

    @property
    def database_path(self) -> Path:
        return self.options.data_dir / DATABASE_FILE

    @property
    def parts(self) -> DemoParts:
        """What the web side works with (only valid once started)."""
        if self._parts is None:
            raise RuntimeError("the demo is not running")
        return self._parts

    def _prepare_data(self) -> None:
        data_dir = self.options.data_dir
        make_private_dir(data_dir)
        if self.options.fresh:
            for name in (
                DATABASE_FILE,
                f"{DATABASE_FILE}-wal",
                f"{DATABASE_FILE}-shm",
                CLOCK_FILE,
            ):
                (data_dir / name).unlink(missing_ok=True)
        saved = _load_offset(data_dir / CLOCK_FILE)
        if saved is not None:
            self.clock.offset = saved
        start_at = self.options.start_at
        if start_at is None:
            return
        if saved is None:
            self.clock.offset = OffsetClock.starting_at(start_at).offset
        elif start_at > self.clock.now():
            self.clock.advance(start_at - self.clock.now())
        else:
            log.warning(
                "--start-at %s ignored: this demo's clock is already at %s and never moves back "
                "(use --fresh to start over)",
                start_at.isoformat(),
                self.clock.now().isoformat(timespec="seconds"),
            )

    def _settings_for(self, api_url: str, intervals_url: str) -> Settings:
        overrides: dict[str, Any] = {
            "telegram_bot_token": SecretStr(DEMO_TOKEN),
            "telegram_api_url": api_url,
            # runs are read from the demo's own intervals.icu (devtools/demo/sample_run.py)
            "intervals_api_url": intervals_url,
            "database_url": f"sqlite+aiosqlite:///{self.database_path.resolve()}",
            "webhook_url": None,
            # The demo serves its own sample feed on 127.0.0.1 (/demo/plan.ics).
            "calendar_allow_private_hosts": True,
        }
        if self._settings is not None:
            return self._settings.model_copy(update=overrides)
        return Settings(**overrides)

    async def start(self) -> str:
        """Starts everything; on a failure part-way, stops what did start and re-raises."""
        try:
            await self._start()
        except BaseException:
            await self.stop()
            raise
        return self.url

    async def _start(self) -> None:
        from telegram import Update

        from bot.app import build_application
        from bot.context import SERVICES_KEY

        self._prepare_data()
        clock = self.clock
        self.api = LocalBotApi(
            bot_username=BOT_USERNAME,
            auto_create_users=True,  # reminders due before a tab reconnects still land
            clock=lambda: clock.now().timestamp(),
        )
        await self.api.start("127.0.0.1", 0)
        self._started.append("api")
        self.intervals = DemoIntervals(clock.now)
        await self.intervals.start("127.0.0.1", 0)

        settings = self._settings_for(self.api.url, self.intervals.url)
        app = build_application(settings, clock=self.clock)
        self.application = app
        await app.initialize()
        self._started.append("initialized")
        if app.post_init is not None:
            await app.post_init(app)
        assert app.updater is not None
        await app.updater.start_polling(allowed_updates=Update.ALL_TYPES, poll_interval=0.0)
        self._started.append("polling")
        await app.start()
        self._started.append("running")

        self._parts = DemoParts(
            api=self.api, application=app, services=app.bot_data[SERVICES_KEY], clock=clock
        )
        runner = web.AppRunner(
            make_web_app(self._parts),
            handle_signals=False,
            access_log=None,
            shutdown_timeout=1.0,
        )
        await runner.setup()
        self._web = runner
        site = web.TCPSite(runner, self.options.host, self.options.port)
        try:
            await site.start()
        except OSError as error:
            raise DemoError(
                f"cannot listen on {self.options.host}:{self.options.port} "
                f"({error.strerror or error}); try another --port"
            ) from None
        port = int(runner.addresses[0][1])
        host = self.options.host
        shown = f"[{host}]" if ":" in host else host
        self.url = f"http://{shown}:{port}/"

    async def stop(self) -> None:
        """Stops the page, then the bot (as `run_polling` would), then the local server."""
        if self._web is not None:
            with contextlib.suppress(Exception):
                await self._web.cleanup()
            self._web = None
        self._parts = None
        app = self.application
        if app is not None:
            if "polling" in self._started and app.updater is not None and app.updater.running:
                with contextlib.suppress(Exception):
                    await app.updater.stop()
            if "running" in self._started and app.running:
                with contextlib.suppress(Exception):
                    await app.stop()
            if "initialized" in self._started:
                with contextlib.suppress(Exception):
                    await app.shutdown()
                if app.post_shutdown is not None:
                    with contextlib.suppress(Exception):
                        await app.post_shutdown(app)
            self.application = None
        if self.api is not None:
            with contextlib.suppress(Exception):
                await self.api.stop()
            self.api = None
        if self.intervals is not None:
            with contextlib.suppress(Exception):
                await self.intervals.stop()
            self.intervals = None
        if self.options.data_dir.exists() and self._started:
            _save_offset(self.options.data_dir / CLOCK_FILE, self.clock.offset)
        self._started.clear()


def _load_offset(path: Path) -> timedelta | None:
    """The clock's offset from the wall clock when the demo last stopped (None: first run).

    It may be negative: a demo started in the past stays in the past, ticking on."""
    try:
        seconds = float(json.loads(path.read_text())["offset_seconds"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return timedelta(seconds=seconds)


def _save_offset(path: Path, offset: timedelta) -> None:
    with contextlib.suppress(OSError):
        path.write_text(json.dumps({"offset_seconds": offset.total_seconds()}))


async def serve(options: DemoOptions, *, settings: Settings | None = None) -> None:
    """Runs the demo until SIGINT or SIGTERM, then stops everything cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    handled: Sequence[signal.Signals] = (signal.SIGINT, signal.SIGTERM)
    for sig in handled:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    demo = Demo(options, settings=settings)
    try:
        url = await demo.start()
        print(f"runlift demo is running: open {url} in your browser (Ctrl-C to stop)", flush=True)
        print(f"  demo database: {demo.database_path}", flush=True)
        await stop.wait()
        print("\nstopping the demo…", flush=True)
    finally:
        await demo.stop()
        for sig in handled:
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(sig)
