"""Bring the run plan you already have: an .ics file or feed link, and /calendar.

- An .ics document, or a message that is only an https:// or webcal:// link, links the calendar;
  the plan is re-made around its dated runs and the next two weeks are shown as read.
- /calendar shows the next two weeks; `/calendar tue easy` (or `/calendar 2026-12-01 easy`)
  fixes a misread day; `/calendar race` plans to the calendar's race; `/calendar off` goes back
  to the usual week.
"""

from __future__ import annotations

import contextlib
import html
from datetime import date, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.context import RunliftApplication, RunliftContext
from bot.core.answers import format_week
from bot.core.calendar.feeds import FEED_LINK
from bot.core.calendar.inputs import goal_words
from bot.core.calendar.reader import MAX_BYTES
from bot.core.domain.errors import CalendarError
from bot.core.domain.profile import WEEKDAYS, Goal
from bot.core.domain.rundays import RunKind
from bot.core.domain.statuses import DraftKind
from bot.services import calendar as calendar_service
from bot.services.calendar import CalendarView
from handlers.callbacks import EXPIRED, Action, encode, owned_press, pattern
from handlers.ui_onboarding import NUDGE

HOW_TO = (
    "Send your run plan's calendar as an .ics file, or paste its feed link "
    "(https://… or webcal://…). Runna, TrainingPeaks, Final Surge, Garmin and club calendars "
    "can all export one."
)
FIX_HELP = (
    "To fix a day: <code>/calendar tue easy</code> or <code>/calendar 2026-12-01 rest</code> "
    "(rest, easy, tempo, intervals, long, cross, race). <code>/calendar off</code> goes back to "
    "your usual week."
)
_KIND_WORDS: dict[str, RunKind] = {kind.value: kind for kind in RunKind} | {
    "interval": RunKind.INTERVALS,
    "threshold": RunKind.TEMPO,
    "long run": RunKind.LONG,
    "off": RunKind.REST,
    "recovery": RunKind.EASY,
}
_SOURCE_MARKS = {"calendar": "", "fixed": " ✎", "template": " (usual week)"}


def calendar_table(view: CalendarView) -> str:
    """The next two weeks as a fixed-width table (Telegram HTML <pre>)."""
    rows = ["Day        Run        Strength"]
    for shown in view.days:
        at = f" {shown.time:%H:%M}" if shown.time else ""
        lift = f"Session {shown.session}" if shown.session and shown.session != "Primer" else ""
        if shown.session == "Primer":
            lift = "Primer"
        rows.append(
            f"{shown.day:%a %d %b} {shown.kind.value:<10} {lift}".rstrip()
            + (f"  ·{at} {shown.title[:28]}" if shown.title or at else "")
            + _SOURCE_MARKS.get(shown.source, "")
        )
    return "<pre>" + html.escape("\n".join(rows)) + "</pre>"


def view_parts(view: CalendarView, lead: str) -> list[str]:
    parts = [lead, calendar_table(view)]
    if view.goal is not None:
        parts.append(f"🏁 Planning toward your {html.escape(goal_words(view.goal))}.")
    parts.extend(f"ℹ️ {html.escape(note)}" for note in view.notes)
    if view.last_error:
        parts.append(f"⚠️ Last re-sync failed: {html.escape(view.last_error)}")
    parts.append(FIX_HELP)
    return parts


async def _reply(update: Update, parts: list[str], view: CalendarView | None = None) -> None:
    """The parts as one message; when the calendar's race differs from the runner's goal, with
    the two choices as buttons."""
    message = update.effective_message
    if message is None or message.chat is None:
        return
    markup = None
    if view is not None and view.other_race is not None and update.effective_user is not None:
        owner = update.effective_user.id
        race = goal_words(view.other_race)
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        f"🏁 Plan to the {race}", callback_data=_race(owner, "race")
                    )
                ],
                [InlineKeyboardButton("Keep my goal", callback_data=_race(owner, "keep"))],
            ]
        )
    await message.chat.send_message("\n\n".join(parts), parse_mode="HTML", reply_markup=markup)


def _race(owner: int, choice: str) -> str:
    return encode(Action.CALENDAR, owner, choice)


