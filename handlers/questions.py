"""The onboarding questions: one `Question` entry each, in the order onboarding asks them.

Everything about a question is in its entry: the draft field it fills, its title (the summary
line and the /settings button), the prompt and its buttons, how a typed answer or a button is
read (parsers in `bot.core.answers`, which also validate), the summary line (`describe`), and
whether it applies (a follow-up such as the race date is asked only after a race goal). Step
order, Back, the summary, "Change something" and the /settings menu are all derived from
`REGISTRY`; `handlers.onboarding` and `handlers.settings` only run the conversation.

Adding a question: CONTRIBUTING.md, "Add an onboarding question".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.answers import (
    WEEK_EXAMPLE,
    AnswerError,
    describe_loads,
    format_week,
    hhmm,
    parse_equipment,
    parse_equipment_loads,
    parse_experience,
    parse_goal,
    parse_limitations,
    parse_placement,
    parse_race_date,
    parse_run_times,
    parse_sessions,
    parse_time,
    parse_timezone,
    parse_units,
    parse_week,
    zone_label,
)
from bot.core.domain.profile import (
    WEEKDAYS,
    DayKind,
    Equipment,
    Experience,
    Goal,
    Limitation,
    Placement,
    RaceDistance,
    Units,
    Weekday,
)
from bot.core.domain.statuses import DraftKind
from bot.core.language.week import describe_week
from bot.services.onboarding import CHANGE, EDITING, END, SUMMARY
from handlers.callbacks import Action, encode

BACK = "back"
DONE = "done"
_RESERVED = frozenset({SUMMARY, CHANGE, END, "menu"})
"""Steps of the conversation that are not questions (their buttons share the callback data)."""

Rows = list[list[InlineKeyboardButton]]


# --- what every question gets -----------------------------------------------------------------


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
    def prefix(self) -> Action:
        return Action.SETTINGS if self.kind == DraftKind.SETTINGS else Action.ONBOARDING

    def button(self, label: str, step: str, *args: object) -> InlineKeyboardButton:
        data = encode(self.prefix, self.owner, step, *args)
        return InlineKeyboardButton(label, callback_data=data)


@dataclass
class Answer:
    """One answer to apply: typed text, or a button's arguments."""

    text: str | None = None
    args: tuple[str, ...] = ()

    @property
    def arg(self) -> str:
        return self.args[0] if self.args else ""


class ToggledError(Exception):
    """A multi-select or week button changed the draft but the question stays open."""


Prompt = Callable[[Mapping[str, Any], Asking], tuple[str, Rows]]
Apply = Callable[[dict[str, Any], Answer, Asking], None]
Describe = Callable[[Mapping[str, Any]], str]


def _always(data: Mapping[str, Any]) -> bool:
    return True


FROM_CALENDAR = "_from_calendar"
"""Draft key: the questions a calendar sent during set-up answered (not asked; the summary
shows them, and "Change something" corrects them like any answer)."""


def _unless_from_calendar(key: str) -> Callable[[Mapping[str, Any]], bool]:
    def applies(data: Mapping[str, Any]) -> bool:
        return key not in (data.get(FROM_CALENDAR) or ())

    return applies


@dataclass(frozen=True)
class Question:
    """One onboarding question, everything about it.

    Attributes:
        key: the step name (stored in the draft, carried in callback data).
        field: the draft answer it fills (`bot.core.answers.build_profile` reads it).
        prompt: the question's text and buttons, given the answers so far.
        apply: reads a typed answer or a button into the draft (parsing and validating through
            `bot.core.answers`); raises `AnswerError` to ask again, `ToggledError` to keep the
            question open after a tap.
        title: the summary line's and the /settings button's name; None for a follow-up, whose
            answer its parent's line shows.
        describe: the answer in words for the summary and /settings.
        follows: for a follow-up, the question it follows (asked right after it, if it applies).
        applies: whether to ask it, given the answers so far.
        required: a plan cannot be built without it (the summary asks it again if missing).
        in_settings: /settings offers to change it.
        accepts_location: a shared location answers it (its name becomes the typed answer).
    """

    key: str
    field: str
    prompt: Prompt
    apply: Apply
    title: str | None = None
    describe: Describe | None = None
    follows: str | None = None
    applies: Callable[[Mapping[str, Any]], bool] = _always
    required: bool = False
    in_settings: bool = True
    accepts_location: bool = False


