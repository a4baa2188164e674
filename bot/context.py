"""A typed CallbackContext: handlers reach the services as `context.services`."""

from __future__ import annotations

from typing import Any, cast

from telegram.ext import Application, CallbackContext, ExtBot

from bot.services.container import Services

SERVICES_KEY = "services"


class RunliftContext(
    CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]
):
    """Adds typed access to what `bot.app` put in `bot_data`."""

    @property
    def services(self) -> Services:
        return cast(Services, self.bot_data[SERVICES_KEY])


RunliftApplication = Application[
    ExtBot[None], RunliftContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any
]
