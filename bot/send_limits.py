"""The last guard on what the bot sends: no text over Telegram's limits ever leaves.

Telegram refuses a message over 4,096 characters (a caption over 1,024) outright, so the runner
would get nothing at all. Every flow keeps its texts short; this guard, on the path every Bot API
call takes, cuts whatever still runs over (an answer that grew with a runner's data, say) at a line
break, closes any HTML tag the cut left open and marks the cut with "…".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
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
    (Replicas pace their sends in the Bot API client: `bot.telegram_request`.)"""

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
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )
