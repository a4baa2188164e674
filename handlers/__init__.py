"""Telegram handlers: one module per flow, each with `register(app)`.

Order matters inside group 0 (first match wins): flows first, the catch-alls of `common` last.
"""

from __future__ import annotations

from types import ModuleType

from bot.context import RunliftApplication
from handlers import common


def register(app: RunliftApplication) -> None:
    """Adds every flow's handlers to `app`, catch-alls last."""
    for flow in _flows():
        flow.register(app)
    common.register(app)


def _flows() -> list[ModuleType]:
    """The flow modules in priority order (imported lazily to keep start-up cheap)."""
    import importlib

    names = [
        "onboarding",
        "settings",
        "plan_view",
        "calendar",
        "reminders",
        "session_actions",
        "set_logging",
        "progress",
        "adapt",
        "router",
    ]
    modules = []
    for name in names:
        try:
            modules.append(importlib.import_module(f"handlers.{name}"))
        except ModuleNotFoundError as error:
            if error.name != f"handlers.{name}":
                raise
    return modules
