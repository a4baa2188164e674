"""Replying with completed reps: typed logs, one-tap buttons, confirmations, corrections, /undo.

Plain text reaches the set-log reader through `handlers.router`, after any open question and
before the intents; `answer` phrases what the use case did.
"""

from __future__ import annotations

import contextlib
import html
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import RunliftApplication, RunliftContext
from bot.services import set_logging as service
from bot.services.set_logging import EXAMPLES, LogResult, Outcome
from handlers.callbacks import Action, encode, owned_press, pattern

DONE, EXERCISE, CONFIRM, UNDO = (
    Action.LOG_DONE,
    Action.LOG_EXERCISE,
    Action.LOG_CONFIRM,
    Action.LOG_UNDO,
)
MAX_PROBLEMS_SHOWN = 5

EXAMPLE_TEXT = "\n".join(f"<code>{html.escape(example)}</code>" for example in EXAMPLES)
NOT_ONBOARDED = (
    "Let's set up your plan first — send /start. After each session, reply here with what you "
    "did, e.g. <code>squat 4x5 60kg</code>."
)


def _day(day: date | None) -> str:
    return f" for {day:%a} {day.day} {day:%b}" if day else ""


def _undo_keyboard(owner: int, entry_id: int | None) -> InlineKeyboardMarkup | None:
    if entry_id is None:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton("↩️ Undo", callback_data=encode(UNDO, owner, entry_id))]]
    )


def _short(text: str, limit: int) -> str:
    """Quotes the runner's words back without flooding the chat (or Telegram's 4096 limit)."""
    text = " ".join(text.split())
    return html.escape(text if len(text) <= limit else text[: limit - 1] + "…")


def _problems(result: LogResult) -> str:
    lines = [
        f"• <i>{_short(problem.raw, 60)}</i> — {_short(problem.message, 200)} "
        f"(e.g. <code>{html.escape(problem.example)}</code>)"
        for problem in result.problems[:MAX_PROBLEMS_SHOWN]
    ]
    if len(result.problems) > MAX_PROBLEMS_SHOWN:
        lines.append(
            f"…and {len(result.problems) - MAX_PROBLEMS_SHOWN} more lines I couldn't read."
        )
    return "\n".join(lines)


def result_text(result: LogResult) -> str:
    """What the runner reads after a log, a button press or /undo (Telegram HTML)."""
    match result.outcome:
        case Outcome.LOGGED:
            head = "✏️ Corrected" if result.replaced else "✅ Logged"
            parts = [
                f"{head}{_day(result.performed_on)}:",
                f"<pre>{html.escape(result.summary)}</pre>",
            ]
            parts += [html.escape(note) for note in result.notes]
            parts.append("Wrong? Reply to this message with the right sets, or tap Undo.")
            return "\n".join(parts)
        case Outcome.NEEDS_CONFIRM:
            return (
                f"I read this:\n<pre>{html.escape(result.summary[:2500])}</pre>\n"
                f"…but not this:\n{_problems(result)}\n\n"
                "Log what I read? (Or send the whole thing again, corrected.)"
            )
        case Outcome.UNREADABLE:
            detail = _problems(result)
            return (
                "I couldn't log that. "
                + (f"\n{detail}\n\n" if detail else "")
                + f"Write one exercise per line, like:\n{EXAMPLE_TEXT}"
            )
        case Outcome.NOT_ONBOARDED:
            return NOT_ONBOARDED
        case Outcome.SKIPPED:
            return (
                f"Skipped{_day(result.performed_on)} — no problem. Don't double up next time; "
                "the plan simply carries on."
            )
        case Outcome.NOTHING_PLANNED:
            return (
                "There's no session waiting for a log right now. To log extra work, write it out, "
                f"e.g.\n{EXAMPLE_TEXT}"
            )
        case Outcome.NOTHING_TO_REPEAT:
            return "There's nothing logged yet to repeat. Write out what you did, e.g. " + (
                "<code>squat 4x5 60kg</code>"
            )
        case Outcome.ALREADY_LOGGED:
            return "That session is already logged ✅ — reply to its confirmation to change it."
        case Outcome.UNDONE:
            return (
                f"↩️ Removed your log{_day(result.performed_on)}:\n"
                f"<pre>{html.escape(result.summary)}</pre>\nSend it again any time."
            )
        case Outcome.NOTHING_TO_UNDO:
            return "There's no log to undo."
        case Outcome.CANCELLED:
            return "OK, nothing logged."
        case Outcome.STALE:
            return "That's already been dealt with."
    return "Done."


