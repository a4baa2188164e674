"""Onboarding by chat: /start asks one question at a time, buttons or typed answers, resumable.

The open question and the answers live in the `drafts` table (see `bot.services.onboarding`), so
the handlers here are stateless: every update loads the draft, applies one answer, saves it and
asks the next question. The questions and their order are entries in `handlers.questions`;
the same engine serves /settings (`handlers.settings`).

Routing: typed answers arrive through `handlers.router`, which reads the open question of every
flow first; locations and /cancel are read in group -1 only while the runner has an active draft
(then `ApplicationHandlerStop`); otherwise they fall through to group 0.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from telegram import Update
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.context import RunliftApplication, RunliftContext
from bot.core.answers import AnswerError, answers_of, build_profile, timezone_at
from bot.core.domain.errors import ProfileError
from bot.core.domain.plan import Session
from bot.core.domain.profile import Experience, Goal, RunnerProfile
from bot.core.domain.statuses import DraftKind
from bot.core.language.intents import read_confirmation
from bot.services import onboarding as flow
from bot.services.onboarding import (
    CHANGE,
    EDITING,
    END,
    PAUSED,
    SUMMARY,
    DraftState,
)
from handlers import questions as q
from handlers import ui_onboarding as ui
from handlers.callbacks import Action, CallbackData, owned_press, pattern
from handlers.questions import REGISTRY, Answer, Asking, ToggledError, describe

_TAGS = re.compile(r"<[^>]+>")
_BACK_WORDS = frozenset({"back", "go back", "previous", "undo"})
_YES = re.compile(r"^(?:y|yes|yep|ok|okay|looks good|good|great|confirm|correct|👍|sure)\W*$")
_CHANGE = re.compile(r"^(?:no|change|change something|edit|nope)\W*$")


# --- asking -----------------------------------------------------------------------------------


def asking_for(context: RunliftContext, draft: DraftState, owner: int) -> q.Asking:
    """What the question texts need: flow, owner, the runner's date, the default zone."""
    services = context.services
    zone = str(draft.data.get("timezone") or services.settings.default_timezone)
    today = services.today_in(zone)
    goal = Goal.model_validate(draft.data["goal"]) if draft.data.get("goal") else None
    experience = Experience(draft.data.get("experience", Experience.INTERMEDIATE.value))
    back = REGISTRY.previous_step(draft.kind, draft.step, draft.data) is not None
    return q.Asking(
        kind=draft.kind,
        owner=owner,
        today=today,
        default_zone=services.settings.default_timezone,
        recommended=flow.recommended_sessions(goal, experience, today),
        can_go_back=back or draft.kind == DraftKind.SETTINGS,
    )


async def ask(
    update: Update, context: RunliftContext, draft: DraftState, owner: int, *, lead: str = ""
) -> None:
    """Sends the draft's open question (or the summary, or the change picker), after `lead`."""
    chat = update.effective_chat
    if chat is None:
        return
    asking = asking_for(context, draft, owner)
    if draft.step == SUMMARY:
        text, markup = ui.summary(draft.data), ui.summary_keyboard(asking)
    elif draft.step == CHANGE:
        text, markup = "Which answer would you like to change?", ui.change_keyboard(asking)
    else:
        text, markup = q.question(draft.step, draft.data, asking)
    await context.bot.send_message(chat.id, lead + text, parse_mode="HTML", reply_markup=markup)


async def begin(update: Update, context: RunliftContext, owner: int, greeting: str) -> None:
    """Starts onboarding from the first question with no answers."""
    draft = await flow.save_draft(
        context.services, owner, DraftKind.ONBOARDING, REGISTRY.first, {}
    )
    message = update.effective_message
    if message is not None and greeting:
        await context.bot.send_message(message.chat.id, greeting)
    await ask(update, context, draft, owner)


# --- the conversation engine (onboarding and settings) ----------------------------------------


