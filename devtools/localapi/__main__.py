"""``python -m devtools.localapi``: run the local Bot API server until Ctrl-C or SIGTERM.

A separate process is what the end-to-end tests and ``runlift run`` talk to over HTTP.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys

from devtools.localapi.server import LocalBotApi


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m devtools.localapi", description="Run a local Telegram Bot API server."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081, help="0 picks a free port")
    parser.add_argument("--bot-username", default="runlift_test_bot")
    parser.add_argument(
        "--max-per-second", type=float, default=None, help="overall send limit (Telegram: 30)"
    )
    parser.add_argument(
        "--per-chat-per-second", type=float, default=None, help="per-chat limit (Telegram: 1)"
    )
    parser.add_argument("--per-chat-burst", type=float, default=3.0)
    parser.add_argument(
        "--auto-create-users",
        action="store_true",
        help="accept sends to chats no runner has opened (benchmarks)",
    )
    parser.add_argument("--log-level", default="WARNING")
    return parser


async def _serve(args: argparse.Namespace) -> None:
    api = LocalBotApi(
        bot_username=args.bot_username,
        max_per_second=args.max_per_second,
        per_chat_per_second=args.per_chat_per_second,
        per_chat_burst=args.per_chat_burst,
        auto_create_users=args.auto_create_users,
    )
    port = await api.start(args.host, args.port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    # One line on stdout so a supervising process can read the port it got.
    print(f"local Bot API server listening on http://{args.host}:{port}", flush=True)
    try:
        await stop.wait()
    finally:
        await api.stop()


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and serve until interrupted."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
