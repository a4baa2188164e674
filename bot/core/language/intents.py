"""What a plain message means when it is neither an answer nor a set log: the intent registry.

free text is routed, not guessed twice: the chat router asks `read_intent` once,
after the open question and the set-log parser have passed. Each intent is one entry in
`INTENTS` (its reader and examples); adding one touches the entry and its test. Order matters and
is the order of the tuple: pain before readiness ("my calf is sore" is about a body part, "legs are
sore" is about the day), a skipped run before readiness ("skipped the long run, sick" changes the
week, whatever the reason given), readiness before any other week change ("wrecked after the long
run" is about today), a race before a week change ("race moved to 3 may").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.core.catalogue.loader import Catalogue, Exercise, normalise_name
from bot.core.domain.adjustments import Readiness
from bot.core.domain.profile import (
    WEEKDAYS,
    DayKind,
    Equipment,
    Limitation,
    Priority,
    RaceDistance,
    Weekday,
)
from bot.core.language.dates import month_without_day, parse_date_words
from bot.core.language.week import WeekEdit, WeekScope, read_week_change
from bot.core.language.words import (
    BODY_PARTS,
    NUMBER_WORDS,
    body_part,
    clean,
    words_of,
)
from bot.core.race_words import race_distance_match

PAIN_SCALE_MAX = 10


@dataclass(frozen=True)
class PainReport:
    """X2: pain in one body part on a 0–10 scale; `estimated` when read from words alone."""

    part: Limitation
    score: int
    estimated: bool = False
    sharp: bool = False


@dataclass(frozen=True)
class SwapRequest:
    """A swap: an exercise the runner wants out, and/or the kit they have today; "always" keeps
    the choice for every later session."""

    exercise_id: str | None = None
    kit: frozenset[Equipment] | None = None
    always: bool = False
    why: str = ""


@dataclass(frozen=True)
class ReadinessReport:
    state: Readiness


@dataclass(frozen=True)
class WeekChange:
    """A change to one week's runs (or, with scope "always", to the usual week)."""

    edit: WeekEdit


class RaceAction(StrEnum):
    NEW = "new"
    MOVED = "moved"
    DROPPED = "dropped"
    DONE = "done"


@dataclass(frozen=True)
class RaceChange:
    """A new race, a moved one, a dropped one, or one just run (PH4), with the priority the
    runner gave it, if any ("B", "just a C race", PH5)."""

    action: RaceAction
    distance: RaceDistance | None = None
    race_date: date | None = None
    priority: Priority | None = None


Intent = PainReport | SwapRequest | ReadinessReport | WeekChange | RaceChange


@dataclass(frozen=True)
class Context:
    """What a reader may need besides the text: the runner's day, zone, week and catalogue."""

    today: date
    zone: str = "UTC"
    usual_week: Mapping[Weekday, DayKind] | None = None
    catalogue: Catalogue | None = None


# --- pain (X2) -----------------------------------------------------------------------------

