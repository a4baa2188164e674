"""The run the runner did: a run file in the chat, /runs, and /intervals (intervals.icu).

- A .fit, .gpx or .tcx document (also inside .zip or .gz), up to 20 MB: read off the event loop
  (`bot.core.runs.read_run_file` in a worker thread), stored, echoed in one line; on its own day
  it brings the session reminder forward (`bot.services.runs`). A .ics file is the calendar's
  (`handlers/calendar.py`); any other document is answered here with what is accepted.
- /runs lists the last two weeks' activities, one line each.
- `/intervals <API key>` connects intervals.icu, `/intervals off` disconnects.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.context import RunliftApplication, RunliftContext
from bot.core.domain.rundays import RunKind
from bot.core.runs import MAX_BYTES, RunFileError, format_duration, format_run_line, read_run_file
from bot.services import runs as service
from bot.services.runs import PollNotice, RunArrival, RunOutcome, ShownRun
from handlers.calendar import is_calendar_file
from handlers.ui_onboarding import NUDGE

RUN_FILES = (".fit", ".gpx", ".tcx", ".zip", ".gz")
ACCEPTED = (
    "Send a run as a .fit, .gpx or .tcx file (from your watch or its app; zipped or gzipped is "
    f"fine, up to {MAX_BYTES // 1_000_000} MB)."
)
INTERVALS_HELP = (
    "To read your runs from intervals.icu, send <code>/intervals YOUR_API_KEY</code> "
    "(intervals.icu → Settings → Developer Settings → API key). "
    "<code>/intervals off</code> disconnects."
)
_SPORT_ICONS = {"run": "🏃", "ride": "🚴", "swim": "🏊", "walk": "🚶", "other": "🏅"}


def _local_time(moment: datetime | None, timezone: str) -> str:
    return f"{moment.astimezone(ZoneInfo(timezone)):%H:%M}" if moment else ""


def matched_words(outcome: RunOutcome) -> str:
    """Which planned run it was: that local date's run day (the week, the calendar, a change)."""
    day = f"{outcome.day:%a %-d %b}"
    if outcome.matched.is_run:
        return f"Matched your {outcome.matched.value} run of {day}."
    if outcome.matched is RunKind.CROSS:
        return f"Your plan had cross-training on {day}."
    return f"No run was planned on {day}."


def outcome_text(outcome: RunOutcome, *, via: str = "") -> str:
    """What the chat says about a run that arrived: the line read, then what it changed."""
    arrival = outcome.arrival
    zone = ZoneInfo(outcome.timezone)
    icon = _SPORT_ICONS.get(arrival.sport, "🏅")
    if arrival.record is not None:
        line = format_run_line(arrival.record, zone)
    else:
        local = arrival.start.astimezone(zone)
        line = f"Run {local:%a %-d %b %H:%M} · synced from Strava, no distance or time shared"
    lines = [f"{icon} {via}{html.escape(line)}"]
    if outcome.repeated:
        lines.append("I have this one already — nothing changed.")
        return "\n".join(lines)
    if not outcome.is_run:
        lines.append("Noted as cross-training; your plan stays as it is.")
        return "\n".join(lines)
    lines.append(matched_words(outcome))
    if outcome.earlier_day:
        lines.append(f"Stored against {outcome.day:%a %-d %b}.")
        return "\n".join(lines)
    if outcome.trim_reason:
        lines.append(f"✂️ {html.escape(outcome.trim_reason)}.")
    if outcome.reminder == "now":
        lines.append("Today's session is on its way.")
    elif outcome.reminder == "later":
        at = _local_time(outcome.at, outcome.timezone)
        lines.append(f"Today's session comes at {at}, when quiet hours end.")
    elif outcome.reminder == "sent" and outcome.trim_reason:
        lines.append("/today shows today's session as it now stands.")
    return "\n".join(lines)


def poll_notice_text(notice: PollNotice) -> str:
    """What an intervals.icu poll found, or that the stored key was refused (said once)."""
    if notice.outcome is None:
        return (
            "intervals.icu refused your API key (changed or revoked?), so I've stopped looking "
            "for your runs there. Send <code>/intervals YOUR_API_KEY</code> to connect again."
        )
    return outcome_text(notice.outcome, via="intervals.icu: ")


def shown_line(run: ShownRun, timezone: str) -> str:
    """One /runs line: date, kind matched, distance in km and time."""
    record = run.record()
    zone = ZoneInfo(timezone)
    if record is not None:
        line = format_run_line(record, zone)
    else:
        line = f"Run {run.start.astimezone(zone):%a %-d %b %H:%M} · done (no metrics shared)"
    if run.sport != "run":
        return f"{line} · cross-training"
    try:
        kind = RunKind(run.matched)
    except ValueError:
        kind = RunKind.REST
    return f"{line} · {kind.value if kind.is_run else 'unplanned'}"


def is_run_file(name: str | None) -> bool:
    return (name or "").lower().endswith(RUN_FILES)


