"""The planner's entry point: a runner's profile and a date in, weeks of sessions out.

Pure: the caller passes every date; nothing here reads the clock, Telegram or a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from bot.core.catalogue.loader import Catalogue, load_catalogue
from bot.core.dates import monday_of
from bot.core.domain.errors import PlanningError
from bot.core.domain.plan import (
    Block,
    BlockKind,
    Phase,
    Plan,
    PlanRace,
    PlanWeek,
    Prescription,
    RunDay,
    Session,
)
from bot.core.domain.profile import WEEKDAYS, Experience, RunnerProfile
from bot.core.domain.rundays import RunDays, RunKind
from bot.core.planner.deload import fit_to_week_before
from bot.core.planner.phases import race_season_start, sessions_for, week_context
from bot.core.planner.placement import (
    PlacedDay,
    blocked_reason,
    choose_days,
    p4_clash,
    run_days_of,
)
from bot.core.planner.progression import BREAK_DAYS, fraction_1rm
from bot.core.planner.season import (
    RECOVERY_DAYS,
    Season,
    day_guard,
    mini_taper_of,
    season_of,
)
from bot.core.planner.sessions import CUE_TIMES, HistoryMap, build_session, session_minutes

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
    run_days: RunDays | None = None,
) -> Plan:
    """Plan `weeks` Monday–Sunday weeks of strength around the runner's dated runs.

    The running comes from `run_days` (template days by default, calendar days
    for the weeks a calendar covers); placement reads it by date, so P3–P5 hold across weeks.

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
        run_days: the dated run days (default: `profile.week` every week).

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
    runs = run_days_of(profile, run_days)
    season = season_of(profile)
    early_season = race_season_start(season)
    coaching = _Coaching.start(profile, history, today or start, origin, early_season)
    placed = 0
    for offset in range(weeks):
        monday = first_monday + timedelta(days=7 * offset)
        ctx = week_context(monday, profile.goal, origin, early_season)
        frequency = sessions_for(ctx.phase, profile.experience, profile.sessions_per_week)
        days, shortfall = choose_days(
            profile,
            monday,
            frequency.count,
            ctx.phase,
            previous_session=previous,
            days=runs,
            season=season,
        )
        if ctx.phase is Phase.RECOVERY and not days:
            shortfall = None  # PH6: the recovery note already says why
        third, third_note = _third_session(
            profile, monday, ctx.phase, ctx.deload, days, previous, runs, season, start
        )
        asked = frequency.note
        if third:
            asked = (
                f"You asked for 3: {_NUMBER_WORDS_[len(days)]} full session"
                f"{'s' if len(days) > 1 else ''} and a short third of upper body, core and "
                "calves, so your legs stay fresh for running."
            )
        notes = [_plain_note(n) for n in (asked, shortfall, third_note) if n]
        calendar_note = _calendar_note(runs, monday)
        if calendar_note:
            notes.append(calendar_note)
        back = _back_from_race(profile, monday, ctx.phase)
        # PH6: the session after the A race's recovery days restarts lighter, like a re-entry
        back_in_recovery = ctx.phase is Phase.RECOVERY
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
        week_before: Sequence[Session] | None = None
        if offset == 0:  # S3: the block's earlier weeks set where the alternation stands
            placed = (ctx.week_no - 1) * len(days)
        planned = sorted([*((d, "") for d in days), *((d, THIRD) for d in third)], key=_by_day)
        for day, name in planned:  # in date order: cues (X4) count as the runner meets them
            counted = False
            if not name:
                # S3: A and B alternate by the sessions actually placed, not the count asked.
                # L6: a once-a-week deload is last week's session made lighter, so it takes
                # last week's letter and leaves the alternation where it stood.
                mirror = ctx.deload and len(days) == 1 and placed > 0
                name = "AB"[(placed - mirror) % 2]
                if not mirror:
                    placed += 1
                    counted = True
            if day.day < start:
                continue
            guard = day_guard(season, runs, day.day)
            day_ctx = ctx
            reason = day.reason
            if guard.primer is not None and name != THIRD and not ctx.deload:
                # a deload week's session is light already: it keeps the guard, not a primer
                if profile.sessions_per_week == 1:
                    # PH2 + PH5: the week's one session still covers a knee lift and a hinge,
                    # under 80 % (the B race's mini-taper)
                    guard = replace(guard, heavy_cap=True)
                else:
                    day_ctx = replace(ctx, phase=Phase.RACE_WEEK, deload=False)  # PH5 primer
            if guard.why and name != THIRD:
                reason = f"{reason} {guard.why}"
            sessions.append(
                build_session(
                    profile,
                    day.day,
                    name,
                    reason,
                    day_ctx,
                    catalogue=catalogue,
                    history=history,
                    today=coaching.today,
                    once_a_week=len(days) == 1,
                    layoff=(coaching.layoff and offset == 0) or back or back_in_recovery,
                    seen=coaching.seen,
                    was_deload=coaching.was_deload,
                    guard=guard if name != THIRD else None,
                    met=coaching.met,
                )
            )
            if ctx.deload:
                if week_before is None:  # L6 compares with all of last week, planned or not
                    week_before = _week_before(
                        plan_weeks,
                        monday,
                        start,
                        profile,
                        history,
                        catalogue,
                        origin,
                        coaching.today,
                        run_days,
                    )
                sessions[-1] = coaching.deload(sessions[-1], week_before, catalogue)
            coaching.meet(sessions[-1])
            if runs.source(day.day) == "calendar":
                # The session follows the dated run, not the template's weekday.
                after = runs.kind(day.day)
                sessions[-1] = sessions[-1].model_copy(
                    update={"after_run": after.day_kind if after.is_run else None}
                )
            if name == THIRD:
                sessions[-1] = _third_dose(sessions[-1], catalogue)
            if counted and sessions[-1].name != name:
                placed -= 1  # a race-week primer or upper-body session is neither A nor B
        if days or third:
            previous = max(d.day for d in (*days, *third))
        plan_weeks.append(
            PlanWeek.model_construct(
                week_start=monday,
                phase=ctx.phase,
                sessions=tuple(sorted(sessions, key=lambda s: s.date)),
                deload=ctx.deload,
                week_of_block=ctx.week_of_block,
                notes=tuple(notes),
            )
        )
    return Plan.model_construct(
        weeks=tuple(plan_weeks),
        races=tuple(
            PlanRace.model_construct(
                race_date=race.day, race_distance=race.distance, priority=race.priority
            )
            for race in season.races
        ),
        run_days=_run_days(runs, season, first_monday, weeks),
    )


