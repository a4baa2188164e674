"""Commands every runner can use (/help) and the catch-alls that keep every message answered."""

from __future__ import annotations

from telegram import BotCommand, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.context import RunliftApplication, RunliftContext
from handlers.adapt import COMMANDS as ADAPT_COMMANDS
from handlers.callbacks import STALE_VERSION, is_current

COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Set up your plan (or start again)"),
    ("plan", "This week's and next week's strength sessions"),
    ("today", "Today's session, or the next one"),
    ("calendar", "Your run plan's calendar: what I read, fix a day, or off"),
    ("runs", "Your recorded runs of the last two weeks"),
    ("intervals", "Connect intervals.icu with your API key, or off"),
    *ADAPT_COMMANDS,
    ("log", "Log what you did, e.g. squat 4x5 60kg"),
    ("undo", "Take back your last log"),
    ("progress", "Charts of your lifts and how often you trained"),
    ("history", "Your recent sessions as logged"),
    ("settings", "Change one answer; the plan follows"),
    ("pause", "Pause reminders"),
    ("resume", "Resume reminders"),
    ("export", "Your data as CSV and JSON"),
    ("delete", "Delete everything about you"),
    ("help", "What I can do"),
    ("cancel", "Stop what we're doing (nothing is lost)"),
)
"""The command menu (`setMyCommands`), in the order runners see it."""

HELP_TEXT = (
    "<b>runlift</b> fits strength training around your running week.\n\n"
    "• /start — tell me your week and goal; I plan strength sessions around your runs\n"
    "• After a tempo or interval run I send that day's session, then ask what you did; "
    "send your run's .fit, .gpx or .tcx file (or connect intervals.icu) and it comes "
    "as soon as the run is in\n"
    "• Reply with what you lifted, e.g. <code>squat 4x5 60kg</code>, "
    "<code>plank 3x40s</code>, or just <code>done</code>\n"
    "• Tell me in your own words when things change: <i>my knee hurts 6/10</i>, "
    "<i>no rack today</i>, <i>this week my tempo is on thursday</i>, <i>10k on 12 april</i>, "
    "<i>slept badly</i>\n\n"
    "<b>Commands</b>\n" + "\n".join(f"/{name} — {text}" for name, text in COMMANDS)
)


def bot_commands() -> list[BotCommand]:
    return [BotCommand(name, text) for name, text in COMMANDS]


async def help_command(update: Update, context: RunliftContext) -> None:
    """Lists what the bot does and every command."""
    if update.effective_message:
        await update.effective_message.reply_html(HELP_TEXT)


async def cancel_command(update: Update, context: RunliftContext) -> None:
    """/cancel when nothing is in progress: say so rather than "unknown command"."""
    if update.effective_message:
        await update.effective_message.reply_text(
            "Nothing to cancel — we're not in the middle of anything. /help lists what I can do."
        )


async def unknown_command(update: Update, context: RunliftContext) -> None:
    """Answers a command nobody handles, instead of silence."""
    message = update.effective_message
    if message is None or not message.text:
        return
    command = message.text.split()[0].split("@")[0][:40]
    await message.reply_text(f"I don't know {command}. Here's what I can do: /help")


async def unmatched_text(update: Update, context: RunliftContext) -> None:
    """Any other message still gets a friendly answer."""
    message = update.effective_message
    if message is None:
        return
    await message.reply_text(
        "I didn't catch that. To log a session, send e.g. 'squat 4x5 60kg' or 'done'. "
        "New here? Send /start. All commands: /help"
    )


async def stale_button(update: Update, context: RunliftContext) -> None:
    """A button from an old message or a finished conversation: a short answer, not an error."""
    query = update.callback_query
    if query is None:
        return
    if is_current(query.data):
        await query.answer("This button has expired — send /help to see what you can do.")
    else:
        await query.answer(STALE_VERSION)


def register(app: RunliftApplication) -> None:
    app.add_handler(CommandHandler("help", help_command))
    app.add_handler(CommandHandler("cancel", cancel_command))
    app.add_handler(MessageHandler(filters.COMMAND, unknown_command))
    app.add_handler(CallbackQueryHandler(stale_button))
    app.add_handler(MessageHandler(filters.ALL & ~filters.StatusUpdate.ALL, unmatched_text))