async def go_back(update: Update, context: RunliftContext, draft: DraftState, owner: int) -> None:
    """Returns to the previous question (settings: back to the list of answers)."""
    previous = REGISTRY.previous_step(draft.kind, draft.step, draft.data)
    if previous is None:
        if draft.kind == DraftKind.SETTINGS:
            await flow.drop_draft(context.services, owner, DraftKind.SETTINGS)
            await show_settings_menu(update, context, owner)
        return
    data = dict(draft.data)
    if previous == SUMMARY:
        data.pop(EDITING, None)
    draft = await flow.save_draft(context.services, owner, draft.kind, previous, data)
    await ask(update, context, draft, owner)


ANSWERED = "_answered"
"""Draft key: the id of the last typed message applied, so a redelivered one is not re-read."""


async def answer_question(
    update: Update, context: RunliftContext, draft: DraftState, owner: int, answer: Answer
) -> None:
    """Applies one answer; then the next question, the summary, or (settings) saves it."""
    typed = update.message.message_id if update.message is not None else None
    if typed is not None and typed <= int(draft.data.get(ANSWERED, 0)):
        # Telegram hands an update out again when the bot died before confirming it (or
        # another replica takes over one whose replica died): this answer was applied and
        # saved already, so ask the open question, the summary too, instead of reading it as
        # the answer to the next one
        await ask(update, context, draft, owner)
        return
    if draft.step == SUMMARY:
        await answer_summary(update, context, draft, owner, answer)
        return
    if draft.step == CHANGE:
        await answer_change(update, context, draft, owner, answer)
        return
    data = dict(draft.data)
    if typed is not None:
        data[ANSWERED] = typed
    asking = asking_for(context, draft, owner)
    try:
        q.apply_answer(draft.step, data, answer, asking)
    except ToggledError:
        await flow.save_draft(context.services, owner, draft.kind, draft.step, data)
        await redraw(update, context, DraftState(draft.kind, draft.step, data), owner)
        return
    await close_question(update)
    following = REGISTRY.next_step(draft.kind, draft.step, data)
    if following == END:
        await save_setting(update, context, draft, owner, data)
        return
    if following == SUMMARY:
        data.pop(EDITING, None)
    saved = await flow.save_draft(context.services, owner, draft.kind, following, data)
    # A week typed in words is echoed as a table with the next question: one tap on Back fixes
    # a misreading, and the summary asks once more before the plan is built.
    typed_week = draft.step == q.WEEK.key and answer.text is not None
    lead = q.week_echo(q.week_of(data)) if typed_week else ""
    await ask(update, context, saved, owner, lead=lead)


async def answer_summary(
    update: Update, context: RunliftContext, draft: DraftState, owner: int, answer: Answer
) -> None:
    """“Looks good” saves and plans; “Change something” opens the list of answers."""
    choice = answer.arg or _summary_choice(answer.text or "")
    if choice == "change":
        saved = await flow.save_draft(
            context.services, owner, DraftKind.ONBOARDING, CHANGE, draft.data
        )
        await close_question(update)
        await ask(update, context, saved, owner)
        return
    if choice != "ok":
        raise AnswerError("Tap <b>Looks good</b> to build your plan, or <b>Change something</b>.")
    try:
        profile = build_profile(draft.data)
    except ProfileError:
        redo = next(iter(REGISTRY.missing(draft.data)), REGISTRY.first)
        data = {**draft.data, EDITING: True}
        saved = await flow.save_draft(context.services, owner, DraftKind.ONBOARDING, redo, data)
        await close_question(update)
        await _say(update, context, f"I'm missing your {REGISTRY.titles()[redo].lower()}.")
        await ask(update, context, saved, owner)
        return
    # saved before the buttons go: an outage here leaves the summary to be answered again
    plan = await flow.complete_onboarding(context.services, owner, profile)
    await close_question(update)
    from handlers.plan_view import send_parts

    today = context.services.today_in(profile.timezone)
    notes = plan.weeks[0].notes if plan.weeks else ()
    await send_parts(update, context, plan_ready_parts(plan.sessions(), notes, today, profile))


