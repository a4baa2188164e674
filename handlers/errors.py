"""The global error handler: log first, then tell the runner something useful; no traceback."""

from __future__ import annotations

import html
import logging
import re
import traceback

from telegram import Update
from telegram.error import Forbidden, TelegramError

from bot.context import RunliftContext, handled_again_later
from bot.services import set_logging

log = logging.getLogger(__name__)

_URL = re.compile(r"\b(?:https?|webcals?)://[^\s'\"<>]+", re.IGNORECASE)

SORRY = (
    "Sorry — something went wrong on my side. Nothing you sent is lost; "
    "please try again in a moment, or send /help."
)
SAVED_BUT_UNCONFIRMED = (
    "I saved that, but couldn't confirm it just now. No need to send it again: /history shows it."
)
"""After a committed log: asking for it again would store it twice."""


async def _apology(update: Update, context: RunliftContext) -> str:
    """SORRY, unless the runner's message was stored before the failure."""
    message = update.effective_message
    if message is None:
        return SORRY
    try:
        stored = await set_logging.stored_from_message(
            context.services, message.chat_id, message.message_id
        )
    except Exception:
        log.warning("could not tell whether the failed message was stored", exc_info=True)
        return SORRY
    return SAVED_BUT_UNCONFIRMED if stored else SORRY


async def error_handler(update: object, context: RunliftContext) -> None:
    """Logs where it happened and the error; answers the runner politely."""
    error = context.error
    if error is not None and handled_again_later(error):
        log.warning(
            "database out of reach while handling %s; it is handled again later", describe(update)
        )
        return
    log.error("error while handling %s\n%s", describe(update), _traceback(error))
    if isinstance(update, Update):
        if isinstance(error, Forbidden):
            return  # they blocked us; nothing can reach them
        try:
            if update.callback_query is not None:
                await update.callback_query.answer("Sorry, that didn't work. Please try again.")
            elif update.effective_chat is not None:
                await context.bot.send_message(
                    update.effective_chat.id, await _apology(update, context)
                )
        except TelegramError:
            log.warning("could not tell the runner about the error", exc_info=True)
    admin = context.services.settings.admin_chat_id
    if admin is not None:
        try:
            await context.bot.send_message(
                admin,
                f"runlift error: {html.escape(type(error).__name__)}: "
                f"{html.escape(without_urls(str(error)))[:300]}",
            )
        except TelegramError:
            log.warning("could not notify the admin chat", exc_info=True)


def describe(update: object) -> str:
    """Ids and the update's kind only: a log must not hold a runner's name, words or feed URL."""
    if not isinstance(update, Update):
        return type(update).__name__ if update is not None else "a job"
    kind = next((k for k in Update.ALL_TYPES if getattr(update, k, None) is not None), "update")
    chat, user = update.effective_chat, update.effective_user
    return (
        f"update {update.update_id} ({kind}) chat={chat.id if chat else None} "
        f"user={user.id if user else None}"
    )


def without_urls(text: str) -> str:
    """`text` with every link replaced: an error about a calendar feed names its private URL."""
    return _URL.sub("<url>", text)


def _traceback(error: BaseException | None) -> str:
    if error is None:
        return "(no exception)"
    return without_urls("".join(traceback.format_exception(error)).rstrip())
