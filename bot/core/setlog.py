"""Reads the sets a runner types back ("squat 4x5 @ 60kg") and writes them the same way.

PURE: no Telegram, no database, no clock. `parse_set_log` forgives the many ways lifters write
a set (`4x5`, `4 × 5`, `5,5,5,4`, `60kg x 5 x 3`, `3x40s`, `1:30`, `rir 2`, `@ rpe8`, `bw +10kg`,
`62,5kg`, lb) and exercise names by alias or with a small typo, preferring the exercises planned
that day. What it cannot read, or reads outside the L8 bounds, comes back as a `LineProblem` with
an example of what works — never stored silently. `format_sets` writes the canonical form, which
`parse_set_log` reads back to the same sets:

    Back squat 4x5 @ 60 kg rir 2
    Back squat 5,5,5,4 @ 62.5 kg
    Back squat 3x5 @ 60 kg then 1x3 @ 70 kg
    Split squat 3x8/side @ 16 kg
    Plank 3x40s
    Pull-up 4x5 bw +10 kg
    Copenhagen plank 2x10 reps/side      (reps on a timed exercise say so: bare counts are seconds)

Conventions: the first number of `AxB` is sets (`5x4` is five sets of four); a bare number after
the sets is the load in the runner's units; per side is read from the text or from the catalogue
(a split squat is always per side); `bw` marks bodyweight work, and a load with it is added load.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.core.catalogue.loader import (
    Catalogue,
    Category,
    Exercise,
    LoadKind,
    load_catalogue,
    normalise_name,
)
from bot.core.domain.errors import SetLogParseError
from bot.core.domain.logs import LineProblem, LoggedSet, ParsedEntry, ParsedLog
from bot.core.domain.plan import KG_PER_LB
from bot.core.domain.profile import Equipment, Units

__all__ = ["MAX_HOLD_S", "MAX_LOAD", "MAX_REPS", "MAX_SETS", "format_sets", "parse_set_log"]

MAX_SETS = 10
MAX_REPS = 50
MAX_HOLD_S = 600
MAX_RIR = 10
MAX_LOAD: dict[Units, float] = {Units.KG: 500.0, Units.LB: 1100.0}
"""L8: sanity bounds. Outside them the parser asks instead of storing."""

EXAMPLE = "squat 4x5 @ 60kg"

# --- whole-message answers ---------------------------------------------------------------

_DONE = frozenset(
    {
        "done",
        "done as planned",
        "as planned",
        "all done",
        "did it",
        "did it all",
        "completed",
        "complete",
        "finished",
        "done all",
        "all as planned",
        "did as planned",
        "yes done",
        "✅",
        "✔",
        "✔️",
        "☑",
        "☑️",
        "👍",
        "💪",
        "done ✅",
        "✅ done",
    }
)
_SKIP = frozenset(
    {
        "skip",
        "skipped",
        "skipping",
        "skip it",
        "skip today",
        "skipped today",
        "skipping today",
        "missed",
        "missed it",
        "not today",
        "didnt",
        "didnt do it",
        "did not",
        "no",
        "❌",
        "✖",
        "✖️",
        "skipped it",
        "rest",
        "rested",
    }
)
_SAME = frozenset(
    {
        "same",
        "same as last time",
        "same as last",
        "as last time",
        "same again",
        "repeat",
        "same as before",
        "like last time",
        "same as last week",
        "same as last session",
        "same session as last time",
        "same thing as last time",
        "did the same as last time",
        "did the same again",
        "repeat last session",
        "repeat last time",
        "repeat the last session",
        "ditto",
    }
)


def _message_kind(text: str) -> Literal["done", "skip", "same"] | None:
    key = text.strip().lower().replace("'", "").replace("’", "")
    key = re.sub(r"[!.?,]+$", "", key)
    key = re.sub(r"\s+", " ", key).strip()
    if key in _DONE:
        return "done"
    if key in _SKIP:
        return "skip"
    if key in _SAME:
        return "same"
    return None


# --- tokens ------------------------------------------------------------------------------

_KG = r"(?:kgs?|kilos?|kilograms?)"
_LB = r"(?:lbs?|pounds?)"
_UNIT = rf"(?:{_KG}|{_LB})(?![a-z])"
_TUNIT = r"(?:s|secs?|seconds?|min|mins|minutes?|\"|″)(?![a-z])"
_CLOCK = r"\d{1,2}:\d{2}"
_DEC = r"\d+(?:\.\d+|,\d{1,2}(?![\d,]))?"
_COUNT = rf"(?:{_CLOCK}|\d+(?:\.\d+)?)"

_P_THREE = re.compile(
    rf"(?P<a>{_DEC})\s*(?P<ua>{_UNIT})?\s*x\s*(?P<b>\d+)\s*x\s*(?P<c>{_DEC})\s*(?P<uc>{_UNIT})?"
)
_P_LOAD_X_REPS = re.compile(rf"(?P<load>{_DEC})\s*(?P<unit>{_UNIT})\s*x\s*(?P<reps>\d+)(?![\d.])")
_P_VOLUME = re.compile(
    rf"(?P<sets>\d+)\s*(?:sets?\s*)?(?:x|of)\s*(?P<count>{_COUNT})\s*(?P<tunit>{_TUNIT})?"
)
_P_HOLD_X_SETS = re.compile(
    rf"(?:(?P<clock>{_CLOCK})|(?P<count>\d+(?:\.\d+)?)\s*(?P<tunit>{_TUNIT}))"
    r"\s*x\s*(?P<sets>\d+)"
)
_P_LIST = re.compile(rf"(?P<list>\d+(?:\s*[,/]\s*\d+)+)\s*(?P<tunit>{_TUNIT})?(?!\d|[.,]\d|\s*x)")
_P_AT = re.compile(r"@\s*")
_P_AT_LOAD = re.compile(
    rf"(?P<load>{_DEC})(?:\s*(?P<unit>{_UNIT})(?!\s*x\s*\d)"
    rf"|(?![\d.:a-z]|,\d|\s*x\s*\d|\s*{_TUNIT}))"
)
_P_LOAD_UNIT = re.compile(rf"(?P<load>{_DEC})\s*(?P<unit>{_UNIT})")
_P_PLUS = re.compile(rf"\+\s*(?P<load>{_DEC})\s*(?P<unit>{_UNIT})?")
_P_RIR = re.compile(
    r"(?:rir\s*(?P<a>\d+)|(?P<b>\d)\s*rir(?![a-z])|"
    r"(?P<c>\d+)\s*(?:reps?\s*)?in\s*(?:the\s*)?(?:reserve|tank))"
)
_P_RPE = re.compile(r"rpe\s*(?P<rpe>\d+(?:[.,]5)?)(?![\d])")
_P_BW = re.compile(r"(?:bw|bodyweight|body\s*weight)(?![a-z])")
_P_SIDE = re.compile(
    r"(?:/\s*(?:side|leg|arm|s|ea|each)(?![a-z])|(?:each|per|a)\s+(?:side|leg|arm)(?![a-z])|"
    r"per\s*side(?![a-z])|e/s(?![a-z])|each(?![a-z])|ea(?![a-z]))"
)
_P_HAND = re.compile(r"(?:in\s+)?(?:each|per|a|/)\s*hand(?![a-z])")
"""“10kg each hand”: the load of one dumbbell, which is how loads are stored; not per side."""
_P_WITH = re.compile(
    r"(?:w/|w(?=\s+\d)|with)\s*(?:(?:the|a|my|a pair of|pair of|two)\s+)?"
    rf"(?P<load>{_DEC})\s*(?:'?s(?![a-z]))?\s*(?P<unit>{_UNIT})?\s*(?:'?s(?![a-z]))?"
    r"(?:\s*(?:dumb ?bells?|dbs?|kettle ?bells?|kbs?|bells?|plates?)(?![a-z]))?"
)
"""“w/ 20s”, “with the 20s”, “with 16kg kettlebells”: the weight held, never a 20 s hold."""
_P_HOLD = re.compile(rf"(?:(?P<clock>{_CLOCK})|(?P<count>\d+(?:\.\d+)?)\s*(?P<tunit>{_TUNIT}))")
_P_REPS_WORD = re.compile(r"(?:reps?|repetitions?)(?![a-z])")
_P_NUMBER = re.compile(_DEC)
_P_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_P_SKIP = re.compile(r"[\s,.:;()\[\]\-–—!?&|]+")

_MODIFIERS = frozenset(
    {
        "bw",
        "bodyweight",
        "body",
        "weight",
        "each",
        "side",
        "leg",
        "arm",
        "per",
        "ea",
        "reps",
        "rep",
        "sets",
        "set",
        "x",
        "at",
        "of",
        "kg",
        "lb",
        "lbs",
        "kgs",
        "rir",
        "rpe",
        "hand",
        "with",
        "w/",
        "the",
    }
)


class _LineError(Exception):
    """One line can't be stored: carries the runner-facing message."""


