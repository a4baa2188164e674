"""/pause and /resume (the buttons under a reminder are `handlers.session_actions`')."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.context import RunliftApplication, RunliftContext
from bot.services import session_buttons
from handlers import reminder_texts as texts


async def pause_command(update: Update, context: RunliftContext) -> None:
    """/pause: no reminders until /resume; the plan stays."""
    await _set_paused(update, context, paused=True)


async def resume_command(update: Update, context: RunliftContext) -> None:
    """/resume: reminders for what lies ahead are queued again."""
    await _set_paused(update, context, paused=False)


async def _set_paused(update: Update, context: RunliftContext, *, paused: bool) -> None:
    message = update.effective_message
    if message is None or update.effective_user is None:
        return
    state = await session_buttons.set_paused(context.services, update.effective_user.id, paused)
    if state is None:
        await message.reply_text(texts.NO_PLAN_TEXT)
    else:
        await message.reply_text(texts.PAUSED_TEXT if paused else texts.RESUMED_TEXT)


def register(app: RunliftApplication) -> None:
    app.add_handler(CommandHandler("pause", pause_command))
    app.add_handler(CommandHandler("resume", resume_command))