_NOT_BODY = re.compile(
    r"\b(?:(?:pushed|put|moved|push|get|got|come|came|coming|be|went|bounce|bounced|"
    r"bring|brought|step|stepped|welcome) back|back to back|back from|back home|back on|"
    r"back to (?:the )?(?:gym|running|training|normal|work))\b"
)
_BETTER = re.compile(
    r"\b(?:fine|better|ok|okay|good|great|healed|recovered|gone|sorted|normal|pain ?free|"
    r"no (?:more|longer) (?:hurts?|hurting|sore|pain)|doesnt hurt|dont hurt|not hurting|"
    r"not sore|no pain|all clear|cleared)\b"
)
_SHARP = re.compile(
    r"\b(?:sharp|stabbing|shooting|cant walk|cant bend|limping|limp|swollen|swelling|agony|"
    r"killing me|unbearable|excruciating|popped|torn|tore)\b"
)
_PAIN_WORDS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"\b(?:really|very|super|quite|pretty|so) (?:bad|sore|painful|hurts?)\b"), 6),
    (
        re.compile(
            r"\b(?:bad|badly|worse|worsening|injured|strain(?:ed)?|pulled|sprain(?:ed)?)\b"
        ),
        6,
    ),
    (
        re.compile(
            r"\b(?:a (?:bit|little)|slightly|little|mild|mildly|niggl\w*|twing\w*|tight|"
            r"tightness|stiff|grumbl\w*|aware of)\b"
        ),
        3,
    ),
    (
        re.compile(
            r"\b(?:hurts?|hurting|hurt|pain|painful|sore|soreness|ache|aches|aching|achy|"
            r"playing up|flar\w* up|tweak\w*|irritat\w*|inflamed|tender|dodgy|bothering|"
            r"acting up|niggle)\b"
        ),
        4,
    ),
)
_SCORE = re.compile(
    r"\b(\d{1,2}|" + "|".join(NUMBER_WORDS) + r")\s*(?:/|out of|of|outta)\s*(?:10|ten)\b|"
    r"\b(?:pain|level|score|at|about|around|is|like|a|maybe)\s+(\d{1,2})\b|"
    r"\b(?:" + "|".join(BODY_PARTS) + r")[\s,:-]+(\d{1,2})\b|^(?:pain\s+)?\w+[\s,:-]+(\d{1,2})$|"
    r"^(?:\w+\s+){0,3}\w+\s*,\s*(\d{1,2})$"
)


def read_pain(text: str, ctx: Context) -> PainReport | None:
    """X2: "my knee hurts 6/10", "achilles sore", "back is tight", "knee is fine now",
    "/pain knee 0". A score in words is estimated (≤ 3 tight or a niggle, 4 sore or hurts,
    6 bad, 7 sharp); "sharp" is never coached through."""
    value = _NOT_BODY.sub(" ", clean(text))
    part = body_part(value)
    if part is None:
        return None
    score: int | None = None
    match = _SCORE.search(value)
    if match:
        raw = next(g for g in match.groups() if g is not None)
        score = NUMBER_WORDS[raw] if raw in NUMBER_WORDS else int(raw)
        if score > PAIN_SCALE_MAX:
            score = None
    sharp = bool(_SHARP.search(value))
    if score is not None:
        return PainReport(part, score, sharp=sharp)
    if sharp:
        return PainReport(part, 7, estimated=True, sharp=True)
    if _BETTER.search(value) and not re.search(
        r"\b(?:not (?:fine|better|good|great|ok))\b", value
    ):
        return PainReport(part, 0)
    for pattern, estimate in _PAIN_WORDS:
        if pattern.search(value):
            return PainReport(part, estimate, estimated=True)
    if re.fullmatch(r"(?:pain )?\w+", value.strip()):
        return None  # a bare body part: the chat asks how bad
    return None


_ONLY_SCORE = re.compile(
    r"^(?:(?:its|it is|id say|i would say|about|around|maybe|like|probably|roughly|prob|"
    r"a|an|at|solid|strong|pain|level|score|of|is|say)\s+)*"
    r"(\d{1,2}|" + "|".join(NUMBER_WORDS) + r")(?:\s*(?:/|out of|of|outta)\s*(?:10|ten))?"
    r"(?:\s+(?:ish|or so|maybe|i think|i guess|today|now))*$"
)


def read_score(text: str) -> int | None:
    """X2: the answer to "How bad is it, 0–10?": "6", "about a 6 out of 10", "six", "7/10";
    None when it is not a score on that scale."""
    value = clean(text).strip(" .!?")
    value = re.sub(r"(?<=\d)\s*ish\b", "", value)
    match = _ONLY_SCORE.match(value)
    if match is None:
        match = _SCORE.search(value)
        if match is None:
            return None
    raw = next(g for g in match.groups() if g is not None)
    score = NUMBER_WORDS[raw] if raw in NUMBER_WORDS else int(raw)
    return score if 0 <= score <= PAIN_SCALE_MAX else None