def plan_ready_parts(
    sessions: Sequence[Session], notes: Sequence[str], today: date, profile: RunnerProfile
) -> list[str]:
    """The message that ends onboarding: "All set!" and the coming week."""
    from handlers.plan_view import coming_week_parts

    return [
        "All set! 💪 Here's your strength for the coming week:",
        *coming_week_parts(sessions, notes, today, profile.units),
        "I'll send each session after your run and ask how it went. "
        "/plan shows two weeks, /today today's session, /settings changes an answer.",
    ]


async def send_plan_ready(update: Update, context: RunliftContext, owner: int) -> bool:
    """The end of onboarding again, from the stored plan, for a confirmation of the summary
    that was saved while its answer was lost (the replica handling it was killed, or the
    database went away between the commit and the send: `bot.inbox`). False for a runner who
    is not onboarded."""
    from handlers.plan_view import send_parts

    view = await flow.plan_for(context.services, owner)
    if view is None:
        return False
    sessions = [shown.session for week in view.weeks for shown in week.sessions]
    notes = view.weeks[0].notes if view.weeks else ()
    await send_parts(update, context, plan_ready_parts(sessions, notes, view.today, view.profile))
    return True


def confirms_summary(text: str) -> bool:
    """Whether a typed text says "Looks good" to the onboarding summary."""
    return _summary_choice(text) == "ok"


async def _say(update: Update, context: RunliftContext, text: str) -> None:
    if update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, text, parse_mode="HTML")


def _summary_choice(text: str) -> str:
    """ "yes", "yep, that's right" build the plan; "no", "change something" open the list."""
    value = text.strip().casefold()
    confirmed = read_confirmation(text)
    if _YES.match(value) or confirmed is True:
        return "ok"
    if _CHANGE.match(value) or confirmed is False:
        return "change"
    return ""


async def answer_change(
    update: Update, context: RunliftContext, draft: DraftState, owner: int, answer: Answer
) -> None:
    """The runner picked which answer to redo; after it, back to the summary."""
    step = answer.arg
    if answer.text is not None or step not in (*REGISTRY.titles(), SUMMARY):
        raise AnswerError("Tap the answer you'd like to change.")
    data = dict(draft.data)
    if step != SUMMARY:
        data[EDITING] = True
    saved = await flow.save_draft(context.services, owner, DraftKind.ONBOARDING, step, data)
    await close_question(update)
    await ask(update, context, saved, owner)


async def save_setting(
    update: Update, context: RunliftContext, draft: DraftState, owner: int, data: dict[str, Any]
) -> None:
    """Ends a settings change: saves the profile and shows the rebuilt coming week."""
    from handlers.plan_view import coming_week_parts, send_parts

    try:
        plan = await flow.change_setting(context.services, owner, data)
    except ProfileError:
        await flow.drop_draft(context.services, owner, DraftKind.SETTINGS)
        raise AnswerError("That change doesn't fit your profile — nothing was changed.") from None
    profile = await flow.get_profile(context.services, owner)
    if profile is None:
        return
    today = context.services.today_in(profile.timezone)
    notes = plan.weeks[0].notes if plan.weeks else ()
    parts = [
        "Saved ✓ Your plan follows — here's the coming week:",
        *coming_week_parts(plan.sessions(), notes, today, profile.units),
    ]
    await send_parts(update, context, parts)


async def close_question(update: Update) -> None:
    """Removes the buttons of the question just answered by a button (old buttons go stale)."""
    query = update.callback_query
    if query is not None and query.message is not None:
        await query.edit_message_reply_markup(None)


