"""Fixtures: a local Bot API server on a free port and a real PTB bot long-polling it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, TypeAlias

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from devtools.localapi import LocalBotApi
from tests.localapi_client import LocalApiClient

TOKEN = "123:abc"
BotApp: TypeAlias = Application[Any, Any, Any, Any, Any, Any]


@pytest.fixture
async def client(api: LocalBotApi) -> AsyncIterator[LocalApiClient]:
    """The runner-side HTTP client pointed at ``api``."""
    async with LocalApiClient(api.url) as http:
        yield http


async def start_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greets with one button, like an onboarding question."""
    assert update.effective_message is not None
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]])
    await update.effective_message.reply_text("Welcome", reply_markup=keyboard)


async def received_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Echoes what the runner typed, in bold."""
    assert update.effective_message is not None
    text = update.effective_message.text or ""
    await update.effective_message.reply_html(f"<b>echo</b> {text}")


async def received_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers the press and edits the message it came from."""
    query = update.callback_query
    assert query is not None
    await query.answer(f"got {query.data}")
    await query.edit_message_text(f"You pressed {query.data}")


def build_app(api: LocalBotApi) -> BotApp:
    """A real PTB application pointed at the local server, as ``runlift run`` will be."""
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start_command))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, received_text))
    app.add_handler(CallbackQueryHandler(received_button))
    return app


@pytest.fixture
async def bot_app(api: LocalBotApi) -> AsyncIterator[BotApp]:
    """The PTB application, long polling the server for the whole test."""
    app = build_app(api)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=5)
        yield app
        await app.updater.stop()
        await app.stop()
