"""The running week as runners type it, and the one-off changes they make to it.

`parse_week_words` reads a whole week in any order and layout: "tue tempo", "tempo on tuesday",
"easy tuesday and friday", "mon-fri easy", "Mo: rest" on its own line, "wednesday and saturday
off", "rest otherwise", and corrections later in the same message ("actually thursday is tempo":
the last word about a day wins). Days not named are rest unless a default is given.

`read_week_change` reads a change to one week ("this week my tempo is on thursday", "skipped the
long run"): the overrides a dated run day carries for that week (one input the
planner plans from). Moving a session is then the planner's business (X3, P3–P5).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from bot.core.domain.profile import WEEKDAYS, DayKind, Weekday
from bot.core.language.words import DAY_GROUPS, DAY_NAMES, KIND_WORDS, clean, mend, words_of

FILLER = frozenset(
    """
    a an the my i im ive is are was be on and run runs running runnin day days do does doing
    go goes going for with then also training usually usual normally just of to at it its
    session sessions sesh work effort efforts miles mile km k mins min minutes hour hours ish
    some a.m am pm morning evening night lunch lunchtime club group with w strides plus every
    each week weekly typical typically like this that our me we but or maybe will should make
    change set have has had actually sorry wait oops correction meant mean no not instead
    rather than so ok okay please thanks cheers yeah yes my usually do done get gets got take
    takes took keep keeps kept where which what who as from in slow short medium mid
    class classes oh um uh hmm lol also nice tho though too again
    """.split()  # noqa: SIM905
)
"""Words that carry no day or kind ("my long run is on sunday")."""

_OTHERWISE = re.compile(
    r"\b(?:otherwise|else|everything else|all (?:the )?others|(?:the )?others|"
    r"(?:the )?rest of (?:the )?(?:week|days|time)|(?:all )?(?:the )?other days|"
    r"remaining days|any other day|the remaining|the rest(?! day))\b"
)
_RANGE = re.compile(
    r"\b([a-z]{2,9})\s*(?:-|to|through|thru|till|until)\s*([a-z]{2,9})\b",
)
_NOT_WORD = re.compile(r"\b(?:not|instead of|rather than|no longer)\s+(?:on\s+|a\s+|an\s+)?(\w+)")
_QUANTITY = re.compile(
    r"\b\d+(?:\.\d+)?\s*(?:k|km|kms|mi|miles?|m|mins?|minutes?|h|hrs?|hours?|x\d*)\b|"
    r"\b\d{1,2}(?::\d{2})?\s*(?:am|pm)\b|\b\d{1,2}:\d{2}\b"
)

WEEK_EXAMPLE = "tue tempo, fri intervals, sun long, wed easy, sat easy, rest otherwise"


class WeekWordsError(ValueError):
    """The week could not be read; `unknown` holds words that are neither days nor runs."""

    def __init__(self, reason: str, unknown: tuple[str, ...] = ()) -> None:
        super().__init__(reason)
        self.reason = reason
        self.unknown = unknown


@dataclass(frozen=True)
class WeekReading:
    """What a week message said: the days named, and the kind of the days left unnamed."""

    days: dict[Weekday, DayKind]
    default: DayKind | None = None

    def full(self) -> dict[Weekday, DayKind]:
        """All seven days; unnamed ones take the default, else rest."""
        return {d: self.days.get(d, self.default or DayKind.REST) for d in WEEKDAYS}


class _Sep(Enum):
    SEP = ","
    HARD = "|"
    """A sentence end or a correction ("actually …"): nothing pairs or merges across it."""
    OTHERWISE = "otherwise"


Token = tuple[Weekday, ...] | DayKind | _Sep | str
"""A day group, a kind, a separator or an unknown word (a plain `str`)."""


def _expand_ranges(text: str) -> str:
    """ "mon-fri" / "monday to friday" → "mon tue wed thu fri"; other words untouched."""

    def repl(match: re.Match[str]) -> str:
        first, last = DAY_NAMES.get(match[1]), DAY_NAMES.get(match[2])
        if first is None or last is None:
            return match[0]
        start, end = first.number, last.number
        span = range(start, end + 1) if start <= end else [*range(start, 7), *range(end + 1)]
        return " " + " ".join(WEEKDAYS[i].value for i in span) + " "

    return _RANGE.sub(repl, text)


def _prepare(text: str) -> str:
    text = clean(text)
    text = _QUANTITY.sub(" ", text)
    text = re.sub(r"\s[/+]\s|\s-\s(?=[a-z]+\s+[a-z])", " , ", text)  # "Mon / Tempo Thu"
    text = re.sub(r"(?<=[a-z])[/+](?=[a-z])", " ", text)  # "wed/sat", "tue+fri"
    text = re.sub(r"\b(?:hard|key)(?: (?:days?|runs?|sessions?|workouts?))?\s*:", " , ", text)
    text = _single_letter_days(text)
    text = re.sub(r"\b(?:every ?day|all week|each day|7 days)\b", " everyday ", text)
    text = re.sub(
        r"\b(?:run|running|runs|jog|jogging)\s+(?:on\s+)?everyday\b", " everyday easy ", text
    )
    text = re.sub(r"\blong (?:slow )?(?:run|one|day)s?\b", " long ", text)
    text = re.sub(r"\blong slow distance\b", " long ", text)
    text = re.sub(r"\bcross[ -]?train(?:ing|s)?\b|\bx-?train(?:ing)?\b", " cross ", text)
    text = re.sub(r"\b(?:rest|off|recovery) days?\b|\bdays? off\b", " rest ", text)
    text = re.sub(r"\bspeed ?work\b|\btrack (?:session|night|work)\b", " intervals ", text)
    text = re.sub(r"\bhill (?:reps|repeats|sprints|session)\b", " hills ", text)
    text = re.sub(r"\bmarathon pace\b|\bmp run\b", " tempo ", text)
    text = re.sub(r"\b(cruise|threshold|tempo) (?:intervals|reps|repeats|miles)\b", r" \1 ", text)
    text = re.sub(r"(^|[,;.]|\n)\s*rest (easy|cross|tempo)\b", r"\1 otherwise \2", text)
    text = re.sub(r"\bday before\b", " ", text)
    text = re.sub(r"\bno (?:run|running|runs|training)\b|\bnot running\b", " rest ", text)
    text = _expand_ranges(text)
    text = _NOT_WORD.sub(lambda m: " " if _is_day_or_kind(m[1]) else m[0], text)
    text = _OTHERWISE.sub(" , otherwise , ", text)
    text = re.sub(r"\b(?:except|apart from|besides|but)\b", " , ", text)
    text = re.sub(
        r"\b(?:actually|correction|sorry|oops|no wait|wait|i mean|i meant|scratch that|"
        r"my bad|update)\b",
        " | ",
        text,
    )
    text = re.sub(r"(?<=\w)\s*[-:]\s*(?=\w)", " ", text)  # "tue-tempo", "Mo: rest"
    text = text.replace(".", " | ")
    return text


_LETTERS = {"m": "mon", "t": "tue", "w": "wed", "r": "thu", "f": "fri"}


def _single_letter_days(text: str) -> str:
    """ "M intervals, T easy, W off, Th tempo, F easy": one-letter days when three or more are
    used (T alone is Tuesday, as Th is Thursday)."""
    words = re.findall(r"\b[a-z]\b", text)
    if sum(1 for w in words if w in _LETTERS) < 3:
        return text
    return re.sub(r"\b([mtwrf])\b", lambda m: _LETTERS[m[1]], text)


def _unknown(token: Token) -> bool:
    """A word that is neither a day nor a kind (DayKind is a str too, so check it first)."""
    return isinstance(token, str) and not isinstance(token, DayKind)


def _is_day_or_kind(word: str) -> bool:
    return mend(word, (*DAY_NAMES, *KIND_WORDS)) in DAY_NAMES or word in KIND_WORDS


def _one_slip(word: str) -> str | None:
    """The one run kind a five-letter-plus word misses by a single slip of the thumb (a wrong,
    missing, extra or swapped letter: "tenpo", "temop", "tmepo" → tempo), or None."""
    if len(word) < 5 or not word.isalpha():
        return None
    from rapidfuzz.distance import DamerauLevenshtein

    hits = {
        KIND_WORDS[k]
        for k in KIND_WORDS
        if len(k) >= 5 and DamerauLevenshtein.distance(word, k, score_cutoff=1) <= 1
    }
    if len(hits) != 1:
        return None
    kind = hits.pop()
    return next(k for k in KIND_WORDS if KIND_WORDS[k] is kind)


def _tokens(text: str) -> list[Token]:
    """Days, kinds, separators and unknown words, typos mended ("thrusday" → Thursday)."""
    raw = [t for t in re.split(r"\s+|(?=[,;|])|(?<=[,;|])", _prepare(text)) if t.strip()]
    two_letter = sum(1 for t in raw if t in {"mo", "tu", "th", "fr", "sa", "su"})
    vocabulary = (*DAY_NAMES, *DAY_GROUPS, *KIND_WORDS)
    out: list[Token] = []
    for word in raw:
        if word in {",", ";"}:
            out.append(_Sep.SEP)
            continue
        if word == "|":
            out.append(_Sep.HARD)
            continue
        if word == "otherwise":
            out.append(_Sep.OTHERWISE)
            continue
        if word == "we" and two_letter >= 2:
            out.append((Weekday.WED,))
            continue
        if word in FILLER:
            continue
        known = mend(word, vocabulary)
        if known not in vocabulary:
            known = _one_slip(word) or known
        if known in DAY_NAMES:
            out.append((DAY_NAMES[known],))
        elif known in DAY_GROUPS:
            out.append(DAY_GROUPS[known])
        elif known in KIND_WORDS:
            if out and out[-1] is KIND_WORDS[known]:
                continue  # "recovery jog", "easy jog": one kind said twice
            out.append(KIND_WORDS[known])
        elif word.isdigit():
            continue
        else:
            out.append(word)
    return out


@dataclass
class _Item:
    token: Token
    sep_before: bool = False
    sep_after: bool = False
    used: bool = False


def parse_week_words(text: str) -> WeekReading:
    """Reads the running week from one message, in the runner's own words and order.

    Args:
        text: e.g. "intervals on monday, tempo thursday, long run sunday, easy tuesday and
            friday, wednesday and saturday off".

    Returns:
        The days named with their kinds, and the default for the rest (if one was given).

    Raises:
        WeekWordsError: a word that is neither a day nor a run, a day with no run, a run with no
            day, or nothing about the week at all.
    """
    tokens = _tokens(text)
    unknown = tuple(dict.fromkeys(str(t) for t in tokens if _unknown(t)))
    if unknown:
        raise WeekWordsError("unknown", unknown)
    segments: list[list[Token]] = [[]]
    for token in tokens:
        if token is _Sep.HARD:
            segments.append([])
        else:
            segments[-1].append(token)
    days: dict[Weekday, DayKind] = {}
    default: DayKind | None = None
    first_start: str | None = None
    for segment in segments:
        if not segment:
            continue
        said, said_default, first_start = _read_segment(segment, first_start)
        for day, kind in said.items():
            days.pop(day, None)
            days[day] = kind  # the last word about a day wins (corrections)
        default = said_default or default
    if not days and default is None:
        raise WeekWordsError("Tell me what each day looks like.")
    return WeekReading(days=days, default=default)


def _read_segment(
    tokens: list[Token], lean_hint: str | None
) -> tuple[dict[Weekday, DayKind], DayKind | None, str | None]:
    """One sentence: days paired with the kind beside them, and a default if one was given."""
    items: list[_Item] = []
    pending_sep = False
    for token in tokens:
        if token is _Sep.SEP:
            pending_sep = True
            if items:
                items[-1].sep_after = True
            continue
        items.append(_Item(token, sep_before=pending_sep))
        pending_sep = False
    # Merge runs of days (across commas and "and") into groups.
    merged: list[_Item] = []
    parts: dict[int, list[list[Weekday]]] = {}
    for item in items:
        if isinstance(item.token, tuple) and merged and isinstance(merged[-1].token, tuple):
            last = merged[-1]
            assert isinstance(last.token, tuple)
            joined = (*last.token, *item.token)
            if item.sep_before:
                parts[id(last)].append(list(item.token))
            else:
                parts[id(last)][-1].extend(item.token)
            last.token = joined
            last.sep_after = item.sep_after
            continue
        merged.append(item)
        if isinstance(item.token, tuple):
            parts[id(item)] = [list(item.token)]

    default: DayKind | None = None
    # "otherwise" takes the kind beside it, the right one first unless that one has a day.
    for index, item in enumerate(merged):
        if item.token is not _Sep.OTHERWISE:
            continue
        right = merged[index + 1] if index + 1 < len(merged) else None
        left = merged[index - 1] if index > 0 else None
        after_right = merged[index + 2] if index + 2 < len(merged) else None
        if (
            right is not None
            and isinstance(right.token, DayKind)
            and not (
                after_right is not None
                and isinstance(after_right.token, tuple)
                and not right.sep_after
            )
        ):
            default, right.used = right.token, True
        elif left is not None and isinstance(left.token, DayKind) and not left.used:
            default, left.used = left.token, True
    merged = [i for i in merged if i.token is not _Sep.OTHERWISE and not i.used]

    days: dict[Weekday, DayKind] = {}
    orientation: list[str] = []
    undecided: list[int] = []
    choices: dict[int, str] = {}
    for index, item in enumerate(merged):
        if not isinstance(item.token, tuple):
            continue
        prev = merged[index - 1] if index > 0 else None
        nxt = merged[index + 1] if index + 1 < len(merged) else None
        prev_ok = prev is not None and isinstance(prev.token, DayKind) and not item.sep_before
        next_ok = nxt is not None and isinstance(nxt.token, DayKind) and not item.sep_after
        if prev_ok and next_ok:
            undecided.append(index)
        elif prev_ok:
            choices[index] = "prev"
            orientation.append("prev")
        elif next_ok:
            choices[index] = "next"
            orientation.append("next")
        else:
            # Across a comma only when nothing closer claims the group.
            before_prev = merged[index - 2] if index > 1 else None
            after_next = merged[index + 2] if index + 2 < len(merged) else None
            prev_far = (
                prev is not None
                and isinstance(prev.token, DayKind)
                and not (
                    before_prev is not None
                    and isinstance(before_prev.token, tuple)
                    and not prev.sep_before
                )
            )
            next_far = (
                nxt is not None
                and isinstance(nxt.token, DayKind)
                and not (
                    after_next is not None
                    and isinstance(after_next.token, tuple)
                    and not nxt.sep_after
                )
            )
            if next_far and not prev_far:
                choices[index] = "next"
            elif prev_far and not next_far:
                choices[index] = "prev"
            elif prev_far and next_far:
                undecided.append(index)
            else:
                names = ", ".join(d.title for d in item.token)
                raise WeekWordsError(f"Which run is on {names}?")
    if orientation:
        lean = "next" if orientation.count("next") >= orientation.count("prev") else "prev"
    else:
        starts = next((i.token for i in merged if not isinstance(i.token, _Sep)), None)
        lean = lean_hint or ("prev" if isinstance(starts, DayKind) else "next")
    for index in undecided:
        group = parts[id(merged[index])]
        after_next = merged[index + 2] if index + 2 < len(merged) else None
        before_prev = merged[index - 2] if index > 1 else None
        if (
            len(group) > 1
            and after_next is not None
            and isinstance(after_next.token, tuple)
            and not merged[index + 1].sep_after
        ):
            choices[index] = "prev"  # the next kind belongs to the days after it
            continue
        if (
            len(group) > 1
            and before_prev is not None
            and isinstance(before_prev.token, tuple)
            and not merged[index - 1].sep_before
            and index - 2 not in undecided
        ):
            choices[index] = "next"
            continue
        if len(group) > 1 and not merged[index].sep_before and not merged[index].sep_after:
            prev_kind = merged[index - 1].token
            next_kind = merged[index + 1].token
            assert isinstance(prev_kind, DayKind) and isinstance(next_kind, DayKind)
            days.update(dict.fromkeys(group[0], prev_kind))
            for part in group[1:]:
                days.update(dict.fromkeys(part, next_kind))
            merged[index - 1].used = merged[index + 1].used = True
            continue
        choices[index] = lean
    for index in sorted(choices):
        item = merged[index]
        partner = merged[index - 1] if choices[index] == "prev" else merged[index + 1]
        assert isinstance(item.token, tuple) and isinstance(partner.token, DayKind)
        for day in item.token:
            days.pop(day, None)
            days[day] = partner.token
        partner.used = True
    loose = [i for i in merged if isinstance(i.token, DayKind) and not i.used]
    if loose:
        first = loose[0].token
        assert isinstance(first, DayKind)
        raise WeekWordsError(f"Which day is the {first.value} run?")
    return days, default, lean


# --- one-off changes to a week -------------------------------------------------------------


class WeekScope(Enum):
    """Which week a change is for."""

    THIS = "this"
    NEXT = "next"
    ALWAYS = "always"


@dataclass(frozen=True)
class WeekEdit:
    """The days a change sets for one week, and the words for the one-line reason in /plan."""

    days: dict[Weekday, DayKind]
    scope: WeekScope
    reason: str


_KIND_LABEL = {
    DayKind.REST: "rest day",
    DayKind.EASY: "easy run",
    DayKind.TEMPO: "tempo",
    DayKind.INTERVALS: "intervals",
    DayKind.LONG: "long run",
    DayKind.CROSS: "cross-training",
}

_SKIP = re.compile(
    r"\b(?:skip(?:ped|ping)?|miss(?:ed|ing)?|dropp(?:ed|ing)|cancel(?:led|ling)?|bail(?:ed)?|"
    r"no|not doing|not making|didnt do|couldnt do|wont do|cant do|cant make|couldnt make|"
    r"wont make|without)\b"
)
_INSTEAD = re.compile(
    r"\b(?:instead|mov(?:e|ed|ing)|shift(?:ed|ing)?|push(?:ed)?|will do|ill do|doing it|"
    r"do it|run it|going to do|gonna do)\b"
)
"""A skipped day with another named for it is a move, not a skip."""
_MOVE = re.compile(
    r"\b(?:mov(?:e|ed|ing)|shift(?:ed|ing)?|swap(?:ped)?|switch(?:ed)?|push(?:ed)?|"
    r"instead|now|is on|on|doing|will do|ill do|going to do|gonna do|changed? to)\b"
)


def read_week_change(text: str, usual: dict[Weekday, DayKind]) -> WeekEdit | None:
    """Reads a change to one week against the runner's usual week, or None if it isn't one.

    "this week my tempo is on thursday" moves tempo to Thursday and gives the day tempo left
    what Thursday usually was (a swap, so the week keeps its runs). "skipped the long run" turns
    the long-run day into rest. "thursday is rest this week" sets just that day. "next week"
    aims at the coming week; "from now on" / "every week" mark a change to the usual week.

    Args:
        text: the runner's message.
        usual: the runner's usual week (all seven days).

    Returns:
        The change, or None when the text names no run kind and no day.
    """
    value = clean(text)
    scope = WeekScope.THIS
    if re.search(r"\bnext week\b", value):
        scope = WeekScope.NEXT
    elif re.search(r"\b(?:from now on|every week|each week|permanently|going forward)\b", value):
        scope = WeekScope.ALWAYS
    tokens = [t for t in _tokens(value) if not _unknown(t) and not isinstance(t, _Sep)]
    kinds = [t for t in tokens if isinstance(t, DayKind)]
    day_groups = [t for t in tokens if isinstance(t, tuple)]
    named_days = [d for group in day_groups for d in group]
    if not kinds and not named_days:
        return None
    when = {WeekScope.THIS: "this week", WeekScope.NEXT: "next week", WeekScope.ALWAYS: ""}[scope]
    # A skipped run: its day(s) become rest.
    if _SKIP.search(value) and kinds and not named_days:
        kind = kinds[0]
        hit = [d for d in WEEKDAYS if usual.get(d) is kind]
        if not hit:
            return None
        label = _KIND_LABEL[kind]
        return WeekEdit(
            dict.fromkeys(hit, DayKind.REST),
            scope,
            f"Skipped: no {label} {when}".strip(),
        )
    if _SKIP.search(value) and named_days and kinds and not _INSTEAD.search(value):
        # "couldn't do my long run on sunday", "won't do intervals thursday": that day rests
        label = _KIND_LABEL[kinds[0]]
        days = ", ".join(d.title for d in named_days)
        return WeekEdit(
            dict.fromkeys(named_days, DayKind.REST),
            scope,
            f"Skipped: no {label} on {days} {when}".strip(),
        )
    if _SKIP.search(value) and named_days and not kinds and not _INSTEAD.search(value):
        return WeekEdit(
            dict.fromkeys(named_days, DayKind.REST),
            scope,
            f"Changed: {', '.join(d.title for d in named_days)} is a rest day {when}".strip(),
        )
    if not kinds or not named_days:
        return None
    try:
        reading = parse_week_words(value)
        pairs = dict(reading.days)
    except WeekWordsError:
        pairs = {named_days[-1]: kinds[0]}
    changes: dict[Weekday, DayKind] = {}
    reasons: list[str] = []
    for day, kind in pairs.items():
        if usual.get(day) is kind:
            continue
        changes[day] = kind
        origin = [d for d in WEEKDAYS if usual.get(d) is kind and d not in pairs]
        if kind.is_key and len(origin) == 1 and scope is not WeekScope.ALWAYS:
            changes.setdefault(origin[0], usual.get(day, DayKind.REST))
            verb = "are" if _KIND_LABEL[kind].endswith("s") else "is"
            reasons.append(f"Moved: your {_KIND_LABEL[kind]} {verb} on {day.title} {when}")
        else:
            reasons.append(f"Changed: {day.title} is {_KIND_LABEL[kind]} {when}")
    if not changes:
        return None
    return WeekEdit(changes, scope, "; ".join(r.strip() for r in reasons))


def describe_week(week: dict[Weekday, DayKind]) -> list[tuple[str, str]]:
    """(day, run) rows for the week table the bot echoes back for confirmation."""
    return [(day.title, _KIND_LABEL[week[day]]) for day in WEEKDAYS]


__all__ = [
    "WEEK_EXAMPLE",
    "WeekEdit",
    "WeekReading",
    "WeekScope",
    "WeekWordsError",
    "describe_week",
    "parse_week_words",
    "read_week_change",
    "words_of",
]
