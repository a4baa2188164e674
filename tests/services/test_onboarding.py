"""Onboarding use cases: saving a profile with its plan, settings, views (the question order:
`tests/handlers/test_questions.py`)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.core.answers import answers_of, build_profile, parse_week
from bot.core.domain.profile import Experience, Goal, RaceDistance, RunnerProfile, Units
from bot.core.domain.statuses import DraftKind
from bot.services import onboarding as flow
from bot.services.container import Services
from bot.storage.tables import PlannedSession, Reminder

UID = 42
TODAY = date(2026, 11, 24)


def seed_profile(**changes: object) -> RunnerProfile:
    week = parse_week("tue tempo, fri intervals, sun long, wed easy, sat easy, rest otherwise")
    data: dict[str, object] = {
        "week": week,
        "run_times": {"tue": "18:30", "fri": "18:30"},
        "timezone": "Europe/London",
        "experience": "intermediate",
        "equipment": ["gym"],
    }
    data.update(changes)
    return RunnerProfile.model_validate(data)


def test_recommendation_follows_the_phase() -> None:
    """PH1: two sessions in base and build, one in race season."""
    far = Goal(race_distance=RaceDistance.MARATHON, race_date=date(2027, 6, 1))
    near = Goal(race_distance=RaceDistance.TEN_K, race_date=date(2026, 12, 20))
    assert flow.recommended_sessions(None, Experience.NOVICE, TODAY) == 2
    assert flow.recommended_sessions(far, Experience.INTERMEDIATE, TODAY) == 2
    assert flow.recommended_sessions(near, Experience.INTERMEDIATE, TODAY) == 1


async def test_complete_onboarding_stores_profile_sessions_and_reminders(
    services: Services,
) -> None:
    await flow.start_runner(services, UID, chat_id=UID, first_name="Ann", first_step="week")
    await flow.save_draft(services, UID, DraftKind.ONBOARDING, "summary", {"week": {}})
    plan = await flow.complete_onboarding(services, UID, seed_profile())
    assert [s.date for s in plan.sessions()][:2] == [TODAY, date(2026, 11, 27)]
    assert await flow.get_draft(services, UID, DraftKind.ONBOARDING) is None
    async with services.db.session() as session:
        rows = (await session.scalars(select(PlannedSession))).all()
        reminders = (await session.scalars(select(Reminder))).all()
    assert {row.date for row in rows} >= {TODAY, date(2026, 11, 27)}
    assert reminders, "sync_plan queued reminders in the same transaction"
    state = await flow.start_runner(
        services, UID, chat_id=UID, first_name="Ann", first_step="week"
    )
    assert state.profile == seed_profile() and state.draft is None


async def test_change_setting_rebuilds_the_plan(services: Services) -> None:
    await flow.start_runner(services, UID, chat_id=UID, first_name="Ann", first_step="week")
    await flow.complete_onboarding(services, UID, seed_profile())
    week = answers_of(seed_profile())["week"]
    plan = await flow.change_setting(
        services, UID, {"week": {**week, "fri": "easy"}, "units": "lb"}
    )
    assert date(2026, 11, 27) not in [s.date for s in plan.sessions()]
    profile = await flow.get_profile(services, UID)
    assert profile is not None and profile.units is Units.LB
    view = await flow.plan_for(services, UID)
    assert view is not None
    assert date(2026, 11, 27) not in [s.session.date for w in view.weeks for s in w.sessions]


async def test_views_are_empty_before_onboarding(services: Services) -> None:
    assert await flow.plan_for(services, UID) is None
    assert await flow.today_for(services, UID) is None
    assert await flow.settings_draft(services, UID, "units") is None


async def test_paused_drafts_do_not_take_free_text(services: Services) -> None:
    await flow.start_runner(services, UID, chat_id=UID, first_name="Ann", first_step="week")
    await flow.save_draft(services, UID, DraftKind.ONBOARDING, "goal", {flow.PAUSED: True})
    assert await flow.active_draft(services, UID) is None
    draft = await flow.get_draft(services, UID, DraftKind.ONBOARDING)
    assert draft is not None and draft.paused and draft.step == "goal"


def test_answers_round_trip_through_the_profile() -> None:
    profile = seed_profile(goal={"race_distance": "half_marathon", "race_date": "2027-03-14"})
    assert build_profile(answers_of(profile)) == profile