_YES = re.compile(
    r"^(?:y|yes|yeah|yep|yup|ya|yea|ok|okay|sure|correct|right|perfect|exactly|confirm(?:ed)?|"
    r"looks (?:good|right|fine)|thats (?:right|it|correct|fine)|that is (?:right|it|correct|fine)|"
    r"use (?:it|this|that)(?: week)?|go ahead|do it|sounds good|spot on|all good|good|great|"
    r"\U0001f44d)(?:[\s,.!]+(?:thats|that is|its|it is|right|correct|it|thanks|thank you|"
    r"please|spot on|perfect|looks good|yes|yep))*$"
)
_NO = re.compile(
    r"^(?:n|no|nope|nah|wrong|not right|thats wrong|thats not right|cancel|dont|leave it|"
    r"keep (?:it|my week)|never ?mind)(?:[\s,.!]+\w+)*$"
)


def read_confirmation(text: str) -> bool | None:
    """The answer to "Is that right?": True for yes ("yep, that's right"), False for no, None
    when the text is neither (then it is read as something else)."""
    if text.strip() in ("\U0001f44d", "\U0001f44c", "\u2705", "\u2714\ufe0f", "\u2714"):
        return True  # 👍 👌 ✅ ✔ (clean() drops emoji)
    value = clean(text).strip(" .!?")
    if _YES.match(value):
        return True
    if _NO.match(value):
        return False
    return None


# --- readiness -----------------------------------------------------------------------------

_TIRED = re.compile(
    r"\b(?:tired|tiring|exhausted|knackered|shattered|wrecked|wiped|fried|drained|fatigued|"
    r"zonked|cooked|spent|run ?down|burnt out|burned out|sleepy|no energy|low energy|"
    r"(?:heavy|dead|tired|jelly|empty) legs|legs (?:are|feel|feeling) (?:heavy|dead|gone|empty|"
    r"tired|wrecked|toast|shot)|slept (?:badly|poorly|terribly|awful|like rubbish)|"
    r"(?:bad|poor|little|no|terrible|awful|rubbish|rough) (?:sleep|night)|"
    r"(?:didnt|couldnt|barely|hardly) sleep|up all night|"
    r"(?:only )?\d (?:hours?|hrs?) (?:of )?sleep|"
    r"hung ?over|jet ?lag\w*|under the weather|a cold|got a cold|ill|sick|poorly|stressed|"
    r"long day|not feeling it|flat|lethargic|done in|dead)\b"
)
_SORE = re.compile(
    r"\b(?:doms|sore|achy|aching|stiff|beat up|battered|everything (?:hurts|aches)|"
    r"legs (?:hurt|ache|are killing)|still feeling (?:the|yesterday))\b"
)
_FRESH = re.compile(
    r"\b(?:fresh|feel(?:ing)? (?:great|good|fine|strong|amazing|fresh)|good to go|ready to go|"
    r"raring to go|lets go|full of energy|bouncy|well rested|slept (?:well|great))\b"
)


def read_readiness(text: str, ctx: Context) -> ReadinessReport | None:
    """How the runner feels today: tired or sore trims the session; fresh changes nothing."""
    value = clean(text)
    if _TIRED.search(value):
        return ReadinessReport(Readiness.TIRED)
    if _SORE.search(value) and not body_part(value):
        return ReadinessReport(Readiness.SORE)
    if _FRESH.search(value):
        return ReadinessReport(Readiness.FRESH)
    return None


# --- swaps (S6) -------------------------------------------------------------------------------

