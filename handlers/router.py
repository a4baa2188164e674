"""The one reader of plain text: every message is read once, in one order.

1. the open question of any flow: onboarding and /settings (their drafts), or a coaching
   dialog's (/pain's "How bad is your knee, 0–10?", /week's "Is that right?", a bare /race);
2. a set log (`squat 4x5 60kg`, `done`, a reply correcting a log);
3. an intent in the runner's words (pain, swap, a changed week, a race, how they feel);
4. what I can do.

All open questions are read in one statement (`bot.services.questions`), and the text is parsed
as a set log once, by the use case that stores it. A dialog's question is asked once and
answered once: it is closed as soon as the next message arrives, answer or not.
"""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.context import RunliftApplication, RunliftContext, tried_before
from bot.services import dialogs
from bot.services import set_logging as log_service
from bot.services.questions import open_questions
from bot.services.set_logging import Outcome
from handlers import adapt, onboarding, set_logging
from handlers.questions import Answer

_UNDO = re.compile(r"(?i)^(?:undo|undo (?:that|it|the last (?:one|log)|last(?: log)?))[.!]?$")
""""undo" typed is /undo."""


async def route_text(update: Update, context: RunliftContext) -> None:
    """Any plain text: the open question, else a set log, else an intent, else help."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not message.text:
        return
    owner, text = user.id, message.text
    asked = await open_questions(context.services, owner)
    if asked.conversation is not None:
        await onboarding.handle(update, context, asked.conversation, owner, Answer(text=text))
        return
    # the summary's "yes" again: an earlier try saved the profile and lost the plan
    if (
        asked.dialog is None
        and tried_before()
        and onboarding.confirms_summary(text)
        and await onboarding.send_plan_ready(update, context, owner)
    ):
        return
    if asked.dialog is not None:
        await dialogs.open_question(context.services, owner, None)
        if await adapt.answer_open_question(update, context, owner, asked.dialog.step, text):
            return
    if _UNDO.match(text.strip()):
        await set_logging.undo_command(update, context)
        return
    reply = message.reply_to_message
    result = await log_service.record_sets(
        context.services,
        owner,
        text,
        reply_to_message_id=reply.message_id if reply else None,
        source=(message.chat_id, message.message_id),
    )
    if result.outcome is Outcome.UNREADABLE and reply is None:
        if await adapt.answer_words(update, context, owner, text):
            return
        if not any(c.isdigit() for c in text):
            await message.reply_html(
                "I couldn't log that, and it isn't something I can change either.\n\n"
                + adapt.WHAT_I_CAN_DO,
                reply_markup=adapt.summary_keyboard(owner),
            )
            return
    await set_logging.answer(message, owner, result, context)


def register(app: RunliftApplication) -> None:
    """The catch-all for plain text (after the flows' own, such as a pasted calendar link)."""
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, route_text))