async def received_race_choice(update: Update, context: RunliftContext) -> None:
    """🏁 Plan to the calendar's race, or keep the goal the runner gave."""
    query = update.callback_query
    data = await owned_press(update)
    if query is None or data is None:
        return
    if data.arg(0) not in ("race", "keep"):
        await query.answer(EXPIRED)
        return
    await query.answer()
    with contextlib.suppress(BadRequest):  # already without buttons, or too old to edit
        await query.edit_message_reply_markup(reply_markup=None)
    try:
        if data.arg(0) == "race":
            view = await calendar_service.use_calendar_race(context.services, data.owner_id)
            lead = "🏁 Planning to your calendar's race now. The next two weeks:"
        else:
            view = await calendar_service.keep_own_goal(context.services, data.owner_id)
            lead = "👍 Your goal stays; I won't ask about that race again. The next two weeks:"
    except CalendarError as error:
        await _reply(update, [f"⚠️ {html.escape(str(error))}"])
        return
    if view is None:
        await _reply(update, [html.escape(NUDGE)])
        return
    await _reply(update, view_parts(view, lead), view)


def _linked_lead(view: CalendarView) -> str:
    where = "your calendar feed (re-read every day)" if view.url else "your calendar"
    return (
        f"📅 Read {html.escape(where)}. Weeks with runs in it follow it; weeks without follow "
        "your usual week. /plan shows your sessions. The next two weeks:"
    )


async def received_calendar_file(update: Update, context: RunliftContext) -> None:
    """An .ics document: read it, re-plan around its runs and show what was read."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None or message.document is None:
        return
    document = message.document
    name = document.file_name or "calendar.ics"
    if document.file_size is not None and document.file_size > MAX_BYTES:
        await message.reply_text(f"{name}: larger than {MAX_BYTES // 1_000_000} MB")
        return
    file = await context.bot.get_file(document.file_id)
    data = bytes(await file.download_as_bytearray())
    await _link(update, context, user.id, data=data, name=name)


async def received_calendar_url(update: Update, context: RunliftContext) -> None:
    """A feed link: fetch it (https/webcal only, public hosts), then as for a file."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None or not message.text:
        return
    await _link(update, context, user.id, url=message.text)


async def _link(
    update: Update,
    context: RunliftContext,
    runner_id: int,
    *,
    data: bytes | None = None,
    name: str = "",
    url: str | None = None,
) -> None:
    services = context.services
    if await _during_setup(update, context, runner_id, data=data, name=name, url=url):
        return
    try:
        if url is not None:
            view = await calendar_service.link_feed(services, runner_id, url)
        else:
            assert data is not None
            view = await calendar_service.link_calendar(services, runner_id, data, name=name)
    except CalendarError as error:
        await _reply(update, [f"⚠️ {html.escape(str(error))}", html.escape(HOW_TO)])
        return
    if view is None:
        await _reply(update, [html.escape(NUDGE)])
        return
    await _reply(update, view_parts(view, _linked_lead(view)), view)


async def _during_setup(
    update: Update,
    context: RunliftContext,
    runner_id: int,
    *,
    data: bytes | None,
    name: str,
    url: str | None,
) -> bool:
    """A calendar sent while onboarding: hold it for the first plan, take from it the answers
    it already gives (time zone, finish time, goal race) where the runner has not given them,
    and, at the week question, answer it with the calendar's usual week. Returns whether it
    was handled here."""
    from bot.services import onboarding as flow
    from handlers import onboarding
    from handlers.questions import REGISTRY, Answer, take_from_calendar

    draft = await flow.active_draft(context.services, runner_id)
    if draft is None or draft.kind != DraftKind.ONBOARDING:
        return False
    try:
        held = await calendar_service.hold_during_setup(
            context.services,
            runner_id,
            data=data,
            name=name or "calendar.ics",
            url=url,
            runner_zone=draft.data.get("timezone") or None,
        )
    except CalendarError as error:
        await _reply(update, [f"⚠️ {html.escape(str(error))}", html.escape(HOW_TO)])
        return True
    answers = dict(draft.data)
    facts = held.facts
    taken = take_from_calendar(
        answers, timezone=facts.timezone, finish=facts.finish, goal=facts.goal
    )
    line = format_week(held.week)
    parts = [
        "📅 Got your plan's calendar. I'll plan around its dated runs as soon as we're set "
        f"up; in weeks without runs in it I'll use its usual week: {html.escape(line)}."
    ]
    if taken:
        parts.append(html.escape(_taken_line(answers, taken)))
    await _reply(update, parts)
    step = asked = draft.step
    if step in taken:  # the open question is answered now: on to the next one
        step = REGISTRY.next_step(draft.kind, step, answers)
    if taken:
        draft = await flow.save_draft(context.services, runner_id, draft.kind, step, answers)
    if draft.step == "week":
        await onboarding.handle(update, context, draft, runner_id, Answer(text=line))
    elif draft.step != asked:
        await onboarding.ask(update, context, draft, runner_id)
    return True