def _week_before(
    plan_weeks: Sequence[PlanWeek],
    monday: date,
    start: date,
    profile: RunnerProfile,
    history: HistoryMap | None,
    catalogue: Catalogue,
    origin: date,
    today: date,
    run_days: RunDays | None,
) -> Sequence[Session]:
    """L6: the sessions of the week before `monday` (a deload week), whole: from this plan when
    it holds that week from its Monday, else planned alone, so a plan that starts mid-week or
    in the deload week itself (a resync) bounds the deload as the plan made the week before did.
    Empty when that week was a deload too, or before training started."""
    before = monday - timedelta(days=7)
    if plan_weeks and (plan_weeks[-1].week_start >= start or plan_weeks[-1].deload):
        return () if plan_weeks[-1].deload else plan_weeks[-1].sessions
    if before < origin:
        return ()
    week = build_plan(
        profile,
        before,
        1,
        history=history,
        catalogue=catalogue,
        block_start=origin,
        today=today,
        run_days=run_days,
    ).weeks[0]
    return () if week.deload else week.sessions


def _by_day(item: tuple[PlacedDay, str]) -> date:
    return item[0].day


def _run_days(runs: RunDays, season: Season, monday: date, weeks: int) -> dict[date, RunDay]:
    """The dated runs the plan was made around; a race with its distance and priority."""
    out: dict[date, RunDay] = {}
    for offset in range(7 * weeks):
        day = monday + timedelta(days=offset)
        race = season.race_on(day)
        if race is not None:
            out[day] = RunDay.model_construct(
                kind="race", distance=race.distance, priority=race.priority
            )
        else:
            out[day] = _KIND_DAYS[runs.kind(day)]
    return out


