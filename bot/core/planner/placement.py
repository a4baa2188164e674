"""Which days of a week get a strength session, and why (docs/coaching.md §3, P1–P8; PH3, PH4).

Hard constraints (never broken to hit a count, P6): no session on a long-run or race day (P5),
the day before a key run or a race (P3), two days in a row (P4), in the last 2 days before any
race or in race week less than 3 days before it (PH3, PH5), in the recovery days after any race
(PH6), or a second one in a B race's 7-day mini-taper (PH5).

Preferences (P9, P1, P2, P6): the chosen set first avoids a hard run the day after a key run
or race (P9: the second hard day in a row; a session that must sit there is lighter, see
`season.day_guard`), then minimises the candidate tiers used, then spreads the sessions as
evenly as possible over the week (P7: the smallest gap, counted round the week, is as large as
possible), then prefers earlier days.

Days are dates: the planner reads each date's run from `RunDays` (the template by default, an
.ics calendar for the weeks it covers), so P3–P5 hold across week boundaries too: a Sunday before
a Monday key run stays free, and a calendar race that is not the goal is still protected (P3, P5).

Interpretation of P6 for `separate_days`: its preferred days are the days without running (rest,
then cross); when those cannot hold the sessions, the other placement's hard days come next and
easy days last, as P6 orders ("the other placement's candidates, then easy days").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import combinations, pairwise

from bot.core.domain.plan import Phase
from bot.core.domain.profile import WEEKDAYS, Goal, Placement, RunnerProfile
from bot.core.domain.rundays import RunDays, RunKind
from bot.core.planner.phases import RACE_WEEK_MIN_DAYS
from bot.core.planner.season import Season, blocked_by_races, mini_taper_of, season_of

_TIERS: dict[Placement, dict[RunKind, int]] = {
    Placement.AFTER_HARD_RUNS: {
        RunKind.TEMPO: 0,
        RunKind.INTERVALS: 0,
        RunKind.REST: 1,
        RunKind.CROSS: 2,
        RunKind.EASY: 3,
    },
    Placement.SEPARATE_DAYS: {
        RunKind.REST: 0,
        RunKind.CROSS: 1,
        RunKind.TEMPO: 2,
        RunKind.INTERVALS: 2,
        RunKind.EASY: 3,
    },
}
"""P1, P2, P6: lower tier = preferred. Long-run and race days never qualify (P5)."""

_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven")


@dataclass(frozen=True, slots=True)
class PlacedDay:
    """A chosen day and the one-line reason a runner sees (P8)."""

    day: date
    reason: str


P4_MIN_GAP_DAYS = 2
"""P4: at least one day between two strength sessions (never two days in a row)."""


def p4_clash(day: date, others: Sequence[date]) -> bool:
    """P4: whether a session on `day` would sit on the day before or after one of `others`.

    The one statement of the rule: placement, the adjusted plan and a runner's move ask it."""
    return any(abs((day - other).days) < P4_MIN_GAP_DAYS for other in others)


def run_days_of(profile: RunnerProfile, days: RunDays | None = None) -> RunDays:
    """The dated run days to plan from: `days` when given, else the profile's template."""
    if days is not None:
        return days
    return RunDays(profile.week, template_times=profile.run_times)


def blocked_reason(
    profile: RunnerProfile,
    day: date,
    days: RunDays | None = None,
    season: Season | None = None,
) -> str | None:
    """Why no strength session may go on `day` (P3, P5, PH3, PH5, PH6), or None if it may.

    Useful on its own for moving a session within its week (X3). The day after is read by
    date, so a Sunday before a Monday key run is blocked like any other day (P3). Every race of
    the season (`season`, default the profile's) blocks its day, its last 2 days and its
    recovery days after it (PH6), whatever its priority.
    """
    runs = run_days_of(profile, days)
    kind = runs.kind(day)
    if kind is RunKind.LONG:
        return "P5: never on a long-run day"
    if kind is RunKind.RACE:
        return "P5: never on race day"
    by_race = blocked_by_races(season if season is not None else season_of(profile), day)
    if by_race is not None:
        return by_race
    next_kind = runs.kind(day + timedelta(days=1))
    if next_kind is RunKind.RACE:
        return "P3: never the day before a race"
    if next_kind.is_key:
        return f"P3: never the day before a key run ({next_kind.value})"
    return None


