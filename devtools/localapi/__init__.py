"""A local Telegram Bot API server for tests, the demo and benchmarks.

Start it in-process (``port = await LocalBotApi().start()``) or as a process
(``python -m devtools.localapi --port 8081``), then point PTB at ``<url>/bot`` and
``<url>/file/bot``.
"""

from devtools.localapi.server import LocalBotApi
from devtools.localapi.state import BotApiError, Fault, RateLimits

__all__ = ["BotApiError", "Fault", "LocalBotApi", "RateLimits"]