def _taken_line(answers: dict[str, object], taken: list[str]) -> str:
    """ "From your calendar: time zone Europe/Berlin, runs usually done by 07:35, goal: …" """
    said = []
    if "timezone" in taken:
        said.append(f"time zone {answers['timezone']}")
    if "run_time" in taken:
        said.append(f"runs usually done by {answers['run_time']}")
    if "goal" in taken:
        goal = Goal.model_validate(answers["goal"])
        said.append(f"goal: {goal_words(goal)}")
    return "From your calendar: " + ", ".join(said) + ". Not right? You can change it at the end."


async def received_setup_feed_link(update: Update, context: RunliftContext) -> None:
    """A feed link typed while onboarding is open (before onboarding reads it as an answer)."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None or not message.text:
        return
    if await _during_setup(update, context, user.id, data=None, name="", url=message.text):
        raise ApplicationHandlerStop


def parse_day(text: str, today: date) -> date | None:
    """`tue`, `tuesday`, `2026-12-01`, `1 dec` → a date in the next two weeks (or that date)."""
    word = text.strip().lower()
    try:
        return date.fromisoformat(word)
    except ValueError:
        pass
    for index, weekday in enumerate(WEEKDAYS):
        if word in (weekday.value, weekday.title.lower()):
            return today + timedelta(days=(index - today.weekday()) % 7)
    return None


async def calendar_command(update: Update, context: RunliftContext) -> None:
    """/calendar [off | race | DAY KIND]: show, unlink, take the race, or fix a misread day."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None:
        return
    services = context.services
    args = [a.lower() for a in (context.args or [])]
    try:
        if args == ["off"]:
            had = await calendar_service.unlink_calendar(services, user.id)
            if had is None:
                await message.reply_text(NUDGE)
            elif had:
                await message.reply_text(
                    "Calendar unlinked: your plan follows your usual week again. /plan shows it."
                )
            else:
                await message.reply_text("No calendar was linked. " + HOW_TO)
            return
        if args == ["race"]:
            view = await calendar_service.use_calendar_race(services, user.id)
            lead = "🏁 Planning to your calendar's race now. The next two weeks:"
        elif len(args) >= 2:
            view = await calendar_service.show_calendar(services, user.id)
            if view is None or not view.linked:
                await message.reply_text(NUDGE if view is None else HOW_TO)
                return
            today = view.days[0].day
            day = parse_day(args[0], today)
            kind = _KIND_WORDS.get(" ".join(args[1:]))
            if day is None or kind is None:
                await message.reply_html(f"I didn't catch that. {FIX_HELP}")
                return
            view = await calendar_service.fix_day(services, user.id, day, kind)
            lead = f"✎ {day:%a %-d %b} is now {kind.value}; the plan follows. The next two weeks:"
        else:
            view = await calendar_service.show_calendar(services, user.id)
            if view is not None and not view.linked:
                await message.reply_text(
                    "No calendar linked: your plan follows your usual week. " + HOW_TO
                )
                return
            lead = _shown_lead(view)
    except CalendarError as error:
        await message.reply_html(f"⚠️ {html.escape(str(error))}")
        return
    if view is None:
        await message.reply_text(NUDGE)
        return
    await _reply(update, view_parts(view, lead), view)


def _shown_lead(view: CalendarView | None) -> str:
    if view is None or view.synced_on is None:
        return "📅 Your calendar:"
    source = "feed, re-read daily" if view.url else "file"
    return f"📅 Your calendar ({source}; last read {view.synced_on:%-d %b}). The next two weeks:"


def is_calendar_file(document_name: str | None, mime: str | None) -> bool:
    return (document_name or "").lower().endswith((".ics", ".ical", ".ifb")) or (
        mime or ""
    ).lower() in ("text/calendar", "application/ics")


class _CalendarDocument(filters.MessageFilter):
    """A document that is an iCalendar file (by name or MIME type)."""

    def filter(self, message: object) -> bool:
        document = getattr(message, "document", None)
        if document is None:
            return False
        return is_calendar_file(document.file_name, document.mime_type)


def register(app: RunliftApplication) -> None:
    # Before onboarding's typed-answer handler (group -1): a pasted feed link at set-up.
    app.add_handler(
        MessageHandler(
            filters.TEXT & ~filters.COMMAND & filters.Regex(FEED_LINK), received_setup_feed_link
        ),
        group=-2,
    )
    app.add_handler(CommandHandler("calendar", calendar_command))
    app.add_handler(CallbackQueryHandler(received_race_choice, pattern=pattern(Action.CALENDAR)))
    app.add_handler(MessageHandler(_CalendarDocument(), received_calendar_file))
    app.add_handler(
        MessageHandler(
            filters.TEXT & ~filters.COMMAND & filters.Regex(FEED_LINK), received_calendar_url
        )
    )