def _race_week_ok(day: date, phase: Phase, goal: Goal | None) -> bool:
    """PH3/PH4: in race week only days at least 3 days before the race hold a session; the
    days after it are the race's recovery, then free again (PH6)."""
    if phase is not Phase.RACE_WEEK or goal is None:
        return True
    left = (goal.race_date - day).days
    return left >= RACE_WEEK_MIN_DAYS or left < 0


def _spread(indices: Sequence[int]) -> int:
    """P7: the smallest gap between chosen days, counting the wrap into next week."""
    if len(indices) < 2:
        return 7
    gaps = [b - a for a, b in pairwise(indices)]
    gaps.append(indices[0] + 7 - indices[-1])
    return min(gaps)


def choose_days(
    profile: RunnerProfile,
    monday: date,
    count: int,
    phase: Phase,
    *,
    previous_session: date | None = None,
    days: RunDays | None = None,
    season: Season | None = None,
) -> tuple[list[PlacedDay], str | None]:
    """Pick up to `count` days of the week starting `monday` (P1–P7) with reasons (P8).

    Args:
        profile: the runner's week, placement and goal.
        monday: the week's Monday.
        count: sessions wanted this week (already capped by the phase, PH1).
        phase: the week's phase (race-week rules, reason wording).
        previous_session: the last session before this week, to keep P4 across weeks.
        days: the dated run days (default: the profile's weekly template).
        season: every race with its priority (default: the profile's, PH5).

    PH5: a B race's 7-day mini-taper holds at most one session, counting the last session of
    the week before.

    Returns:
        The chosen days in order, and a note when fewer than `count` fit (P6) or None.
    """
    if count <= 0:
        return [], None
    runs = run_days_of(profile, days)
    season = season if season is not None else season_of(profile)
    tiers = _TIERS[profile.placement]
    allowed: list[tuple[int, int]] = []  # (weekday index, tier)
    second_hard: set[int] = set()  # P9: a hard run the day after a key run or race
    tapers: dict[int, date] = {}  # weekday index -> the B race whose mini-taper holds it
    held = mini_taper_of(season, previous_session) if previous_session is not None else None
    for index in range(7):
        day = monday + timedelta(days=index)
        if previous_session is not None and (day - previous_session).days < 2:
            continue
        if blocked_reason(profile, day, runs, season) is not None:
            continue
        if not _race_week_ok(day, phase, profile.goal):
            continue
        taper = mini_taper_of(season, day) if season.races else None
        if taper is not None:
            if held is not None and taper.day == held.day:
                continue  # PH5: the mini-taper's one session was last week
            tapers[index] = taper.day
        kind = runs.kind(day)
        before = day - timedelta(days=1)
        if kind.is_hard and (runs.kind(before).is_key or season.race_on(before) is not None):
            second_hard.add(index)
        allowed.append((index, tiers[kind]))

    races = sorted(set(tapers.values()))
    chosen = _best_days(
        tuple(allowed),
        count,
        frozenset(second_hard),
        tuple(races.index(tapers[i]) if i in tapers else None for i in range(7)),
    )
    if chosen is None:
        return [], _shortfall_note(count, 0)
    used_tiers = {t for _, t in chosen}
    placed = [
        PlacedDay(
            monday + timedelta(days=i),
            _reason(
                profile,
                runs,
                monday + timedelta(days=i),
                phase,
                fallback=min(used_tiers) > 0 and t == min(used_tiers),
            ),
        )
        for i, t in chosen
    ]
    note = _shortfall_note(count, len(placed)) if len(placed) < count else None
    return placed, note


