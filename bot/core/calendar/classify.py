"""Read an event's title (and description) as a coach would: which kind of run, if any.

Rules, in order (docs/coaching.md §1 kinds):

1. Pace and plan words are read first and set aside: "@ half-marathon pace", "6x1km @ race
   pace", "MP", "Marathon Plan", "pre-race shakeout" name how fast or what for, not a race.
   A run that is only "at a pace" is a tempo-like quality run.
2. An explicit race ("race", "parkrun", "race day", "turkey trot") is a race.
3. Workout structure and type words: long (long, LSR) beats the hard kinds, and among tempo
   (tempo, threshold, cruise, T pace) and intervals (intervals, reps, track, VO2, fartlek,
   hills, 6x800m) the first named wins; then easy (easy, recovery, jog, shakeout).
4. An event name with a race distance and no workout word ("Berlin Marathon", "Half Marathon")
   is a race; "Half Marathon" is a half, never a marathon.
5. Cross-training (bike, swim, cross, elliptical, rowing, spin); "Yoga" or "Pilates" only when it
   says it is cross-training.
6. Any other run (a distance, "run", "miles") is easy, or long when it is 25 km / 15 mi or more.
7. "Rest", "Day off" is rest; everything else (Dentist, meetings, holidays) is not a run.

The title decides; the description is read only when the title names a run or workout without
saying which kind ("Run", "Workout 12", "8 km"), as coach platforms write the structure there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.domain.profile import RaceDistance
from bot.core.domain.rundays import RunKind
from bot.core.race_words import race_distance_match


@dataclass(frozen=True, slots=True)
class Reading:
    """What an event is: its kind and, for a race, its distance when the text names one."""

    kind: RunKind
    distance: RaceDistance | None = None


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_DIST = (
    r"(?:half[\s-]*marathon|marathon|hm|mp|hmp|\d+(?:[.,]\d+)?\s*(?:k|km|mi|miles?)"
    r"|10[\s-]*mile|race|parkrun|goal|5k|10k|15k|mile)"
)
_PACE = _rx(
    rf"(?:@|\bat\b)?\s*(?:goal\s+)?{_DIST}(?:[\s-]*race)?[\s-]*"
    r"(?:pace|effort|speed|rhythm|intensity|tempo|specific|simulation|rehearsal|prep)\b"
    r"|@\s*(?:mp|hmp|race|goal)\b|\b(?:mp|hmp)\b"
)
"""Pace phrases: how fast, not what event (rule 1)."""

_CONTEXT = _rx(
    r"\b(?:pre|post)[\s-]*race\b|\brace[\s-]*(?:week|prep|preparation|simulation|rehearsal|"
    r"specific|plan|ready|build|kit|pack)\b|\bdress\s+rehearsal\b"
    r"|(?:half[\s-]*marathon|marathon|ultra|\d+\s*k|\d+\s*km)\s+"
    r"(?:plan|training|prep|preparation|program|programme|block|build|cycle|build-up|buildup|"
    r"schedule|week|coach|squad|group)\b"
    r"|\b(?:week|wk|day)\s*\d+\b"
)
"""Plan context ("Marathon Plan", "Week 3") that names no event (rule 1)."""

_STRIDES = _rx(r"(?:\+|with|w/|and|&)?\s*(?:\d+\s*x\s*)?\d*\s*(?:s|sec|secs)?\s*strides?")
_RACE = _rx(
    r"\brac(?:e|es|ing)\b|\bparkrun\b|\braceday\b|\btrot\b|\bfun\s+run\b"
    r"|\bchampionships?\b|\bgrand\s+prix\b|🏁|🏅"
)
_EVENT = _rx(
    r"\bmarathon\b|\bultra\b|\bhalf\b|\b50\s*k\b|\b100\s*k\b|\b\d+\s*miler\b"
    r"|\bcross[\s-]*country\b|\bxc\b"
)
"""An event name: a race when no workout word says otherwise (rule 4)."""
_LONG_STRONG = _rx(
    r"\blong\s+(?:run|slow|easy|steady|aerobic|trail|hilly|distance|effort)\b|\blsr\b|\blsd\b"
    r"|^\W*long\W*$"
)
_LONG_WORD = _rx(r"\blong(?!\s*-?\s*(?:term|time|weekend|interval|intervals|reps?|repeats)\b)\b")
_TEMPO_STRONG = _rx(
    r"\btempo\b|\bthreshold\b|\bt[\s-]*pace\b|\blactate\b|\btime[\s-]*trial\b|\btt\b"
)
_TEMPO_WEAK = _rx(r"\bcruise\b|\blt\b|\bprogression\b|\bsweet\s*spot\b")
_INTERVALS_STRONG = _rx(
    r"\bintervals?\b|\brepeats\b|\bvo2\s*(?:max)?\b|\bfartlek\b|\bspeed\s*(?:work|session)"
    r"|\bspeedwork\b|\byasso|\bi[\s-]*pace\b|\bhill\s+(?:sprints?|reps?|repeats?)\b"
    r"|\breps\b|\btrack\b|\bhills\b"
)
_INTERVALS_WEAK = _rx(r"\bhill\b|\bladder\b|\bpyramid\b|\b\d{3,4}s\b|\bsprints?\b")
_STRUCTURE = _rx(r"\b\d+\s*x\s*\(?\s*\d")
"""6x800m, 5 × 1 km, 3x(2x400): a session built from repeats (rule 3)."""
_EASY_STRONG = _rx(r"\beasy\b|\brecovery\s+run\b|\bjog(?:ging)?\b|\bshake\s*-?\s*out\b")
_EASY_WEAK = _rx(
    r"\brecovery\b|\baerobic\b|\bbase\b|\bgentle\b|\bregeneration\b|\bz(?:one)?\s*2\b"
    r"|\bconversational\b|\bsteady\b"
)
_CROSS = _rx(
    r"\bcross(?![\s-]*country)(?:[\s-]*train(?:ing)?|[\s-]*fit)?\b|\bxt\b|\bbik(?:e|ing)\b"
    r"|\bcycl(?:e|ing)\b|\bride\b|\bswim(?:ming)?\b|\belliptical\b|\browing\b|\berg\b"
    r"|\bspin(?:ning)?\b|\baqua[\s-]*jog|\bpool\s+run|\bturbo\b|\bzwift\b|🚴|🏊"
)
_RUN = _rx(
    r"\bruns?\b|\brunning\b|\bmiles?\b|\b\d+(?:[.,]\d+)?\s*(?:k|km|kms|mi|mile|miles)\b"
    r"|\bkm\b|\b\d{3,5}\s*m\b|🏃"
)
_RUN_WORD = _rx(r"\bruns?\b|\brunning\b|\bjog(?:ging)?\b|🏃")
_WORKOUT = _rx(r"\bworkout\b|\bsession\b|\btraining\b|\bquality\b|\bwod\b")
_REST = _rx(
    r"^\W*(?:(?:rest(?:\s+day)?|day\s+off|off(?:\s+day)?)\W*(?:$|[-–:(/,|])|no\s+run(?:ning)?\b)"
)
_CANCELLED = _rx(r"^\W*(?:cancel|skipped|postponed)\b|\bcancel+ed\b|\bpostponed\b")
_NOT_TRAINING = _rx(
    r"\bmeeting\b|\bcall\b|\bappointment\b|\bdentist\b|\bdoctor\b|\bphysio\b|\bbirthday\b"
    r"|\bdinner\b|\blunch\b|\bbreakfast\b|\bparty\b|\bconference\b|\bwebinar\b|\binterview\b"
    r"|\bflight\b|\bholiday\b|\bvacation\b|\bwedding\b|\bstand-?up\b|\bagm\b|\bsocial\b"
)
"""Diary words: such an event is not training unless it also says run or jog (rule 7)."""
_WHOLE_TITLE: dict[str, RunKind] = {
    "recovery": RunKind.EASY,
    "aerobic": RunKind.EASY,
    "aerobic endurance": RunKind.EASY,
    "endurance": RunKind.EASY,
    "base": RunKind.EASY,
    "steady": RunKind.EASY,
    "strides": RunKind.EASY,
    "speed": RunKind.INTERVALS,
    "sprint": RunKind.INTERVALS,
    "sprints": RunKind.INTERVALS,
    "sprint intervals": RunKind.INTERVALS,
    "anaerobic": RunKind.INTERVALS,
}
"""Coach-app titles that are a run on their own ("Recovery", "Base", "Speed")."""
_DISTANCE_KM = _rx(r"\b(\d+(?:[.,]\d+)?)\s*(km|kms|k|mi|mile|miles)\b")

_LONG_RUN_KM = 25.0
"""A run of 25 km (about 15 miles) or more with no other word is a long run (rule 6)."""


def _clean(text: str) -> str:
    text = text.replace("×", "x").replace("–", "-").replace("—", "-").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def _kilometres(text: str) -> float | None:
    """The longest distance a text names, in km (mi × 1.609)."""
    best: float | None = None
    for number, unit in _DISTANCE_KM.findall(text):
        value = float(number.replace(",", "."))
        km = value * 1.609344 if unit.lower().startswith("mi") else value
        best = km if best is None else max(best, km)
    return best


def race_distance(text: str) -> RaceDistance | None:
    """The race distance a title names: "Half Marathon" is a half, "parkrun" a 5K.

    The runner's words for a distance are one table (`bot.core.language.words.RACE_DISTANCES`,
    also read by onboarding and chat); a title's "10 mile" or "Miler" falls back to the
    kilometres it names."""
    named = race_distance_match(_clean(text).lower())
    if named is not None:
        return named[0]
    text = _clean(text).lower()
    if re.search(r"\bultra\b|\b(?:50|100)\s*(?:k|km|mi|miles?)\b|\bmiler\b", text):
        return RaceDistance.ULTRA
    if re.search(r"\bhalf\b|\bhm\b|\b13[.,]1\b|\b21[.,]1\b|\b21\s*k", text):
        return RaceDistance.HALF_MARATHON
    if re.search(r"\bmarathon\b|\b26[.,]2\b|\b42[.,]2\b|\b42\s*k", text):
        return RaceDistance.MARATHON
    if re.search(r"\bparkrun\b|\b5\s*k\b", text):
        return RaceDistance.FIVE_K
    if re.search(r"\b10\s*k\b", text):
        return RaceDistance.TEN_K
    km = _kilometres(text)
    if km is None:
        return None
    if km < 7.5:
        return RaceDistance.FIVE_K
    if km < 16:
        return RaceDistance.TEN_K
    if km < 30:
        return RaceDistance.HALF_MARATHON
    if km <= 43:
        return RaceDistance.MARATHON
    return RaceDistance.ULTRA


def _workout_kind(text: str) -> RunKind | None:
    """Rule 3: a workout's structure and type words, long first, then the first hard one named.

    Weak words ("cruise", "track", "hills", "steady") count only beside a run word, a distance
    or a workout structure, so a "Caribbean cruise" or "Long weekend" is not training.
    """
    context = bool(_RUN.search(text) or _WORKOUT.search(text) or _STRUCTURE.search(text))
    if _LONG_STRONG.search(text) or (context and _LONG_WORD.search(text)):
        return RunKind.LONG
    families = [(_TEMPO_STRONG, RunKind.TEMPO), (_INTERVALS_STRONG, RunKind.INTERVALS)]
    if context:
        families += [(_TEMPO_WEAK, RunKind.TEMPO), (_INTERVALS_WEAK, RunKind.INTERVALS)]
    named = [(m.start(), kind) for rx, kind in families if (m := rx.search(text))]
    if named:
        return min(named, key=lambda item: item[0])[1]
    if _STRUCTURE.search(text):
        return RunKind.INTERVALS
    if _EASY_STRONG.search(text) or (context and _EASY_WEAK.search(text)):
        return RunKind.EASY
    return None


def classify(summary: str, description: str = "") -> Reading | None:
    """What an event is as running, or None when it is not a run (Dentist, a holiday).

    Args:
        summary: the event's SUMMARY (title).
        description: its DESCRIPTION; read only when the title names a run or workout without
            saying which kind ("Run", "Workout 12", "8 km").

    Returns:
        The reading, or None for an event that is not training.
    """
    title = _clean(summary)
    if not title or _CANCELLED.search(title):
        return None
    reading = _classify_text(title)
    if reading is not None and (
        reading.kind not in (RunKind.EASY, RunKind.LONG) or _named_kind(title)
    ):
        return reading
    runish = reading is not None or _WORKOUT.search(title) is not None
    body = _clean(description)
    if not runish or not body:
        return reading
    detail = _workout_kind(_strip(body))
    if detail is not None and detail is not RunKind.EASY:
        return Reading(detail)
    if reading is None and detail is None and _PACE.search(body):
        return Reading(RunKind.TEMPO)
    if reading is None and (detail is RunKind.EASY or _RUN.search(body)):
        return Reading(RunKind.EASY)
    return reading


def _named_kind(title: str) -> bool:
    """Whether a title says its kind itself (then the description never overrides it)."""
    text = _strip(title)
    return bool(_EASY_STRONG.search(text) or _LONG_STRONG.search(text) or _LONG_WORD.search(text))


def _strip(text: str) -> str:
    """Set aside pace, plan context and strides (rule 1)."""
    text = _PACE.sub(" ", text)
    text = _CONTEXT.sub(" ", text)
    return _STRIDES.sub(" ", text)


def _classify_text(title: str) -> Reading | None:
    """Rules 1–7 on a title."""
    if _REST.search(title):
        return Reading(RunKind.REST)
    diary = _NOT_TRAINING.search(title) is not None and not _RUN_WORD.search(title)
    whole = re.sub(r"[^\w\s]", " ", title.lower()).split()
    if not diary and " ".join(whole) in _WHOLE_TITLE:
        return Reading(_WHOLE_TITLE[" ".join(whole)])
    had_pace = _PACE.search(title) is not None
    text = _strip(title)
    if _RACE.search(text) and not diary:
        return Reading(RunKind.RACE, race_distance(text))
    runs = _RUN.search(text) is not None
    if _CROSS.search(text) and not _RUN_WORD.search(text):
        return Reading(RunKind.CROSS)  # "Bike intervals", "Swim 1500m easy": not a run
    workout = _workout_kind(text)
    if workout is not None:
        return Reading(workout)
    if diary:
        return None  # "Birthday dinner", "Marathon committee meeting": not training
    if _EVENT.search(text):
        return Reading(RunKind.RACE, race_distance(text))
    if had_pace:
        return Reading(RunKind.TEMPO)  # "5 mi @ half-marathon pace": a quality run
    if runs:
        km = _kilometres(text)
        return Reading(RunKind.LONG if km is not None and km >= _LONG_RUN_KM else RunKind.EASY)
    return None
