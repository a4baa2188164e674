"""Text formatting the way Telegram's servers see it.

Telegram never stores markup: it parses ``parse_mode=HTML`` into plain text plus a list of
``MessageEntity`` objects (offsets counted in UTF-16 code units) and rejects malformed HTML with
``Bad Request: can't parse entities``. Doing the same here means the bot's tests see the text a
runner would see, and an unbalanced tag fails in tests instead of in production.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

MAX_TEXT_LENGTH = 4096
"""Telegram's limit on a message text after entity parsing (``MessageLimit.MAX_TEXT_LENGTH``)."""

MAX_CAPTION_LENGTH = 1024
"""Telegram's limit on a photo or document caption after entity parsing."""

_SIMPLE_TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}

_COMMAND_RE = re.compile(r"^/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{1,32})?")


class EntityParseError(ValueError):
    """The HTML is not something Telegram would accept."""


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of every Bot API entity offset."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _Open:
    tag: str
    entity: dict[str, Any] | None
    offset: int


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.length = 0
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        entity: dict[str, Any] | None
        if tag == "a":
            href = attributes.get("href")
            if not href:
                raise EntityParseError('Can\'t find "href" attribute of the "a" tag')
            entity = {"type": "text_link", "url": href}
        elif tag == "span":
            if attributes.get("class") != "tg-spoiler":
                raise EntityParseError('Tag "span" must have class "tg-spoiler"')
            entity = {"type": "spoiler"}
        elif tag == "tg-emoji":
            entity = {"type": "custom_emoji", "custom_emoji_id": attributes.get("emoji-id", "")}
        elif tag == "code" and self.stack and self.stack[-1].tag == "pre":
            # <pre><code class="language-x"> is one pre entity with a language, as Telegram does.
            language = attributes.get("class") or ""
            pre = self.stack[-1].entity
            if pre is not None and language.startswith("language-"):
                pre["language"] = language.removeprefix("language-")
            entity = None
        elif tag in _SIMPLE_TAGS:
            entity = {"type": _SIMPLE_TAGS[tag]}
            if tag == "blockquote" and "expandable" in attributes:
                entity["type"] = "expandable_blockquote"
        else:
            raise EntityParseError(f'Unsupported start tag "{tag}"')
        self.stack.append(_Open(tag, entity, self.length))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise EntityParseError(f'Unsupported start tag "{tag}"')

    def handle_endtag(self, tag: str) -> None:
        if not self.stack:
            raise EntityParseError(f'Unexpected end tag "{tag}"')
        top = self.stack.pop()
        if top.tag != tag:
            raise EntityParseError(f'Unmatched end tag "{tag}", expected "</{top.tag}>"')
        if top.entity is not None and self.length > top.offset:
            top.entity["offset"] = top.offset
            top.entity["length"] = self.length - top.offset
            self.entities.append(top.entity)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        self.length += utf16_len(data)


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Turn Telegram-flavoured HTML into ``(plain text, entities)``.

    Raises:
        EntityParseError: for unsupported or unbalanced tags, with Telegram's wording.
    """
    if "<" not in source and "&" not in source:
        return source, []
    parser = _Parser()
    parser.feed(source)
    parser.close()
    if parser.stack:
        raise EntityParseError(
            f'Can\'t find end tag corresponding to start tag "{parser.stack[-1].tag}"'
        )
    entities = sorted(parser.entities, key=lambda e: (e["offset"], -e["length"]))
    return "".join(parser.parts), entities


def command_entities(text: str) -> list[dict[str, Any]]:
    """The ``bot_command`` entity Telegram adds to a user's ``/command`` (or ``/cmd@bot``)."""
    match = _COMMAND_RE.match(text)
    if match is None:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group(0))}]