_KIND_DAYS = {kind: RunDay.model_construct(kind=kind.value) for kind in RunKind}

THIRD = "Third"
"""S12: the third session's template: upper body + core + calf/foot, 20–30 minutes."""

THIRD_NOTE = (
    "A third session fits no day this week without breaking the rest-day rules (never the day "
    "before a key run or two days in a row). If you want it, add 10 minutes of upper-body work "
    "(push-ups, rows) and a calf raise to one of your sessions."
)


_NUMBER_WORDS_ = ("no", "one", "two", "three")

THIRD_SETS = 2
"""S12: two sets an exercise keep the third session at 20–30 minutes."""
THIRD_REST_S = 90
"""S4: the third session's upper-body lifts are accessories: 60–90 s rest."""


def _third_dose(session: Session, catalogue: Catalogue) -> Session:
    """S12: the third session is short (20–30 min): two sets of each exercise, whatever the
    week's dose of the main sessions. Its upper-body lifts are accessory work (no main lift's
    S4 sets to keep), ahead of the calf work."""
    upper = tuple(
        ex.model_copy(update={"rest_s": min(ex.rest_s, THIRD_REST_S)})
        for block in session.blocks
        if block.kind is BlockKind.STRENGTH
        for ex in block.exercises
    )
    kept = [block for block in session.blocks if block.kind is not BlockKind.STRENGTH]
    if upper:
        at = next((i for i, b in enumerate(kept) if b.kind is BlockKind.ACCESSORY), None)
        if at is None:
            at = next((i for i, b in enumerate(kept) if b.kind is BlockKind.CORE), len(kept))
            kept.insert(at, Block(kind=BlockKind.ACCESSORY, exercises=()))
        kept[at] = kept[at].model_copy(update={"exercises": (*upper, *kept[at].exercises)})
    blocks = tuple(
        block.model_copy(
            update={
                "exercises": tuple(
                    ex.model_copy(update={"sets": min(ex.sets, THIRD_SETS)})
                    for ex in block.exercises
                )
            }
        )
        for block in kept
    )
    trimmed = session.model_copy(update={"blocks": blocks})
    return trimmed.model_copy(update={"duration_min": session_minutes(trimmed, catalogue)})


def _third_session(
    profile: RunnerProfile,
    monday: date,
    phase: Phase,
    deload: bool,
    days: list[PlacedDay],
    previous: date | None,
    runs: RunDays,
    season: Season,
    start: date,
) -> tuple[list[PlacedDay], str | None]:
    """S12: a third session asked for, where the week holds fewer than three, is an upper-body
    + core + calf session on a day that keeps P3–P5 (and P4 both ways), or a note offering it.

    Only base and build weeks (not deloads): race season and the taper keep one session (PH1)."""
    if (
        profile.sessions_per_week != 3
        or len(days) >= 3
        or phase not in (Phase.BASE, Phase.BUILD)
        or deload
    ):
        return [], None
    taken = [d.day for d in days] + ([previous] if previous is not None else [])
    best: tuple[int, date] | None = None
    for index in range(7):
        day = monday + timedelta(days=index)
        if day < start or p4_clash(day, taken):
            continue
        if blocked_reason(profile, day, runs, season) is not None:
            continue
        if mini_taper_of(season, day) is not None:
            continue  # PH5: the mini-taper holds one session
        gap = min((abs((day - other).days) for other in taken), default=7)
        if best is None or gap > best[0]:
            best = (gap, day)
    if best is None:
        return [], THIRD_NOTE
    day = best[1]
    reason = (
        f"Your third session: upper body, core and calves only, so your legs stay fresh for "
        f"running ({WEEKDAYS[day.weekday()].title} is not the day before a key run and not "
        "next to another session)."
    )
    return [PlacedDay(day, reason)], None


