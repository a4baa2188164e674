"""Reminder buttons (Start, Snooze 1 h, Skip today, Move to tomorrow) and /pause, /resume.

Every press is checked against its owner and copes with stale messages (the session was
already skipped, moved or logged): a short answer, never an error.
"""

from __future__ import annotations

import contextlib

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import RunliftApplication, RunliftContext
from bot.services import reminders
from bot.services.reminders import ButtonResult, Outcome
from handlers import reminder_texts as texts
from handlers.callbacks import EXPIRED, Action, owned_press, pattern


async def received_reminder_button(update: Update, context: RunliftContext) -> None:
    """One of the four buttons under a session reminder."""
    query = update.callback_query
    decoded = await owned_press(update)
    if query is None or decoded is None:
        return
    try:
        session_id = int(decoded.arg(0))
    except ValueError:
        await query.answer(EXPIRED)
        return
    services = context.services
    actions = {
        texts.START: reminders.start_session,
        texts.SNOOZE: reminders.snooze,
        texts.SKIP: reminders.skip_today,
        texts.MOVE: reminders.move_to_tomorrow,
    }
    key = decoded.arg(1)
    use_case = actions.get(key)
    if use_case is None:
        await query.answer(EXPIRED)
        return
    result: ButtonResult = await use_case(services, decoded.owner_id, session_id)
    answer = texts.button_answer(key, result)
    await query.answer(answer[:200])
    if result.outcome is not Outcome.OK:
        if result.outcome in (Outcome.BLOCKED, Outcome.TOO_LATE) and query.message is not None:
            await context.bot.send_message(query.message.chat.id, answer)
        return
    chat_id = query.message.chat.id if query.message is not None else decoded.owner_id
    if key == texts.START:
        await context.bot.send_message(chat_id, texts.START_TEXT, parse_mode=ParseMode.HTML)
        return
    await _drop_buttons(update)
    await context.bot.send_message(chat_id, answer)


async def _drop_buttons(update: Update) -> None:
    """The reminder's buttons are spent once it is snoozed, skipped or moved."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    with contextlib.suppress(BadRequest):  # already without buttons, or too old to edit
        await query.edit_message_reply_markup(reply_markup=None)


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
    state = await reminders.set_paused(context.services, update.effective_user.id, paused)
    if state is None:
        await message.reply_text(texts.NO_PLAN_TEXT)
    else:
        await message.reply_text(texts.PAUSED_TEXT if paused else texts.RESUMED_TEXT)


def register(app: RunliftApplication) -> None:
    app.add_handler(CommandHandler("pause", pause_command))
    app.add_handler(CommandHandler("resume", resume_command))
    app.add_handler(
        CallbackQueryHandler(received_reminder_button, pattern=pattern(Action.SESSION))
    )