@lru_cache(maxsize=4096)
def _best_days(
    allowed: tuple[tuple[int, int], ...],
    count: int,
    second_hard: frozenset[int],
    tapers: tuple[int | None, ...],
) -> tuple[tuple[int, int], ...] | None:
    """The best `count` (or fewer) of the allowed (weekday index, tier) days: P4 apart, one
    per B race's mini-taper (`tapers`: each weekday's race, numbered), then P9, P1/P2's tiers
    and P7's spread. Pure: the same week shape gives the same days (most weeks repeat one)."""
    best: tuple[tuple[int, int, int, tuple[int, ...]], tuple[tuple[int, int], ...]] | None = None
    size = min(count, len(allowed))
    while size > 0 and best is None:
        for combo in combinations(allowed, size):
            indices = tuple(i for i, _ in combo)
            if any(b - a < P4_MIN_GAP_DAYS for a, b in pairwise(indices)):
                continue  # P4: never two days in a row
            races = [tapers[i] for i in indices if tapers[i] is not None]
            if len(races) != len(set(races)):
                continue  # PH5: one session in a B race's mini-taper
            # P9 first: no heavy legs on the second hard day in a row when another day will do
            late = sum(1 for i in indices if i in second_hard)
            key = (late, sum(t for _, t in combo), -_spread(indices), indices)
            if best is None or key < best[0]:
                best = (key, combo)
        if best is None:
            size -= 1
    return None if best is None else best[1]


def _shortfall_note(wanted: int, placed: int) -> str:
    """P6: say why fewer sessions than wanted were planned."""
    what = (
        "no session"
        if placed == 0
        else f"{_NUMBER_WORDS[placed]} session" + ("s" if placed > 1 else "")
    )
    return (
        f"Only {what} fits this week (wanted {wanted}): strength never goes on a long-run or "
        "race day, the day before a key run, or two days in a row."
    )


def _next_key(profile: RunnerProfile, runs: RunDays, day: date) -> tuple[int, str] | None:
    """Days until the next key run or race after `day` (within a week), and its name."""
    goal = profile.goal
    others = {race.race_date for race in profile.races}
    for ahead in range(1, 8):
        later = day + timedelta(days=ahead)
        kind = runs.kind(later)
        if kind is RunKind.RACE or later in others or (goal and later == goal.race_date):
            return ahead, "race"
        if kind.is_key:
            return ahead, f"{kind.value} run" if kind is not RunKind.INTERVALS else "intervals"
    return None


def _days_words(days: int) -> str:
    return "the day" if days == 1 else f"{_NUMBER_WORDS[days] if days < 8 else days} days"


_PHASE_TAIL: dict[Phase, str] = {
    Phase.RACE_SEASON: " Race season: one session a week keeps your strength.",
    Phase.TAPER: " Taper: fewer sets, same weights, fresher legs.",
}


def _reason(
    profile: RunnerProfile, runs: RunDays, day: date, phase: Phase, *, fallback: bool
) -> str:
    """P8: one line naming the rule that put the session on this day."""
    weekday = WEEKDAYS[day.weekday()]
    kind = runs.kind(day)
    if kind.is_hard:
        run = "interval session" if kind is RunKind.INTERVALS else f"{kind.value} run"
        text = f"After your {run}: hard days hard, easy days easy."
        if fallback and profile.placement is Placement.SEPARATE_DAYS:
            text = (
                f"After your {run}: your free days all sit the day before a key run, "
                "so hard days hard, easy days easy."
            )
    else:
        ahead = _next_key(profile, runs, day)
        when = f" and {_days_words(ahead[0])} before your {ahead[1]}" if ahead else ""
        if kind is RunKind.REST:
            text = f"{weekday.title} is free of running{when}."
        elif kind is RunKind.CROSS:
            text = f"{weekday.title} is a cross-training day with no run to protect{when}."
        else:
            text = (
                f"After your easy run on {weekday.title}: the best day left that is not the "
                f"day before a key run{when}."
            )
    if phase is Phase.RACE_WEEK and profile.goal is not None:
        days = (profile.goal.race_date - day).days
        return text + f" Race week: a short, light primer {days} days before your race."
    return text + _PHASE_TAIL.get(phase, "")
