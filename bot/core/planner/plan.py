"""The planner's entry point: a runner's profile and a date in, weeks of sessions out.

Pure: the caller passes every date; nothing here reads the clock, Telegram or a database.
"""

from __future__ import annotations

from datetime import date, timedelta

from bot.core.catalogue.loader import Catalogue, load_catalogue
from bot.core.dates import monday_of
from bot.core.domain.errors import PlanningError
from bot.core.domain.plan import Phase, Plan, PlanWeek, Session
from bot.core.domain.profile import Experience, RunnerProfile
from bot.core.planner.phases import sessions_for, week_context
from bot.core.planner.placement import choose_days
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
    for offset in range(weeks):
        monday = first_monday + timedelta(days=7 * offset)
        ctx = week_context(monday, profile.goal, origin)
        frequency = sessions_for(ctx.phase, profile.experience, profile.sessions_per_week)
        days, shortfall = choose_days(
            profile, monday, frequency.count, ctx.phase, previous_session=previous
        )
        notes = [n for n in (frequency.note, shortfall) if n]
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
        for index, placed in enumerate(days):
            # S3: A and B alternate through the block, whatever the weekly count.
            name = "AB"[((ctx.week_no - 1) * max(frequency.count, 1) + index) % 2]
            if placed.day < start:
                continue
            sessions.append(
                build_session(
                    profile,
                    placed.day,
                    name,
                    placed.reason,
                    ctx,
                    catalogue=catalogue,
                    history=history,
                )
            )
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