@dataclass
class Questions:
    """The questions in order, and the conversation order derived from them."""

    entries: list[Question] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._check()

    def _check(self) -> None:
        keys = [q.key for q in self.entries]
        if len(set(keys)) != len(keys) or set(keys) & _RESERVED:
            raise ValueError(f"question keys must be unique and not {sorted(_RESERVED)}: {keys}")
        for q in self.entries:
            if q.follows is not None and (q.follows not in keys or q.title is not None):
                raise ValueError(f"{q.key}: a follow-up of a known question, without a title")
            if q.follows is None and (q.title is None or q.describe is None):
                raise ValueError(f"{q.key}: a main question needs a title and describe")

    def __contains__(self, key: object) -> bool:
        return any(q.key == key for q in self.entries)

    def get(self, key: str) -> Question:
        for q in self.entries:
            if q.key == key:
                return q
        raise KeyError(key)

    @property
    def main(self) -> list[Question]:
        """The questions with a summary line, in order (follow-ups left out)."""
        return [q for q in self.entries if q.follows is None]

    @property
    def first(self) -> str:
        return self.main[0].key

    def titles(self) -> dict[str, str]:
        """Step → title, in order: the summary, "Change something" and /settings."""
        return {q.key: q.title for q in self.main if q.title is not None}

    def settings(self) -> dict[str, str]:
        return {q.key: q.title for q in self.main if q.title is not None and q.in_settings}

    def missing(self, data: Mapping[str, Any]) -> list[str]:
        """Required questions without an answer, in order."""
        return [q.key for q in self.main if q.required and not data.get(q.field)]

    # --- order -----------------------------------------------------------------------------

    def _follow_ups(self, parent: str, data: Mapping[str, Any]) -> list[Question]:
        return [q for q in self.entries if q.follows == parent and q.applies(data)]

    def _root(self, step: str) -> str:
        return self.get(step).follows or step

    def next_step(self, kind: str, step: str, data: Mapping[str, Any]) -> str:
        """The question after `step`; `summary` at the end of onboarding, `end` for settings."""
        keys = [q.key for q in self.entries]
        root = self._root(step)
        later = keys[keys.index(step) + 1 :]
        extra = [q.key for q in self._follow_ups(root, data) if q.key in later]
        if extra:
            return extra[0]
        if kind == DraftKind.SETTINGS:
            return END
        if data.get(EDITING):
            return SUMMARY
        main = [q.key for q in self.main]
        following = [q for q in self.main[main.index(root) + 1 :] if q.applies(data)]
        return following[0].key if following else SUMMARY

    def previous_step(self, kind: str, step: str, data: Mapping[str, Any]) -> str | None:
        """Where Back goes: the question before, the summary while editing, None at the start."""
        if step in self and self.get(step).follows is not None:
            return self.get(step).follows
        if kind == DraftKind.SETTINGS:
            return None
        if data.get(EDITING) or step == CHANGE:
            return SUMMARY
        main = [q for q in self.main if q.applies(data) or q.key == step]
        keys = [q.key for q in main]
        index = len(keys) if step == SUMMARY else keys.index(step)
        if index == 0:
            return None
        before = keys[index - 1]
        asked = self._follow_ups(before, data)
        return asked[-1].key if asked else before

    # --- for tests and extensions ------------------------------------------------------------

    @contextmanager
    def added(self, question: Question, *, after: str) -> Iterator[Question]:
        """`question` asked right after `after` while the block runs (tests of the recipe)."""
        saved = list(self.entries)
        keys = [q.key for q in self.entries]
        self.entries.insert(keys.index(after) + 1, question)
        try:
            self._check()
            yield question
        finally:
            self.entries[:] = saved


