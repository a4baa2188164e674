"""A bare python-telegram-bot bot: the yardstick for bench.conversation and bench.speed.

It answers /start and every typed message with one message and an inline keyboard, as runlift's
questions do, and does nothing else: no database, no parsing. Every millisecond runlift takes
above it is runlift's own.

It talks to the Bot API through PTB's default HTTP client (httpx), as a bot built from PTB's
documentation does. With RUNLIFT_BENCH_BARE_TRANSPORT=aiohttp it uses runlift's client
instead (`bot.telegram_request`), to tell what runlift gains from its client from what it
gains elsewhere.
"""

from __future__ import annotations

import os

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes, MessageHandler, filters

KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Tue", callback_data="a"),
            InlineKeyboardButton("Fri", callback_data="b"),
        ],
        [InlineKeyboardButton("Done", callback_data="c")],
    ]
)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(
            "Hello! Tell me about your running week.", reply_markup=KEYBOARD
        )


async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text("Thanks! Next question.", reply_markup=KEYBOARD)


def main() -> None:
    url = os.environ["TELEGRAM_API_URL"]
    builder = (
        ApplicationBuilder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(f"{url}/bot")
        .base_file_url(f"{url}/file/bot")
    )
    if os.environ.get("RUNLIFT_BENCH_BARE_TRANSPORT") == "aiohttp":
        from bot.telegram_request import AiohttpRequest

        builder = builder.request(AiohttpRequest(8)).get_updates_request(AiohttpRequest(1))
    app = builder.build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, answer))
    app.run_polling()


if __name__ == "__main__":
    main()
