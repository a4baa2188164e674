"""/settings: change one answer without redoing the rest; the plan is rebuilt and reminders follow.

The menu lists the questions of `handlers.questions` that offer a /settings edit; the question is
asked by the onboarding engine (`handlers.onboarding`) with the `settings` draft kind and
`Action.SETTINGS` buttons; saving goes through `bot.services.onboarding.change_setting`.
"""

from __future__ import annotations

import html

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import RunliftApplication, RunliftContext
from bot.core.answers import answers_of
from bot.services import onboarding as flow
from bot.services.onboarding import SETTINGS, DraftState
from handlers import ui_onboarding as ui
from handlers.callbacks import Action, CallbackData, pattern
from handlers.questions import REGISTRY, Asking, describe


async def show_settings_menu(update: Update, context: RunliftContext, owner: int) -> None:
    """The list of answers, each with its current value, as buttons to pick one."""
    chat = update.effective_chat
    profile = await flow.get_profile(context.services, owner)
    if chat is None:
        return
    if profile is None:
        await context.bot.send_message(chat.id, ui.NUDGE)
        return
    data = answers_of(profile)
    lines = [
        f"<b>{title}:</b> {html.escape(describe(step, data))}"
        for step, title in REGISTRY.settings().items()
    ]
    asking = Asking(
        SETTINGS,
        owner,
        context.services.today_in(profile.timezone),
        context.services.settings.default_timezone,
    )
    text = "Your answers — tap one to change it:\n\n" + "\n".join(lines)
    await context.bot.send_message(
        chat.id, text, parse_mode="HTML", reply_markup=ui.change_keyboard(asking, "menu")
    )


async def settings_command(update: Update, context: RunliftContext) -> None:
    """Shows the answers so the runner can pick one to change."""
    user = update.effective_user
    if user is None:
        return
    await flow.drop_draft(context.services, user.id, SETTINGS)
    await show_settings_menu(update, context, user.id)


async def received_settings_choice(
    update: Update, context: RunliftContext, decoded: CallbackData
) -> None:
    """The runner picked an answer to change: ask that question, prefilled."""
    from handlers.onboarding import ask, close_question

    step = decoded.arg(1)
    if step not in REGISTRY.settings():
        return
    draft: DraftState | None = await flow.settings_draft(context.services, decoded.owner_id, step)
    if draft is None:
        await close_question(update)
        if update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, ui.NUDGE)
        return
    await close_question(update)
    await ask(update, context, draft, decoded.owner_id)


def register(app: RunliftApplication) -> None:
    from handlers.onboarding import received_button

    app.add_handler(CommandHandler("settings", settings_command))
    app.add_handler(CallbackQueryHandler(received_button, pattern=pattern(Action.SETTINGS)))