def question(
    step: str, data: Mapping[str, Any], asking: Asking
) -> tuple[str, InlineKeyboardMarkup]:
    """The text and buttons of one question, showing the answers given so far where useful."""
    text, rows = REGISTRY.get(step).prompt(data, asking)
    if asking.can_go_back:
        rows.append([asking.button("⬅ Back", step, BACK)])
    return text, InlineKeyboardMarkup(rows)


def describe(step: str, data: Mapping[str, Any]) -> str:
    """One answer in words, as the summary shows it."""
    entry = REGISTRY.get(step)
    return entry.describe(data) if entry.describe is not None else str(data.get(entry.field, ""))


def apply_answer(step: str, data: dict[str, Any], answer: Answer, asking: Asking) -> None:
    """Writes one answer into `data`; `ToggledError` keeps the question open."""
    REGISTRY.get(step).apply(data, answer, asking)


def _toggles(asking: Asking, step: str, labels: Mapping[Any, str], chosen: Sequence[str]) -> Rows:
    buttons = [
        asking.button(("✓ " if value.value in chosen else "") + label, step, value.value)
        for value, label in labels.items()
    ]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def _toggle(
    data: dict[str, Any],
    key: str,
    answer: Answer,
    parse: Callable[[str], tuple[Any, ...]],
    kind: Callable[[str], Any],
    *,
    at_least_one: str = "",
) -> None:
    """A multi-select: a tap toggles one value (question stays open), Done or None closes it."""
    if answer.text is not None:
        data[key] = [item.value for item in parse(answer.text)]
        return
    chosen = list(data.get(key) or [])
    if answer.arg == DONE:
        if at_least_one and not chosen:
            raise AnswerError(at_least_one)
        data[key] = chosen
        return
    if answer.arg == "none":
        data[key] = []
        return
    value = kind(answer.arg).value
    data[key] = [c for c in chosen if c != value] if value in chosen else [*chosen, value]
    raise ToggledError


def multi_select(
    *,
    key: str,
    title: str,
    labels: Mapping[Any, str],
    text: str,
    parse: Callable[[str], tuple[Any, ...]],
    none_label: str = "",
    at_least_one: str = "",
    required: bool = False,
) -> Question:
    """A question answered by ticking any of `labels` (StrEnum members) then Done, or by typing
    them (`parse`); `none_label` adds a button for none, `at_least_one` refuses an empty Done."""
    kind = type(next(iter(labels)))

    def prompt(data: Mapping[str, Any], asking: Asking) -> tuple[str, Rows]:
        rows = _toggles(asking, key, labels, data.get(key) or [])
        last = [asking.button(none_label, key, "none")] if none_label else []
        rows.append([*last, asking.button("✅ Done", key, DONE)])
        return text, rows

    def apply(data: dict[str, Any], answer: Answer, asking: Asking) -> None:
        _toggle(data, key, answer, parse, kind, at_least_one=at_least_one)

    def describe(data: Mapping[str, Any]) -> str:
        chosen = ", ".join(labels[kind(value)] for value in data.get(key) or [])
        return chosen or none_label

    return Question(
        key=key,
        field=key,
        title=title,
        prompt=prompt,
        apply=apply,
        describe=describe,
        required=required,
    )


TIMES = ("06:30", "07:30", "12:30", "17:30", "18:30", "19:30")


def _time_rows(asking: Asking, step: str) -> Rows:
    buttons = [asking.button(t, step, t.replace(":", "")) for t in TIMES]
    return [buttons[:3], buttons[3:]]


# --- week -----------------------------------------------------------------------------------

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


def week_of(data: Mapping[str, Any]) -> dict[Weekday, DayKind]:
    saved = data.get("week") or {}
    return {day: DayKind(saved.get(day.value, DayKind.REST.value)) for day in WEEKDAYS}


def week_table(week: Mapping[Weekday, DayKind]) -> str:
    """The week as a table (Telegram HTML), the way the runner can check it at a glance."""
    rows = describe_week(dict(week))
    return "<pre>" + "\n".join(f"{day:<10} {kind}" for day, kind in rows) + "</pre>"


