"""`runlift demo [--port 8080] [--host 127.0.0.1] [--data-dir DIR] [--fresh] [--start-at WHEN]`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

EXIT_CONFIG = 2


def add_parsers(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Registers `demo` on the `runlift` command line."""
    demo = subparsers.add_parser(
        "demo",
        help="try the bot in your browser: no Telegram account, token or network needed",
        description=(
            "Starts a local Bot API server, a local intervals.icu, the real bot and a chat page "
            "on 127.0.0.1. Open the printed URL; each browser tab is another runner. 📎 takes "
            "a plan's .ics or a run file (.fit, .gpx, .tcx); /intervals demo-intervals-key "
            "connects the local intervals.icu."
        ),
    )
    demo.add_argument("--port", type=int, default=8080, help="port of the page (default 8080)")
    demo.add_argument(
        "--host", default="127.0.0.1", help="address the page listens on (default 127.0.0.1)"
    )
    demo.add_argument(
        "--data-dir",
        type=Path,
        default=Path("data"),
        help="folder for the demo database, demo.db (default ./data)",
    )
    demo.add_argument("--fresh", action="store_true", help="start from an empty demo database")
    demo.add_argument(
        "--start-at",
        type=_instant,
        default=None,
        metavar="WHEN",
        help=(
            "start the bot's clock at this instant, e.g. 2026-11-24T09:00:00+00:00 "
            "(default: RUNLIFT_CLOCK_START, else now); it never moves back on a restart"
        ),
    )
    demo.set_defaults(handler=demo_command)


def _instant(text: str) -> datetime:
    """An ISO 8601 instant with its offset: a naive one would depend on the host's zone."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO 8601 instant such as 2026-11-24T09:00:00+00:00"
        ) from None
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError("give an offset, e.g. 2026-11-24T09:00:00+00:00")
    return value


def demo_command(args: argparse.Namespace) -> int:
    """Runs the demo until Ctrl-C; a busy port or a bad setting is one line, not a traceback."""
    from bot.config import ConfigError, load_settings

    try:
        from devtools.demo.supervisor import DemoError, DemoOptions, serve
    except ModuleNotFoundError as error:
        if error.name != "aiohttp":
            raise
        print(
            'runlift: the demo needs its extra: .venv/bin/pip install -e ".[demo]"',
            file=sys.stderr,
        )
        return EXIT_CONFIG
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"runlift: {error}", file=sys.stderr)
        return EXIT_CONFIG
    _configure_logging(settings.log_level)
    options = DemoOptions(
        host=str(args.host),
        port=int(args.port),
        data_dir=Path(args.data_dir),
        fresh=args.fresh,
        start_at=args.start_at or settings.clock_start,
    )
    try:
        asyncio.run(serve(options, settings=settings))
    except KeyboardInterrupt:
        return 0
    except DemoError as error:
        print(f"runlift: {error}", file=sys.stderr)
        return 1
    return 0


def _configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    quiet: dict[str, Any] = {
        "httpx": logging.WARNING,
        "apscheduler": logging.WARNING,
        "aiohttp.access": logging.WARNING,
        "alembic": logging.WARNING,
    }
    for name, value in quiet.items():
        logging.getLogger(name).setLevel(value)
