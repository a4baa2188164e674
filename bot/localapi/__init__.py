"""A local Telegram Bot API server for tests, the demo and benchmarks.

Start it in-process (``port = await LocalBotApi().start()``) or as a process
(``python -m bot.localapi --port 8081``), then point PTB at ``<url>/bot`` and ``<url>/file/bot``.
"""

from bot.localapi.server import LocalBotApi
from bot.localapi.state import BotApiError, Fault, RateLimits

__all__ = ["BotApiError", "Fault", "LocalBotApi", "RateLimits"]