def week_echo(week: Mapping[Weekday, DayKind]) -> str:
    """What a typed week is answered with, ahead of the next question."""
    return f"Your week as I read it:\n{week_table(week)}\nNot right? Tap ⬅ Back to fix it.\n\n"


def _ask_week(data: Mapping[str, Any], asking: Asking) -> tuple[str, Rows]:
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


def _apply_week(data: dict[str, Any], answer: Answer, asking: Asking) -> None:
    if answer.text is not None:
        data["week"] = {d.value: k.value for d, k in parse_week(answer.text).items()}
        return
    week = {d.value: k.value for d, k in week_of(data).items()}
    if answer.arg == DONE:
        if not any(DayKind(k).is_run for k in week.values()):
            raise AnswerError("Tap at least one day to make it a run first.")
        data["week"] = week
        return
    day, kind = Weekday(answer.arg), DayKind(answer.args[1])
    week[day.value] = kind.value
    data["week"] = week
    raise ToggledError


WEEK = Question(
    key="week",
    field="week",
    title="Running week",
    prompt=_ask_week,
    apply=_apply_week,
    describe=lambda data: format_week(week_of(data)),
    required=True,
)


# --- run time -------------------------------------------------------------------------------


def _ask_run_time(data: Mapping[str, Any], asking: Asking) -> tuple[str, Rows]:
    text = (
        "<b>When do you usually finish running on your hard days?</b> I'll send the session "
        "after that.\nTap a time or type one — <i>18:30</i>, <i>7am</i> — or per day: "
        "<i>tue 7:00, fri 18:30</i>"
    )
    return text, _time_rows(asking, "run_time")


def _apply_run_time(data: dict[str, Any], answer: Answer, asking: Asking) -> None:
    if answer.text is None:
        data["run_time"], data["run_times"] = hhmm(parse_time(answer.arg)), {}
        return
    times = parse_run_times(answer.text)
    data["run_time"] = hhmm(times.usual) if times.usual else None
    data["run_times"] = {d.value: hhmm(t) for d, t in times.days.items()}


def _describe_run_time(data: Mapping[str, Any]) -> str:
    parts = [data["run_time"]] if data.get("run_time") else []
    parts += [f"{d.title()} {t}" for d, t in (data.get("run_times") or {}).items()]
    return ", ".join(parts) or "—"


RUN_TIME = Question(
    key="run_time",
    field="run_time",
    title="Finish time",
    prompt=_ask_run_time,
    apply=_apply_run_time,
    describe=_describe_run_time,
    applies=_unless_from_calendar("run_time"),
)


# --- time zone ------------------------------------------------------------------------------

COMMON_ZONES = (
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Australia/Sydney",
)


def zones_offered(default_zone: str) -> tuple[str, ...]:
    """The DEFAULT_TIMEZONE setting first, then a few common ones."""
    return (default_zone, *(z for z in COMMON_ZONES if z != default_zone))[:5]


def _ask_timezone(data: Mapping[str, Any], asking: Asking) -> tuple[str, Rows]:
    zones = zones_offered(asking.default_zone)
    buttons = [asking.button(zone_label(z), "timezone", i) for i, z in enumerate(zones)]
    text = (
        "<b>Which time zone are you in?</b> Tap one, type your city (<i>London</i>, "
        "<i>New York</i>), a zone like <i>Europe/Berlin</i> or <i>UTC+2</i>, "
        "or share your location (📎 → Location)."
    )
    return text, [buttons[:3], buttons[3:]]


def _apply_timezone(data: dict[str, Any], answer: Answer, asking: Asking) -> None:
    if answer.text is not None:
        data["timezone"] = parse_timezone(answer.text)
        return
    zones = zones_offered(asking.default_zone)
    data["timezone"] = zones[int(answer.arg) % len(zones)]