async def redraw(update: Update, context: RunliftContext, draft: DraftState, owner: int) -> None:
    """Re-renders a multi-select question in place after a tap."""
    query = update.callback_query
    if query is None:
        await ask(update, context, draft, owner)
        return
    _, markup = q.question(draft.step, draft.data, asking_for(context, draft, owner))
    await query.edit_message_reply_markup(markup)


async def reply_problem(
    update: Update, context: RunliftContext, draft: DraftState, owner: int, error: AnswerError
) -> None:
    """A friendly reply with an example, then the same question again."""
    await _say(update, context, str(error))
    current = await flow.get_draft(context.services, owner, draft.kind) or draft
    await ask(update, context, current, owner)


async def handle(
    update: Update, context: RunliftContext, draft: DraftState, owner: int, answer: Answer
) -> str | None:
    """One answer to the open question: back, an answer, or a friendly problem.

    Returns:
        For a button, the short text to answer the press with when it can't be taken.
    """
    if answer.arg == q.BACK or (answer.text or "").strip().casefold() in _BACK_WORDS:
        await go_back(update, context, draft, owner)
        return None
    try:
        await answer_question(update, context, draft, owner, answer)
    except AnswerError as error:
        if update.callback_query is not None:
            return _TAGS.sub("", str(error))[:190]
        await reply_problem(update, context, draft, owner, error)
    return None


# --- /settings: the list of answers and the pick (asked by the same engine) ---------------


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
        DraftKind.SETTINGS,
        owner,
        context.services.today_in(profile.timezone),
        context.services.settings.default_timezone,
    )
    text = "Your answers — tap one to change it:\n\n" + "\n".join(lines)
    await context.bot.send_message(
        chat.id, text, parse_mode="HTML", reply_markup=ui.change_keyboard(asking, "menu")
    )


async def received_settings_choice(
    update: Update, context: RunliftContext, decoded: CallbackData
) -> None:
    """The runner picked an answer to change: ask that question, prefilled."""
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


# --- Telegram handlers ------------------------------------------------------------------------


