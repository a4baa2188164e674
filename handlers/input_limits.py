"""A cap on what one message may ask the bot to read.

Telegram lets a runner send 4,096 characters; nothing the bot reads (a set log, an answer, a feed
link, a race) is a tenth of that, and the language readers' cost grows with the text (dateparser
held the event loop for seconds on a 4,096-character `/race 1 1 1 …`, so every runner waited).
An over-long message gets one short answer, none of it echoed, and no flow sees it.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop, MessageHandler, filters

from bot.context import RunliftApplication, RunliftContext

MAX_INPUT = 1_000
"""Characters of text (or a caption) the bot reads in one message."""
LIMIT_GROUP = -99
"""Right after the private-chat gate, before every flow."""
TOO_LONG = (
    f"That's a long one — I read messages of up to {MAX_INPUT:,} characters. "
    "Could you send it shorter, or in parts?"
)


async def refuse_long_input(update: Update, context: RunliftContext) -> None:
    """Answers an over-long message briefly and stops it; lets every other message through."""
    message = update.effective_message
    if message is None or len(message.text or message.caption or "") <= MAX_INPUT:
        return
    await message.reply_text(TOO_LONG)
    raise ApplicationHandlerStop


def register(app: RunliftApplication) -> None:
    app.add_handler(
        MessageHandler(filters.TEXT | filters.CAPTION, refuse_long_input), group=LIMIT_GROUP
    )
