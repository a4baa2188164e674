"""The vocabulary runners use for days, runs and body parts, and the clean-up every reader shares.

Kinds follow docs/coaching.md §1: tempo and intervals are the hard runs; a parkrun or a race is
read as a hard effort (tempo), which makes it a key run for P3 like any other hard run.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from bot.core.domain.profile import WEEKDAYS, DayKind, Limitation, Weekday

DAY_NAMES: dict[str, Weekday] = {}
for _day, _names in zip(
    WEEKDAYS,
    (
        ("mon", "monday", "mondays", "mo"),
        ("tue", "tues", "tuesday", "tuesdays", "tu"),
        ("wed", "weds", "wednesday", "wednesdays"),
        ("thu", "thur", "thurs", "thursday", "thursdays", "th"),
        ("fri", "friday", "fridays", "fr"),
        ("sat", "saturday", "saturdays", "sa"),
        ("sun", "sunday", "sundays", "su"),
    ),
    strict=True,
):
    for _name in _names:
        DAY_NAMES[_name] = _day

DAY_GROUPS: dict[str, tuple[Weekday, ...]] = {
    "weekdays": WEEKDAYS[:5],
    "weekday": WEEKDAYS[:5],
    "weekend": WEEKDAYS[5:],
    "weekends": WEEKDAYS[5:],
    "daily": WEEKDAYS,
    "everyday": WEEKDAYS,
}

KIND_WORDS: dict[str, DayKind] = {
    **dict.fromkeys(
        ("rest", "off", "none", "nothing", "free", "nada", "zero", "resting"), DayKind.REST
    ),
    **dict.fromkeys(
        ("easy", "recovery", "jog", "jogging", "steady", "aerobic", "gentle", "shakeout", "z2"),
        DayKind.EASY,
    ),
    **dict.fromkeys(
        (
            "tempo",
            "threshold",
            "cruise",
            "cruises",
            "progression",
            "progressive",
            "hard",
            "parkrun",
            "race",
            "racing",
            "lt",
            "marathon-pace",
        ),
        DayKind.TEMPO,
    ),
    **dict.fromkeys(
        (
            "intervals",
            "interval",
            "speed",
            "speedwork",
            "track",
            "workout",
            "reps",
            "hills",
            "hill",
            "fartlek",
            "vo2",
            "vo2max",
            "repeats",
            "sprints",
        ),
        DayKind.INTERVALS,
    ),
    **dict.fromkeys(("long", "lsd", "lsr", "longrun", "long-run"), DayKind.LONG),
    **dict.fromkeys(
        (
            "cross",
            "crosstraining",
            "xt",
            "bike",
            "biking",
            "cycling",
            "cycle",
            "ride",
            "swim",
            "swimming",
            "pool",
            "spin",
            "rowing",
            "row",
            "elliptical",
            "yoga",
            "pilates",
            "peloton",
        ),
        DayKind.CROSS,
    ),
}
"""What runners call each kind of day (the usual club words and their slips)."""

BODY_PARTS: dict[str, Limitation] = {
    **dict.fromkeys(("knee", "knees", "patella", "itb", "kneecap"), Limitation.KNEE),
    **dict.fromkeys(
        (
            "achilles",
            "achillies",
            "achilies",
            "shin",
            "shins",
            "ankle",
            "ankles",
            "foot",
            "feet",
            "heel",
            "plantar",
        ),
        Limitation.ACHILLES,
    ),
    **dict.fromkeys(
        (
            "hip",
            "hips",
            "glute",
            "glutes",
            "hamstring",
            "hamstrings",
            "hammy",
            "groin",
            "adductor",
        ),
        Limitation.HIP,
    ),
    **dict.fromkeys(("calf", "calves", "soleus", "gastroc"), Limitation.CALF),
    **dict.fromkeys(("back", "spine", "lumbar", "sciatica"), Limitation.LOWER_BACK),
    **dict.fromkeys(("shoulder", "shoulders", "rotator"), Limitation.SHOULDER),
}
"""Body parts mapped onto the limitations the catalogue plans around (X1, X2)."""

PART_NAMES: dict[Limitation, str] = {
    Limitation.KNEE: "knee",
    Limitation.ACHILLES: "Achilles",
    Limitation.HIP: "hip",
    Limitation.LOWER_BACK: "lower back",
    Limitation.SHOULDER: "shoulder",
    Limitation.CALF: "calf",
}

NUMBER_WORDS: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}


def clean(text: str) -> str:
    """Lower case, accents and emoji dropped, line breaks kept as commas, spacing squeezed.

    A line break separates days just as a comma does ("one day per line").
    """
    text = text.replace("’", "'").replace("–", "-").replace("—", "-")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = text.casefold()
    text = re.sub(r"[\r\n]+", " , ", text)
    text = re.sub(r"[^a-z0-9:.,;/+\-' ]", " ", text)
    text = re.sub(r"'s\b", " is", text)
    text = text.replace("'", "")
    return re.sub(r"\s+", " ", text).strip()


def words_of(text: str) -> list[str]:
    """The words of cleaned text, punctuation dropped."""
    return [w for w in re.split(r"[\s,;:.!?/+]+", text) if w]


@lru_cache(maxsize=4096)
def closest(word: str, choices: tuple[str, ...]) -> str | None:
    """The known word a typo most likely means ("thrusday" → "thursday"), if any.

    Short words are left alone: "we", "the", "sat" must never be bent into something else.
    """
    if len(word) < 4 or word.isdigit():
        return None
    from rapidfuzz import fuzz, process

    cutoff = 85 if len(word) < 6 else 80
    found = process.extractOne(word, list(choices), scorer=fuzz.ratio, score_cutoff=cutoff)
    return str(found[0]) if found else None


def mend(word: str, vocabulary: Iterable[str]) -> str:
    """`word` itself when known, its singular when that is known, else the closest known word."""
    known = tuple(vocabulary)
    if word in known:
        return word
    if word.endswith("s") and word[:-1] in known:
        return word[:-1]
    return closest(word, known) or word


def body_part(text: str) -> Limitation | None:
    """The first body part named in cleaned `text` ("lower back" and "it band" included)."""
    text = re.sub(r"\b(?:it band|i\.?t\.? band)\b", "itb", text)
    for word in words_of(text):
        if word in BODY_PARTS:
            return BODY_PARTS[word]
    for word in words_of(text):
        if len(word) < 5:
            continue
        mended = closest(word, tuple(BODY_PARTS))
        if mended is not None:
            return BODY_PARTS[mended]
    return None
