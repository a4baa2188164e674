"""What the runner tells the coach bends the stored plan: pain, swaps, tired days, weeks, races."""

from __future__ import annotations

from datetime import date, timedelta

from bot.core.domain.adjustments import PainLevel, Readiness
from bot.core.domain.plan import BlockKind, Session
from bot.core.domain.profile import DayKind, Equipment, Limitation, RaceDistance, Weekday
from bot.core.language.intents import RaceAction, RaceChange
from bot.core.language.week import WeekEdit, WeekScope
from bot.core.planner.adjust import LOADS
from bot.services import onboarding as flow
from bot.services import pain, readiness, swaps, week_changes, weekly_summary
from bot.services.container import Services
from tests.services.test_onboarding import UID, seed_profile

TODAY = date(2026, 11, 24)  # Tuesday: tempo (session A), Friday intervals (B)


async def onboarded(services: Services, **changes: object) -> None:
    await flow.start_runner(services, UID, chat_id=UID, first_name="Ann", first_step="week")
    await flow.complete_onboarding(services, UID, seed_profile(**changes))


async def shown(services: Services) -> list[Session]:
    view = await flow.plan_for(services, UID)
    assert view is not None
    return [s.session for w in view.weeks for s in w.sessions if s.status == "planned"]


def ids(session: Session) -> list[str]:
    return [p.id for p in session.exercises()]


async def test_knee_at_6_suggests_a_physio_and_plans_no_knee_loading_until_better_x2(
    services: Services,
) -> None:
    await onboarded(services)
    result = await pain.report_pain(services, UID, Limitation.KNEE, 6)
    assert result.level is PainLevel.STOP
    assert "physiotherapist" in result.reason
    view = await flow.plan_for(services, UID)
    assert view is not None
    assert any("physiotherapist" in note for note in view.weeks[0].notes)  # /plan shows why
    catalogue = services.catalogue
    for session in await shown(services):
        assert not [i for i in ids(session) if LOADS[Limitation.KNEE](catalogue.get(i))]
        assert "physiotherapist" in session.reason

    better = await pain.report_pain(services, UID, Limitation.KNEE, 0)
    assert better.ended and better.level is PainLevel.CARRY_ON
    assert any("back_squat" in ids(s) for s in await shown(services))
    assert not any("physiotherapist" in s.reason for s in await shown(services))
    view = await flow.plan_for(services, UID)
    assert view is not None
    assert not any("physiotherapist" in note for w in view.weeks for note in w.notes)


async def test_a_swap_offers_substitutes_and_the_choice_replaces_back_squat_s6(
    services: Services,
) -> None:
    await onboarded(services)
    options = await swaps.swap_options(services, UID, "back_squat")
    assert options is not None and options.exercise is not None
    assert options.exercise.exercise_id == "back_squat"
    assert len(options.options) >= 2
    chosen = options.options[0]
    result = await swaps.choose_swap(
        services, UID, options.session_date, "back_squat", chosen.exercise_id
    )
    assert result.session is not None
    assert chosen.exercise_id in ids(result.session)
    assert "back_squat" not in ids(result.session)
    by_date = {s.date: s for s in await shown(services)}
    assert chosen.exercise_id in ids(by_date[options.session_date])
    later = [s for d, s in by_date.items() if d > options.session_date and s.name == "A"]
    assert later and "back_squat" in ids(later[0])  # this session only


async def test_no_rack_offers_what_works_without_a_barbell_s6(services: Services) -> None:
    await onboarded(services)
    kit = frozenset(Equipment) - {Equipment.GYM}
    options = await swaps.swap_options(services, UID, kit=kit)
    assert options is not None and options.exercise is not None
    assert options.exercise.exercise_id == "back_squat"
    assert len(options.options) >= 2
    for choice in options.options:
        assert services.catalogue.get(choice.exercise_id).load_kind.value != "barbell"


async def test_a_tired_day_trims_todays_session(services: Services) -> None:
    await onboarded(services)
    result = await readiness.record_readiness(services, UID, Readiness.TIRED)
    assert result.session is not None and result.session.date == TODAY
    assert all(b.kind is not BlockKind.POWER for b in result.session.blocks)
    assert "Tired" in result.session.reason
    fresh = await readiness.record_readiness(services, UID, Readiness.FRESH)
    assert fresh.session is not None
    assert any(b.kind is BlockKind.POWER for b in fresh.session.blocks)


