"""`runlift export --runner ID`: a runner's data as CSV or JSON, for the person running the bot."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.core.catalogue.loader import load_catalogue
from bot.ports import SystemClock
from bot.services import progress
from bot.services.container import Services
from bot.storage.db import Database


def export_command(args: argparse.Namespace) -> int:
    """Prints (or writes) the export; exit 1 when there is no such runner."""
    from bot.config import load_settings

    settings = load_settings()

    async def run() -> str | None:
        db = Database(settings.database_url)
        try:
            await db.upgrade()
            services = Services(
                settings=settings, db=db, clock=SystemClock(), catalogue=load_catalogue()
            )
            if args.format == "json":
                return await progress.export_json(services, args.runner)
            return await progress.export_csv(services, args.runner)
        finally:
            await db.dispose()

    text = asyncio.run(run())
    if text is None:
        print(f"runlift: no runner with id {args.runner}", file=sys.stderr)
        return 1
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def add_parsers(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("export", help="export one runner's data as CSV or JSON")
    parser.add_argument("--runner", type=int, required=True, help="the runner's Telegram id")
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.add_argument("--output", help="write to this file instead of standard output")
    parser.set_defaults(handler=export_command)
