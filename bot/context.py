"""The types the Telegram adapters share: a typed CallbackContext (handlers reach the services as
`context.services`) and `Outgoing`, a message the handlers write and the scheduler sends."""

from __future__ import annotations

from typing import Any, NamedTuple, cast

from telegram import InlineKeyboardMarkup
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


class Outgoing(NamedTuple):
    """One message: a photo with `text` as its caption when there is a photo (and the text fits
    a caption), else the text alone."""

    text: str
    markup: InlineKeyboardMarkup | None = None
    photo: bytes | None = None
