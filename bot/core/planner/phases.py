"""Periodisation: which phase a week is in and how many sessions it allows (docs/coaching.md §2).

Interpretation notes (where the table needs a rule per week):
- A week's phase is measured from its Monday to the race date (`days = race - monday`).
- Race week: the race falls in this Monday–Sunday week.
- Taper: most of the week (its Thursday onwards) lies inside the taper window of the distance
  (10/14/21 days), so a Sunday half marathon gets one taper week and a Sunday marathon two.
- Race season: up to 4 weeks out; build: 5–16 weeks out; base beyond, or with no race.
- After the race: `recovery` while the week's Monday is inside the recovery window, then base.
  PH6: recovery is counted in days, so a recovery week allows one session on a free day after
  the recovery days (placement blocks the days themselves, `season.blocked_by_races`).
- PH6: race season starts 4 weeks out, or with the first B race when B races come closer
  together than 3 weeks (`race_season_start`); the A race's own taper and race week win.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from bot.core.dates import monday_of
from bot.core.domain.plan import Phase
from bot.core.domain.profile import Experience, Goal, Priority, RaceDistance
from bot.core.planner.season import RECOVERY_DAYS, Season

TAPER_DAYS: dict[RaceDistance, int] = {
    RaceDistance.FIVE_K: 10,
    RaceDistance.TEN_K: 10,
    RaceDistance.HALF_MARATHON: 14,
    RaceDistance.MARATHON: 21,
    RaceDistance.ULTRA: 21,
}
"""Taper length by distance (Bosquet et al. 2007)."""

LAST_HEAVY_LOWER_DAYS: dict[RaceDistance, int] = {
    RaceDistance.FIVE_K: 7,
    RaceDistance.TEN_K: 7,
    RaceDistance.HALF_MARATHON: 10,
    RaceDistance.MARATHON: 14,
    RaceDistance.ULTRA: 14,
}
"""PH3: the last heavy (≥ 80 % 1RM) lower-body session is at least this many days before."""

NO_LOWER_BODY_DAYS = 10
"""PH3: marathon and ultra runners do no lower-body strength in the last 10 days."""


RACE_WEEK_MIN_DAYS = 3
"""PH3: the race-week session ends at least 3 days before the race."""

BLOCK_WEEKS = 8
"""Seed 000's 8-week program; deloads in its weeks 4 and 8 (L6)."""

PHASE_MAX_SESSIONS: dict[Phase, int] = {
    Phase.BASE: 2,
    Phase.BUILD: 2,
    Phase.RACE_SEASON: 1,
    Phase.TAPER: 1,
    Phase.RACE_WEEK: 1,
    Phase.RECOVERY: 1,
}
"""PH1; PH6: a recovery week's one session goes on a free day after the recovery days."""

B_SEASON_GAP_DAYS = 21
"""PH6: B races closer together than 3 weeks start race season with the first of them."""

_LONG_DISTANCES = frozenset({RaceDistance.MARATHON, RaceDistance.ULTRA})


def is_long_distance(distance: RaceDistance) -> bool:
    return distance in _LONG_DISTANCES


def race_season_start(season: Season) -> date | None:
    """PH6: the Monday race season starts early, with the first B race closer than 3 weeks to
    the next B race before the A race; None when the 4 weeks of §2 apply."""
    goal = season.goal
    if goal is None:
        return None
    bs = [r.day for r in season.races if r.priority is Priority.B and r.day < goal.race_date]
    for first, second in pairwise(bs):
        if (second - first).days < B_SEASON_GAP_DAYS:
            return monday_of(first)
    return None


def phase_for_week(monday: date, goal: Goal | None, season_start: date | None = None) -> Phase:
    """The phase of the week starting `monday` (§2; PH4 for a race already run; PH6's early
    race season from `season_start`)."""
    if goal is None:
        return Phase.BASE
    days = (goal.race_date - monday).days
    distance = goal.race_distance
    if days < 0:
        return Phase.RECOVERY if -days <= RECOVERY_DAYS[distance] else Phase.BASE
    if days <= 6:
        return Phase.RACE_WEEK
    if days - 3 <= TAPER_DAYS[distance]:
        return Phase.TAPER
    weeks_out = days // 7
    if weeks_out <= 4 or (season_start is not None and monday >= season_start):
        return Phase.RACE_SEASON
    if weeks_out <= 16:
        return Phase.BUILD
    return Phase.BASE


def max_sessions(phase: Phase, experience: Experience) -> int:
    """PH1: the most sessions a week the phase allows; base allows 3 for non-novices."""
    if phase is Phase.BASE and experience is not Experience.NOVICE:
        return 3
    return PHASE_MAX_SESSIONS[phase]


@dataclass(frozen=True, slots=True)
class Frequency:
    """How many sessions to plan this week and, when fewer than asked, why (PH1)."""

    count: int
    note: str | None


_PHASE_WHY: dict[Phase, str] = {
    Phase.RACE_SEASON: "Race season: one session a week keeps your strength.",
    Phase.TAPER: "Taper: one lighter session keeps your strength while your legs freshen up.",
    Phase.RACE_WEEK: "Race week: at most one short primer, well before the race.",
    Phase.RECOVERY: (
        "Recovery after your race: no strength for a few days, then one easy session."
    ),
    Phase.BUILD: "Build phase: two heavy sessions a week is the most that helps your running.",
    Phase.BASE: "Two sessions a week while you learn the lifts; three comes later.",
}


def sessions_for(phase: Phase, experience: Experience, requested: int | None) -> Frequency:
    """PH1/PH2: honour the runner's 1–3 up to the phase maximum, explaining any cut.

    Without a request, base and build plan 2 sessions a week (seeds 000, 001).
    """
    cap = max_sessions(phase, experience)
    wanted = requested if requested is not None else min(2, cap) if cap else 0
    count = min(wanted, cap)
    if requested is not None and requested > count:
        why = _PHASE_WHY[phase]
        if phase is Phase.BASE:
            why = "Novices lift twice a week in base: technique first, three sessions later."
        return Frequency(count, f"You asked for {requested}; planning {count}. {why}")
    if requested is None and phase in (Phase.RACE_SEASON, Phase.TAPER, Phase.RECOVERY):
        return Frequency(count, _PHASE_WHY[phase])
    return Frequency(count, None)


@dataclass(frozen=True, slots=True)
class WeekContext:
    """Everything about a week's position in the training that session content depends on."""

    monday: date
    phase: Phase
    week_no: int
    """1-based week of training since `block_start` (technique weeks S5, rotation S7)."""
    week_of_block: int
    """1–8 within seed 000's 8-week block."""
    deload: bool
    """L6: every 4th week in base and build (weeks 4 and 8 of the block)."""

    @property
    def technique(self) -> bool:
        """S5: a novice's weeks 1–2 are technique weeks."""
        return self.week_no <= 2


def week_context(
    monday: date, goal: Goal | None, block_start: date, season_start: date | None = None
) -> WeekContext:
    """Phase, training week number and deload flag for the week starting `monday`."""
    phase = phase_for_week(monday, goal, season_start)
    week_no = max(1, (monday - monday_of(block_start)).days // 7 + 1)
    week_of_block = (week_no - 1) % BLOCK_WEEKS + 1
    deload = phase in (Phase.BASE, Phase.BUILD) and week_of_block % 4 == 0
    return WeekContext(monday, phase, week_no, week_of_block, deload)