@dataclass
class _Group:
    """Sets written together ("4x5 @ 60kg rir 2") before they become `LoggedSet`s."""

    counts: list[float]
    seconds: bool = False
    explicit_reps: bool = False
    load: float | None = None
    unit: Units | None = None
    bodyweight: bool = False
    per_side: bool = False
    rir: int | None = None
    hold_or_weight: str = ""
    """A bare "20s" after reps ("rdl 2x10 20s"): the 20s held, or a 20-second hold?"""


@dataclass
class _Line:
    raw: str
    groups: list[_Group] = field(default_factory=list)
    pending: _Group = field(default_factory=lambda: _Group(counts=[]))
    bare: list[float] = field(default_factory=list)
    words: list[list[str]] = field(default_factory=list)
    after_at: bool = False
    last_was_word: bool = False

    @property
    def current(self) -> _Group:
        return self.groups[-1] if self.groups else self.pending


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _seconds(count: str, tunit: str | None) -> float:
    if ":" in count:
        minutes, seconds = count.split(":")
        return int(minutes) * 60 + int(seconds)
    value = _number(count)
    if tunit is not None and tunit.startswith("m"):
        return value * 60
    return value


def _unit(text: str | None) -> Units | None:
    if not text:
        return None
    return Units.LB if text.startswith(("lb", "pound")) else Units.KG


