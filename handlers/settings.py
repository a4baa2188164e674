"""/settings: change one answer without redoing the rest; the plan is rebuilt and reminders follow.

The menu (`handlers.onboarding.show_settings_menu`) lists the questions of `handlers.questions`
that offer a /settings edit; the question is asked by the same conversation engine with the
`settings` draft kind and `Action.SETTINGS` buttons; saving goes through
`bot.services.onboarding.change_setting`.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import RunliftApplication, RunliftContext
from bot.core.domain.statuses import DraftKind
from bot.services import onboarding as flow
from handlers.callbacks import Action, pattern
from handlers.onboarding import received_button, show_settings_menu


async def settings_command(update: Update, context: RunliftContext) -> None:
    """Shows the answers so the runner can pick one to change."""
    user = update.effective_user
    if user is None:
        return
    await flow.drop_draft(context.services, user.id, DraftKind.SETTINGS)
    await show_settings_menu(update, context, user.id)


def register(app: RunliftApplication) -> None:
    app.add_handler(CommandHandler("settings", settings_command))
    app.add_handler(CallbackQueryHandler(received_button, pattern=pattern(Action.SETTINGS)))
