"""Telegram handlers: one module per flow, each with `register(app)`.

Order matters inside group 0 (first match wins): flows first, the catch-alls of `common` last.
Before every group, `private_only` stops whatever is not a person in their own private chat
and `input_limits` whatever is too long to read.
"""

from __future__ import annotations

from types import ModuleType

from bot.context import RunliftApplication
from handlers import common, input_limits, private_only


def register(app: RunliftApplication) -> None:
    """Adds the private-chat gate, then every flow's handlers to `app`, catch-alls last."""
    private_only.register(app)
    input_limits.register(app)
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
        "runs",
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