def _plain(value: float) -> str:
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


# --- names -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Match:
    exercise: Exercise | None
    suggestions: tuple[str, ...] = ()
    named: Exercise | None = None
    """The catalogue's own reading of the name when `exercise` is the day's lift it was read as
    ("squat" on a split-squat day): the line decides between them (`_same_movement`)."""


def _tokens(key: str) -> set[str]:
    return {word[:-1] if word.endswith("s") and len(word) > 3 else word for word in key.split()}


def _fuzzy_allowance(key: str, *, session: bool) -> int:
    length = len(key.replace(" ", ""))
    if length < 4:
        return 1 if session and length == 3 else 0
    base = 1 if length < 8 else 2
    return base + (1 if session and length >= 5 else 0)


def _closest(key: str, names: Mapping[str, Exercise], allowance: int) -> Exercise | None:
    """The one exercise within `allowance` edits (transpositions count once), or None."""
    if allowance <= 0 or not names:
        return None
    best: dict[str, int] = {}
    for name, exercise in names.items():
        distance = OSA.distance(key, name, score_cutoff=allowance)
        if distance <= allowance:
            best[exercise.id] = min(distance, best.get(exercise.id, distance))
    if not best:
        return None
    low = min(best.values())
    winners = [ident for ident, distance in best.items() if distance == low]
    if len(winners) != 1:
        return None
    return next(ex for ex in names.values() if ex.id == winners[0])


def _match_name(name: str, catalogue: Catalogue, session: Sequence[str]) -> _Match:
    key = normalise_name(name)
    if not key:
        return _Match(None)
    exact = catalogue.find(key)
    if exact is not None and (not session or exact.id in session):
        return _Match(exact)
    names = catalogue.names()
    session_names = {n: ex for n, ex in names.items() if ex.id in session}
    if session_names:
        wanted = _tokens(key)
        holders = {ex.id: ex for n, ex in session_names.items() if wanted <= _tokens(n)}
        if len(holders) == 1:
            return _Match(next(iter(holders.values())), named=exact)
    if exact is not None:
        return _Match(exact)
    for pool, in_session in ((session_names, True), (names, False)):
        found = _closest(key, pool, _fuzzy_allowance(key, session=in_session))
        if found is not None:
            return _Match(found)
    candidates = [n for n in names if len(n) >= 4]  # "ht" or "bs" are poor suggestions
    scored = process.extract(key, candidates, scorer=fuzz.ratio, limit=8, score_cutoff=60)
    suggestions: list[str] = []
    seen: set[str] = set()
    for candidate, _score, _index in scored:
        exercise = names[candidate]
        if exercise.id not in seen:
            seen.add(exercise.id)
            suggestions.append(exercise.name.lower())
    return _Match(None, tuple(suggestions[:3]))


def _unknown_message(name: str, suggestions: Sequence[str]) -> str:
    if not suggestions:
        return f"I don't know '{name}' as an exercise — write its name as in your plan."
    if len(suggestions) == 1:
        return f"I don't know '{name}' — did you mean {suggestions[0]}?"
    options = ", ".join(suggestions[:-1]) + f" or {suggestions[-1]}"
    return f"I don't know '{name}' — did you mean {options}?"


# --- one line ----------------------------------------------------------------------------

_BULLET = re.compile(r"^\s*(?:[-•*▪·>]+\s*|\d{1,2}[.)]\s+)")
_NEGATIVE = re.compile(r"(?:^|(?<=[\s@x:=,(/+]))[-−–—]\s?(?P<number>\d+(?:[.,]\d+)?)")
"""A sign before a number ("-3x5", "@ -60"): never a value to store, so L8 asks (hyphens inside
names such as "step-up" or "t-bar" and lists such as "5-5-5" have no space or sign before them)."""


