"""What reminder messages say and which buttons they carry (Telegram HTML, ≤ 4096 chars).

Used by the reminder kinds (`handlers.reminder_kinds`). The buttons under a session reminder are
`handlers.session_actions`'; the log prompt carries `Action.LOG_DONE` and `Action.LOG_EXERCISE`
(the set-logging flow).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.domain.plan import Session
from bot.core.domain.profile import Units
from bot.core.planner.render import TELEGRAM_LIMIT, format_prescription, session_text
from handlers.callbacks import Action, encode

BUTTON_DONE = "✅ Done as planned"

FORMAT_HINT = (
    "Reply with what you did, one exercise per line, e.g.\n"
    "<code>squat 4x5 60kg</code>\n<code>plank 2x40s</code>\n"
    "or just <code>done</code> if it went as planned, <code>skip</code> if it didn't happen."
)


def _fit(text: str) -> str:
    return text if len(text) <= TELEGRAM_LIMIT else text[: TELEGRAM_LIMIT - 1] + "…"


def _day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%b}"


def session_reminder(session: Session, units: Units, first_name: str = "") -> str:
    """The post-run message: the whole session with its "why today" line (P8)."""
    hello = f"Nice run, {escape(first_name)}! " if first_name else "Nice run! "
    if session.after_run is None or not session.after_run.is_run:
        hello = "Time for strength. "
    return _fit(
        f"{hello}Here's today's session.\n\n{session_text(session, units)}\n\n"
        "Tap Start when you begin; reply with your sets when you're done."
    )


def ask_log(session: Session, units: Units, *, today: date) -> str:
    """The log prompt: what the plan was, and how to write what was done."""
    when = "today's" if session.date == today else f"{session.date:%A}'s"
    lines = [f"<b>How did {when} strength session go?</b>", ""]
    lines += [f"• {escape(format_prescription(ex, units))}" for ex in session.exercises()]
    lines += ["", FORMAT_HINT, "", "Or tap an exercise to log just that one."]
    return _fit("\n".join(lines))


def _short(name: str, limit: int = 28) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def ask_log_keyboard(owner_id: int, session_id: int, session: Session) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                BUTTON_DONE, callback_data=encode(Action.LOG_DONE, owner_id, session_id)
            )
        ]
    ]
    pair: list[InlineKeyboardButton] = []
    for index, ex in enumerate(session.exercises()):
        pair.append(
            InlineKeyboardButton(
                _short(ex.name),
                callback_data=encode(Action.LOG_EXERCISE, owner_id, session_id, index),
            )
        )
        if len(pair) == 2:
            rows.append(pair)
            pair = []
    if pair:
        rows.append(pair)
    return InlineKeyboardMarkup(rows)


def weekly_preview(
    sessions: Sequence[Session], week_start: date, units: Units, notes: Sequence[str] = ()
) -> str:
    """Sunday evening: next week's sessions, one line each with its reason."""
    lines = [f"<b>Your strength week from Monday {week_start.day} {week_start:%b}</b>", ""]
    if not sessions:
        lines.append("No strength sessions next week.")
    for session in sessions:
        after = (
            f", after your {session.after_run.value} run"
            if (session.after_run is not None and session.after_run.is_run)
            else ""
        )
        lines.append(
            f"• <b>{escape(_day(session.date))}</b>: session {escape(session.name)}"
            f"{escape(after)}, about {session.duration_min} min"
        )
        lines.append(f"  <i>{escape(session.reason)}</i>")
    lines += [f"ℹ️ {escape(note)}" for note in notes]
    lines += ["", "I'll send each session after your run. /plan shows the details."]
    return _fit("\n".join(lines))


PAUSED_TEXT = "Reminders paused. Your plan stays; send /resume when you want them back."
RESUMED_TEXT = "Reminders are back on. I'll message you after your next session's run."
NO_PLAN_TEXT = "You don't have a plan yet — send /start to set one up."
