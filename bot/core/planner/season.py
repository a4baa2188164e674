"""The season: every race with its priority, and what each race asks of the days around it.

PH5: the runner's stated goal is the A race (the phases of `phases.py` count down to it). Other
races (the profile's `races`, a calendar's) keep a stated priority, else are classified: **B**
when at least half the A race's distance and within the 10 weeks before it, else **C**.
`bot.core.calendar.inputs.choose_goal` is the one place that decides calendar-versus-goal, for
the CLI and the bot (`bot.services.calendar_state`) alike.

What a race asks of a day (`DayGuard`), read by placement and the session builder:
- every race: nothing in its last 2 days (PH3, PH5), no plyometrics in its last 4, and recovery
  after it counted in days (PH6: 5K/10K 4, half 7, marathon/ultra 14);
- a B race: a 7-day mini-taper with at most one session, run as PH3's race-week primer, and no
  heavy (>= 80 % 1RM) lower body in its last 5 days;
- P9: a session 48 h before a long run or a race, or on the second hard day in a row, is lighter:
  no plyometrics and no heavy lower body (squats <= 75 %, hinges under 80 %).

Interpretation (rulebook): PH6's "no plyometrics and nothing >= 80 % in the 7 days after a half
or longer" is inside the recovery days themselves (7 for a half, 14 for a marathon), which hold
no session at all, so it needs no rule of its own here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.domain.profile import Goal, Priority, RaceDistance, RunnerProfile
from bot.core.domain.rundays import RunDays, RunKind

DISTANCE_KM: dict[RaceDistance, float] = {
    RaceDistance.FIVE_K: 5.0,
    RaceDistance.TEN_K: 10.0,
    RaceDistance.HALF_MARATHON: 21.1,
    RaceDistance.MARATHON: 42.2,
    RaceDistance.ULTRA: 50.0,
}

RECOVERY_DAYS: dict[RaceDistance, int] = {
    RaceDistance.FIVE_K: 4,
    RaceDistance.TEN_K: 4,
    RaceDistance.HALF_MARATHON: 7,
    RaceDistance.MARATHON: 14,
    RaceDistance.ULTRA: 14,
}
"""PH6: days after any race with no strength (common practice; §2 `recovery`)."""

B_WINDOW_DAYS = 70
"""PH5: a race within the 10 weeks before the A race may be a B race."""

MINI_TAPER_DAYS = 7
"""PH5: a B race's mini-taper: the 7 days before it hold at most one (primer) session."""

B_NO_HEAVY_DAYS = 5
"""PH5: no heavy lower body in a B race's last 5 days."""

NO_PLYO_DAYS = 4
"""PH3/PH5: no plyometrics in the last 4 days before any race."""
NO_SESSION_DAYS = 2
"""PH3/PH5: nothing at all in the last 2 days before a race or on race day."""
P9_HOURS_DAYS = 2
"""P9: 48 h before a long run or a race the session is a lighter one."""


@dataclass(frozen=True, slots=True)
class Race:
    """One race of the season with its priority (PH5)."""

    day: date
    distance: RaceDistance
    priority: Priority

    @property
    def recovery_days(self) -> int:
        return RECOVERY_DAYS[self.distance]

    def words(self) -> str:
        return f"{_NAMES[self.distance]} on {self.day:%a %-d %b} ({self.priority.value})"


_NAMES = {
    RaceDistance.FIVE_K: "5K",
    RaceDistance.TEN_K: "10K",
    RaceDistance.HALF_MARATHON: "half marathon",
    RaceDistance.MARATHON: "marathon",
    RaceDistance.ULTRA: "ultra",
}


def classify(day: date, distance: RaceDistance, a_race: Goal | None) -> Priority:
    """PH5: B when >= half the A race's distance and within the 10 weeks before it, else C."""
    if a_race is None:
        return Priority.C
    before = (a_race.race_date - day).days
    half = DISTANCE_KM[distance] >= DISTANCE_KM[a_race.race_distance] / 2
    return Priority.B if half and 0 < before <= B_WINDOW_DAYS else Priority.C


