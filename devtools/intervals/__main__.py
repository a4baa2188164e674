"""`python -m devtools.intervals`: serve the local intervals.icu until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys

from devtools.intervals.server import LocalIntervals


async def _serve(host: str, port: int, keys: list[str]) -> None:
    server = LocalIntervals()
    for key in keys:
        server.add_athlete(key)
    port = await server.start(host, port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    # One line on stdout so a supervising process can read the port it got.
    print(f"local intervals.icu listening on http://{host}:{port}", flush=True)
    try:
        await stop.wait()
    finally:
        await server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m devtools.intervals", description="Run a local intervals.icu."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8091, help="0 picks a free port")
    parser.add_argument("--key", action="append", default=[], help="an athlete's API key")
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args.host, args.port, args.key))
    return 0


if __name__ == "__main__":
    sys.exit(main())
