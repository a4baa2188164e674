"""/plan (this week and next) and /today (today's session, or what's next and when)."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from telegram import Update
from telegram.ext import CommandHandler

from bot.context import RunliftApplication, RunliftContext
from bot.core.domain.plan import Phase, Session
from bot.core.domain.profile import Units
from bot.core.domain.statuses import SessionStatus
from bot.core.planner.render import TELEGRAM_LIMIT, season_line, session_text
from bot.services.onboarding import PlanView, ShownSession, plan_for, today_for
from handlers.ui_onboarding import NUDGE

STATUS_MARKS = {"done": "✅ Done", "skipped": "⏭ Skipped"}
PHASE_NAMES = {
    Phase.BASE: "base",
    Phase.BUILD: "build",
    Phase.RACE_SEASON: "race season",
    Phase.TAPER: "taper",
    Phase.RACE_WEEK: "race week",
    Phase.RECOVERY: "recovery",
}


def chunks(parts: Iterable[str], limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Joins message parts with blank lines into as few messages as Telegram allows."""
    out: list[str] = []
    for part in parts:
        if out and len(out[-1]) + 2 + len(part) <= limit:
            out[-1] += "\n\n" + part
        else:
            out.append(part[:limit])
    return out


async def send_parts(update: Update, context: RunliftContext, parts: Iterable[str]) -> None:
    """Sends HTML parts to the runner's chat, split under Telegram's 4096 characters."""
    chat = update.effective_chat
    if chat is None:
        return
    for text in chunks(parts):
        await context.bot.send_message(chat.id, text, parse_mode="HTML")


def shown_text(shown: ShownSession, units: Units) -> str:
    mark = STATUS_MARKS.get(shown.status)
    text = session_text(shown.session, units)
    return f"{mark}\n{text}" if mark else text


def coming_week_parts(
    sessions: Sequence[Session], notes: Sequence[str], today: date, units: Units
) -> list[str]:
    """The next seven days of sessions, each with its day, run, reason and exercises."""
    soon = [s for s in sessions if today <= s.date < today + timedelta(days=7)]
    parts = [session_text(s, units) for s in soon]
    if not soon:
        parts.append("No strength sessions in the next seven days.")
    parts.extend(f"ℹ️ {html.escape(note)}" for note in notes)
    return parts


def plan_parts(view: PlanView) -> list[str]:
    parts: list[str] = []
    season = season_line(view.races, view.today)
    if season:
        parts.append(f"🏁 {html.escape(season)}")
    for index, week in enumerate(view.weeks):
        title = "This week" if index == 0 else "Next week"
        parts.append(
            f"<b>📅 {title}</b> (from {week.monday:%-d %b}, {PHASE_NAMES[week.phase]} phase)"
        )
        parts.extend(f"ℹ️ {html.escape(note)}" for note in week.notes)
        parts.extend(shown_text(s, view.profile.units) for s in week.sessions)
        if not week.sessions:
            parts.append("No strength sessions this week.")
    return parts


async def plan_command(update: Update, context: RunliftContext) -> None:
    """Shows this week's and next week's sessions."""
    user = update.effective_user
    if user is None or update.effective_message is None:
        return
    view = await plan_for(context.services, user.id)
    if view is None:
        await update.effective_message.reply_text(NUDGE)
        return
    await send_parts(update, context, plan_parts(view))


async def today_command(update: Update, context: RunliftContext) -> None:
    """Shows today's session, or when the next one is."""
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None:
        return
    view = await today_for(context.services, user.id)
    if view is None:
        await message.reply_text(NUDGE)
        return
    units = view.profile.units
    if view.session is not None:
        lead = (
            "Here's today's session:" if view.session.status == SessionStatus.PLANNED else "Today:"
        )
        await send_parts(update, context, [lead, shown_text(view.session, units)])
        return
    if view.next_session is None:
        await message.reply_text("No strength today, and nothing planned in the next two weeks.")
        return
    upcoming = view.next_session
    when = (
        "tomorrow"
        if upcoming.date == view.today + timedelta(days=1)
        else (f"on {upcoming.weekday.title} {upcoming.date:%-d %b}")
    )
    await send_parts(
        update,
        context,
        [
            f"No strength today — rest up. Your next session is {when}:",
            session_text(upcoming, units),
        ],
    )


def register(app: RunliftApplication) -> None:
    app.add_handler(CommandHandler("plan", plan_command))
    app.add_handler(CommandHandler("today", today_command))
