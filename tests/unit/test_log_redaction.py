"""The token filter masks the token wherever a record carries it."""

from __future__ import annotations

import io
import logging

from bot.log_redaction import TokenRedactor

TOKEN = "4242:AAE-very-secret-part"


def test_message_args_and_traceback_are_masked() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(TokenRedactor(TOKEN))
    logger = logging.getLogger("runlift.test.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("calling %s", f"https://api.telegram.org/bot{TOKEN}/getMe")
        logger.warning("quoted %s", TOKEN.replace(":", "%3A"))
        try:
            raise ValueError(f"The token `{TOKEN}` was rejected")
        except ValueError:
            logger.exception("failed")
        logger.warning("stack", stack_info=True, extra={"note": "x"})
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "AAE-very-secret-part" not in text
    assert "calling https://api.telegram.org/bot[REDACTED]/getMe" in text
    assert "ValueError: The token `[REDACTED]` was rejected" in text


def test_an_intervals_key_sent_with_the_command_is_masked_too() -> None:
    redactor = TokenRedactor("123:AAEsecretTokenPart")
    line = '{"text": "/intervals k3yOfAda9f8e7d6c5b4a"} then /intervals@runliftbot abc_DEF-12345'
    masked = redactor.redact(line)
    assert "k3yOfAda9f8e7d6c5b4a" not in masked and "abc_DEF-12345" not in masked
    assert masked.count("[REDACTED]") == 2
    assert redactor.redact("/intervals off") == "/intervals off"
