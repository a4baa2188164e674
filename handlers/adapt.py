"""Coaching that bends: /pain, /swap, /week, /race, /summary, readiness, and the same in words.

Every command also works as plain words (the text router, `handlers.router`, calls
`answer_open_question` for a dialog's open question and `answer_words` for an intent), and every
answer carries buttons. A question a dialog leaves open ("How bad is your knee, 0–10?", "Is that
right?") is an `adapt_ask` draft, read with the other flows' open questions in one statement.
Callback data (`ad:owner:…`, ≤ 64 bytes) is built by `_data` and read by
`received_button`; swap choices travel as an index into the offer kept in a draft.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.constants import MessageLimit
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import RunliftApplication, RunliftContext
from bot.core.answers import AnswerError, format_week, parse_week
from bot.core.domain.adjustments import PainLevel, Readiness
from bot.core.domain.errors import NotOnboardedError, ProfileError
from bot.core.domain.plan import Session
from bot.core.domain.profile import WEEKDAYS, Limitation, Priority, Units
from bot.core.language.intents import (
    Context,
    Intent,
    PainReport,
    RaceAction,
    RaceChange,
    ReadinessReport,
    SwapRequest,
    WeekChange,
    read_confirmation,
    read_intent,
    read_pain,
    read_race,
    read_score,
    read_swap,
    read_week,
)
from bot.core.language.words import PART_NAMES
from bot.core.planner.render import season_line, session_text
from bot.services import dialogs as dialogs_service
from bot.services import pain as pain_service
from bot.services import readiness as readiness_service
from bot.services import swaps as swaps_service
from bot.services import week_changes as week_changes_service
from bot.services import weekly_summary as weekly_summary_service
from bot.services.onboarding import plan_for
from handlers.callbacks import Action, encode, owned_press, pattern
from handlers.questions import week_table
from handlers.ui_onboarding import NUDGE

ACTION = Action.ADAPT

COMMANDS: tuple[tuple[str, str], ...] = (
    ("week", "Change your running week (or just this week's)"),
    ("swap", "Swap an exercise: no rack, hotel gym, or just not today"),
    ("pain", "Tell me what hurts, e.g. /pain knee 6"),
    ("race", "A new, moved or dropped race, e.g. /race 10k on 12 april"),
    ("summary", "This week: sessions done, sets logged, what's next"),
)
"""The commands this flow adds to the menu and /help."""

WHAT_I_CAN_DO = (
    "Here's what I can do with words like that:\n"
    "• <i>my knee hurts 6/10</i> or /pain — I plan around it\n"
    "• <i>no rack today</i>, <i>swap squats</i> or /swap — I offer substitutes\n"
    "• <i>this week my tempo is on thursday</i> or /week — I move sessions\n"
    "• <i>10k on 12 april</i> or /race — I re-plan toward it\n"
    "• <i>legs are wrecked</i> — I trim today's session\n"
    "• <i>squat 4x5 60kg</i> — I log it; /summary shows your week"
)

WEEK_HINT = (
    "Tell me your usual week after /week, e.g. <i>/week tue tempo, thu intervals, sun long, "
    "mon and fri easy</i>.\nFor this week only, say e.g. <i>this week my tempo is on "
    "thursday</i> or <i>skipped the long run</i>."
)
RACE_HINT = (
    "Tell me about the race after /race, e.g. <i>/race 10k on 12 april</i>, "
    "<i>/race moved to 3 may</i>, <i>/race dropped</i> or <i>/race done</i>."
)
PAIN_HINT = "Which part hurts? Tap it, or type e.g. <i>/pain knee 6</i> (0 = fine, 10 = worst)."

_PARTS = tuple(Limitation)
PAIN_SCORE = "pain:"
"""The open question "How bad is your <part>?" is `pain:<part>`."""
WEEK_CONFIRM = "week_confirm"
"""The open question "Is that right?" under a usual week read from words."""
_SCORES = ((2, "0–3 · a niggle"), (5, "4–5 · sore"), (7, "6+ · hurts"))
_STATES = {"f": Readiness.FRESH, "t": Readiness.TIRED, "s": Readiness.SORE}


def _data(owner: int, *args: object) -> str:
    return encode(ACTION, owner, *args)


def _plan_button(owner: int) -> InlineKeyboardButton:
    return InlineKeyboardButton("📅 My plan", callback_data=_data(owner, "plan"))


def _keyboard(owner: int, *rows: Sequence[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([*map(list, rows), [_plan_button(owner), _summary_button(owner)]])


def _summary_button(owner: int) -> InlineKeyboardButton:
    return InlineKeyboardButton("🗓 My week", callback_data=_data(owner, "sum"))


def _day(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()].title} {day:%-d %b}"


def _sessions_lines(sessions: Sequence[Session]) -> str:
    if not sessions:
        return "No strength sessions in that stretch."
    lines = []
    for s in sessions:
        after = f" after your {s.after_run.value} run" if s.after_run else ""
        lines.append(f"• {_day(s.date)} — session {html.escape(s.name)}{after}")
    return "\n".join(lines)


async def _reply(
    update: Update, text: str, keyboard: InlineKeyboardMarkup | None = None
) -> Message | None:
    """Answers in the chat the update came from (a message or a button press)."""
    message = update.effective_message
    if message is None:
        return None
    query = update.callback_query
    if query is not None and message.chat is not None:
        return await message.chat.send_message(text, parse_mode="HTML", reply_markup=keyboard)
    return await message.reply_html(text, reply_markup=keyboard)


async def _command(update: Update, context: RunliftContext) -> tuple[int, str, Context] | None:
    """A command's runner, its words after the command, and how to read them; None (with a
    nudge to /start) before onboarding."""
    owner = _owner(update)
    if owner is None:
        return None
    try:
        ctx = await dialogs_service.intent_context(context.services, owner)
    except NotOnboardedError:
        await _reply(update, NUDGE)
        return None
    return owner, " ".join(context.args or []).strip(), ctx


def _owner(update: Update) -> int | None:
    user = update.effective_user
    return user.id if user is not None else None


# --- pain (X2) ------------------------------------------------------------------------------


def pain_text(result: pain_service.PainResult, *, estimated: bool) -> str:
    name = PART_NAMES[result.part]
    if result.ended:
        return (
            f"Great news about your {name} 🎉 Your full plan is back, loads and all. "
            "Tell me straight away if it grumbles again."
        )
    if result.level is PainLevel.STOP:
        text = (
            f"Sorry about your {name}. At {result.score}/10 I've taken everything that loads "
            f"the {name} out of your plan, and swapped in exercises that spare it. "
            f"<b>Please see a physiotherapist</b> before loading it again — pain that persists "
            "needs a proper look, and I never coach through sharp pain.\n"
            f"Tell me when it's better (<i>{name} is fine now</i> or <i>/pain {_arg(result.part)} "
            "0</i>)."
        )
    elif result.level is PainLevel.REDUCE:
        text = (
            f"Noted: {name} at {result.score}/10. Until it settles, the work that loads the "
            f"{name} is 20% lighter and the exercises it should avoid are swapped for "
            f"{name}-friendly ones. Tell me how it feels next time."
        )
    else:
        text = (
            f"{name[0].upper() + name[1:]} at {result.score}/10: carry on, keep the movements "
            "smooth, and tell me if it gets worse."
        )
    if estimated:
        text += "\n\nI guessed the score from your words — tap if it's different:"
    return text


def _arg(part: Limitation) -> str:
    return "back" if part is Limitation.LOWER_BACK else part.value


def _score_row(owner: int, part: Limitation) -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(label, callback_data=_data(owner, "pn", part.value, score))
        for score, label in _SCORES
    ]


async def _ask_how_bad(
    update: Update, context: RunliftContext, owner: int, part: Limitation
) -> None:
    """ "How bad is your knee, 0–10?": buttons, or the next plain message ("6", "about a 6")."""
    await dialogs_service.open_question(context.services, owner, f"{PAIN_SCORE}{part.value}")
    await _reply(
        update,
        f"How bad is your {PART_NAMES[part]}, 0–10?",
        _keyboard(owner, _score_row(owner, part)),
    )


async def _pain(update: Update, context: RunliftContext, owner: int, report: PainReport) -> None:
    result = await pain_service.report_pain(context.services, owner, report.part, report.score)
    rows: list[list[InlineKeyboardButton]] = []
    if report.estimated:
        rows.append(_score_row(owner, report.part))
    elif result.level is not PainLevel.CARRY_ON:
        rows.append(
            [
                InlineKeyboardButton(
                    "👍 It's better now", callback_data=_data(owner, "pn", report.part.value, 0)
                )
            ]
        )
    await _reply(update, pain_text(result, estimated=report.estimated), _keyboard(owner, *rows))


async def pain_command(update: Update, context: RunliftContext) -> None:
    """/pain knee 6 — or /pain to pick the part and how bad."""
    command = await _command(update, context)
    if command is None:
        return
    owner, text, ctx = command
    report = read_pain(text, ctx) if text else None
    if report is None:
        named = read_pain(f"{text} sore", ctx) if text else None
        if named is not None:
            await _ask_how_bad(update, context, owner, named.part)
            return
        await _ask_which_part(update, context, owner)
        return
    await _pain(update, context, owner, report)


async def _ask_which_part(update: Update, context: RunliftContext, owner: int) -> None:
    """ "Which part hurts?": a button per part, or the next plain message ("my knee, 6")."""
    rows = [
        [
            InlineKeyboardButton(
                PART_NAMES[p].capitalize(), callback_data=_data(owner, "pp", p.value)
            )
            for p in _PARTS[i : i + 3]
        ]
        for i in range(0, len(_PARTS), 3)
    ]
    await dialogs_service.open_question(context.services, owner, "pain")
    await _reply(update, PAIN_HINT, _keyboard(owner, *rows))


# --- swaps (S6) -----------------------------------------------------------------------------


async def _swap(update: Update, context: RunliftContext, owner: int, request: SwapRequest) -> None:
    options = await swaps_service.swap_options(
        context.services, owner, request.exercise_id, kit=request.kit
    )
    if options is None:
        await _reply(update, "There's no session planned in the next two weeks.", _keyboard(owner))
        return
    await swaps_service.save_swap_choices(context.services, owner, options)
    await _show_options(update, owner, options)


async def _show_options(update: Update, owner: int, options: swaps_service.SwapOptions) -> None:
    when = _day(options.session_date)
    if options.exercise is None:
        rows = [
            [InlineKeyboardButton(c.name, callback_data=_data(owner, "sx", i))]
            for i, c in enumerate(options.in_session[:8])
        ]
        await _reply(
            update, f"Which exercise of {when}'s session should I swap?", _keyboard(owner, *rows)
        )
        return
    if not options.options:
        await _reply(
            update,
            f"I have no substitute for {html.escape(options.exercise.name)} that fits your "
            "equipment — it stays as planned.",
            _keyboard(owner),
        )
        return
    rows = [
        [
            InlineKeyboardButton(c.name, callback_data=_data(owner, "sw", i, 0)),
            InlineKeyboardButton("♾ Always", callback_data=_data(owner, "sw", i, 1)),
        ]
        for i, c in enumerate(options.options[:5])
    ]
    await _reply(
        update,
        f"Swap <b>{html.escape(options.exercise.name)}</b> in {when}'s session for one of "
        "these? (<i>Always</i> keeps the swap for every session.)",
        _keyboard(owner, *rows),
    )


async def offer_swap(update: Update, context: RunliftContext, owner: int) -> None:
    """Which exercise of the next session (today's, under its reminder) to swap."""
    try:
        await _swap(update, context, owner, SwapRequest())
    except NotOnboardedError:
        await _reply(update, NUDGE)


async def swap_command(update: Update, context: RunliftContext) -> None:
    """/swap squats, /swap no rack — or /swap to pick from the next session."""
    command = await _command(update, context)
    if command is None:
        return
    owner, text, ctx = command
    request = read_swap(f"swap {text}", ctx) or SwapRequest()
    await _swap(update, context, owner, request)


async def _chosen(
    update: Update, context: RunliftContext, owner: int, index: int, always: bool
) -> None:
    offer = await swaps_service.swap_choice(context.services, owner)
    if offer is None or offer.get("exercise") is None or index >= len(offer["options"]):
        await _reply(update, "That offer has expired — send /swap again.", _keyboard(owner))
        return
    result = await swaps_service.choose_swap(
        context.services,
        owner,
        date.fromisoformat(offer["date"]),
        offer["exercise"],
        offer["options"][index],
        always=always,
    )
    units = (await dialogs_service.profile_and_today(context.services, owner))[0].units
    text = f"Done — {html.escape(result.reason)}."
    if result.session is not None:
        text += "\n\n" + session_text(result.session, units)
    await _reply(update, text, _keyboard(owner))


# --- readiness --------------------------------------------------------------------------------


def readiness_text(state: Readiness, session: Session | None, units: Units) -> str:
    """The answer to Fresh / Tired / Sore: what today's session now is, and why."""
    if session is None:
        if state is Readiness.FRESH:
            return "Great — there's no strength session today, so enjoy your run."
        return "Noted — there's no strength session today, so rest up and recover well."
    if state is Readiness.FRESH:
        text = "Great — today's session stays as planned. Enjoy it! 💪"
    else:
        text = (
            "Thanks for telling me. I've trimmed today: one set fewer per lift, no jumps, and "
            "one more rep in reserve. A lighter day beats a skipped one."
        )
    return text + "\n\n" + session_text(session, units)


async def _readiness(
    update: Update, context: RunliftContext, owner: int, state: Readiness
) -> None:
    result = await readiness_service.record_readiness(context.services, owner, state)
    units = (await dialogs_service.profile_and_today(context.services, owner))[0].units
    await _reply(update, readiness_text(state, result.session, units), _keyboard(owner))


# --- the week (X3) --------------------------------------------------------------------------


async def week_command(update: Update, context: RunliftContext) -> None:
    """/week tue tempo, … — the usual week (confirmed from a table); or a one-off change."""
    command = await _command(update, context)
    if command is None:
        return
    owner, text, ctx = command
    if not text:
        await dialogs_service.open_question(context.services, owner, "week")
        await _reply(update, WEEK_HINT, _keyboard(owner))
        return
    await _week_words(update, context, owner, text, ctx)


async def _week_words(
    update: Update, context: RunliftContext, owner: int, text: str, ctx: Context
) -> None:
    """A week in words: a one-off change applies now; a usual week is echoed to confirm."""
    change = read_week(text, ctx)
    if change is not None and change.edit.scope.value != "always":
        await _week_change(update, context, owner, change)
        return
    try:
        week = parse_week(text)
    except AnswerError as error:
        await _reply(update, str(error), _keyboard(owner))
        return
    await week_changes_service.save_week_choice(context.services, owner, week)
    await dialogs_service.open_question(context.services, owner, WEEK_CONFIRM)
    await _reply(
        update,
        "Here's your usual week as I read it:\n" + week_table(dict(week)) + "\nIs that right?",
        _keyboard(
            owner,
            [
                InlineKeyboardButton("✅ Use this week", callback_data=_data(owner, "wk", 1)),
                InlineKeyboardButton("✖️ Cancel", callback_data=_data(owner, "wk", 0)),
            ],
        ),
    )


async def _week_change(
    update: Update, context: RunliftContext, owner: int, change: WeekChange
) -> None:
    result = await week_changes_service.change_week(context.services, owner, change.edit)
    when = "Next week" if change.edit.scope.value == "next" else "This week"
    await _reply(
        update,
        f"Got it — {html.escape(result.reason)}.\n<b>{when}'s sessions now:</b>\n"
        + _sessions_lines(result.sessions),
        _keyboard(owner),
    )


async def _week_confirmed(update: Update, context: RunliftContext, owner: int, yes: bool) -> None:
    week = await week_changes_service.week_choice(context.services, owner)
    if not yes or week is None:
        await _reply(update, "OK, your week stays as it was.", _keyboard(owner))
        return
    try:
        result = await week_changes_service.set_usual_week(context.services, owner, week)
    except ProfileError:
        await _reply(update, "I need at least one run in your week to plan around.")
        return
    await _reply(
        update,
        f"Done — your usual week is now {html.escape(format_week(week))}.\n"
        "<b>Next week's sessions:</b>\n" + _sessions_lines(result.sessions),
        _keyboard(owner),
    )


# --- the race (PH4) -------------------------------------------------------------------------

_DISTANCE_NAMES = {
    "5k": "5K",
    "10k": "10K",
    "half_marathon": "half marathon",
    "marathon": "marathon",
    "ultra": "ultra",
}


async def _race(update: Update, context: RunliftContext, owner: int, change: RaceChange) -> None:
    try:
        result = await week_changes_service.change_race(context.services, owner, change)
    except ProfileError:
        await _reply(update, "That date is out of range — pick a race within two years.")
        return
    name = _DISTANCE_NAMES.get(result.distance.value if result.distance else "", "race")
    if result.priority is not None and not result.needs_date:
        await _reply(update, _season_race_text(result, name), _keyboard(owner))
        return
    if result.needs_date and result.priority is not None:
        await _reply(
            update, "Which race is it? e.g. <i>/race 5k on 17 april B</i>.", _keyboard(owner)
        )
        return
    if result.needs_date:
        await _reply(update, f"When is your {name}? e.g. <i>/race {name} on 12 april</i>.")
        return
    if result.action is RaceAction.DROPPED and result.race_date is not None:
        text = f"Race dropped: your {name} on {_day(result.race_date)} is off the season."
        season = season_line(result.races)
        if season:
            text += f"\n🏁 {html.escape(season)}"
    elif result.action is RaceAction.DROPPED:
        text = "Race dropped. You're in base training now: steady strength, two sessions a week."
    elif result.action is RaceAction.DONE and result.along_the_way and result.goal is not None:
        goal_name = _DISTANCE_NAMES.get(result.goal.race_distance.value, "race")
        text = (
            f"Well done on your {name}! 🏅 A few easy days for your legs first. Your goal race "
            f"stays the {goal_name} on {_day(result.goal.race_date)}: the plan goes on toward it."
        )
    elif result.action is RaceAction.DONE:
        text = (
            f"Well done on your {name}! 🏅 Recovery first: mobility only for a few days. "
            "What's next? Tell me with e.g. <i>/race half marathon on 14 march</i>."
        )
    else:
        assert result.race_date is not None
        text = (
            f"Race {'moved' if result.action is RaceAction.MOVED else 'set'}: {name} on "
            f"{_day(result.race_date)}. I've re-planned toward it."
        )
    coming = [s for s in result.sessions if result.race_date is None or s.date <= result.race_date]
    text += "\n<b>Coming sessions:</b>\n" + _sessions_lines(coming[:6])
    text += "".join(f"\nℹ️ {html.escape(n)}" for n in result.notes[:3])
    await _reply(update, text, _keyboard(owner))


_PRIORITY_TEXT = {
    Priority.A: "your A race, the goal: the phases count down to it",
    Priority.B: (
        "a B race: a short, light primer in the week before it, no heavy legs in its last "
        "5 days, and recovery days after it"
    ),
    Priority.C: (
        "a C race, run as training: no jumps in the 4 days before it, nothing in the last 2, "
        "and recovery days after it"
    ),
}


def _season_race_text(result: week_changes_service.RaceResult, name: str) -> str:
    """PH5: what a race with a priority changes, then the season and the coming sessions."""
    assert result.race_date is not None and result.priority is not None
    text = f"Got it: your {name} on {_day(result.race_date)} is {_PRIORITY_TEXT[result.priority]}."
    season = season_line(result.races)
    if season:
        text += f"\n🏁 {html.escape(season)}"
    coming = list(result.sessions[:6])
    text += "\n<b>Coming sessions:</b>\n" + _sessions_lines(coming)
    text += "".join(f"\nℹ️ {html.escape(n)}" for n in result.notes[:3])
    return text


async def race_command(update: Update, context: RunliftContext) -> None:
    """/race 10k on 12 april, /race moved to 3 may, /race dropped, /race done."""
    command = await _command(update, context)
    if command is None:
        return
    owner, text, ctx = command
    change = read_race(f"race {text}", ctx) if text else None
    if change is None:
        await dialogs_service.open_question(context.services, owner, "race")
        await _reply(update, RACE_HINT, _keyboard(owner))
        return
    await _race(update, context, owner, change)


# --- the weekly summary -----------------------------------------------------------------------


def summary_text(summary: weekly_summary_service.WeeklySummary) -> str:
    """One message: done / planned, sets, e1RM changes, adjustments, the coming week."""
    lines = [
        f"<b>🗓 Your week</b> (from {summary.week_start:%-d %b})",
        f"✅ {summary.done} of {summary.planned} sessions done"
        + (f" ({summary.skipped} skipped)" if summary.skipped else ""),
        f"🏋️ {summary.sets_logged} sets logged",
    ]
    unit = summary.units.value
    for name, (old, new) in list(summary.e1rm_changes.items())[:4]:
        factor = 1 / 0.45359237 if summary.units is Units.LB else 1
        shown_new = round(new * factor, 1)
        if old is None:
            lines.append(f"📈 {html.escape(name)}: e1RM {shown_new:g} {unit}")
        elif new > old:
            lines.append(
                f"📈 {html.escape(name)}: e1RM {round(old * factor, 1):g} → {shown_new:g} {unit}"
            )
    for reason in summary.adjustments[:4]:
        lines.append(f"ℹ️ {html.escape(reason)}")
    lines.append("\n<b>Coming up</b>\n" + _sessions_lines(summary.coming))
    return "\n".join(lines)


def summary_keyboard(owner: int) -> InlineKeyboardMarkup:
    """The summary's buttons (the Sunday reminder carries them too)."""
    return _keyboard(owner)


async def summary_command(update: Update, context: RunliftContext) -> None:
    """/summary — this week's sessions done / planned, sets, e1RM changes, what's next."""
    owner = _owner(update)
    if owner is None:
        return
    try:
        await _summary(update, context, owner)
    except NotOnboardedError:
        await _reply(update, NUDGE)


async def _summary(update: Update, context: RunliftContext, owner: int) -> None:
    """One message: the chart with the summary as its caption when an e1RM rose, else text."""
    summary = await weekly_summary_service.weekly_summary(context.services, owner)
    text = summary_text(summary)
    message = update.effective_message
    if summary.chart is None or len(text) > MessageLimit.CAPTION_LENGTH or message is None:
        await _reply(update, text, _keyboard(owner))
        return
    await message.chat.send_photo(
        InputFile(summary.chart, filename="runlift-week.png"),
        caption=text,
        parse_mode="HTML",
        reply_markup=_keyboard(owner),
    )


# --- words and buttons ------------------------------------------------------------------------


async def answer_intent(update: Update, context: RunliftContext, intent: Intent) -> None:
    """The free-text router's hand-off: one reply per intent, with buttons."""
    owner = _owner(update)
    if owner is None:
        return
    if isinstance(intent, PainReport):
        await _pain(update, context, owner, intent)
    elif isinstance(intent, SwapRequest):
        await _swap(update, context, owner, intent)
    elif isinstance(intent, ReadinessReport):
        await _readiness(update, context, owner, intent.state)
    elif isinstance(intent, WeekChange):
        if intent.edit.scope.value == "always":
            week = {**(await dialogs_service.profile_and_today(context.services, owner))[0].week}
            week.update(intent.edit.days)
            await week_changes_service.save_week_choice(context.services, owner, week)
            await _week_confirmed(update, context, owner, True)
        else:
            await _week_change(update, context, owner, intent)
    else:
        await _race(update, context, owner, intent)


async def answer_words(update: Update, context: RunliftContext, owner: int, text: str) -> bool:
    """Reads a plain message that was no answer and no set log as an intent (pain, swap, a
    changed week, a race, how the runner feels). True when it was one and has been answered."""
    try:
        ctx = await dialogs_service.intent_context(context.services, owner)
    except NotOnboardedError:
        return False
    intent = read_intent(text, ctx)
    if intent is None:
        return False
    await answer_intent(update, context, intent)
    return True


async def answer_open_question(
    update: Update, context: RunliftContext, owner: int, asked: str, text: str
) -> bool:
    """The dialog's open question (already closed by the caller: asked once, answered once),
    when the text answers it; False lets the router read the text as something else."""
    if asked == WEEK_CONFIRM:
        yes = read_confirmation(text)
        if yes is None:
            return False
        await _week_confirmed(update, context, owner, yes)
        return True
    if asked.startswith(PAIN_SCORE):
        try:
            part = Limitation(asked.removeprefix(PAIN_SCORE))
        except ValueError:
            return False
        score = read_score(text)
        if score is not None:
            await _pain(update, context, owner, PainReport(part, score))
            return True
    try:
        ctx = await dialogs_service.intent_context(context.services, owner)
    except NotOnboardedError:
        return False
    if asked.startswith(PAIN_SCORE):
        report = read_pain(f"{_arg(part)} {text}", ctx)
        if report is None or report.part is not part:
            return False
        await _pain(update, context, owner, report)
        return True
    if asked == "week":
        try:
            parse_week(text)
        except AnswerError:
            if read_week(text, ctx) is None:
                return False
        await _week_words(update, context, owner, text, ctx)
        return True
    if asked == "race":
        change = read_race(f"race {text}", ctx)
        if change is None:
            return False
        await _race(update, context, owner, change)
        return True
    if asked == "pain":
        report = read_pain(text, ctx) or read_pain(f"{text} sore", ctx)
        if report is None:
            if read_score(text) is None:
                return False
            await _ask_which_part(update, context, owner)  # a score, but of which part?
            return True
        if report.estimated and not read_pain(text, ctx):
            await _ask_how_bad(update, context, owner, report.part)
            return True
        await _pain(update, context, owner, report)
        return True
    return False


async def received_button(update: Update, context: RunliftContext) -> None:
    """Every button of this flow; the presser must be the owner."""
    query = update.callback_query
    data = await owned_press(update)
    if query is None or data is None:
        return
    await query.answer()
    owner, what = data.owner_id, data.arg(0)
    try:
        if what == "plan":
            from handlers.plan_view import plan_parts, send_parts

            view = await plan_for(context.services, owner)
            if view is None:
                await _reply(update, NUDGE)
            else:
                await send_parts(update, context, plan_parts(view))
        elif what == "sum":
            await _summary(update, context, owner)
        elif what == "pn":
            await dialogs_service.open_question(context.services, owner, None)
            report = PainReport(Limitation(data.arg(1)), int(data.arg(2)))
            await _pain(update, context, owner, report)
        elif what == "pp":
            await _ask_how_bad(update, context, owner, Limitation(data.arg(1)))
        elif what == "sw":
            await _chosen(update, context, owner, int(data.arg(1)), data.arg(2) == "1")
        elif what == "sx":
            offer = await swaps_service.swap_choice(context.services, owner)
            index = int(data.arg(1))
            if offer is None or index >= len(offer["in_session"]):
                await _reply(update, "That offer has expired — send /swap again.")
                return
            await _swap(update, context, owner, SwapRequest(offer["in_session"][index]))
        elif what == "rd":
            await _readiness(update, context, owner, _STATES[data.arg(1, "f")])
        elif what == "wk":
            await dialogs_service.open_question(context.services, owner, None)
            await _week_confirmed(update, context, owner, data.arg(1) == "1")
        else:
            await _reply(update, "This button has expired — /help shows what I can do.")
    except NotOnboardedError:
        await _reply(update, NUDGE)


def register(app: RunliftApplication) -> None:
    app.add_handler(CommandHandler("pain", pain_command))
    app.add_handler(CommandHandler("swap", swap_command))
    app.add_handler(CommandHandler("week", week_command))
    app.add_handler(CommandHandler("race", race_command))
    app.add_handler(CommandHandler("summary", summary_command))
    app.add_handler(CallbackQueryHandler(received_button, pattern=pattern(ACTION)))


__all__ = [
    "COMMANDS",
    "WHAT_I_CAN_DO",
    "answer_intent",
    "answer_open_question",
    "answer_words",
    "offer_swap",
    "readiness_text",
    "register",
    "summary_keyboard",
    "summary_text",
]