_GYM_WITHOUT_BARBELL = frozenset(Equipment) - {Equipment.GYM}
_HOTEL = frozenset({Equipment.DUMBBELLS, Equipment.BODYWEIGHT, Equipment.BOX, Equipment.BAND})
_KIT_WORDS: tuple[tuple[re.Pattern[str], frozenset[Equipment]], ...] = (
    (
        re.compile(
            r"\b(?:no (?:squat )?rack|rack(?:s)? (?:is |are )?(?:taken|busy|occupied|full|in use|"
            r"gone)|no barbells?|no bar\b|no free rack|(?:racks?|barbells?|bars?) (?:all )?taken|"
            r"someone (?:is )?(?:on|using|hogging) the rack|no platform)"
        ),
        _GYM_WITHOUT_BARBELL,
    ),
    (re.compile(r"\bhotel(?: gym)?\b|\btiny gym\b|\bcompany gym\b"), _HOTEL),
    (
        re.compile(
            r"\bonly (?:have |got )?(?:some |a pair of )?dumb ?bells?\b|\bjust dumb ?bells?\b"
        ),
        frozenset({Equipment.DUMBBELLS, Equipment.BODYWEIGHT}),
    ),
    (
        re.compile(
            r"\bonly (?:have |got )?(?:a )?kettle ?bells?\b|\bjust (?:a )?kettle ?bells?\b"
        ),
        frozenset({Equipment.KETTLEBELL, Equipment.BODYWEIGHT}),
    ),
    (
        re.compile(
            r"\b(?:no equipment|no gym|gym (?:is )?(?:closed|shut)|at home|home today|"
            r"travell?ing|on holiday|on the road|bodyweight only|just bodyweight|no weights)\b"
        ),
        frozenset({Equipment.BODYWEIGHT}),
    ),
)
_SWAP = re.compile(
    r"\b(?:swap|swop|switch|replace|substitute|sub|alternative|alternatives|instead of|"
    r"other than|change|cant do|can not do|cannot do|dont (?:like|want|fancy)|hate|skip the|"
    r"something else|rather not|not a fan)\b"
)
_ALWAYS = re.compile(
    r"\b(?:always|for good|from now on|permanently|forever|never again|every time|"
    r"hate|cant stand|dont like|never want|not a fan)\b"
)


def find_exercise(text: str, catalogue: Catalogue) -> Exercise | None:
    """The catalogue exercise a phrase names ("swap squats" → back squat), longest match first."""
    words = [w for w in words_of(normalise_name(text.replace("-", " "))) if w]
    for size in (4, 3, 2, 1):
        for start in range(len(words) - size + 1):
            phrase = " ".join(words[start : start + size])
            if len(phrase) < 3:
                continue
            found = catalogue.find(phrase)
            if found is not None:
                return found
    from rapidfuzz import fuzz, process

    names = catalogue.names()
    for size in (2, 1):
        for start in range(len(words) - size + 1):
            phrase = " ".join(words[start : start + size])
            if len(phrase) < 5:
                continue
            hit = process.extractOne(phrase, list(names), scorer=fuzz.ratio, score_cutoff=85)
            if hit is not None:
                return names[str(hit[0])]
    return None


def read_swap(text: str, ctx: Context) -> SwapRequest | None:
    """S6 swaps: "no rack today", "swap squats", "hotel gym", "always swap lunges"."""
    value = clean(text)
    kit: frozenset[Equipment] | None = None
    for pattern, equipment in _KIT_WORDS:
        if pattern.search(value):
            kit = equipment
            break
    asked = bool(_SWAP.search(value))
    exercise = None
    if ctx.catalogue is not None and (asked or kit is not None):
        exercise = find_exercise(
            re.sub(r"\b(?:rack|bar|barbell|gym)\b", " ", value), ctx.catalogue
        )
    if kit is None and not asked:
        return None
    if kit is None and exercise is None and not re.search(r"\b(?:swap|switch|replace|sub)", value):
        return None
    return SwapRequest(
        exercise_id=exercise.id if exercise else None,
        kit=kit,
        always=bool(_ALWAYS.search(value)) and kit is None,
        why=value[:60],
    )


# --- races (PH4) -----------------------------------------------------------------------------

_DROPPED = re.compile(
    r"\b(?:dropp(?:ed|ing)|drop|cancel(?:led|ed|ling)?|pull(?:ed|ing)? out|withdr[ae]w\w*|"
    r"not racing|no (?:longer|more) racing|no race|dns|scrap(?:ped)?|ditch(?:ed)?|"
    r"not (?:doing|running) (?:the|my)|gave up|give up|forget (?:the|my))\b"
)
_MOVED = re.compile(
    r"\b(?:moved|move|postponed|pushed|rescheduled|changed|delayed|brought forward|now on|"
    r"new date|is now|deferr?ed|shifted)\b"
)
_DONE = re.compile(
    r"\b(?:ran|raced|finished|completed|did|done|smashed|pb|pr)\b.*\b(?:race|marathon|half|"
    r"10k|5k|ultra)\b|\b(?:race|marathon|half|10k|5k|ultra)\b.*\b(?:done|finished|over|"
    r"completed|yesterday|went well|went badly)\b"
)