async def start_command(update: Update, context: RunliftContext) -> None:
    """Greets a new runner and asks the first question; offers a returning one the choices."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    state = await flow.start_runner(
        context.services,
        user.id,
        chat_id=chat.id,
        first_name=user.first_name or "",
        first_step=REGISTRY.first,
    )
    draft = DraftState(DraftKind.ONBOARDING, REGISTRY.first, {})
    asking = asking_for(context, draft, user.id)
    name = user.first_name or "there"
    if state.new:  # the draft is saved already: greeting and first question in one message
        welcome = html.escape(ui.WELCOME.format(name=name), quote=False)
        text, markup = q.question(REGISTRY.first, {}, asking)
        await context.bot.send_message(
            chat.id, f"{welcome}\n\n{text}", parse_mode="HTML", reply_markup=markup
        )
    elif state.draft is not None:
        markup = ui.menu(asking, [("▶ Continue", "resume"), ("🔄 Start over", "restart")])
        await context.bot.send_message(chat.id, ui.RESUME.format(name=name), reply_markup=markup)
    elif state.profile is not None:
        markup = ui.menu(asking, [("📋 Show my plan", "plan"), ("🔄 Start over", "restart")])
        await context.bot.send_message(
            chat.id, ui.ONBOARDED.format(name=name), reply_markup=markup
        )
    else:
        await begin(update, context, user.id, ui.WELCOME.format(name=name))


async def received_menu_choice(
    update: Update, context: RunliftContext, decoded: CallbackData
) -> None:
    """Continue, start over, or show the plan (from /start)."""
    owner = decoded.owner_id
    choice = decoded.arg(1)
    await close_question(update)
    if choice == "restart":
        await begin(update, context, owner, "Fresh start — let's go.")
    elif choice == "plan":
        from handlers.plan_view import plan_command

        await plan_command(update, context)
    elif choice == "resume":
        draft = await flow.get_draft(context.services, owner, DraftKind.ONBOARDING)
        if draft is None:
            await begin(update, context, owner, "Let's set up your plan.")
            return
        data = {k: v for k, v in draft.data.items() if k != PAUSED}
        draft = await flow.save_draft(
            context.services, owner, DraftKind.ONBOARDING, draft.step, data
        )
        await ask(update, context, draft, owner)


async def received_button(update: Update, context: RunliftContext) -> None:
    """Any onboarding or settings button: checked against the presser and the open question."""
    query = update.callback_query
    user = update.effective_user
    decoded = await owned_press(update, expired=ui.CONVERSATION_OVER)
    if query is None or user is None or decoded is None:
        return
    if not decoded.args:
        await query.answer(ui.CONVERSATION_OVER)
        return
    kind = DraftKind.SETTINGS if decoded.action is Action.SETTINGS else DraftKind.ONBOARDING
    step = decoded.args[0]
    if step == "menu":
        await query.answer()
        if kind == DraftKind.SETTINGS:
            await received_settings_choice(update, context, decoded)
        else:
            await received_menu_choice(update, context, decoded)
        return
    draft = await flow.get_draft(context.services, user.id, kind)
    confirmed = kind == DraftKind.ONBOARDING and list(decoded.args[:2]) == [SUMMARY, "ok"]
    # "Looks good" once the profile is saved: its plan (an earlier try saved the profile and
    # lost the answer, or a second tap)
    if draft is None and confirmed and await send_plan_ready(update, context, user.id):
        await query.answer()
        return
    if draft is None or draft.paused:
        await query.answer(ui.CONVERSATION_OVER if draft is None else ui.PAUSED)
        return
    if draft.step != step:
        await query.answer(ui.STALE_QUESTION)
        return
    note = await handle(update, context, draft, user.id, Answer(args=decoded.args[1:]))
    await query.answer(note)


async def received_location(update: Update, context: RunliftContext) -> None:
    """A shared location answers the time-zone question."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None or message.location is None:
        return
    draft = await flow.active_draft(context.services, user.id)
    if draft is None:
        return
    if draft.step not in REGISTRY or not REGISTRY.get(draft.step).accepts_location:
        await message.reply_text("Thanks! I only need your location for the time zone.")
        await ask(update, context, draft, user.id)
        raise ApplicationHandlerStop
    zone = timezone_at(message.location.latitude, message.location.longitude)
    if zone is None:
        await message.reply_text("I couldn't find a time zone there — type your city instead.")
        await ask(update, context, draft, user.id)
        raise ApplicationHandlerStop
    await handle(update, context, draft, user.id, Answer(text=zone))
    raise ApplicationHandlerStop


async def cancel_command(update: Update, context: RunliftContext) -> None:
    """Stops the conversation; onboarding answers stay saved for /start."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None:
        return
    draft = await flow.active_draft(context.services, user.id)
    if draft is None:
        paused = await flow.get_draft(context.services, user.id, DraftKind.ONBOARDING)
        if paused is None:
            return
        await message.reply_text(ui.PAUSED)
        raise ApplicationHandlerStop
    if draft.kind == DraftKind.SETTINGS:
        await flow.drop_draft(context.services, user.id, DraftKind.SETTINGS)
        await message.reply_text(ui.SETTINGS_CANCELLED)
    else:
        await flow.save_draft(
            context.services,
            user.id,
            DraftKind.ONBOARDING,
            draft.step,
            {**draft.data, PAUSED: True},
        )
        await message.reply_text(ui.PAUSED)
    raise ApplicationHandlerStop


def register(app: RunliftApplication) -> None:
    app.add_handler(CommandHandler("cancel", cancel_command), group=-1)
    app.add_handler(MessageHandler(filters.LOCATION, received_location), group=-1)
    app.add_handler(CommandHandler("start", start_command))
    app.add_handler(CallbackQueryHandler(received_button, pattern=pattern(Action.ONBOARDING)))
