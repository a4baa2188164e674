"""Private chats only: the gate every update passes before any flow sees it.

A runner's plan, reminders and exports belong in their private chat. Served in a group, `/start`
would move their stored chat there and broadcast their training to everyone in it. Telegram also
shows every anonymous group admin as one shared user (and channels speak as `sender_chat`), so
such an update names nobody in particular and must never act on a runner's data.

In a group the bot says, at most once an hour and only when spoken to, that it coaches in
private; everything else outside a private chat is dropped without a word.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from datetime import datetime, timedelta

from telegram import (
    Chat,
    ChatMember,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ChatID
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.context import RunliftApplication, RunliftContext

log = logging.getLogger(__name__)

GATE_GROUP = -100
"""Below every flow's group (onboarding and the calendar use -1 and -2)."""

PRIVATE_ONLY = "I coach in private chats — message me directly."
BUTTONS_PRIVATE_ONLY = "I only work in our private chat."
NOTICE_EVERY = timedelta(hours=1)
"""A group hears the pointer at most this often, however often it is spoken to."""
NOTICED_CHATS = 10_000
"""Groups remembered for that pause (the oldest are forgotten first)."""

SHARED_SENDERS = frozenset({ChatID.ANONYMOUS_ADMIN, ChatID.SERVICE_CHAT, ChatID.FAKE_CHANNEL})
"""User ids Telegram puts on messages that no single person sent."""

_GROUPS = (Chat.GROUP, Chat.SUPERGROUP)
_JOINED = (ChatMember.MEMBER, ChatMember.ADMINISTRATOR)


def is_served(update: Update) -> bool:
    """Whether a flow may act on `update`: a person in their own private chat."""
    if update.channel_post is not None or update.edited_channel_post is not None:
        return False
    message = update.effective_message
    if message is not None and message.sender_chat is not None:
        return False
    user, chat = update.effective_user, update.effective_chat
    if user is not None and user.id in SHARED_SENDERS:
        return False
    return chat is None or chat.type == Chat.PRIVATE


class PrivateChatGate:
    """The gate's callback; remembers when it last spoke in each group."""

    def __init__(self) -> None:
        self._noticed: OrderedDict[int, datetime] = OrderedDict()

    async def __call__(self, update: object, context: RunliftContext) -> None:
        if not isinstance(update, Update) or is_served(update):
            return
        try:
            await self._answer(update, context)
        except TelegramError as error:  # a group that bars the bot from writing, say
            log.info("could not point chat %s to private: %s", _chat_id(update), error)
        raise ApplicationHandlerStop

    async def _answer(self, update: Update, context: RunliftContext) -> None:
        if update.callback_query is not None:
            await update.callback_query.answer(BUTTONS_PRIVATE_ONLY)
            return
        chat = update.effective_chat
        if chat is None or chat.type not in _GROUPS:
            return
        joined = update.my_chat_member
        message = update.message
        if joined is not None:
            spoken_to = joined.new_chat_member.status in _JOINED
        else:
            spoken_to = message is not None and _addressed_to(message, context)
        if not spoken_to or not self._may_notice(chat.id, context.services.clock.now()):
            return
        username = context.bot.username
        markup = (
            InlineKeyboardMarkup(
                [[InlineKeyboardButton("Message me", url=f"https://t.me/{username}")]]
            )
            if username
            else None
        )
        if message is not None:
            await message.reply_text(PRIVATE_ONLY, reply_markup=markup)
        else:
            await context.bot.send_message(chat.id, PRIVATE_ONLY, reply_markup=markup)

    def _may_notice(self, chat_id: int, now: datetime) -> bool:
        last = self._noticed.get(chat_id)
        if last is not None and now - last < NOTICE_EVERY:
            return False
        self._noticed[chat_id] = now
        self._noticed.move_to_end(chat_id)
        while len(self._noticed) > NOTICED_CHATS:
            self._noticed.popitem(last=False)
        return True


def _addressed_to(message: Message, context: RunliftContext) -> bool:
    """A command for this bot, a mention of it, or a reply to one of its messages."""
    username = (context.bot.username or "").lower()
    text = message.text or message.caption or ""
    if text.startswith("/"):
        _, at, target = text.split(maxsplit=1)[0].partition("@")
        return not at or target.lower() == username
    if username and f"@{username}" in text.lower():
        return True
    reply = message.reply_to_message
    return bool(reply and reply.from_user and reply.from_user.id == context.bot.id)


def _chat_id(update: Update) -> int | None:
    return update.effective_chat.id if update.effective_chat else None


def register(app: RunliftApplication) -> None:
    app.add_handler(TypeHandler(Update, PrivateChatGate()), group=GATE_GROUP)
