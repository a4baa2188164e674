"""The buttons under a session reminder: one `SessionAction` entry per button.

An entry is everything a button is: its label, the key its callback data carries
(`Action.SESSION`, `<session id>:<key>`), the row it sits on, when it is offered, and what a press
does. The keyboard, the callback data and the dispatch are built from `SESSION_ACTIONS`, so
adding a button is one entry here and its test (CONTRIBUTING.md, "Add a session action").

Every press is checked against its owner (`owned_press`) and copes with a stale message (the
session was already skipped, moved or logged, or its day is over): a short answer, never an
error. Keys are part of messages already sent: never reuse one for something else.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler

from bot.context import RunliftApplication, RunliftContext
from bot.core.domain.adjustments import Readiness
from bot.core.domain.plan import BlockKind, Session
from bot.core.domain.profile import Weekday
from bot.services import session_buttons
from bot.services.container import Services
from bot.services.session_buttons import ButtonResult, Outcome
from handlers import adapt
from handlers.callbacks import EXPIRED, Action, encode, owned_press, pattern

UseCase = Callable[[Services, int, int], Awaitable[ButtonResult]]
"""(services, runner id, session id) → what the press did."""


@dataclass(frozen=True)
class Reply:
    """How a press that worked is answered."""

    toast: str
    """The short answer on the button itself (≤ 200 characters)."""
    message: str | None = None
    """A chat message (Telegram HTML) after the toast, if any."""
    spends_reminder: bool = False
    """The reminder's buttons go once this is done (snoozed, skipped, moved)."""


@dataclass(frozen=True)
class SessionAction:
    key: str
    """In the callback data; short, and never reused for another action."""
    label: str
    row: int
    """Keyboard row (0 first); entries of one row sit side by side in `SESSION_ACTIONS` order."""
    use_case: UseCase
    reply: Callable[[ButtonResult], Reply]
    """The answer when the use case worked (`Outcome.OK`); other outcomes share `refusal`."""
    offered: Callable[[Session], bool] = lambda session: True
    """Whether the button is on this session's reminder at all."""
    after: Callable[[Update, RunliftContext, int], Awaitable[None]] | None = None
    """A follow-up conversation after the reply (owner id given), e.g. the swap offer."""


def _clock(moment: datetime | None, timezone: str) -> str:
    if moment is None:
        return "quiet hours"
    return moment.astimezone(ZoneInfo(timezone)).strftime("%H:%M")


SKIPPED = "Skipped. No need to make it up — the plan goes on."
START_TEXT = (
    "Go! Work through the blocks in order. When you're done, reply with your sets, e.g. "
    "<code>squat 4x5 60kg</code> — or <code>done</code> if it went as planned."
)


READINESS_LABELS = {
    Readiness.FRESH: "😀 Fresh",
    Readiness.TIRED: "😴 Tired",
    Readiness.SORE: "🦵 Sore",
}
"""Tired or sore trims the day (a set fewer, no jumps, a rep more in reserve); fresh undoes it."""


def _readiness(state: Readiness) -> UseCase:
    async def use_case(services: Services, owner_id: int, session_id: int) -> ButtonResult:
        return await session_buttons.report_readiness(services, owner_id, session_id, state)

    return use_case


def _readiness_reply(state: Readiness) -> Callable[[ButtonResult], Reply]:
    def reply(result: ButtonResult) -> Reply:
        text = adapt.readiness_text(state, result.session, result.units)
        return Reply("Got it." if state is Readiness.FRESH else "Trimmed.", text)

    return reply


async def _session_of(services: Services, owner_id: int, session_id: int) -> ButtonResult:
    """The session as it stands (for actions whose work happens in a follow-up)."""
    return await session_buttons.start_session(services, owner_id, session_id)


def _has_lifts(session: Session) -> bool:
    swappable = (BlockKind.STRENGTH, BlockKind.ACCESSORY)
    return any(block.kind in swappable and block.exercises for block in session.blocks)


