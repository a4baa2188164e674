"""The last guard on what the bot sends: no text over Telegram's limits ever leaves.

Telegram refuses a message over 4,096 characters (a caption over 1,024) outright, so the runner
would get nothing at all. Every flow keeps its texts short; this guard, on the path every Bot API
call takes, cuts whatever still runs over (an answer that grew with a runner's data, say) at a line
break, closes any HTML tag the cut left open and marks the cut with "…".
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from contextvars import ContextVar
from typing import Any

from telegram.ext import AIORateLimiter

TEXT_LIMIT = 4000
"""Under Telegram's 4,096, leaving room for the closing tags and the mark of the cut."""
CAPTION_LIMIT = 1000
"""Under Telegram's 1,024 for a photo or document caption."""
CUT_MARK = "\n…"

_LIMITS = {"text": TEXT_LIMIT, "caption": CAPTION_LIMIT}
_TOAST_LIMIT = {"text": 190}
"""A button's answer (`answerCallbackQuery`) may hold 200 characters."""
_TAG = re.compile(r"<(/?)([a-zA-Z-]+)[^>]*>")

SEND_METHODS = ("send", "copy", "forward")
"""Calls Telegram counts against a bot's ~30 messages/s (edits and callback answers aside)."""

Pace = Callable[[int | None], Awaitable[None]]
"""Waits for the moment one message may go out: to this chat (1/s) when given, else to anyone."""

_PER_CHAT: ContextVar[bool] = ContextVar("runlift_per_chat_pace", default=False)


@contextlib.contextmanager
def paced_per_chat() -> Iterator[None]:
    """Sends in this block also keep a chat's 1/s (bulk sends: reminders). Answers do not: a
    runner who types three answers gets three replies at once, as Telegram allows in a private
    chat."""
    token = _PER_CHAT.set(True)
    try:
        yield
    finally:
        _PER_CHAT.reset(token)


def cut(text: str, limit: int, *, html: bool) -> str:
    """`text` if it fits in `limit` characters, else its head cut at a line break (or a space)
    with every HTML tag the cut left open closed again."""
    if len(text) <= limit:
        return text
    room = limit - len(CUT_MARK) - 64  # 64: the closing tags a cut may need
    head = text[:room]
    for stop in ("\n", " "):
        at = head.rfind(stop)
        if at > room // 2:
            head = head[:at]
            break
    if html:
        head = re.sub(r"<[^>]*$|&[#a-zA-Z0-9]*$", "", head)  # no half tag or half entity
        head += "".join(f"</{name}>" for name in reversed(_open_tags(head)))
    return head + CUT_MARK


def _open_tags(html: str) -> list[str]:
    stack: list[str] = []
    for closing, name in _TAG.findall(html):
        if not closing:
            stack.append(name.lower())
        elif name.lower() in stack:
            del stack[len(stack) - 1 - stack[::-1].index(name.lower())]
    return stack


class CappingRateLimiter(AIORateLimiter):
    """PTB's rate limiter, which sees every request's parameters first: over-long texts are cut.

    With `pace` (replicas sharing one database: `bot.inbox.SharedPace`), every send waits for
    its moment first, each retry after a 429 too."""

    def __init__(self, *args: Any, pace: Pace | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pace = pace

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        limits = _TOAST_LIMIT if endpoint == "answerCallbackQuery" else _LIMITS
        for key, limit in limits.items():
            value = data.get(key)
            if isinstance(value, str) and len(value) > limit:
                html = str(data.get("parse_mode") or "").upper() == "HTML"
                data[key] = cut(value, limit, html=html)  # `args` holds this same dict
        pace = self._pace
        if pace is not None and endpoint.startswith(SEND_METHODS):
            chat = _chat_id(data.get("chat_id")) if _PER_CHAT.get() else None
            send = callback

            async def paced(*call_args: Any, **call_kwargs: Any) -> Any:
                await pace(chat)
                return await send(*call_args, **call_kwargs)

            callback = paced
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )


def _chat_id(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:  # an @channel name
        return None
