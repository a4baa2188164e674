"""The `runlift` command line (`python -m bot` is the same): run, db upgrade, plan, demo …

A missing or malformed setting prints one clear line and exits non-zero, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

from bot import __version__, log_redaction
from bot.config import MAKE_A_SECRET, ConfigError, Settings, load_settings

EXIT_CONFIG = 2

_EXTENSIONS = ("bot.cli_plan", "bot.cli_export", "devtools.demo.cli")
"""Modules that add subcommands through `add_parsers(subparsers)`."""


def _require_token(settings: Settings) -> None:
    if settings.telegram_bot_token is None or not settings.telegram_bot_token.get_secret_value():
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather "
            "(https://t.me/BotFather) and put it in .env or the environment."
        )
    token = settings.telegram_bot_token.get_secret_value()
    head, _, tail = token.partition(":")
    if not head.isdigit() or not tail:
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN looks malformed: it should read like 123456789:AAE…, "
            "exactly as @BotFather gave it."
        )


def _require_webhook_secret(settings: Settings) -> str:
    """The webhook's own secret: a header that leaks (proxy logs) must not leak the token."""
    if settings.webhook_secret is None:
        raise ConfigError(
            "WEBHOOK_SECRET is not set but WEBHOOK_URL is: make one with "
            f"{MAKE_A_SECRET} and put it in .env or the environment."
        )
    return settings.webhook_secret.get_secret_value()


def run_command(args: argparse.Namespace) -> int:
    """Runs the bot: long polling, or a webhook server when WEBHOOK_URL is set."""
    settings = load_settings()
    _require_token(settings)
    secret = _require_webhook_secret(settings) if settings.webhook_url else None
    assert settings.telegram_bot_token is not None  # _require_token checked it
    token = settings.telegram_bot_token.get_secret_value()
    _configure_logging(settings.log_level)
    log_redaction.install(token)
    from telegram import Update
    from telegram.error import InvalidToken

    from bot.app import build_application
    from bot.ports import OffsetClock

    clock = None
    if settings.clock_start is not None:
        clock = OffsetClock.starting_at(settings.clock_start)
        logging.getLogger("runlift").warning(
            "RUNLIFT_CLOCK_START: the clock starts at %s (for tests and the demo only)",
            settings.clock_start.isoformat(),
        )
    app = build_application(settings, clock=clock)
    # PTB logs a traceback naming the token before it re-raises; the line below replaces it
    logging.getLogger("telegram.ext").addFilter(_without_invalid_token_traceback)
    try:
        _serve(app, settings, token, secret, Update.ALL_TYPES)
    except InvalidToken:
        raise ConfigError(
            f"the Bot API at {settings.telegram_api_url} refused TELEGRAM_BOT_TOKEN (401/404): "
            "check the token with @BotFather (it may have been revoked) and TELEGRAM_API_URL."
        ) from None
    return 0


def _serve(app: Any, settings: Settings, token: str, secret: str | None, updates: Any) -> None:
    """Long polling, or the webhook listener when WEBHOOK_URL is set; returns when stopped."""
    # What is alive now (modules, PTB, the catalogue) lives as long as the process. Frozen, a
    # full collection no longer walks it: unfrozen, one took ~0.1 s, and the sends waiting
    # behind it reached the Bot API together (`bot.inbox.SHARED_SENDS_PER_SECOND`).
    gc.collect()
    gc.freeze()
    if settings.webhook_url:
        from bot import webhook

        assert secret is not None  # _require_webhook_secret checked it
        inbox = None
        if settings.replicas:
            # replicas on one database: store, then handle each chat's updates in order
            from bot.context import SERVICES_KEY
            from bot.inbox import InboxDrainer

            inbox = InboxDrainer(app, app.bot_data[SERVICES_KEY].db)
        asyncio.run(
            webhook.serve(
                app,
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                webhook_url=settings.webhook_url,
                bot_id=token.split(":")[0],
                secret=secret,
                inbox=inbox,
            )
        )
    else:
        app.run_polling(allowed_updates=updates)


def _without_invalid_token_traceback(record: logging.LogRecord) -> bool:
    """Drops PTB's "Invalid token. Aborting retry loop." traceback: `run` says it in one line."""
    from telegram.error import InvalidToken

    return not (record.exc_info and isinstance(record.exc_info[1], InvalidToken))


def db_upgrade_command(args: argparse.Namespace) -> int:
    """Brings the database schema up to date."""
    settings = load_settings()
    _configure_logging(settings.log_level)
    from bot.storage.db import Database

    async def upgrade() -> str | None:
        db = Database(settings.database_url)
        try:
            await db.upgrade()
            return await db.current_revision()
        finally:
            await db.dispose()

    revision = asyncio.run(upgrade())
    print(f"database is at revision {revision}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="runlift",
        description="A Telegram coach that fits strength training around a runner's week.",
    )
    parser.add_argument("--version", action="version", version=f"runlift {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser(
        "run", help="run the bot (long polling, or webhook if WEBHOOK_URL is set)"
    )
    run.set_defaults(handler=run_command)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = db_sub.add_parser("upgrade", help="upgrade the schema to the latest version")
    upgrade.set_defaults(handler=db_upgrade_command)

    for name in _EXTENSIONS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        add: Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]
        add = module.add_parsers
        add(sub)
    return parser


def _configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # At DEBUG, PTB logs every update and Bot API call whole and aiosqlite every statement with
    # its parameters: runners' names, words and feed links, which would outlive /delete in the
    # operator's log. Those two never log below INFO.
    for echoing in ("telegram", "aiosqlite"):
        logging.getLogger(echoing).setLevel(max(logging.INFO, logging.getLevelName(level)))
    if level != "DEBUG":
        logging.getLogger("alembic").setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0
    try:
        return int(handler(args))
    except ConfigError as error:
        print(f"runlift: {log_redaction.redact(str(error))}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # the operator gets one line; details go to the log
        logging.getLogger("runlift").debug("fatal", exc_info=True)
        print(f"runlift: {log_redaction.redact(_describe(error))}", file=sys.stderr)
        return 1


def _describe(error: Exception) -> str:
    """One line for failures operators cause: an unreachable database, a bad URL …"""
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    name = type(error).__name__
    if (
        "sqlalchemy" in type(error).__module__
        or "asyncpg" in type(error).__module__
        or isinstance(error, (OSError, ConnectionError))
    ):
        return f"cannot open the database ({name}: {text[:200]}); check DATABASE_URL"
    return f"{name}: {text[:300]} (run with LOG_LEVEL=DEBUG for details)"


if __name__ == "__main__":
    sys.exit(main())
