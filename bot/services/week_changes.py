"""A changed week (X3) or race (PH4, PH5): one week's runs, the usual week, the season.

Each use case is one short transaction: load, call the pure core, save, re-sync the plan
(reminders follow), and return what the chat needs to answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from bot.core.domain.adjustments import WeekAdjustment, week_of
from bot.core.domain.errors import NotOnboardedError, ProfileError
from bot.core.domain.plan import PlanRace, Session
from bot.core.domain.profile import (
    DayKind,
    Goal,
    Priority,
    RaceDistance,
    RunnerProfile,
    Weekday,
)
from bot.core.domain.statuses import DraftKind
from bot.core.language.intents import RaceAction, RaceChange
from bot.core.language.week import WeekEdit, WeekScope
from bot.services import planning
from bot.services.container import Services
from bot.services.dialogs import profile_and_today
from bot.storage import adjustments as store
from bot.storage import drafts


@dataclass(frozen=True)
class PlanChange:
    """A changed plan: the sessions of the week it is about, and the line that says why."""

    reason: str
    sessions: tuple[Session, ...] = ()
    notes: tuple[str, ...] = ()
    week_start: date | None = None


async def change_week(services: Services, runner_id: int, edit: WeekEdit) -> PlanChange:
    """A one-off change overrides that week's run days (dated run days); a change
    "from now on" becomes the usual week. Sessions are placed again by P3–P5 (X3).

    Raises:
        NotOnboardedError: no profile yet.
    """
    if edit.scope is WeekScope.ALWAYS:
        profile, _ = await profile_and_today(services, runner_id)
        week = {**profile.week, **edit.days}
        return await set_usual_week(services, runner_id, week)
    async with services.db.session() as db, db.begin():
        runner, profile = await planning.require_onboarded(db, runner_id)
        today = services.today_in(profile.timezone)
        day = today + timedelta(days=7) if edit.scope is WeekScope.NEXT else today
        monday, sunday = week_of(day)
        await store.add_adjustment(
            db,
            runner_id,
            WeekAdjustment(
                starts=max(monday, today), ends=sunday, reason=edit.reason, days=edit.days
            ),
            now=services.now(),
        )
        sync = await planning.sync_plan(db, services, runner, today=today)
    week_plan = next((w for w in sync.plan.weeks if w.week_start == monday), None)
    return PlanChange(
        edit.reason,
        week_plan.sessions if week_plan else (),
        week_plan.notes if week_plan else (),
        monday,
    )


async def set_usual_week(
    services: Services, runner_id: int, week: Mapping[Any, DayKind]
) -> PlanChange:
    """/week: a new usual week, planned again from today (next week's sessions follow it).

    Raises:
        NotOnboardedError: no profile yet.
        ProfileError: the week has no run.
    """
    from bot.services.onboarding import change_setting

    days = {Weekday(d).value: DayKind(k).value for d, k in week.items()}
    try:
        plan = await change_setting(services, runner_id, {"week": days})
    except ValueError as error:
        if isinstance(error, ProfileError):
            raise
        raise NotOnboardedError(runner_id) from error
    nxt = plan.weeks[1] if len(plan.weeks) > 1 else plan.weeks[0]
    return PlanChange("Your usual week is changed", nxt.sessions, nxt.notes, nxt.week_start)


@dataclass(frozen=True)
class RaceResult:
    action: RaceAction
    distance: RaceDistance | None
    race_date: date | None
    sessions: tuple[Session, ...] = ()
    notes: tuple[str, ...] = ()
    needs_date: bool = False
    priority: Priority | None = None
    """PH5: the priority the runner gave (a B or C race joins the season, the goal stays)."""
    races: tuple[PlanRace, ...] = ()
    """The season after the change (PH5), for the reply."""
    along_the_way: bool = False
    """A race run weeks before the goal: it joined the season, the goal stays."""
    goal: Goal | None = None
    """The goal race after the change."""


RACE_DONE_WINDOW_DAYS = 3
"""A race reported done more than this many days before the goal race is another race."""


async def change_race(services: Services, runner_id: int, change: RaceChange) -> RaceResult:
    """PH4: a new or moved race re-periodises the plan; a dropped one turns it into base
    training; a race just run leads to recovery and a question about the next goal.

    Raises:
        NotOnboardedError: no profile yet.
        ProfileError: the race date is out of range.
    """
    from bot.services.onboarding import change_setting

    profile, today = await profile_and_today(services, runner_id)
    goal = profile.goal
    if change.priority is not None and change.race_date is not None:
        return await _season_race(services, runner_id, profile, today, change)
    distance = change.distance or (goal.race_distance if goal else None)
    if change.action is RaceAction.DROPPED and change.race_date in {
        race.race_date for race in profile.races
    }:
        # PH5: one race of the season is off; the goal stays
        gone = next(r for r in profile.races if r.race_date == change.race_date)
        kept = [r.model_dump(mode="json") for r in profile.races if r.race_date != gone.race_date]
        plan = await change_setting(services, runner_id, {"races": kept})
        return RaceResult(
            change.action,
            gone.race_distance,
            gone.race_date,
            plan.sessions(),
            _notes(plan),
            races=tuple(race for race in plan.races if race.race_date >= today),
        )
    if change.action is RaceAction.DROPPED:
        plan = await change_setting(services, runner_id, {"goal": None})
        return RaceResult(change.action, None, None, plan.sessions(), _notes(plan))
    if (
        change.action is RaceAction.DONE
        and goal is not None
        and goal.race_date > today + timedelta(days=RACE_DONE_WINDOW_DAYS)
    ):
        # a race along the way ("ran a 10k today, new pb!"), not the goal weeks away: it joins
        # the season where it was run (PH5 classifies it, PH6 gives it its recovery days) and
        # the goal stays
        ran = change.distance or RaceDistance.FIVE_K
        others = [r.model_dump(mode="json") for r in profile.races if r.race_date != today]
        entry = {"race_date": today.isoformat(), "race_distance": ran.value}
        plan = await change_setting(services, runner_id, {"races": [*others, entry]})
        return RaceResult(
            change.action,
            ran,
            today,
            plan.sessions(),
            _notes(plan),
            races=tuple(race for race in plan.races if race.race_date >= today),
            along_the_way=True,
            goal=goal,
        )
    if change.action is RaceAction.DONE:
        run_on = goal.race_date if goal and goal.race_date <= today else today - timedelta(1)
        if distance is None:
            distance = RaceDistance.TEN_K
        plan = await change_setting(
            services,
            runner_id,
            {"goal": {"race_distance": distance.value, "race_date": run_on.isoformat()}},
        )
        return RaceResult(change.action, distance, run_on, plan.sessions(), _notes(plan))
    if distance is None or change.race_date is None:
        return RaceResult(change.action, distance, change.race_date, needs_date=True)
    if (change.race_date - today).days > 730 or change.race_date < today:
        raise ProfileError("race date out of range")
    plan = await change_setting(
        services,
        runner_id,
        {"goal": {"race_distance": distance.value, "race_date": change.race_date.isoformat()}},
    )
    return RaceResult(change.action, distance, change.race_date, plan.sessions(), _notes(plan))


async def _season_race(
    services: Services,
    runner_id: int,
    profile: RunnerProfile,
    today: date,
    change: RaceChange,
) -> RaceResult:
    """PH5: a race given a priority by chat. A or "my goal race" makes it the goal (the old
    goal stays in the season, classified); B or C adds it to the season, or changes the
    priority of a race already there, and the goal stays the A race."""
    from bot.services.onboarding import change_setting

    day = change.race_date
    assert day is not None and change.priority is not None
    if (day - today).days > 730 or day < today:
        raise ProfileError("race date out of range")
    goal = profile.goal
    known = {race.race_date: race.race_distance for race in profile.races}
    if goal is not None:
        known.setdefault(goal.race_date, goal.race_distance)
    distance = change.distance or known.get(day)
    if distance is None:
        return RaceResult(change.action, None, day, needs_date=True, priority=change.priority)
    others = [r.model_dump(mode="json") for r in profile.races if r.race_date != day]
    entry = {"race_date": day.isoformat(), "race_distance": distance.value}
    changes: dict[str, Any]
    if change.priority is Priority.A:
        if goal is not None and goal.race_date != day and goal.race_date >= today:
            others.append(goal.model_dump(mode="json"))
        changes = {"goal": entry, "races": others}
    elif goal is not None and goal.race_date == day:
        # the goal demoted: the season has no A race until the runner names one
        changes = {"goal": None, "races": [*others, {**entry, "priority": change.priority.value}]}
    else:
        changes = {"races": [*others, {**entry, "priority": change.priority.value}]}
    plan = await change_setting(services, runner_id, changes)
    return RaceResult(
        change.action,
        distance,
        day,
        plan.sessions(),
        _notes(plan),
        priority=change.priority,
        races=tuple(race for race in plan.races if race.race_date >= today),
    )


def _notes(plan: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n for w in plan.weeks for n in w.notes))


async def save_week_choice(
    services: Services, runner_id: int, week: Mapping[Weekday, DayKind]
) -> None:
    """Keeps a usual week read from the runner's words until they confirm the table."""
    data: dict[str, Any] = {"week": {d.value: k.value for d, k in week.items()}}
    async with services.db.session() as db, db.begin():
        await drafts.save_draft(
            db, runner_id, DraftKind.WEEK, step="week", data=data, now=services.now()
        )


async def week_choice(services: Services, runner_id: int) -> dict[Weekday, DayKind] | None:
    """The week waiting for confirmation (taken: a second press finds none), or None."""
    async with services.db.session() as db, db.begin():
        draft = await drafts.get_draft(db, runner_id, DraftKind.WEEK)
        if draft is None:
            return None
        week = {Weekday(d): DayKind(k) for d, k in draft.data.get("week", {}).items()}
        await drafts.delete_draft(db, runner_id, DraftKind.WEEK)
    return week or None


"""The question a bare /week, /race or /pain left open: the next plain message answers it."""
