"""/progress, /history, /export and /delete: what the runner has done, and their data."""

from __future__ import annotations

import contextlib
import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import RunliftApplication, RunliftContext
from bot.services import progress as service
from bot.services import runs as runs_service
from handlers.callbacks import NOT_YOURS, Action, encode, owned_press, pattern

DELETE = Action.DELETE
HISTORY_LIMIT = 4000
NOT_ONBOARDED = "Nothing here yet — send /start to set up your plan."


def _units(value: str) -> str:
    return "lb" if value == "lb" else "kg"


async def progress_command(update: Update, context: RunliftContext) -> None:
    """Sends the e1RM/volume chart with adherence and streak, or says what to do first."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    result = await service.progress(context.services, user.id)
    if result is None:
        await message.reply_text(NOT_ONBOARDED)
        return
    lines = []
    if result.adherence is not None:
        lines.append(
            f"Sessions done: {result.sessions_done} of {result.sessions_planned} "
            f"({result.adherence:.0%})"
        )
    lines.append(
        f"Streak: {result.streak_weeks} week{'s' if result.streak_weeks != 1 else ''} "
        "with strength in a row"
    )
    unit = _units(result.units.value)
    lines += [
        f"{name}: estimated 1RM {value:g} {unit} ({day:%a %-d %b})"
        for name, (value, day) in result.best_e1rm.items()
    ]
    if result.chart is None:
        lines.append("\nLog a session (reply with your sets, e.g. squat 4x5 60kg) to see charts.")
        await message.reply_text("\n".join(lines))
        return
    await message.reply_photo(
        InputFile(result.chart, filename="runlift-progress.png"), caption="\n".join(lines)[:1024]
    )


async def history_command(update: Update, context: RunliftContext) -> None:
    """Lists recent sessions as logged."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    days = await service.history(context.services, user.id)
    if not days:
        await message.reply_text(
            "No sessions logged yet. After a session, reply with what you did, e.g. "
            "squat 4x5 60kg — or tap Done as planned on my prompt."
        )
        return
    text = "<b>Recent sessions</b>"
    for day in days:
        body = "\n".join(html.escape(line) for line in day.lines)
        part = f"\n\n<b>{day.performed_on:%a %-d %b}</b>\n{body}"
        if len(text) + len(part) > HISTORY_LIMIT:
            break  # whole days only: a cut tag would make Telegram refuse the message
        text += part
    await message.reply_html(text)


async def export_command(update: Update, context: RunliftContext) -> None:
    """Sends every logged set as CSV, everything about the runner as JSON, and the recorded
    runs as CSV when there are any."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    csv_text = await service.export_csv(context.services, user.id)
    json_text = await service.export_json(context.services, user.id)
    if csv_text is None or json_text is None:
        await message.reply_text(NOT_ONBOARDED)
        return
    await message.reply_document(
        InputFile(csv_text.encode(), filename="runlift-sets.csv"),
        caption="Every set you've logged (one row per set).",
    )
    await message.reply_document(
        InputFile(json_text.encode(), filename="runlift-data.json"),
        caption="Everything I keep about you: profile, plan, logs and recorded runs.",
    )
    runs_csv = await runs_service.export_runs_csv(context.services, user.id)
    if runs_csv is not None:
        await message.reply_document(
            InputFile(runs_csv.encode(), filename="runlift-runs.csv"),
            caption="Every run you've recorded (one row per activity).",
        )


async def delete_command(update: Update, context: RunliftContext) -> None:
    """Asks to confirm before deleting everything about the runner."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "🗑 Yes, delete everything", callback_data=encode(DELETE, user.id, "yes")
                ),
                InlineKeyboardButton("Keep my data", callback_data=encode(DELETE, user.id, "no")),
            ]
        ]
    )
    await message.reply_text(
        "This deletes your profile, plan, logged sets, recorded runs, your intervals.icu key "
        "and reminders for good. "
        "Use /export first if you want a copy. Delete everything?",
        reply_markup=keyboard,
    )


async def received_delete_choice(update: Update, context: RunliftContext) -> None:
    """The confirmation buttons of /delete."""
    query = update.callback_query
    data = await owned_press(update, expired=NOT_YOURS)
    if query is None or data is None:
        return
    await query.answer()
    if data.arg(0) != "yes":
        text = "Kept — nothing was deleted."
    elif await service.delete_everything(context.services, data.owner_id):
        text = "Deleted everything about you. Send /start any time to begin again."
    else:
        text = "There was nothing stored about you."
    if isinstance(query.message, Message):
        if query.message.text is None:  # pressed under a photo: nothing to edit, answer below
            await query.message.reply_text(text)
            return
        with contextlib.suppress(BadRequest):  # a double tap: it already says so
            await query.message.edit_text(text)


def register(app: RunliftApplication) -> None:
    app.add_handler(CommandHandler("progress", progress_command))
    app.add_handler(CommandHandler("history", history_command))
    app.add_handler(CommandHandler("export", export_command))
    app.add_handler(CommandHandler("delete", delete_command))
    app.add_handler(CallbackQueryHandler(received_delete_choice, pattern=pattern(DELETE)))