def _split_name(line: str) -> tuple[str, str]:
    """The exercise name (text before the first number, `@` or `+`) and the rest."""
    body = _BULLET.sub("", line)
    match = re.search(r"[\d@+]", body)
    if match is None:
        return body.strip(" :-,"), ""
    return body[: match.start()].strip(" :-,"), body[match.start() :]


def _peel(name: str, catalogue: Catalogue) -> tuple[str, str]:
    """Move trailing modifiers ("pull ups bw") from the name to the rest of the line."""
    words = name.split()
    moved: list[str] = []
    while (
        len(words) > 1
        and catalogue.find(" ".join(words)) is None
        and (words[-1].strip(":,") in _MODIFIERS)
    ):
        moved.insert(0, words.pop())
    return " ".join(words), " ".join(moved)


def _normalise_line(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace("×", "x").replace("*", "x").replace("’", "'")
    return re.sub(r"(?<=\d)\s*x(?=\s*\d)", "x", text)


def _new_group(line: _Line, counts: list[float], *, seconds: bool = False) -> _Group:
    group = _Group(counts=counts, seconds=seconds)
    if not line.groups:  # what was written before the first sets applies to them
        pending = line.pending
        group.load, group.unit, group.rir = pending.load, pending.unit, pending.rir
        group.bodyweight, group.per_side = pending.bodyweight, pending.per_side
        group.explicit_reps = pending.explicit_reps
    line.groups.append(group)
    return group


def _set_load(line: _Line, value: float, unit: Units | None, *, added: bool = False) -> None:
    group = line.current
    if group.load is not None:
        raise _LineError(
            f"I read two weights for the same sets ({_plain(group.load)} and {_plain(value)}) "
            "— give each group of sets its own, e.g. 3x5 @ 60kg, 1x3 @ 70kg."
        )
    group.load, group.unit = value, unit
    if added:
        group.bodyweight = True


def _set_rir(line: _Line, value: int) -> None:
    if not 0 <= value <= MAX_RIR:
        raise _LineError(f"RIR {value}? Reps in reserve go from 0 to {MAX_RIR}.")
    line.current.rir = value


def _three(line: _Line, m: re.Match[str]) -> None:
    """`100kg x 5 x 3` (load × reps × sets) or `3x5x100` (sets × reps × load)."""
    a, b, c = _number(m["a"]), int(m["b"]), _number(m["c"])
    if m["ua"] and not m["uc"]:
        load_first = True
    elif m["uc"] and not m["ua"]:
        load_first = False
    elif a > MAX_SETS >= c:
        load_first = True
    elif c > MAX_SETS >= a:
        load_first = False
    else:
        raise _LineError(
            f"I can't tell the weight in {m[0].strip()} — write sets x reps @ weight, "
            "e.g. 3x5 @ 100kg."
        )
    sets, load, unit = (c, a, m["ua"]) if load_first else (a, c, m["uc"])
    _check_sets(int(sets), sets)
    group = _new_group(line, [float(b)] * int(sets))
    group.explicit_reps = True
    _set_load(line, load, _unit(unit))


def _check_sets(sets: int, raw: float) -> None:
    if raw != int(raw) or not 1 <= sets <= MAX_SETS:
        raise _LineError(
            f"{_plain(raw)} sets? I can store 1–{MAX_SETS} per exercise — the first number is "
            "sets, so 4x5 is four sets of five."
        )


def _read_rest(line: _Line, rest: str) -> None:
    pos = 0
    while pos < len(rest):
        skip = _P_SKIP.match(rest, pos)
        if skip:
            pos = skip.end()
            continue
        after_at, line.after_at = line.after_at, False
        was_word, line.last_was_word = line.last_was_word, False
        if (after_at and (m := _P_AT_LOAD.match(rest, pos))) or (m := _P_WITH.match(rest, pos)):
            _set_load(line, _number(m["load"]), _unit(m["unit"]))
        elif m := _P_THREE.match(rest, pos):
            _three(line, m)
        elif m := _P_LOAD_X_REPS.match(rest, pos):
            group = _new_group(line, [float(m["reps"])])
            group.explicit_reps = True
            group.load = None
            _set_load(line, _number(m["load"]), _unit(m["unit"]))
        elif m := _P_LOAD_UNIT.match(rest, pos):
            _set_load(line, _number(m["load"]), _unit(m["unit"]))
        elif m := _P_VOLUME.match(rest, pos):
            sets = int(m["sets"])
            _check_sets(sets, sets)
            seconds = bool(m["tunit"]) or ":" in m["count"]
            value = _seconds(m["count"], m["tunit"]) if seconds else _number(m["count"])
            _new_group(line, [value] * sets, seconds=seconds)
        elif m := _P_HOLD_X_SETS.match(rest, pos):
            sets = int(m["sets"])
            _check_sets(sets, sets)
            value = _seconds(m["clock"] or m["count"], m["tunit"])
            _new_group(line, [value] * sets, seconds=True)
        elif m := _P_RIR.match(rest, pos):
            _set_rir(line, int(m["a"] or m["b"] or m["c"]))
        elif m := _P_LIST.match(rest, pos):
            counts = [float(part) for part in re.split(r"\s*[,/]\s*", m["list"])]
            if len(counts) > MAX_SETS:
                _check_sets(len(counts), len(counts))
            seconds = bool(m["tunit"])
            if seconds:
                counts = [_seconds(_plain(c), m["tunit"]) for c in counts]
            _new_group(line, counts, seconds=seconds)
        elif m := _P_AT.match(rest, pos):
            line.after_at = True
        elif m := _P_PLUS.match(rest, pos):
            _set_load(line, _number(m["load"]), _unit(m["unit"]), added=True)
        elif m := _P_RPE.match(rest, pos):
            rpe = _number(m["rpe"])
            if not 1 <= rpe <= 10:
                raise _LineError(
                    f"RPE {_plain(rpe)}? RPE goes from 1 to 10 (rpe 8 = 2 in reserve)."
                )
            _set_rir(line, int(10 - rpe))
        elif m := _P_BW.match(rest, pos):
            line.current.bodyweight = True
        elif m := _P_HAND.match(rest, pos):
            pass
        elif m := _P_SIDE.match(rest, pos):
            line.current.per_side = True
        elif m := _P_HOLD.match(rest, pos):
            if line.groups and after_at:
                raise _LineError(f"'{m[0]}' after @ looks like a time, not a weight.")
            follows_reps = bool(line.groups) and not line.current.seconds
            group = _new_group(
                line, [_seconds(m["clock"] or m["count"], m["tunit"])], seconds=True
            )
            if follows_reps and m["tunit"] == "s":
                group.hold_or_weight = m[0]
        elif m := _P_REPS_WORD.match(rest, pos):
            line.current.explicit_reps = True
        elif m := _P_NUMBER.match(rest, pos):
            value = _number(m[0])
            if after_at or (line.groups and line.current.load is None):
                _set_load(line, value, None)
            elif not line.groups:
                line.bare.append(value)
            else:
                raise _LineError(f"I couldn't place the number {m[0]} — {EXAMPLE} works.")
        elif m := _P_WORD.match(rest, pos):
            if was_word and line.words:
                line.words[-1].append(m[0])
            else:
                line.words.append([m[0]])
            line.last_was_word = True
        else:
            pos += 1
            continue
        pos = m.end()


def _to_sets(
    line: _Line, exercise: Exercise, default: Units
) -> tuple[tuple[LoggedSet, ...], Units]:
    units = {g.unit for g in line.groups if g.unit is not None}
    if len(units) > 1:
        raise _LineError("I read both kg and lb on one line — use one unit per exercise.")
    line_units = units.pop() if units else default
    sets: list[LoggedSet] = []
    for group in line.groups:
        if group.hold_or_weight and not exercise.timed:
            number = group.hold_or_weight.rstrip("s").strip()
            raise _LineError(
                f"Is {group.hold_or_weight} the weight you held (write w/ {number}s or "
                f"@ {number}kg) or a {number}-second hold?"
            )
        seconds = group.seconds or (exercise.timed and not group.explicit_reps)
        load_kg: float | None = None
        if group.load is not None:
            if not 0 <= group.load <= MAX_LOAD[line_units]:
                raise _LineError(
                    f"{_plain(group.load)} {line_units.value} {exercise.name.lower()}? That's "
                    "past what I can store — check the number."
                )
            load_kg = group.load if line_units is Units.KG else group.load * KG_PER_LB
        for count in group.counts:
            if seconds:
                if not 1 <= count <= MAX_HOLD_S:
                    raise _LineError(
                        f"A {_plain(count)} s hold? I can store holds up to 10 minutes — check "
                        "the number."
                    )
                reps, hold = None, round(count)
            else:
                if count != int(count):
                    raise _LineError(f"{_plain(count)} reps? Reps are whole numbers.")
                if not 1 <= count <= MAX_REPS:
                    raise _LineError(
                        f"{_plain(count)} reps? I can store 1–{MAX_REPS} per set — check the "
                        "number (the first number is sets: 4x5 is four sets of five)."
                    )
                reps, hold = int(count), None
            sets.append(
                LoggedSet(
                    set_no=len(sets) + 1,
                    reps=reps,
                    load_kg=load_kg,
                    hold_s=hold,
                    rir=group.rir,
                    per_side=group.per_side or exercise.per_side,
                    bodyweight=group.bodyweight,
                )
            )
    if len(sets) > MAX_SETS:
        raise _LineError(
            f"{len(sets)} sets of {exercise.name.lower()}? I can store up to {MAX_SETS} per "
            "exercise."
        )
    return tuple(sets), line_units


def _example_for(exercise: Exercise | None) -> str:
    if exercise is None:
        return EXAMPLE
    name = exercise.name.lower()
    side = "/side" if exercise.per_side else ""
    if exercise.timed:
        return f"{name} 3x40s{side}"
    if exercise.load_kind is LoadKind.BARBELL:
        return f"{name} 4x5 @ 60kg"
    if exercise.load_kind in (LoadKind.DUMBBELL, LoadKind.KETTLEBELL):
        return f"{name} 3x10{side} @ 16kg"
    return f"{name} 3x10{side}"


def _known(name: str, catalogue: Catalogue, session: Sequence[str]) -> _Match | LineProblem:
    match = _match_name(name, catalogue, session)
    if match.exercise is not None:
        return match
    suggested = catalogue.find(match.suggestions[0]) if match.suggestions else None
    return LineProblem(
        raw=name,
        message=_unknown_message(name, match.suggestions),
        example=_example_for(suggested),
    )


def _same_movement(planned: Exercise, named: Exercise, typed_per_side: bool) -> bool:
    """Whether a name read as the day's `planned` lift really is it, not the `named` one.

    "squat" on a day whose squat was swapped for a goblet squat is the goblet squat; on a
    split-squat day it is the back squat the runner did instead (another movement: another
    category, or sides that say so — "calf raise 3x12 each" on a single-leg calf raise day
    is the planned lift).
    """
    if planned.category is not named.category:
        # "rdl 3x10/side" on a single-leg RDL day: the sides name the planned one-leg lift,
        # not the two-legged barbell lift the bare word names in the catalogue
        return (
            typed_per_side
            and planned.per_side
            and not named.per_side
            and {planned.category, named.category} == _ONE_AND_TWO_LEGS
        )
    return not (planned.per_side != named.per_side and typed_per_side == named.per_side)


_ONE_AND_TWO_LEGS = {Category.STRENGTH_UNILATERAL, Category.STRENGTH_BILATERAL}


def _lift_named(
    match: _Match,
    line: _Line,
    catalogue: Catalogue,
    kit: frozenset[Equipment] | None,
    *,
    typed: str,
) -> Exercise:
    """A log stores the lift the runner named: the day's lift only when it is the same one,
    and a lift their kit allows (`_for_kit`)."""
    assert match.exercise is not None
    named = match.named
    if named is None or named.id == match.exercise.id:
        return _for_kit(match.exercise, line, catalogue, kit, typed)
    typed_per_side = named.per_side or any(g.per_side for g in (*line.groups, line.pending))
    if _same_movement(match.exercise, named, typed_per_side):
        return match.exercise
    return _for_kit(named, line, catalogue, kit, typed)


def _for_kit(
    exercise: Exercise,
    line: _Line,
    catalogue: Catalogue,
    kit: frozenset[Equipment] | None,
    typed: str,
) -> Exercise:
    """A runner without a gym who logs "squat 3x10 10kg each hand" did a goblet squat, not the
    barbell back squat the bare word names in the catalogue: the same movement (category,
    sides, held or not, a name or alias holding every word typed) done with what they own,
    loaded if they gave a weight. Only a gym-only lift is read again, so a named pull-up stays
    one; unchanged when the kit is unknown or allows no such variant."""
    if kit is None or Equipment.GYM in kit or exercise.equipment != {Equipment.GYM}:
        return exercise
    loaded = any(g.load is not None for g in line.groups)
    words = _tokens(normalise_name(typed))
    variants = [
        other
        for other in catalogue
        if other.category is exercise.category
        and other.per_side == exercise.per_side
        and other.timed == exercise.timed
        and other.is_plyometric == exercise.is_plyometric
        and other.equipment & kit
        and any(words <= _tokens(normalise_name(name)) for name in (other.name, *other.aliases))
    ]
    if not variants:
        return exercise

    def carries_load(other: Exercise) -> bool:
        return bool(other.equipment & kit - {Equipment.BODYWEIGHT, Equipment.BOX})

    return min(variants, key=lambda other: carries_load(other) != loaded)


def _parse_line(
    raw: str,
    catalogue: Catalogue,
    units: Units,
    session: Sequence[str],
    kit: frozenset[Equipment] | None = None,
) -> ParsedEntry | LineProblem:
    text = _normalise_line(raw)
    negative = _NEGATIVE.search(_BULLET.sub("", text, count=1))
    if negative is not None:
        return LineProblem(
            raw=raw,
            message=f"−{negative['number']}? Sets, reps, weights and holds are never below zero "
            "— check the line (4x5 @ 60kg is four sets of five at 60 kg).",
            example=EXAMPLE,
        )
    name, rest = _split_name(text)
    if name:
        name, moved = _peel(name, catalogue)
        rest = f"{moved} {rest}".strip()
    line = _Line(raw=raw)
    exercise: Exercise | None = None
    try:
        known = _known(name, catalogue, session) if name else None
        if isinstance(known, LineProblem):
            return known.model_copy(update={"raw": raw})
        _read_rest(line, rest)
        if known is None:
            if not line.words:
                return LineProblem(
                    raw=raw,
                    message="Which exercise was that? Start the line with its name.",
                    example=EXAMPLE,
                )
            name = " ".join(line.words.pop(0))
            known = _known(name, catalogue, session)
            if isinstance(known, LineProblem):
                return known.model_copy(update={"raw": raw})
        exercise = _lift_named(known, line, catalogue, kit, typed=name)
        for words in line.words:
            other = catalogue.find(" ".join(words))
            if other is not None and other.id != exercise.id:
                raise _LineError(
                    f"I read {exercise.name.lower()} and {other.name.lower()} on one line — "
                    "put each exercise on its own line (or separate them with ;)."
                )
        if not line.groups and len(line.bare) == 1:
            _new_group(line, [line.bare.pop()])
        elif line.groups and line.bare:
            if len(line.bare) > 1 or line.groups[0].load is not None:
                raise _LineError("I couldn't tell which number is the weight.")
            line.groups[0].load = line.bare.pop()
        if not line.groups:
            if line.bare:
                raise _LineError("I couldn't tell sets from reps here.")
            raise _LineError(f"I found {exercise.name.lower()} but no sets or reps.")
        sets, line_units = _to_sets(line, exercise, units)
    except _LineError as error:
        return LineProblem(raw=raw, message=str(error), example=_example_for(exercise))
    return ParsedEntry(
        exercise_id=exercise.id, exercise_name=exercise.name, sets=sets, units=line_units, raw=raw
    )


def _merge(entries: list[ParsedEntry], problems: list[LineProblem]) -> list[ParsedEntry]:
    """Lines about the same exercise (in the same units) become one entry, sets renumbered."""
    merged: list[ParsedEntry] = []
    for entry in entries:
        same = next(
            (
                i
                for i, e in enumerate(merged)
                if e.exercise_id == entry.exercise_id and e.units is entry.units
            ),
            None,
        )
        if same is None:
            merged.append(entry)
            continue
        first = merged[same]
        if len(first.sets) + len(entry.sets) > MAX_SETS:
            problems.append(
                LineProblem(
                    raw=entry.raw,
                    message=(
                        f"That makes more than {MAX_SETS} sets of "
                        f"{entry.exercise_name.lower()} — is one line a repeat?"
                    ),
                    example=EXAMPLE,
                )
            )
            continue
        renumbered = tuple(
            s.model_copy(update={"set_no": len(first.sets) + i + 1})
            for i, s in enumerate(entry.sets)
        )
        merged[same] = first.model_copy(
            update={"sets": first.sets + renumbered, "raw": f"{first.raw}\n{entry.raw}"}
        )
    return merged


def parse_set_log(
    text: str,
    *,
    catalogue: Catalogue | None = None,
    units: Units = Units.KG,
    session_exercises: Sequence[str] = (),
    kit: frozenset[Equipment] | None = None,
) -> ParsedLog:
    """Read a runner's message: sets per exercise, or "done" / "skip" / "same as last time".

    Args:
        text: the message, one exercise per line or separated by `;`.
        catalogue: the exercise catalogue (default: the packaged one).
        units: the runner's units, for weights written without a unit.
        session_exercises: ids planned that day; names close to one of them are read as it.
        kit: what the runner can use (`available_equipment`); a lift it doesn't allow is read
            as the same movement done with it. None: any lift.

    Returns problems rather than raising: a line that was not read (or was outside the L8
    bounds) is a `LineProblem` with an example; the lines that were read are still returned
    so the caller can ask the runner to confirm.
    """
    catalogue = catalogue if catalogue is not None else load_catalogue()
    kind = _message_kind(text)
    if kind is not None:
        return ParsedLog(kind=kind)
    entries: list[ParsedEntry] = []
    problems: list[LineProblem] = []
    session = tuple(session_exercises)
    for raw in re.split(r"[\n;]+", text):
        if not raw.strip(" \t-•*,.") or not re.search(r"\w", raw):
            continue
        result = _parse_line(raw.strip(), catalogue, units, session, kit)
        if isinstance(result, LineProblem):
            problems.append(result)
        else:
            entries.append(result)
    if not entries and not problems:
        problems.append(
            LineProblem(raw=text, message="There's nothing I can log in that.", example=EXAMPLE)
        )
    merged = _merge(entries, problems)
    return ParsedLog(kind="sets", entries=tuple(merged), problems=tuple(problems))


def parse_set_log_strict(
    text: str,
    *,
    catalogue: Catalogue | None = None,
    units: Units = Units.KG,
    session_exercises: Sequence[str] = (),
) -> ParsedLog:
    """`parse_set_log` for callers that want all or nothing (CLI, imports).

    Raises:
        SetLogParseError: some line was not read; the message lists each problem.
    """
    parsed = parse_set_log(
        text, catalogue=catalogue, units=units, session_exercises=session_exercises
    )
    if parsed.problems:
        raise SetLogParseError(
            "\n".join(f"{p.raw}: {p.message} (e.g. {p.example})" for p in parsed.problems)
        )
    return parsed


# --- writing -----------------------------------------------------------------------------


def _weight_text(load_kg: float, units: Units) -> str:
    """The load and its unit, in `units` with the fewest decimals that read back to exactly
    `load_kg`; a load the runner typed in the other unit ("60lbs" from a kg runner) is written
    in that unit, not as 27.2155422 kg."""
    if units is Units.KG:
        pounds = round(load_kg / KG_PER_LB, 1)
        if round(load_kg, 2) != load_kg and pounds * KG_PER_LB == load_kg:
            return f"{_plain(pounds)} {Units.LB.value}"
        return f"{_plain(load_kg)} {Units.KG.value}"
    pounds = load_kg / KG_PER_LB
    for digits in range(7):
        text = f"{pounds:.{digits}f}"
        if float(text) * KG_PER_LB == load_kg:
            return f"{_plain(float(text))} {Units.LB.value}"
    return f"{_plain(pounds)} {Units.LB.value}"


def _volume(sets: Sequence[LoggedSet], exercise: Exercise | None) -> str:
    """`4x5`, `5,5,5,4`, `3x40s` (holds are grouped by length, so one length per group)."""
    first = sets[0]
    if first.hold_s is not None:
        return f"{len(sets)}x{first.hold_s}s"
    reps = [logged.reps or 0 for logged in sets]
    text = f"{len(reps)}x{reps[0]}" if len(set(reps)) == 1 else ",".join(map(str, reps))
    if exercise is not None and exercise.timed:
        text += " reps"
    return text


def _group_key(logged: LoggedSet) -> tuple[object, ...]:
    return (logged.hold_s, logged.load_kg, logged.rir, logged.per_side, logged.bodyweight)


def _format_entry(entry: ParsedEntry, catalogue: Catalogue) -> str:
    exercise = catalogue.get(entry.exercise_id) if entry.exercise_id in catalogue else None
    groups: list[list[LoggedSet]] = []
    for logged in entry.sets:
        if groups and _group_key(groups[-1][-1]) == _group_key(logged):
            groups[-1].append(logged)
        else:
            groups.append([logged])
    parts: list[str] = []
    for group in groups:
        first = group[0]
        text = _volume(group, exercise)
        if first.per_side:
            text += "/side"
        if first.bodyweight:
            text += " bw"
            if first.load_kg is not None:
                text += f" +{_weight_text(first.load_kg, entry.units)}"
        elif first.load_kg is not None:
            text += f" @ {_weight_text(first.load_kg, entry.units)}"
        if first.rir is not None:
            text += f" rir {first.rir}"
        parts.append(text)
    return f"{entry.exercise_name} {' then '.join(parts)}"


def format_sets(
    entries: Sequence[ParsedEntry],
    *,
    units: Units = Units.KG,
    catalogue: Catalogue | None = None,
) -> str:
    """The entries as `parse_set_log` reads them back, one exercise per line.

    Each entry's weights are written in the units it was logged in (135 lb stays 135 lb, with
    the unit always written), so the text reads back the same whatever `units` the reader
    assumes; `units` is the runner's and is only the fallback for entries read without one.
    """
    catalogue = catalogue if catalogue is not None else load_catalogue()
    del units  # every weight carries its unit; kept for a symmetric call with parse_set_log
    return "\n".join(_format_entry(entry, catalogue) for entry in entries if entry.sets)
