"""Keeps the bot token (and runners' intervals.icu keys) out of every log line and console
message.

The token sits in the Bot API URL (`…/bot123:AAE…/getMe`), which PTB, aiohttp and httpx log at
DEBUG, and PTB repeats it in `InvalidToken` when getMe answers 401/404. Anyone who reads the log
(a hosting dashboard, a pasted bug report) could then drive the bot. The filter sits on the root
handlers, so it sees every record that is written, whichever library logged it.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[REDACTED]"

_INTERVALS_KEY = re.compile(r"(/intervals(?:@\w+)?[ \t]+)(?!off\b)([A-Za-z0-9_\-]{4,128})")
"""A runner's intervals.icu API key as they send it (`/intervals KEY`), in a logged update
(PTB logs what it receives at DEBUG): masked like the token."""

_installed: list[TokenRedactor] = []


class TokenRedactor(logging.Filter):
    """Rewrites a record's message, arguments, traceback and stack with the secrets masked."""

    def __init__(self, token: str) -> None:
        super().__init__()
        _, _, secret = token.partition(":")
        # the part after ':' is the secret: masking it masks the token in any spelling
        # (`123:AAE…`, `123%3AAAE…`); a token without one is masked whole
        self._secrets = tuple(s for s in (token, secret) if s and len(s) >= 4)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return _INTERVALS_KEY.sub(rf"\1{REDACTED}", text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: let logging report it, but never the raw args
            message = f"{record.msg!s} {record.args!r}"
        record.msg = self.redact(message)
        record.args = None
        if record.exc_info is not None:
            if not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None  # formatters print exc_text; nobody formats the original
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def install(token: str) -> TokenRedactor:
    """Adds a `TokenRedactor` to every handler of the root logger (call after configuring it)."""
    redactor = TokenRedactor(token)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redactor)
    _installed.append(redactor)
    return redactor


def redact(text: str) -> str:
    """`text` with every installed token masked: for what is printed rather than logged."""
    for redactor in _installed:
        text = redactor.redact(text)
    return text