TIMEZONE = Question(
    key="timezone",
    field="timezone",
    title="Time zone",
    prompt=_ask_timezone,
    apply=_apply_timezone,
    describe=lambda data: zone_label(str(data.get("timezone", ""))),
    required=True,
    accepts_location=True,
    applies=_unless_from_calendar("timezone"),
)


# --- goal and race date ---------------------------------------------------------------------

GOAL_LABELS = {
    RaceDistance.FIVE_K: "5K",
    RaceDistance.TEN_K: "10K",
    RaceDistance.HALF_MARATHON: "Half marathon",
    RaceDistance.MARATHON: "Marathon",
    RaceDistance.ULTRA: "Ultra",
}
RACE_WEEKS = (6, 10, 16, 24)


def _ask_goal(data: Mapping[str, Any], asking: Asking) -> tuple[str, Rows]:
    races = [asking.button(label, "goal", d.value) for d, label in GOAL_LABELS.items()]
    rows = [races[:3], races[3:], [asking.button("General fitness", "goal", "none")]]
    text = (
        "<b>Are you training for a race?</b> Tap the distance, or type it with the date — "
        "<i>half marathon on 14 March</i>, <i>10k in 6 weeks</i> — or <i>general fitness</i>."
    )
    return text, rows


def _apply_goal(data: dict[str, Any], answer: Answer, asking: Asking) -> None:
    if answer.text is not None:
        parsed = parse_goal(answer.text, asking.today)
        distance, goal = parsed.distance, parsed.goal
    else:
        distance = None if answer.arg == "none" else RaceDistance(answer.arg)
        goal = None
    data["race_distance"] = distance.value if distance else None
    data["goal"] = goal.model_dump(mode="json") if goal else None


def _describe_goal(data: Mapping[str, Any]) -> str:
    goal = data.get("goal")
    if not goal:
        return "General fitness"
    day = date.fromisoformat(goal["race_date"])
    return f"{GOAL_LABELS[RaceDistance(goal['race_distance'])]} on {day:%-d %B %Y}"


GOAL = Question(
    key="goal",
    field="goal",
    title="Goal",
    prompt=_ask_goal,
    apply=_apply_goal,
    describe=_describe_goal,
    applies=_unless_from_calendar("goal"),
)


def _ask_race_date(data: Mapping[str, Any], asking: Asking) -> tuple[str, Rows]:
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


def _apply_race_date(data: dict[str, Any], answer: Answer, asking: Asking) -> None:
    if answer.text is not None:
        day = parse_race_date(answer.text, asking.today)
    else:
        day = asking.today + timedelta(weeks=int(answer.arg))
    goal = Goal(race_distance=RaceDistance(data["race_distance"]), race_date=day)
    data["goal"] = goal.model_dump(mode="json")


RACE_DATE = Question(
    key="race_date",
    field="goal",
    follows="goal",
    applies=lambda data: bool(data.get("race_distance")) and not data.get("goal"),
    prompt=_ask_race_date,
    apply=_apply_race_date,
)


def take_from_calendar(
    data: dict[str, Any], *, timezone: str | None, finish: time | None, goal: Goal | None
) -> list[str]:
    """Writes what a calendar says into the draft where the runner has not answered yet, in
    each question's own answer format; returns the keys of the questions so answered."""
    taken: list[str] = []
    if timezone and not data.get("timezone"):
        data["timezone"] = timezone
        taken.append(TIMEZONE.key)
    if finish is not None and "run_time" not in data and "run_times" not in data:
        data["run_time"], data["run_times"] = hhmm(finish), {}
        taken.append(RUN_TIME.key)
    if goal is not None and "goal" not in data and "race_distance" not in data:
        data["race_distance"] = goal.race_distance.value
        data["goal"] = goal.model_dump(mode="json")
        taken.append(GOAL.key)
    if taken:
        data[FROM_CALENDAR] = sorted({*(data.get(FROM_CALENDAR) or ()), *taken})
    return taken


# --- experience, equipment, sessions --------------------------------------------------------

EXPERIENCE_LABELS = {
    Experience.NOVICE: "New to lifting",
    Experience.INTERMEDIATE: "Some experience",
    Experience.ADVANCED: "Experienced",
}