class _OtherDocument(filters.MessageFilter):
    """A document that is not a calendar: a run file, or something we say we can't read."""

    def filter(self, message: object) -> bool:
        document = getattr(message, "document", None)
        if document is None:
            return False
        return not is_calendar_file(document.file_name, document.mime_type)


async def received_run_file(update: Update, context: RunliftContext) -> None:
    """A run file: read it in a worker thread, store it, echo what was read, then (on its own
    day) bring the session reminder forward."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None or message.document is None:
        return
    document = message.document
    name = (document.file_name or "run")[:120]
    if document.file_size is not None and document.file_size > MAX_BYTES:
        await message.reply_text(
            f"{name}: larger than {MAX_BYTES // 1_000_000} MB, the most I can read. "
            "Send the .fit file rather than a whole export."
        )
        return
    if "." in name and not is_run_file(name):  # without an extension, its first bytes decide
        await message.reply_text(f"{name}: I can't read that kind of file. {ACCEPTED}")
        return
    try:
        file = await context.bot.get_file(document.file_id)
        data = bytes(await file.download_as_bytearray())
    except TelegramError:
        await message.reply_text(
            f"{name}: I couldn't download it from Telegram; please send it again."
        )
        return
    try:
        record = await asyncio.to_thread(read_run_file, name, data)
    except RunFileError as error:
        await message.reply_text(f"{name}: {error}")
        return
    arrival = RunArrival(record.start, record, record.source)
    outcome = await service.record_run(context.services, user.id, arrival)
    if outcome is None:
        await message.reply_text(NUDGE)
        return
    await message.reply_html(outcome_text(outcome))
    await service.send_session_now(context.services, user.id, outcome)


async def runs_command(update: Update, context: RunliftContext) -> None:
    """/runs: the recorded activities of the last two weeks, one line each."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None:
        return
    found = await service.recent_runs(context.services, user.id)
    if found is None:
        await message.reply_text(NUDGE)
        return
    timezone, shown = found
    if not shown:
        await message.reply_html(
            f"No runs recorded in the last {service.LIST_DAYS} days. "
            f"{html.escape(ACCEPTED)}\n{INTERVALS_HELP}"
        )
        return
    lines = [f"Your runs of the last {service.LIST_DAYS} days:"]
    lines += [html.escape(shown_line(run, timezone)) for run in reversed(shown)]
    total = sum(run.distance_m or 0 for run in shown if run.sport == "run")
    moving = sum(run.moving_time_s or 0 for run in shown if run.sport == "run")
    lines.append(f"Total: {total / 1000:.1f} km in {format_duration(moving)}.")
    await message.reply_html("\n".join(lines))  # cut over the limit by bot/send_limits.py


REFUSED = "intervals.icu refused that key — nothing stored. Check it and send it again."


async def intervals_command(update: Update, context: RunliftContext) -> None:
    """`/intervals <API key>` connects (the key checked once); `/intervals off` disconnects;
    `/intervals` alone says how it stands."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None:
        return
    services = context.services
    args = context.args or []
    if args and args[0].lower() == "off":
        had = await service.disconnect_intervals(services, user.id)
        await message.reply_text(
            "intervals.icu disconnected; your key is deleted."
            if had
            else "intervals.icu was not connected."
        )
        return
    if not args:
        state = await service.intervals_connected(services, user.id)
        lead = {
            True: "intervals.icu is connected: on run days I look for your run there.",
            False: "intervals.icu refused your stored key, so I stopped looking.",
            None: "intervals.icu is not connected.",
        }[state]
        await message.reply_html(f"{lead}\n{INTERVALS_HELP}")
        return
    # The key is a secret: the message holding it goes from the chat whatever happens next.
    with contextlib.suppress(TelegramError):
        await message.delete()
    result = await service.connect_intervals(services, user.id, args[0])
    chat = message.chat
    replies = {
        "refused": REFUSED,
        "malformed": "That doesn't look like an intervals.icu API key. " + INTERVALS_HELP,
        "unavailable": "I couldn't reach intervals.icu just now; nothing stored. Try again later.",
        "busy": "intervals.icu asked me to slow down; nothing stored. Try again in a minute.",
        "not_onboarded": NUDGE,
        "connected": (
            "✅ intervals.icu connected (your message with the key is deleted). On run days I "
            "look there for your run from your usual finish time; when it's in, today's session "
            "comes. /intervals off disconnects."
        ),
    }
    await chat.send_message(replies[result.outcome], parse_mode="HTML")
    for outcome in result.found:
        await chat.send_message(outcome_text(outcome, via="intervals.icu: "), parse_mode="HTML")
        await service.send_session_now(services, user.id, outcome)


def register(app: RunliftApplication) -> None:
    app.add_handler(CommandHandler("runs", runs_command))
    app.add_handler(CommandHandler("intervals", intervals_command))
    app.add_handler(MessageHandler(_OtherDocument(), received_run_file))