async def test_this_weeks_tempo_on_thursday_moves_friday_within_p3_p5_x3(
    services: Services,
) -> None:
    await onboarded(services)
    edit = WeekEdit(
        {Weekday.FRI: DayKind.EASY, Weekday.THU: DayKind.INTERVALS},
        WeekScope.THIS,
        "Moved: your intervals are on Thursday this week",
    )
    change = await week_changes.change_week(services, UID, edit)
    days = [s.date for s in change.sessions]
    assert date(2026, 11, 27) not in days  # Friday is easy now
    assert date(2026, 11, 26) in days  # after Thursday's intervals
    assert "Moved: your intervals are on Thursday this week" in change.notes
    stored = {s.date for s in await shown(services)}
    assert date(2026, 11, 26) in stored and date(2026, 11, 27) not in stored


async def test_a_new_usual_week_moves_next_weeks_sessions_to_the_new_hard_days(
    services: Services,
) -> None:
    await onboarded(services)
    week = dict(seed_profile().week)
    week.update({Weekday.TUE: DayKind.EASY, Weekday.FRI: DayKind.EASY})
    week.update({Weekday.MON: DayKind.TEMPO, Weekday.THU: DayKind.INTERVALS})
    # the long run on Saturday: Monday's tempo is not the second hard day in a row (P9)
    week.update({Weekday.SAT: DayKind.LONG, Weekday.SUN: DayKind.EASY})
    change = await week_changes.set_usual_week(services, UID, week)
    assert [s.weekday for s in change.sessions] == [Weekday.MON, Weekday.THU]


async def test_a_10k_in_five_days_leaves_one_session_at_most_and_none_in_the_last_two_ph3(
    services: Services,
) -> None:
    await onboarded(services)
    race_day = TODAY + timedelta(days=5)
    result = await week_changes.change_race(
        services, UID, RaceChange(RaceAction.NEW, RaceDistance.TEN_K, race_day)
    )
    assert result.race_date == race_day
    sessions = [s for s in await shown(services) if s.date <= race_day]
    last_week = [s for s in sessions if (race_day - s.date).days < 7]
    assert len(last_week) <= 1
    assert all((race_day - s.date).days > 2 for s in sessions)


async def test_a_race_just_run_leads_to_recovery_and_asks_for_the_next_goal_ph4(
    services: Services,
) -> None:
    await onboarded(services)
    result = await week_changes.change_race(services, UID, RaceChange(RaceAction.DONE))
    assert result.race_date is not None and result.race_date < TODAY
    assert any("next goal" in note for note in result.notes)


async def test_a_race_run_weeks_before_the_goal_joins_the_season_and_the_goal_stays_ph5_ph6(
    services: Services,
) -> None:
    """ "ran a 10k today in 41:30, new pb!" with the goal race 14 weeks away: that race gets its
    recovery days and the goal is not ended."""
    goal_day = TODAY + timedelta(weeks=14)
    await onboarded(
        services, goal={"race_distance": "half_marathon", "race_date": goal_day.isoformat()}
    )
    result = await week_changes.change_race(
        services, UID, RaceChange(RaceAction.DONE, RaceDistance.TEN_K)
    )
    assert result.along_the_way and result.race_date == TODAY
    profile = await flow.get_profile(services, UID)
    assert profile is not None and profile.goal is not None
    assert profile.goal.race_date == goal_day
    assert [(r.race_date, r.race_distance) for r in profile.races] == [(TODAY, RaceDistance.TEN_K)]
    assert all(s.date > TODAY + timedelta(days=1) for s in await shown(services))  # PH6


async def test_the_weekly_summary_counts_done_and_planned(services: Services) -> None:
    await onboarded(services)
    summary = await weekly_summary.weekly_summary(services, UID)
    assert summary.planned == 2 and summary.done == 0
    assert summary.coming


async def test_the_weekly_summary_is_queued_for_sunday_evening_in_the_runners_zone(
    services: Services,
) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import select

    from bot.storage.tables import Reminder

    await onboarded(services)
    async with services.db.session() as db:
        rows = (await db.scalars(select(Reminder).where(Reminder.kind == "weekly_summary"))).all()
    assert [r.dedupe_key for r in rows] == [f"summary:{UID}:2026-11-23"]
    assert rows[0].due_at == datetime(2026, 11, 29, 19, 0, tzinfo=UTC)  # 19:00 London