SESSION_ACTIONS: tuple[SessionAction, ...] = (
    SessionAction(
        "start",
        "▶️ Start",
        row=0,
        use_case=session_buttons.start_session,
        reply=lambda result: Reply("Have a good session!", START_TEXT),
    ),
    SessionAction(
        "snooze",
        "⏰ Snooze 1 h",
        row=0,
        use_case=session_buttons.snooze,
        reply=lambda result: Reply(
            f"OK, I'll remind you at {_clock(result.when, result.timezone)}.",
            f"OK, I'll remind you at {_clock(result.when, result.timezone)}.",
            spends_reminder=True,
        ),
    ),
    SessionAction(
        "skip",
        "⏭ Skip today",
        row=1,
        use_case=session_buttons.skip_today,
        reply=lambda result: Reply(SKIPPED, SKIPPED, spends_reminder=True),
    ),
    SessionAction(
        "move",
        "📅 Move to tomorrow",
        row=1,
        use_case=session_buttons.move_to_tomorrow,
        reply=lambda result: Reply("Moved to tomorrow.", "Moved to tomorrow.", True),
        # Sunday's session can't go to tomorrow: a new week starts there (X3).
        offered=lambda session: session.weekday is not Weekday.SUN,
    ),
    *(
        SessionAction(
            state.value,
            label,
            row=2,
            use_case=_readiness(state),
            reply=_readiness_reply(state),
        )
        for state, label in READINESS_LABELS.items()
    ),
    SessionAction(
        "swap",
        "🔁 Swap an exercise",
        row=3,
        use_case=_session_of,
        reply=lambda result: Reply("Which one?"),
        offered=_has_lifts,
        after=adapt.offer_swap,
    ),
)
BY_KEY = {action.key: action for action in SESSION_ACTIONS}
assert len(BY_KEY) == len(SESSION_ACTIONS), "two session actions share a key"


def session_keyboard(
    owner_id: int, session_id: int, session: Session | None = None
) -> InlineKeyboardMarkup:
    """The reminder's buttons: every action offered for `session` (all of them without one)."""
    rows: dict[int, list[InlineKeyboardButton]] = {}
    for action in SESSION_ACTIONS:
        if session is not None and not action.offered(session):
            continue
        data = encode(Action.SESSION, owner_id, session_id, action.key)
        button = InlineKeyboardButton(action.label, callback_data=data)
        rows.setdefault(action.row, []).append(button)
    return InlineKeyboardMarkup([rows[row] for row in sorted(rows)])


STALE_ANSWERS = {
    Outcome.GONE: "That session isn't in your plan any more.",
    Outcome.DONE: "Already logged — nice work.",
    Outcome.SKIPPED: "You skipped this one; the plan goes on.",
    Outcome.MOVED: "This session was moved; look for it on its new day.",
    Outcome.CANCELLED: "Your plan changed; this session isn't in it any more.",
    Outcome.PAST: "That day is over; the plan goes on (no need to make it up).",
    Outcome.SNOOZE_LIMIT: "Snoozed enough for one day — start it, skip it or move it.",
}


def refusal(result: ButtonResult) -> str:
    """Why a press did nothing: the session moved on, or the action can't be done now."""
    if result.outcome is Outcome.TOO_LATE:
        return (
            f"Too late to snooze: quiet hours start at {_clock(result.when, result.timezone)}."
            " Skip it or move it to tomorrow?"
        )
    if result.outcome is Outcome.BLOCKED:
        why = result.reason.split(": ", 1)[-1]  # the rule id (P3 …) is for coaches
        return f"Can't move it to tomorrow: {why}. Skip it instead?"
    return STALE_ANSWERS.get(result.outcome, EXPIRED)


async def received_press(update: Update, context: RunliftContext) -> None:
    """Any button under a session reminder."""
    query = update.callback_query
    decoded = await owned_press(update)
    if query is None or decoded is None:
        return
    action = BY_KEY.get(decoded.arg(1))
    try:
        session_id = int(decoded.arg(0))
    except ValueError:
        action = None
    if action is None:
        await query.answer(EXPIRED)
        return
    result = await action.use_case(context.services, decoded.owner_id, session_id)
    chat_id = query.message.chat.id if query.message is not None else decoded.owner_id
    if result.outcome is not Outcome.OK:
        answer = refusal(result)
        await query.answer(answer[:200])
        if result.outcome in (Outcome.BLOCKED, Outcome.TOO_LATE):
            await context.bot.send_message(chat_id, answer)
        return
    reply = action.reply(result)
    await query.answer(reply.toast[:200])
    if reply.spends_reminder:
        await _drop_buttons(update)
    if reply.message is not None:
        await context.bot.send_message(chat_id, reply.message, parse_mode=ParseMode.HTML)
    if action.after is not None:
        await action.after(update, context, decoded.owner_id)


async def _drop_buttons(update: Update) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    with contextlib.suppress(BadRequest):  # already without buttons, or too old to edit
        await query.edit_message_reply_markup(reply_markup=None)


def register(app: RunliftApplication) -> None:
    app.add_handler(CallbackQueryHandler(received_press, pattern=pattern(Action.SESSION)))
