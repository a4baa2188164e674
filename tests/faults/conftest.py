"""Fault trials reuse the end-to-end fixtures: the local Bot API server, the real bot process."""

from tests.e2e.conftest import bot_clock, client, local_api, start_bot

__all__ = ["bot_clock", "client", "local_api", "start_bot"]
