"""What the local Bot API server remembers: users, chats, messages, files, limits and faults.

Everything is a plain dict or deque keyed by chat so each request does O(1) work even with
10,000 simulated runners; nothing here does I/O.
"""

from __future__ import annotations

import asyncio
import html
import math
from collections import deque
from dataclasses import dataclass, field
from typing import Any

JSONDict = dict[str, Any]

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
"""Telegram's exact wording, so a bot matching on it in production matches here too."""


class BotApiError(Exception):
    """An error answer in the Bot API's shape: ``{"ok": false, "error_code", "description"}``."""

    def __init__(
        self, error_code: int, description: str, *, retry_after: int | None = None
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> JSONDict:
        """The JSON body Telegram would send for this error."""
        body: JSONDict = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(detail: str) -> BotApiError:
    """A 400 with Telegram's ``Bad Request:`` prefix."""
    return BotApiError(400, f"Bad Request: {detail}")


@dataclass(slots=True)
class UserRecord:
    """A simulated runner; their private chat with the bot has ``chat.id == user.id``."""

    id: int
    first_name: str
    username: str | None = None
    last_name: str | None = None
    language_code: str | None = "en"
    blocked: bool = False


@dataclass(slots=True)
class FileRecord:
    """An uploaded file, served back at ``/file/bot<token>/<file_path>``."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    mime_type: str
    file_name: str | None
    width: int = 0
    height: int = 0


@dataclass(slots=True)
class StoredMessage:
    """One message in a private chat, in either direction, with its current content."""

    message_id: int
    chat_id: int
    from_bot: bool
    date: int
    text: str | None = None
    entities: list[JSONDict] = field(default_factory=list)
    parse_mode: str | None = None
    raw_text: str | None = None
    caption: str | None = None
    caption_entities: list[JSONDict] = field(default_factory=list)
    reply_markup: JSONDict | None = None
    reply_to_message_id: int | None = None
    edit_date: int | None = None
    edits: int = 0
    photo: list[JSONDict] | None = None
    document: JSONDict | None = None
    file_path: str | None = None
    location: JSONDict | None = None
    deleted: bool = False
    callback_answers: list[JSONDict] = field(default_factory=list)
    payload: JSONDict = field(default_factory=dict)
    """The Bot API ``Message`` JSON, rebuilt from PTB's classes on every change."""

    def content_key(self) -> tuple[Any, ...]:
        """What ``message is not modified`` compares."""
        return (self.text, self.entities, self.caption, self.caption_entities, self.reply_markup)

    def view(self, file_base: str) -> JSONDict:
        """The flat shape the user-side API, the demo and tests read."""
        out: JSONDict = {
            "message_id": self.message_id,
            "chat_id": self.chat_id,
            "from_bot": self.from_bot,
            "date": self.date,
            "text": self.text,
            "entities": self.entities,
            "parse_mode": self.parse_mode,
            "raw_text": self.raw_text,
            "text_html": _as_html(self.text, self.entities, self.parse_mode, self.raw_text),
            "caption": self.caption,
            "caption_html": _as_html(self.caption, self.caption_entities, self.parse_mode, None),
            "reply_markup": self.reply_markup,
            "reply_to_message_id": self.reply_to_message_id,
            "edit_date": self.edit_date,
            "edits": self.edits,
            "photo": self.photo,
            "document": self.document,
            "file_url": f"{file_base}/{self.file_path}" if self.file_path else None,
            "location": self.location,
            "deleted": self.deleted,
            "callback_answers": self.callback_answers,
        }
        return out


_PLAIN_ENTITIES = frozenset(
    {"bot_command", "mention", "hashtag", "cashtag", "url", "email", "phone_number"}
)
"""Entities PTB's ``text_html`` renders as plain text, so escaping the text is enough."""


def _as_html(
    text: str | None, entities: list[JSONDict], parse_mode: str | None, raw: str | None
) -> str | None:
    """HTML for the demo page: the bot's own HTML when it sent HTML, else rebuilt from entities."""
    if text is None:
        return None
    if parse_mode is not None and parse_mode.upper() == "HTML" and raw is not None:
        return raw
    if all(entity.get("type") in _PLAIN_ENTITIES for entity in entities):
        return html.escape(text, quote=False)
    from telegram import Message  # local: only needed for entity-formatted text

    message = Message.de_json(
        {
            "message_id": 0,
            "date": 0,
            "chat": {"id": 0, "type": "private"},
            "text": text,
            "entities": entities,
        },
        None,
    )
    return message.text_html


@dataclass(slots=True)
class ChatState:
    """A private chat: its messages in id order, its event log and a wake-up for waiters."""

    user: UserRecord
    chat_instance: str
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    next_message_id: int = 1
    events: deque[JSONDict] = field(default_factory=lambda: deque(maxlen=1000))
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    last_action: str | None = None
    reply_keyboard: JSONDict | None = None

    def notify(self) -> None:
        """Wake everyone waiting on this chat; each waiter re-checks its own condition."""
        self.changed.set()
        self.changed = asyncio.Event()


class TokenBucket:
    """Telegram-like rate limit: ``rate`` per second with bursts of up to ``burst``.

    The same shape as aiolimiter's leaky bucket that PTB's ``AIORateLimiter`` uses, so a bot
    that respects its own limiter never sees a 429 here.
    """

    __slots__ = ("burst", "rate", "stamp", "tokens")

    def __init__(self, rate: float, burst: float, now: float) -> None:
        self.rate = rate
        self.burst = max(burst, 1.0)
        self.tokens = self.burst
        self.stamp = now

    def take(self, now: float) -> float:
        """Take one token; return 0 when allowed, else how many seconds until one is free."""
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate


def retry_after_seconds(wait: float) -> int:
    """Telegram's ``retry_after`` is whole seconds, at least 1."""
    return max(1, math.ceil(wait))


@dataclass(slots=True)
class RateLimits:
    """Send limits; ``None`` switches a limit off (the default: plain tests are not throttled)."""

    max_per_second: float | None = None
    per_chat_per_second: float | None = None
    global_burst: float | None = None
    per_chat_burst: float = 3.0
    """Telegram tolerates short bursts in a private chat; set 1 for a strict 1/s."""

    def to_dict(self) -> JSONDict:
        """For the control API."""
        return {
            "max_per_second": self.max_per_second,
            "per_chat_per_second": self.per_chat_per_second,
            "global_burst": self.global_burst,
            "per_chat_burst": self.per_chat_burst,
        }


FAULT_KINDS = frozenset({"error", "429", "hang"})


@dataclass(slots=True)
class Fault:
    """The next ``remaining`` calls of ``method`` (``"*"`` for any) fail this way.

    ``error`` answers ``status`` (default 502) with a JSON description; ``429`` answers Too Many
    Requests with ``retry_after``; ``hang`` holds the request ``seconds`` and then, when
    ``then_process`` is true, carries it out anyway — the ambiguous timeout that makes a naive
    retry send a message twice.
    """

    method: str
    kind: str
    remaining: int = 1
    status: int = 502
    retry_after: int = 1
    seconds: float = 30.0
    then_process: bool = True
    description: str | None = None

    def matches(self, method: str) -> bool:
        """Whether this fault applies to a call of ``method`` (case-insensitive, like Telegram)."""
        return self.remaining > 0 and (self.method == "*" or self.method.lower() == method)

    def to_dict(self) -> JSONDict:
        """For the control API."""
        return {
            "method": self.method,
            "kind": self.kind,
            "remaining": self.remaining,
            "status": self.status,
            "retry_after": self.retry_after,
            "seconds": self.seconds,
            "then_process": self.then_process,
            "description": self.description,
        }


@dataclass(slots=True)
class PendingUpdate:
    """An update waiting for the bot; it leaves the queue only when confirmed by ``offset``."""

    update_id: int
    chat_id: int
    payload: JSONDict


@dataclass(slots=True)
class CallbackRecord:
    """A button press: who pressed, on which message, and the bot's answer once it comes."""

    query_id: str
    chat_id: int
    message_id: int
    data: str
    answer: JSONDict | None = None
    answered: asyncio.Event = field(default_factory=asyncio.Event)