async def answer(message: Message, owner: int, result: LogResult, context: RunliftContext) -> None:
    """Replies with what happened (Undo under a log, Log it / Cancel under a half-read one)."""
    keyboard = None
    if result.outcome is Outcome.LOGGED:
        keyboard = _undo_keyboard(owner, result.entry_id)
    elif result.outcome is Outcome.NEEDS_CONFIRM:
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton("✅ Log it", callback_data=encode(CONFIRM, owner, "yes")),
                    InlineKeyboardButton("✖️ Cancel", callback_data=encode(CONFIRM, owner, "no")),
                ]
            ]
        )
    sent = await message.reply_html(result_text(result), reply_markup=keyboard)
    if result.outcome is Outcome.LOGGED and result.entry_id is not None:
        await service.set_confirmation_message(
            context.services, owner, result.entry_id, sent.message_id
        )


async def log_command(update: Update, context: RunliftContext) -> None:
    """/log squat 4x5 60kg — the same as typing it, for people who like commands."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    text = " ".join(context.args or [])
    if not text.strip():
        await message.reply_html(f"Tell me what you did after /log, e.g.\n{EXAMPLE_TEXT}")
        return
    result = await service.record_sets(
        context.services, user.id, text, source=(message.chat_id, message.message_id)
    )
    await answer(message, user.id, result, context)


async def undo_command(update: Update, context: RunliftContext) -> None:
    """/undo: take back the last log."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    result = await service.undo_last_log(context.services, user.id)
    await answer(message, user.id, result, context)


def _int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


async def received_done(update: Update, context: RunliftContext) -> None:
    """ "Done as planned" (whole session) or one exercise's button on the log prompt."""
    data = await owned_press(update)
    query = update.callback_query
    if data is None or query is None:
        return
    session_id = _int(data.arg(0))
    index = _int(data.arg(1)) if data.action == EXERCISE else None
    if session_id is None or (data.action == EXERCISE and index is None):
        await query.answer("This button has expired.")
        return
    result = await service.log_done_as_planned(
        context.services, data.owner_id, session_id, exercise_index=index
    )
    if result.outcome is not Outcome.LOGGED:
        await query.answer(result_text(result)[:190])
        return
    await query.answer("Logged ✅")
    if isinstance(query.message, Message):
        await answer(query.message, data.owner_id, result, context)


async def received_confirmation(update: Update, context: RunliftContext) -> None:
    """Log it / Cancel under a half-read message."""
    data = await owned_press(update)
    query = update.callback_query
    if data is None or query is None:
        return
    result = await service.confirm_pending(
        context.services, data.owner_id, accept=data.arg(0) == "yes"
    )
    await query.answer()
    if isinstance(query.message, Message):
        with contextlib.suppress(BadRequest):  # a double tap: the buttons are already gone
            await query.message.edit_reply_markup(None)
        await answer(query.message, data.owner_id, result, context)


async def received_undo(update: Update, context: RunliftContext) -> None:
    """The Undo button under a confirmation."""
    data = await owned_press(update)
    query = update.callback_query
    if data is None or query is None:
        return
    entry_id = _int(data.arg(0))
    result = await service.undo_last_log(context.services, data.owner_id, entry_id=entry_id)
    if result.outcome is not Outcome.UNDONE:
        await query.answer(result_text(result)[:190])
        return
    await query.answer("Removed")
    if isinstance(query.message, Message):
        with contextlib.suppress(BadRequest):  # a double tap: the buttons are already gone
            await query.message.edit_reply_markup(None)
        await answer(query.message, data.owner_id, result, context)


def register(app: RunliftApplication) -> None:
    app.add_handler(CommandHandler("log", log_command))
    app.add_handler(CommandHandler("undo", undo_command))
    app.add_handler(CallbackQueryHandler(received_done, pattern=pattern(DONE)))
    app.add_handler(CallbackQueryHandler(received_done, pattern=pattern(EXERCISE)))
    app.add_handler(CallbackQueryHandler(received_confirmation, pattern=pattern(CONFIRM)))
    app.add_handler(CallbackQueryHandler(received_undo, pattern=pattern(UNDO)))
