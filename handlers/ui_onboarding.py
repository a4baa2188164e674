"""Texts and keyboards of the onboarding and settings questions (shared by both flows).

Callback data: `ob:<owner>:<step>:<arg>…` during onboarding and `st:<owner>:<step>:<arg>…` in
/settings; `<step>` is the question the button belongs to, so a press on an older question is
recognised as stale. `back` as the arg goes to the previous question.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.answers import WEEK_EXAMPLE, format_week, zone_label
from bot.core.domain.profile import (
    WEEKDAYS,
    DayKind,
    Equipment,
    Experience,
    Limitation,
    Placement,
    RaceDistance,
    Weekday,
)
from bot.services.onboarding import SETTINGS
from handlers.callbacks import encode

ONBOARDING_PREFIX = "ob"
SETTINGS_PREFIX = "st"
BACK = "back"
DONE = "done"

KIND_CYCLE: tuple[DayKind, ...] = (
    DayKind.REST,
    DayKind.EASY,
    DayKind.TEMPO,
    DayKind.INTERVALS,
    DayKind.LONG,
    DayKind.CROSS,
)
KIND_LABELS = {
    DayKind.REST: "rest",
    DayKind.EASY: "easy",
    DayKind.TEMPO: "tempo",
    DayKind.INTERVALS: "intervals",
    DayKind.LONG: "long run",
    DayKind.CROSS: "cross-training",
}
TIMES = ("06:30", "07:30", "12:30", "17:30", "18:30", "19:30")
COMMON_ZONES = (
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Australia/Sydney",
)
GOAL_LABELS = {
    RaceDistance.FIVE_K: "5K",
    RaceDistance.TEN_K: "10K",
    RaceDistance.HALF_MARATHON: "Half marathon",
    RaceDistance.MARATHON: "Marathon",
    RaceDistance.ULTRA: "Ultra",
}
RACE_WEEKS = (6, 10, 16, 24)
EXPERIENCE_LABELS = {
    Experience.NOVICE: "New to lifting",
    Experience.INTERMEDIATE: "Some experience",
    Experience.ADVANCED: "Experienced",
}
EQUIPMENT_LABELS = {
    Equipment.GYM: "Full gym",
    Equipment.DUMBBELLS: "Dumbbells",
    Equipment.KETTLEBELL: "Kettlebell",
    Equipment.BODYWEIGHT: "Bodyweight only",
    Equipment.BOX: "Box / step",
    Equipment.BAND: "Band",
    Equipment.PULLUP_BAR: "Pull-up bar",
}
PLACEMENT_LABELS = {
    Placement.AFTER_HARD_RUNS: "After hard runs",
    Placement.SEPARATE_DAYS: "Separate days",
}
LIMITATION_LABELS = {
    Limitation.KNEE: "Knee",
    Limitation.ACHILLES: "Achilles / calf",
    Limitation.HIP: "Hip",
    Limitation.LOWER_BACK: "Lower back",
    Limitation.SHOULDER: "Shoulder",
}
STEP_TITLES = {
    "week": "Running week",
    "run_time": "Finish time",
    "timezone": "Time zone",
    "goal": "Goal",
    "experience": "Experience",
    "equipment": "Equipment",
    "sessions": "Sessions a week",
    "placement": "Where strength goes",
    "limitations": "Sore spots",
    "units": "Units",
}


@dataclass(frozen=True)
class Asking:
    """Who is asked, in which flow, and what the questions need to know."""

    kind: str
    owner: int
    today: date
    default_zone: str
    recommended: int = 2
    can_go_back: bool = True

    @property
    def prefix(self) -> str:
        return SETTINGS_PREFIX if self.kind == SETTINGS else ONBOARDING_PREFIX

    def button(self, label: str, step: str, *args: object) -> InlineKeyboardButton:
        data = encode(self.prefix, self.owner, step, *args)
        return InlineKeyboardButton(label, callback_data=data)


Rows = list[list[InlineKeyboardButton]]


def zones_offered(default_zone: str) -> tuple[str, ...]:
    """The DEFAULT_TIMEZONE setting first, then a few common ones."""
    return (default_zone, *(z for z in COMMON_ZONES if z != default_zone))[:5]


def week_of(data: Mapping[str, Any]) -> dict[Weekday, DayKind]:
    saved = data.get("week") or {}
    return {day: DayKind(saved.get(day.value, DayKind.REST.value)) for day in WEEKDAYS}


def question(
    step: str, data: Mapping[str, Any], asking: Asking
) -> tuple[str, InlineKeyboardMarkup]:
    """The text and buttons of one question, showing the answers given so far where useful."""
    text, rows = _QUESTIONS[step](data, asking)
    if asking.can_go_back:
        rows.append([asking.button("⬅ Back", step, BACK)])
    return text, InlineKeyboardMarkup(rows)


def _week(data: Mapping[str, Any], asking: Asking) -> tuple[str, Rows]:
    week = week_of(data)
    rows: Rows = []
    for day in WEEKDAYS:
        kind = week[day]
        following = KIND_CYCLE[(KIND_CYCLE.index(kind) + 1) % len(KIND_CYCLE)]
        label = f"{day.value.title()} · {KIND_LABELS[kind]}"
        rows.append([asking.button(label, "week", day.value, following.value)])
    rows.append([asking.button("✅ Done", "week", DONE)])
    text = (
        "<b>Your running week.</b> Tap a day to change what you do on it "
        "(rest → easy → tempo → intervals → long run → cross-training), then <b>Done</b>.\n"
        f"Or type it in one line, e.g. <i>{WEEK_EXAMPLE}</i>\n"
        "📅 Or send your plan's calendar (an .ics file or its https/webcal link) and I'll plan "
        "around its dated runs."
    )
    return text, rows


def _time_rows(asking: Asking, step: str) -> Rows:
    buttons = [asking.button(t, step, t.replace(":", "")) for t in TIMES]
    return [buttons[:3], buttons[3:]]


def _run_time(data: Mapping[str, Any], asking: Asking) -> tuple[str, Rows]:
    text = (
        "<b>When do you usually finish running on your hard days?</b> I'll send the session "
        "after that.\nTap a time or type one — <i>18:30</i>, <i>7am</i> — or per day: "
        "<i>tue 7:00, fri 18:30</i>"
    )
    return text, _time_rows(asking, "run_time")


def _timezone(data: Mapping[str, Any], asking: Asking) -> tuple[str, Rows]:
    zones = zones_offered(asking.default_zone)
    buttons = [asking.button(zone_label(z), "timezone", i) for i, z in enumerate(zones)]
    text = (
        "<b>Which time zone are you in?</b> Tap one, type your city (<i>London</i>, "
        "<i>New York</i>), a zone like <i>Europe/Berlin</i> or <i>UTC+2</i>, "
        "or share your location (📎 → Location)."
    )
    return text, [buttons[:3], buttons[3:]]


def _goal(data: Mapping[str, Any], asking: Asking) -> tuple[str, Rows]:
    races = [asking.button(label, "goal", d.value) for d, label in GOAL_LABELS.items()]
    rows = [races[:3], races[3:], [asking.button("General fitness", "goal", "none")]]
    text = (
        "<b>Are you training for a race?</b> Tap the distance, or type it with the date — "
        "<i>half marathon on 14 March</i>, <i>10k in 6 weeks</i> — or <i>general fitness</i>."
    )
    return text, rows


def _race_date(data: Mapping[str, Any], asking: Asking) -> tuple[str, Rows]:
    distance = RaceDistance(data["race_distance"])
    buttons = []
    for weeks in RACE_WEEKS:
        day = asking.today + timedelta(weeks=weeks)
        buttons.append(asking.button(f"In {weeks} weeks · {day:%-d %b}", "race_date", weeks))
    text = (
        f"<b>When is your {GOAL_LABELS[distance].lower()}?</b> Type the date — "
        "<i>14 March</i>, <i>2027-04-20</i> — or tap roughly when."
    )
    return text, [buttons[:2], buttons[2:]]


def _experience(data: Mapping[str, Any], asking: Asking) -> tuple[str, Rows]:
    rows = [
        [asking.button(label, "experience", e.value)] for e, label in EXPERIENCE_LABELS.items()
    ]
    return "<b>How much have you lifted weights before?</b>", rows


def _toggles(asking: Asking, step: str, labels: Mapping[Any, str], chosen: Sequence[str]) -> Rows:
    buttons = [
        asking.button(("✓ " if value.value in chosen else "") + label, step, value.value)
        for value, label in labels.items()
    ]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def _equipment(data: Mapping[str, Any], asking: Asking) -> tuple[str, Rows]:
    rows = _toggles(asking, "equipment", EQUIPMENT_LABELS, data.get("equipment") or [])
    rows.append([asking.button("✅ Done", "equipment", DONE)])
    text = (
        "<b>What can you train with?</b> Tap everything you have, then <b>Done</b>. "
        "Or type it: <i>dumbbells, band, pull-up bar</i>."
    )
    return text, rows


def _sessions(data: Mapping[str, Any], asking: Asking) -> tuple[str, Rows]:
    buttons = [
        asking.button(f"{n} ⭐" if n == asking.recommended else str(n), "sessions", n)
        for n in (1, 2, 3)
    ]
    per = "session" if asking.recommended == 1 else "sessions"
    text = (
        f"<b>How many strength sessions a week?</b> For where you are now I recommend "
        f"<b>{asking.recommended}</b> {per} (⭐). You can pick 1–3."
    )
    return text, [buttons]


def _placement(data: Mapping[str, Any], asking: Asking) -> tuple[str, Rows]:
    rows = [
        [asking.button("After hard runs (recommended)", "placement", "after")],
        [asking.button("Separate days", "placement", "separate")],
    ]
    text = (
        "<b>Where should strength go?</b> After your hard runs keeps hard days hard and easy "
        "days easy. Separate days suits you if you'd rather lift on a day off running."
    )
    return text, rows


def _session_time(data: Mapping[str, Any], asking: Asking) -> tuple[str, Rows]:
    rows = _time_rows(asking, "session_time")
    rows.append([asking.button("Same as my run time", "session_time", "same")])
    return "<b>What time would you lift on those days?</b> Tap or type a time.", rows


def _limitations(data: Mapping[str, Any], asking: Asking) -> tuple[str, Rows]:
    rows = _toggles(asking, "limitations", LIMITATION_LABELS, data.get("limitations") or [])
    rows.append(
        [
            asking.button("None", "limitations", "none"),
            asking.button("✅ Done", "limitations", DONE),
        ]
    )
    text = (
        "<b>Any sore spots or old injuries I should plan around?</b> Tap them, then "
        "<b>Done</b> — or <b>None</b>. You can type them too: <i>knee and achilles</i>."
    )
    return text, rows


def _units(data: Mapping[str, Any], asking: Asking) -> tuple[str, Rows]:
    buttons = [asking.button("kg", "units", "kg"), asking.button("lb", "units", "lb")]
    return "<b>Last one: do you lift in kg or lb?</b>", [buttons]


_QUESTIONS = {
    "week": _week,
    "run_time": _run_time,
    "timezone": _timezone,
    "goal": _goal,
    "race_date": _race_date,
    "experience": _experience,
    "equipment": _equipment,
    "sessions": _sessions,
    "placement": _placement,
    "session_time": _session_time,
    "limitations": _limitations,
    "units": _units,
}


# --- summary and menus ----------------------------------------------------------------------


def describe(step: str, data: Mapping[str, Any]) -> str:
    """One answer in words, as the summary shows it."""
    if step == "week":
        return format_week(week_of(data))
    if step == "run_time":
        parts = [data["run_time"]] if data.get("run_time") else []
        parts += [f"{d.title()} {t}" for d, t in (data.get("run_times") or {}).items()]
        return ", ".join(parts) or "—"
    if step == "timezone":
        return zone_label(str(data.get("timezone", "")))
    if step == "goal":
        goal = data.get("goal")
        if not goal:
            return "General fitness"
        day = date.fromisoformat(goal["race_date"])
        return f"{GOAL_LABELS[RaceDistance(goal['race_distance'])]} on {day:%-d %B %Y}"
    if step == "experience":
        return EXPERIENCE_LABELS[Experience(data["experience"])]
    if step == "equipment":
        return ", ".join(EQUIPMENT_LABELS[Equipment(e)] for e in data.get("equipment") or [])
    if step == "sessions":
        return f"{data.get('sessions_per_week')} a week"
    if step == "placement":
        placement = Placement(data.get("placement", Placement.AFTER_HARD_RUNS.value))
        text = PLACEMENT_LABELS[placement]
        if placement is Placement.SEPARATE_DAYS and data.get("session_time"):
            text += f" at {data['session_time']}"
        return text
    if step == "limitations":
        spots = data.get("limitations") or []
        return ", ".join(LIMITATION_LABELS[Limitation(s)] for s in spots) or "None"
    return str(data.get("units", "kg"))


def summary(data: Mapping[str, Any]) -> str:
    lines = [f"<b>{STEP_TITLES[s]}:</b> {html.escape(describe(s, data))}" for s in STEP_TITLES]
    return "Here's what I have:\n\n" + "\n".join(lines) + "\n\nShall I build your plan?"


def summary_keyboard(asking: Asking) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                asking.button("👍 Looks good", "summary", "ok"),
                asking.button("✏️ Change something", "summary", "change"),
            ]
        ]
    )


def change_keyboard(asking: Asking, step: str = "change") -> InlineKeyboardMarkup:
    """One button per answer; `step` is `change` (onboarding) or `menu` (/settings)."""
    buttons = [asking.button(title, step, s) for s, title in STEP_TITLES.items()]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    if step == "change":
        rows.append([asking.button("⬅ Back to summary", "change", "summary")])
    return InlineKeyboardMarkup(rows)


def menu(asking: Asking, options: Sequence[tuple[str, str]]) -> InlineKeyboardMarkup:
    """A one-off choice (resume or start over, show the plan …): `ob:<owner>:menu:<choice>`."""
    return InlineKeyboardMarkup([[asking.button(label, "menu", arg)] for label, arg in options])


WELCOME = (
    "Hi {name}! I'm runlift — I fit strength training around your running, like a coach "
    "would. A few quick questions (tap a button or just type), and you'll get your plan.\n"
    "Send /cancel any time; nothing you've told me is lost."
)
RESUME = "Welcome back, {name}! You were in the middle of setting up. Pick up where you left off?"
ONBOARDED = "Welcome back, {name}! You're all set up. What would you like?"
NUDGE = "Let's set up your plan first — send /start. It takes about two minutes."
PAUSED = "Paused — everything you've told me is saved. Send /start when you're ready to carry on."
SETTINGS_CANCELLED = "No changes made. Your plan stays as it is."
STALE_QUESTION = "That question's already answered — see my latest message."
CONVERSATION_OVER = "That conversation is over — send /start or /settings."
NOT_YOURS = "That button isn't yours."
