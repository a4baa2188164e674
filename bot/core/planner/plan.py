"""The planner's entry point: a runner's profile and a date in, weeks of sessions out.

Pure: the caller passes every date; nothing here reads the clock, Telegram or a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.core.catalogue.loader import Catalogue, load_catalogue
from bot.core.dates import monday_of
from bot.core.domain.errors import PlanningError
from bot.core.domain.plan import Phase, Plan, PlanWeek, Session
from bot.core.domain.profile import Experience, RunnerProfile
from bot.core.planner.phases import RECOVERY_DAYS, sessions_for, week_context
from bot.core.planner.placement import choose_days
from bot.core.planner.progression import BREAK_DAYS
from bot.core.planner.sessions import HistoryMap, build_session

MAX_WEEKS = 104


def build_plan(
    profile: RunnerProfile,
    start: date,
    weeks: int = 1,
    *,
    history: HistoryMap | None = None,
    catalogue: Catalogue | None = None,
    block_start: date | None = None,
    today: date | None = None,
) -> Plan:
    """Plan `weeks` Monday–Sunday weeks of strength around the runner's own running week.

    Args:
        profile: the runner (week, goal, experience, equipment, placement, limitations, units).
        start: any date; weeks run from the Monday of its week, and sessions before `start`
            in that first week are dropped (onboarding mid-week keeps the rest of the week).
        weeks: how many weeks (1–104).
        history: logged performance per exercise id (`Mapping[str, Sequence[ExerciseLog]]`,
            `bot.core.domain.logs`); with it loads are kilograms via `next_load` (L1).
        catalogue: the exercise catalogue (default: the packaged one, cached).
        block_start: the Monday training started, for week numbering (8-week blocks, S5
            technique weeks, L6 deloads, S7 rotation from week 5). Default: `start`'s Monday.
        today: the day the plan is made, for the log's layoff rule (L7). Default: `start`.

    Returns:
        The plan; `model_dump(mode="json")` is `runlift plan`'s JSON.

    Raises:
        PlanningError: `weeks` is outside 1–104.
    """
    if not 1 <= weeks <= MAX_WEEKS:
        raise PlanningError(f"weeks: {weeks} is not between 1 and {MAX_WEEKS}")
    catalogue = catalogue or load_catalogue()
    first_monday = monday_of(start)
    origin = monday_of(block_start) if block_start is not None else first_monday
    previous: date | None = None
    plan_weeks: list[PlanWeek] = []
    coaching = _Coaching.start(profile, history, today or start, origin)
    placed = 0
    for offset in range(weeks):
        monday = first_monday + timedelta(days=7 * offset)
        ctx = week_context(monday, profile.goal, origin)
        frequency = sessions_for(ctx.phase, profile.experience, profile.sessions_per_week)
        days, shortfall = choose_days(
            profile, monday, frequency.count, ctx.phase, previous_session=previous
        )
        notes = [_plain_note(n) for n in (frequency.note, shortfall) if n]
        back = _back_from_race(profile, monday, ctx.phase)
        if back:
            notes.append(REENTRY_NOTE)
        notes.extend(
            _week_notes(
                profile,
                max(monday, start),
                ctx.phase,
                ctx.deload,
                ctx.technique,
                first=offset == 0,
            )
        )
        sessions: list[Session] = []
        if offset == 0:  # S3: the block's earlier weeks set where the alternation stands
            placed = (ctx.week_no - 1) * len(days)
        for day in days:
            # S3: A and B alternate by the sessions actually placed, not the count asked for.
            name = "AB"[placed % 2]
            placed += 1
            if day.day < start:
                continue
            sessions.append(
                build_session(
                    profile,
                    day.day,
                    name,
                    day.reason,
                    ctx,
                    catalogue=catalogue,
                    history=history,
                    today=coaching.today,
                    once_a_week=len(days) == 1,
                    layoff=(coaching.layoff and offset == 0) or back,
                    seen=coaching.seen,
                    was_deload=coaching.was_deload,
                )
            )
            if sessions[-1].name != name:
                placed -= 1  # a race-week primer or upper-body session is neither A nor B
        if days:
            previous = days[-1].day
        plan_weeks.append(
            PlanWeek.model_construct(
                week_start=monday,
                phase=ctx.phase,
                sessions=tuple(sessions),
                deload=ctx.deload,
                week_of_block=ctx.week_of_block,
                notes=tuple(notes),
            )
        )
    return Plan.model_construct(weeks=tuple(plan_weeks))


REENTRY_NOTE = (
    "First week back after your race: lighter sessions to pick the lifts up again. "
    "Tell me your next goal and I'll plan toward it."
)
"""PH4: after the recovery, a re-entry week (L7: weeks without lifting) and the next goal."""


def _back_from_race(profile: RunnerProfile, monday: date, phase: Phase) -> bool:
    """PH4/L7: the first base week after the race's recovery restarts lighter."""
    goal = profile.goal
    if goal is None or phase is not Phase.BASE:
        return False
    since = (monday - goal.race_date).days
    return RECOVERY_DAYS[goal.race_distance] < since <= RECOVERY_DAYS[goal.race_distance] + 7


def _plain_note(note: str) -> str:
    """Say "no session fits", not "Only no session fits" (issue 15, defect 15)."""
    return note.replace("Only no session fits", "No session fits", 1)


@dataclass(slots=True)
class _Coaching:
    """What the plan carries from week to week: cue counts (X4), layoff (L7), deload weeks."""

    today: date
    seen: dict[str, int]
    layoff: bool
    profile: RunnerProfile
    origin: date
    deload_weeks: dict[date, bool] = field(default_factory=dict)

    @classmethod
    def start(
        cls, profile: RunnerProfile, history: HistoryMap | None, today: date, origin: date
    ) -> _Coaching:
        seen = {key: len(logs) for key, logs in (history or {}).items()}
        dates = [log.performed_on for logs in (history or {}).values() for log in logs]
        layoff = bool(dates) and (today - max(dates)).days > BREAK_DAYS
        return cls(today, seen, layoff, profile, origin)

    def was_deload(self, day: date) -> bool:
        """L6: whether a logged day fell in one of the block's deload weeks (memoised)."""
        monday = monday_of(day)
        known = self.deload_weeks.get(monday)
        if known is None:
            known = week_context(monday, self.profile.goal, self.origin).deload
            self.deload_weeks[monday] = known
        return known


def _week_notes(
    profile: RunnerProfile,
    first_day: date,
    phase: Phase,
    deload: bool,
    technique: bool,
    *,
    first: bool,
) -> list[str]:
    """What the runner should know about the week (L6, S5, PH4)."""
    notes: list[str] = []
    goal = profile.goal
    if deload:
        notes.append("Deload week: half the sets, about 10% lighter, no new maximums.")
    if technique and profile.experience is Experience.NOVICE:
        notes.append("Technique week: light weights, smooth reps, learn the movements.")
    if goal is not None:
        to_race = (goal.race_date - first_day).days
        if 0 <= to_race <= 2:
            notes.append("Race day is close: no strength before it. Rest up and run well!")
        if to_race < 0 and phase is not Phase.RECOVERY and first:
            notes.append("Your race is done: tell me your next goal and I'll plan toward it.")
        if phase is Phase.RECOVERY:
            notes.append(
                "Your race is done: easy mobility only while you recover. "
                "Tell me your next goal when you're ready."
            )
    return notes
