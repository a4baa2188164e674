"""The types the Telegram adapters share: a typed CallbackContext (handlers reach the services as
`context.services`) and `Outgoing`, a message the handlers write and the scheduler sends."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
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


class Attempt:
    """One try at handling a stored webhook update (`bot.inbox`): the error handler asks it
    whether a failure means "try again later" rather than "tell the runner"."""

    def __init__(self, later: Callable[[BaseException], bool], *, tries: int = 0) -> None:
        self._later = later
        self.deferred = False
        self.tries = tries
        """Earlier tries at this update: one of them may have saved its effects, then died."""

    def defer_if_outage(self, error: BaseException) -> bool:
        """True (and the update is handled again later) when the database was out of reach."""
        if self.deferred or self._later(error):
            self.deferred = True
        return self.deferred


CURRENT_ATTEMPT: ContextVar[Attempt | None] = ContextVar("runlift_attempt", default=None)


def handled_again_later(error: BaseException) -> bool:
    """Whether the update that failed with `error` will be handled again (a replica's update
    met a database outage): then the runner hears nothing now, and the real answer later."""
    attempt = CURRENT_ATTEMPT.get()
    return attempt is not None and attempt.defer_if_outage(error)


def tried_before() -> bool:
    """Whether an earlier try at this update may have saved its effects before its answer was
    lost (a replica killed, the database gone between the commit and the send): a handler
    whose work is already done then sends the answer that work deserved."""
    attempt = CURRENT_ATTEMPT.get()
    return attempt is not None and attempt.tries > 0