def _ask_experience(data: Mapping[str, Any], asking: Asking) -> tuple[str, Rows]:
    rows = [
        [asking.button(label, "experience", e.value)] for e, label in EXPERIENCE_LABELS.items()
    ]
    return "<b>How much have you lifted weights before?</b>", rows


def _apply_experience(data: dict[str, Any], answer: Answer, asking: Asking) -> None:
    value = parse_experience(answer.text) if answer.text is not None else Experience(answer.arg)
    data["experience"] = value.value


EXPERIENCE = Question(
    key="experience",
    field="experience",
    title="Experience",
    prompt=_ask_experience,
    apply=_apply_experience,
    describe=lambda data: EXPERIENCE_LABELS[Experience(data["experience"])],
    required=True,
)

EQUIPMENT_LABELS = {
    Equipment.GYM: "Full gym",
    Equipment.DUMBBELLS: "Dumbbells",
    Equipment.KETTLEBELL: "Kettlebell",
    Equipment.BODYWEIGHT: "Bodyweight only",
    Equipment.BOX: "Box / step",
    Equipment.BAND: "Band",
    Equipment.PULLUP_BAR: "Pull-up bar",
}


_EQUIPMENT_CHOICE = multi_select(
    key="equipment",
    title="Equipment",
    labels=EQUIPMENT_LABELS,
    text=(
        "<b>What can you train with?</b> Tap everything you have, then <b>Done</b>. "
        "Or type it, with the weights of your bells if you like: <i>dumbbells 5, 10 and "
        "12.5 kg, band, pull-up bar</i>."
    ),
    parse=parse_equipment,
    at_least_one="Tap at least one — bodyweight only is fine.",
    required=True,
)
_OWNED = {Equipment.DUMBBELLS: "dumbbells_kg", Equipment.KETTLEBELL: "kettlebells_kg"}
"""The draft fields holding the bells owned (L4: prescribed loads round to them)."""


def _apply_equipment(data: dict[str, Any], answer: Answer, asking: Asking) -> None:
    """Typed: the kit and the weights of the bells named with it (kept when not restated)."""
    if answer.text is None:
        _EQUIPMENT_CHOICE.apply(data, answer, asking)
        return
    parsed = parse_equipment_loads(answer.text)
    data["equipment"] = [item.value for item in parsed.equipment]
    typed = {Equipment.DUMBBELLS: parsed.dumbbells_kg, Equipment.KETTLEBELL: parsed.kettlebells_kg}
    for bell, key in _OWNED.items():
        if typed[bell]:
            data[key] = list(typed[bell])
        elif bell not in parsed.equipment:
            data[key] = None


def _describe_equipment(data: Mapping[str, Any]) -> str:
    shown = []
    for value in data.get("equipment") or []:
        item = Equipment(value)
        loads = describe_loads(data.get(_OWNED[item])) if item in _OWNED else ""
        shown.append(EQUIPMENT_LABELS[item] + (f" ({loads})" if loads else ""))
    return ", ".join(shown)


EQUIPMENT = replace(_EQUIPMENT_CHOICE, apply=_apply_equipment, describe=_describe_equipment)


def _ask_sessions(data: Mapping[str, Any], asking: Asking) -> tuple[str, Rows]:
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


def _apply_sessions(data: dict[str, Any], answer: Answer, asking: Asking) -> None:
    data["sessions_per_week"] = parse_sessions(answer.text or answer.arg)


SESSIONS = Question(
    key="sessions",
    field="sessions_per_week",
    title="Sessions a week",
    prompt=_ask_sessions,
    apply=_apply_sessions,
    describe=lambda data: f"{data.get('sessions_per_week')} a week",
)


# --- placement and session time -------------------------------------------------------------

PLACEMENT_LABELS = {
    Placement.AFTER_HARD_RUNS: "After hard runs",
    Placement.SEPARATE_DAYS: "Separate days",
}