@dataclass(frozen=True)
class Season:
    """The A race (the profile's goal) and every race of the season, in date order."""

    goal: Goal | None
    races: tuple[Race, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_day", {race.day: race for race in self.races})

    def race_on(self, day: date) -> Race | None:
        by_day: dict[date, Race] = self._by_day  # type: ignore[attr-defined]
        return by_day.get(day)

    def others(self) -> tuple[Race, ...]:
        """The races that are not the A race (PH5's B and C)."""
        return tuple(race for race in self.races if race.priority is not Priority.A)


def season_of(profile: RunnerProfile) -> Season:
    """The profile's season: its goal as the A race, its other races with their priority."""
    goal = profile.goal
    races: list[Race] = []
    if goal is not None:
        races.append(Race(goal.race_date, goal.race_distance, Priority.A))
    for entry in profile.races:
        if goal is not None and entry.race_date == goal.race_date:
            continue  # the goal's own day: it is the A race
        priority = entry.priority
        if priority is None or priority is Priority.A:
            # PH5: one A race, the stated goal; an "A" beside it is kept as the nearest B
            priority = classify(entry.race_date, entry.race_distance, goal)
            if entry.priority is Priority.A:
                priority = Priority.B
        races.append(Race(entry.race_date, entry.race_distance, priority))
    races.sort(key=lambda race: race.day)
    return Season(goal, tuple(races))


@dataclass(frozen=True, slots=True)
class DayGuard:
    """What the races and the runs around a day leave for its session (PH5, PH6, P9)."""

    primer: Race | None = None
    """PH5: inside a B race's mini-taper: PH3's race-week primer toward this race."""
    no_plyo: bool = False
    """PH3/PH5: a race's last 4 days; P9: 48 h before a long run or race."""
    heavy_cap: bool = False
    """PH5: a B race's last 5 days; P9: lower body under 80 % (squats <= 75 %)."""
    why: str | None = None
    """The line the session's reason gains (P8: a lighter session says so)."""


def day_guard(season: Season, runs: RunDays, day: date) -> DayGuard:
    """What day `day`'s session must respect beyond the A race's own rules (PH3 in sessions).

    The A race is left to PH3 (its own taper and race week); B and C races and P9 are here.
    """
    primer: Race | None = None
    no_plyo = heavy_cap = False
    why: str | None = None
    for race in season.others():
        left = (race.day - day).days
        if left <= 0 or left > MINI_TAPER_DAYS:
            continue
        if left <= NO_PLYO_DAYS:
            no_plyo = True
        if race.priority is Priority.B:
            primer = primer or race
            heavy_cap = heavy_cap or left <= B_NO_HEAVY_DAYS
            why = why or (
                f"Mini-taper for your {race.words()}: a short, light primer {left} days before it."
            )
        elif left <= NO_PLYO_DAYS:
            why = why or f"No jumps: your {race.words()} is {left} days away."
    after = _kind(season, runs, day + timedelta(days=P9_HOURS_DAYS))
    tomorrow = _kind(season, runs, day + timedelta(days=1))
    if not tomorrow.is_key and (after is RunKind.LONG or after is RunKind.RACE):
        no_plyo = heavy_cap = True
        what = "race" if after is RunKind.RACE else "long run"
        why = why or f"Lighter: your {what} is two days away, so no jumps or heavy legs (P9)."
    today_kind = runs.kind(day)
    yesterday = _kind(season, runs, day - timedelta(days=1))
    if today_kind.is_hard and yesterday.is_key:
        heavy_cap = True
        why = why or (
            f"Lighter legs: {today_kind.value} the day after your {yesterday.value} run is the "
            "second hard day in a row (P9)."
        )
    return DayGuard(primer, no_plyo, heavy_cap, why)


def _kind(season: Season, runs: RunDays, day: date) -> RunKind:
    """The day's run, a season's race counting as a race whatever the template says."""
    return RunKind.RACE if season.race_on(day) is not None else runs.kind(day)


def blocked_by_races(season: Season, day: date) -> str | None:
    """Why no session may go on `day` because of a race: race day (P5), its last 2 days (PH3,
    PH5), or its recovery days after it (PH6); None when no race stands in the way."""
    for race in season.races:
        gap = (race.day - day).days
        if gap == 0:
            return "P5: never on race day"
        if gap == 1:
            return "P3: never the day before a race"
        if 0 < gap <= NO_SESSION_DAYS:
            return "PH3: nothing in the last 2 days before a race"
        if -race.recovery_days <= gap < 0:
            return f"PH6: recovery after your {race.words()}"
    return None


def mini_taper_of(season: Season, day: date) -> Race | None:
    """The B race whose 7-day mini-taper holds `day` (PH5: one session at most there)."""
    for race in season.others():
        if race.priority is Priority.B and 0 < (race.day - day).days <= MINI_TAPER_DAYS:
            return race
    return None