_DATEISH_RACE = re.compile(
    r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\b(?:mon|tue|wed|thu|fri|sat|sun)"
)
"""A dropped race's message names a date: only then is the date reader asked (it is slow)."""


def race_distance(value: str) -> RaceDistance | None:
    """The distance a message names (`words.RACE_DISTANCES`, shared with onboarding)."""
    found = race_distance_match(value)
    return found[0] if found else None


_PRIORITY_WORDS: tuple[tuple[re.Pattern[str], Priority], ...] = (
    (re.compile(r"\b(?:priority|prio)\s*([abc])\b"), Priority.A),
    (re.compile(r"\b([bc])[ -]?(?:race|priority)\b"), Priority.A),
    (re.compile(r"\b(?:an a|a-|my a|the a)[ -]?race\b"), Priority.A),
    (re.compile(r"(?:^|\s)([abc])\s*[.!]?$"), Priority.A),
    (re.compile(r"\btune[ -]?ups?\b"), Priority.B),
    (
        re.compile(r"\b(?:training|workout) (?:race|run)\b|\bas (?:a )?(?:training|workout)\b"),
        Priority.C,
    ),
    (re.compile(r"\b(?:goal|main|target|key) race\b"), Priority.A),
)
"""PH5: a priority in words; a pattern with a group reads the letter itself."""


def race_priority(value: str) -> tuple[Priority | None, str]:
    """The priority a cleaned message gives its race, and the message without those words (so
    the date reader never sees "b" or "c race")."""
    for pattern, priority in _PRIORITY_WORDS:
        match = pattern.search(value)
        if match:
            if match.groups():
                priority = Priority(match.group(1).upper())
            rest = (value[: match.start()] + " " + value[match.end() :]).strip()
            return priority, _FILLER_END.sub("", rest)
    return None, value


_FILLER_END = re.compile(r"(?:\s+(?:is|just|only|an?|the|as|it|its|one|race|priority))+\s*$")
"""What is left of "… is just a C race" once the priority is read: never a date."""


def read_race(text: str, ctx: Context) -> RaceChange | None:
    """PH4/PH5: "10k on 12 april", "race moved to 3 may", "dropped my race", "ran my marathon",
    "5k on 17 april B", "parkrun on saturday is just a C race"."""
    value = clean(text)
    priority, value = race_priority(value)
    distance = race_distance(value)
    racey = distance is not None or re.search(r"\b(?:race|goal|event)\b", value)
    if not racey:
        return None
    if _DROPPED.search(value):
        # PH5: "dropped the 17 april race" names which race of the season is off
        day = parse_date_words(value, ctx.today, ctx.zone) if _DATEISH_RACE.search(value) else None
        return RaceChange(RaceAction.DROPPED, distance, day if day and day >= ctx.today else None)
    if _DONE.search(value) and not re.search(r"\b(?:next|upcoming|signed|entered)\b", value):
        return RaceChange(RaceAction.DONE, distance)
    found = parse_date_words(value, ctx.today, ctx.zone)
    if found is not None and found < ctx.today:
        found = None
    if _MOVED.search(value):
        return RaceChange(RaceAction.MOVED, distance, found, priority)
    if distance is not None and (
        found is not None
        or priority is not None
        or month_without_day(value) is not None  # "10k in april": which day is asked
        or re.search(r"\b(?:signed|entered|doing|running|booked)\b", value)
    ):
        return RaceChange(RaceAction.NEW, distance, found, priority)
    if re.search(r"\b(?:race|goal)\b", value) and found is not None:
        return RaceChange(RaceAction.MOVED, distance, found, priority)
    return None


# --- a changed week (X3) ----------------------------------------------------------------------