def _ask_placement(data: Mapping[str, Any], asking: Asking) -> tuple[str, Rows]:
    rows = [
        [asking.button("After hard runs (recommended)", "placement", "after")],
        [asking.button("Separate days", "placement", "separate")],
    ]
    text = (
        "<b>Where should strength go?</b> After your hard runs keeps hard days hard and easy "
        "days easy. Separate days suits you if you'd rather lift on a day off running."
    )
    return text, rows


def _apply_placement(data: dict[str, Any], answer: Answer, asking: Asking) -> None:
    if answer.text is not None:
        data["placement"] = parse_placement(answer.text).value
    else:
        separate = answer.arg == "separate"
        placement = Placement.SEPARATE_DAYS if separate else Placement.AFTER_HARD_RUNS
        data["placement"] = placement.value
    if data["placement"] == Placement.AFTER_HARD_RUNS.value:
        data["session_time"] = None


def _describe_placement(data: Mapping[str, Any]) -> str:
    placement = Placement(data.get("placement", Placement.AFTER_HARD_RUNS.value))
    text = PLACEMENT_LABELS[placement]
    if placement is Placement.SEPARATE_DAYS and data.get("session_time"):
        text += f" at {data['session_time']}"
    return text


PLACEMENT = Question(
    key="placement",
    field="placement",
    title="Where strength goes",
    prompt=_ask_placement,
    apply=_apply_placement,
    describe=_describe_placement,
)


def _ask_session_time(data: Mapping[str, Any], asking: Asking) -> tuple[str, Rows]:
    rows = _time_rows(asking, "session_time")
    rows.append([asking.button("Same as my run time", "session_time", "same")])
    return "<b>What time would you lift on those days?</b> Tap or type a time.", rows


def _apply_session_time(data: dict[str, Any], answer: Answer, asking: Asking) -> None:
    if answer.text is None and answer.arg == "same":
        data["session_time"] = None
        return
    data["session_time"] = hhmm(parse_time(answer.text or answer.arg))


SESSION_TIME = Question(
    key="session_time",
    field="session_time",
    follows="placement",
    applies=lambda data: data.get("placement") == Placement.SEPARATE_DAYS.value,
    prompt=_ask_session_time,
    apply=_apply_session_time,
)


# --- limitations and units ------------------------------------------------------------------

LIMITATION_LABELS = {
    Limitation.KNEE: "Knee",
    Limitation.ACHILLES: "Achilles",
    Limitation.CALF: "Calf",
    Limitation.HIP: "Hip",
    Limitation.LOWER_BACK: "Lower back",
    Limitation.SHOULDER: "Shoulder",
}


LIMITATIONS = multi_select(
    key="limitations",
    title="Sore spots",
    labels=LIMITATION_LABELS,
    text=(
        "<b>Any sore spots or old injuries I should plan around?</b> Tap them, then "
        "<b>Done</b> — or <b>None</b>. You can type them too: <i>knee and achilles</i>."
    ),
    parse=parse_limitations,
    none_label="None",
)


def _ask_units(data: Mapping[str, Any], asking: Asking) -> tuple[str, Rows]:
    buttons = [asking.button("kg", "units", "kg"), asking.button("lb", "units", "lb")]
    return "<b>Last one: do you lift in kg or lb?</b>", [buttons]


def _apply_units(data: dict[str, Any], answer: Answer, asking: Asking) -> None:
    data["units"] = (parse_units(answer.text) if answer.text else Units(answer.arg)).value


UNITS = Question(
    key="units",
    field="units",
    title="Units",
    prompt=_ask_units,
    apply=_apply_units,
    describe=lambda data: str(data.get("units", "kg")),
)


REGISTRY = Questions(
    [
        WEEK,
        RUN_TIME,
        TIMEZONE,
        GOAL,
        RACE_DATE,
        EXPERIENCE,
        EQUIPMENT,
        SESSIONS,
        PLACEMENT,
        SESSION_TIME,
        LIMITATIONS,
        UNITS,
    ]
)
"""Every question, in the order onboarding asks them (a follow-up right after its parent)."""