def _calendar_note(runs: RunDays, monday: date) -> str | None:
    """Say which runs a calendar week was planned around, so a runner can check the reading."""
    if not runs.is_calendar_week(monday):
        return None
    days = [monday + timedelta(days=i) for i in range(7)]
    listed = [f"{day:%a} {runs.kind(day).value}" for day in days if runs.kind(day).is_run]
    return "Runs from your calendar: " + ", ".join(listed) + "."


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
    """Say "no session fits", not "Only no session fits"."""
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
    met: dict[str, tuple[date, float | None]] = field(default_factory=dict)
    """The date each exercise first came in the plan and the e1RM its load implied (L7: a lift
    restarts when first met and climbs back from there)."""

    early_season: date | None = None

    @classmethod
    def start(
        cls,
        profile: RunnerProfile,
        history: HistoryMap | None,
        today: date,
        origin: date,
        early_season: date | None = None,
    ) -> _Coaching:
        seen = {key: len(logs) for key, logs in (history or {}).items()}
        dates = [log.performed_on for logs in (history or {}).values() for log in logs]
        layoff = bool(dates) and (today - max(dates)).days > BREAK_DAYS
        return cls(today, seen, layoff, profile, origin, early_season=early_season)

    def meet(self, session: Session) -> None:
        """Notes the exercises met for the first time in `session` (L7)."""
        for block in session.blocks:
            for item in block.exercises:
                if item.id not in self.met:
                    load, rir = item.load, item.load.rir
                    reserve = rir[0] if isinstance(rir, tuple) else rir
                    estimate = (
                        load.kg / fraction_1rm(item.reps[0] + reserve)
                        if load.kg is not None and reserve is not None
                        else None
                    )
                    self.met[item.id] = (session.date, estimate)

    def deload(
        self, session: Session, week_before: Sequence[Session], catalogue: Catalogue
    ) -> Session:
        """L6: a deload session is half of the same session last week
        (`bot.core.planner.deload`); an exercise it drops was not met (X4's cue count)."""
        fitted, changed = fit_to_week_before(session, week_before, catalogue)
        if not changed:
            return fitted
        kept = {item.id for block in fitted.blocks for item in block.exercises}
        for block in session.blocks:
            for item in block.exercises:
                if item.id not in kept and self.seen.get(item.id, 0) > 0:
                    self.seen[item.id] -= 1
        minutes = session_minutes(fitted, catalogue)
        had = {item.id for block in session.blocks for item in block.exercises}
        if kept <= had:
            return fitted.model_copy(update={"duration_min": minutes})
        blocks = tuple(
            block.model_copy(
                update={"exercises": tuple(self._cued(item, had) for item in block.exercises)}
            )
            for block in fitted.blocks
        )
        return fitted.model_copy(update={"blocks": blocks, "duration_min": minutes})

    def _cued(self, item: Prescription, had: set[str]) -> Prescription:
        """X4 for an exercise the deload took back from last week: its cue while the runner
        has met it fewer than two times, counted as met."""
        if item.id in had:
            return item
        count = self.seen.get(item.id, 0)
        self.seen[item.id] = count + 1
        show = count < CUE_TIMES and bool(item.cue)
        return item if item.show_cue == show else item.model_copy(update={"show_cue": show})

    def was_deload(self, day: date) -> bool:
        """L6: whether a logged day fell in one of the block's deload weeks (memoised)."""
        monday = monday_of(day)
        known = self.deload_weeks.get(monday)
        if known is None:
            known = week_context(monday, self.profile.goal, self.origin, self.early_season).deload
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
            notes.append("Your race is done: well run! Tell me your next goal when you're ready.")
    return notes