_WEEK_CUE = re.compile(
    r"\b(?:this week|next week|today|tomorrow|tonight|instead|skip\w*|miss\w*|moved?|moving|"
    r"shift\w*|swapp?ed|switch\w*|from now on|every week|no \w+ (?:run )?this week|"
    r"is on|doing my|will do|cancel\w*|bailed|couldnt|didnt|wont|cant|not doing)\b"
)


def read_week(text: str, ctx: Context) -> WeekChange | None:
    """A one-off change to the runs of a week: "this week my tempo is on thursday"."""
    if ctx.usual_week is None:
        return None
    value = clean(text)
    if not _WEEK_CUE.search(value):
        return None
    today = WEEKDAYS[ctx.today.weekday()]
    tomorrow = WEEKDAYS[(ctx.today + timedelta(days=1)).weekday()]
    value = re.sub(r"\btoday\b|\btonight\b", f" {today.value} ", value)
    value = re.sub(r"\btomorrow\b", f" {tomorrow.value} ", value)
    edit = read_week_change(value, dict(ctx.usual_week))
    if (
        edit is not None
        and edit.scope is WeekScope.THIS
        and any(kind is not DayKind.REST for kind in edit.days.values())
        and all(WEEKDAYS.index(day) < WEEKDAYS.index(today) for day in edit.days)
    ):
        # a run moved to days already gone this week (said on a Sunday evening) is about the
        # coming week; a run skipped on a past day stays a report about this one
        ahead = re.sub(r"\bthis week\b", "", value) + " next week"
        edit = read_week_change(ahead, dict(ctx.usual_week)) or edit
    return WeekChange(edit) if edit is not None else None


_SKIPPED_RUN = re.compile(
    r"\b(?:skip(?:ped|ping|s)?|miss(?:ed|ing|es)?|bail(?:ed|ing)? on|cancel(?:led|ling|ed)?|"
    r"dropp(?:ed|ing)|no (?:\w+ )?(?:run|long|tempo|intervals?|track|easy|reps)|"
    r"(?:couldnt|didnt|wont|cant|not) (?:do|doing|make|making|run|running|manage)|"
    r"gave up on|give up on)\b"
)


def read_skipped_run(text: str, ctx: Context) -> WeekChange | None:
    """X3: a run the runner skipped or will miss ("skipped the long run this week, sick", "missed
    my long run, was ill", "no long run this week"): its day is rest this week. Read ahead of
    readiness, so the reason given ("sick") never trims today's session instead."""
    if not _SKIPPED_RUN.search(clean(text)):
        return None
    found = read_week(text, ctx)
    if found is None or any(kind is not DayKind.REST for kind in found.edit.days.values()):
        return None
    return found


# --- the registry ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IntentRule:
    """One intent: its name (for logs and help), its reader, and phrasings it must read."""

    name: str
    read: Callable[[str, Context], Intent | None]
    examples: tuple[str, ...]


INTENTS: tuple[IntentRule, ...] = (
    IntentRule("pain", read_pain, ("my knee hurts 6/10", "achilles sore", "knee is fine now")),
    IntentRule(
        "skipped run",
        read_skipped_run,
        ("skipped the long run this week, sick", "missed my long run, was ill"),
    ),
    IntentRule("readiness", read_readiness, ("legs are wrecked", "slept badly")),
    IntentRule("swap", read_swap, ("no rack today", "swap squats", "hotel gym")),
    IntentRule(
        "race",
        read_race,
        (
            "10k on 12 april",
            "race moved",
            "dropped my race",
            "5k on 17 april B",
            "parkrun on saturday is just a C race",
        ),
    ),
    IntentRule("week", read_week, ("this week my tempo is on thursday", "skipped the long run")),
)


def read_intent(text: str, ctx: Context) -> Intent | None:
    """The first intent in `INTENTS` order that reads `text`, or None.

    Args:
        text: a plain message that was not an answer to an open question nor a set log.
        ctx: the runner's today, zone, usual week and the catalogue.

    Returns:
        A `PainReport`, `SwapRequest`, `ReadinessReport`, `RaceChange` or `WeekChange`.
    """
    if len(text) > 500:
        return None
    for rule in INTENTS:
        found = rule.read(text, ctx)
        if found is not None:
            return found
    return None
