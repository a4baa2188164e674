"""Set-logging services: what is stored, for which session, and the loads that follow."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.core.domain.plan import Prescription
from bot.core.domain.profile import Units
from bot.core.domain.statuses import DraftKind
from bot.services import planning
from bot.services import set_logging as logging_service
from bot.services.container import Services
from bot.services.set_logging import Outcome
from bot.storage import drafts, set_logs
from bot.storage.tables import LogEntry, LoggedSetRow, PlannedSession
from tests.fakes import MutableClock
from tests.scheduler.support import onboard

RUNNER = 42
OTHER = 43
TUESDAY = date(2026, 11, 24)
NEXT_TUESDAY = date(2026, 12, 1)


async def stored(services: Services, runner_id: int = RUNNER) -> list[LoggedSetRow]:
    async with services.db.session() as session:
        return list(await set_logs.all_sets(session, runner_id))


async def planned_on(services: Services, day: date, runner_id: int = RUNNER) -> PlannedSession:
    async with services.db.session() as session:
        row = (
            await session.scalars(
                select(PlannedSession).where(
                    PlannedSession.runner_id == runner_id, PlannedSession.date == day
                )
            )
        ).one()
        return row


async def prescribed(services: Services, day: date, exercise_id: str) -> Prescription:
    row = await planned_on(services, day)
    found = [ex for ex in planning.stored_session(row).exercises() if ex.id == exercise_id]
    assert found, f"{exercise_id} is not planned on {day}"
    return found[0]


async def test_a_top_of_range_log_raises_the_next_planned_squat(services: Services) -> None:
    await onboard(services)
    assert (await prescribed(services, NEXT_TUESDAY, "back_squat")).load.kg is None
    result = await logging_service.record_sets(services, RUNNER, "squat 3x8 60kg")
    assert result.outcome is Outcome.LOGGED
    assert (await prescribed(services, NEXT_TUESDAY, "back_squat")).load.kg == 62.5
    assert any("62.5 kg" in note for note in result.notes)
    assert (await planned_on(services, TUESDAY)).status == "done"


async def test_done_as_planned_logs_every_set_and_the_loads_follow(
    services: Services, clock: MutableClock
) -> None:
    await onboard(services)
    first = await planned_on(services, TUESDAY)
    result = await logging_service.log_done_as_planned(services, RUNNER, first.id)
    assert result.outcome is Outcome.LOGGED
    rows = await stored(services)
    squats = [r for r in rows if r.exercise_id == "back_squat"]
    # the squat was prescribed by %1RM: reps stored at the top of the range, no weight guessed
    assert [(r.reps, r.load_kg, r.target_reps_max) for r in squats] == [(8, None, 8)] * 3
    assert any("log the weights next time" in note for note in result.notes)
    planks = [r for r in rows if r.exercise_id == "plank"]
    assert [(r.hold_s, r.target_hold_s) for r in planks] == [(30, 30)] * 2
    assert "hip_ankle_mobility" not in {r.exercise_id for r in rows}

    # a week later, with a weight on record, one tap logs the suggested load and the next rises
    await logging_service.undo_last_log(services, RUNNER)
    await logging_service.record_sets(services, RUNNER, "squat 3x8 60kg")
    clock.advance(timedelta(days=7))
    second = await planned_on(services, NEXT_TUESDAY)
    result = await logging_service.log_done_as_planned(services, RUNNER, second.id)
    assert result.outcome is Outcome.LOGGED
    latest = [r for r in await stored(services) if r.performed_on == NEXT_TUESDAY]
    assert {r.load_kg for r in latest if r.exercise_id == "back_squat"} == {62.5}
    assert (await prescribed(services, date(2026, 12, 8), "back_squat")).load.kg == 65.0


async def test_a_second_tap_or_done_after_one_exercise_never_doubles_sets(
    services: Services,
) -> None:
    await onboard(services)
    session = await planned_on(services, TUESDAY)
    index = [ex.id for ex in planning.stored_session(session).exercises()].index("plank")
    one = await logging_service.log_done_as_planned(
        services, RUNNER, session.id, exercise_index=index
    )
    assert one.outcome is Outcome.LOGGED and [r.exercise_id for r in await stored(services)] == [
        "plank",
        "plank",
    ]
    again = await logging_service.log_done_as_planned(
        services, RUNNER, session.id, exercise_index=index
    )
    assert again.outcome is Outcome.ALREADY_LOGGED
    rest = await logging_service.log_done_as_planned(services, RUNNER, session.id)
    assert rest.outcome is Outcome.LOGGED
    rows = await stored(services)
    assert [r.exercise_id for r in rows].count("plank") == 2
    assert "back_squat" in {r.exercise_id for r in rows}
    final = await logging_service.log_done_as_planned(services, RUNNER, session.id)
    assert final.outcome is Outcome.ALREADY_LOGGED


@pytest.mark.parametrize(
    ("text", "exercise", "expected"),
    [
        ("squat 4x5 60", "back_squat", [(5, 60.0, None, None)] * 4),
        ("squat 4x5 @ 60kg", "back_squat", [(5, 60.0, None, None)] * 4),
        (
            "squat 5,5,5,4 @ 62.5",
            "back_squat",
            [(5, 62.5, None, None)] * 3 + [(4, 62.5, None, None)],
        ),
        ("deadlift 3x3 100kg rir2", "deadlift", [(3, 100.0, None, 2)] * 3),
        ("split squat 3x8/side 16kg", "split_squat", [(8, 16.0, None, None)] * 3),
        ("calf raise 3x12 each", "single_leg_calf_raise", [(12, None, None, None)] * 3),
        ("plank 3x40s", "plank", [(None, None, 40, None)] * 3),
        ("dead bug 2x10", "dead_bug", [(10, None, None, None)] * 2),
        ("pull ups 4x5 bw", "pull_up", [(5, None, None, None)] * 4),
        ("sqaut 3x5 60kg", "back_squat", [(5, 60.0, None, None)] * 3),
    ],
)
async def test_each_typed_form_is_stored_as_written(
    services: Services, text: str, exercise: str, expected: list[tuple[object, ...]]
) -> None:
    await onboard(services)
    result = await logging_service.record_sets(services, RUNNER, text)
    assert result.outcome is Outcome.LOGGED, result
    rows = await stored(services)
    assert {r.exercise_id for r in rows} == {exercise}
    assert [(r.reps, r.load_kg, r.hold_s, r.rir) for r in rows] == expected
    assert [r.set_no for r in rows] == list(range(1, len(expected) + 1))


async def test_per_side_and_bodyweight_are_kept(services: Services) -> None:
    await onboard(services)
    await logging_service.record_sets(
        services, RUNNER, "split squat 3x8/side 16kg\npull ups 2x5 bw"
    )
    rows = await stored(services)
    assert {(r.exercise_id, r.per_side, r.bodyweight) for r in rows} == {
        ("split_squat", True, False),
        ("pull_up", False, True),
    }


async def test_several_exercises_in_one_message_are_one_entry(services: Services) -> None:
    await onboard(services)
    result = await logging_service.record_sets(services, RUNNER, "squat 3x5 60kg; plank 2x30s")
    assert result.outcome is Outcome.LOGGED
    assert {r.entry_id for r in await stored(services)} == {result.entry_id}
    assert "Back squat 3x5 @ 60 kg" in result.summary and "Plank 2x30s" in result.summary


async def test_pounds_are_stored_in_kg_and_shown_in_pounds(services: Services) -> None:
    await onboard(services, units="lb")
    result = await logging_service.record_sets(services, RUNNER, "bench 3x5 135lb")
    assert result.outcome is Outcome.LOGGED and result.units is Units.LB
    assert "135 lb" in result.summary
    assert {round(r.load_kg or 0, 1) for r in await stored(services)} == {61.2}


async def test_a_half_read_log_waits_in_a_draft_until_confirmed(services: Services) -> None:
    await onboard(services)
    asked = await logging_service.record_sets(services, RUNNER, "squat 3x5 60kg\nflurbo 3x5")
    assert asked.outcome is Outcome.NEEDS_CONFIRM
    assert "Back squat 3x5 @ 60 kg" in asked.summary
    assert [p.raw for p in asked.problems] == ["flurbo 3x5"] and asked.problems[0].example
    assert await stored(services) == []
    async with services.db.session() as session:
        assert await drafts.get_draft(session, RUNNER, DraftKind.LOG_CONFIRM) is not None
    done = await logging_service.confirm_pending(services, RUNNER, accept=True)
    assert done.outcome is Outcome.LOGGED
    assert len(await stored(services)) == 3
    stale = await logging_service.confirm_pending(services, RUNNER, accept=True)
    assert stale.outcome is Outcome.STALE
    assert len(await stored(services)) == 3


async def test_cancelling_a_half_read_log_stores_nothing(services: Services) -> None:
    await onboard(services)
    await logging_service.record_sets(services, RUNNER, "squat 3x5 60kg; zzz 2x2")
    result = await logging_service.confirm_pending(services, RUNNER, accept=False)
    assert result.outcome is Outcome.CANCELLED
    assert await stored(services) == []
    assert not await logging_service.has_pending_confirmation(services, RUNNER)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("i did some stuff lol", ""),
        ("squat 3x5 900kg", "900 kg"),
        ("squat 60x5 60kg", "60 sets"),
        ("plank 3x20min", "10 minutes"),
    ],
)
async def test_garbled_or_impossible_logs_store_nothing(
    services: Services, text: str, words: str
) -> None:
    await onboard(services)
    result = await logging_service.record_sets(services, RUNNER, text)
    assert result.outcome is Outcome.UNREADABLE
    assert words in " ".join(p.message for p in result.problems)
    assert await stored(services) == []
    assert (await planned_on(services, TUESDAY)).status == "planned"


async def test_undo_soft_deletes_reopens_the_session_and_the_loads_fall_back(
    services: Services,
) -> None:
    await onboard(services)
    logged = await logging_service.record_sets(services, RUNNER, "squat 3x8 60kg")
    undone = await logging_service.undo_last_log(services, RUNNER)
    assert undone.outcome is Outcome.UNDONE and "Back squat 3x8 @ 60 kg" in undone.summary
    assert await stored(services) == []
    async with services.db.session() as session:
        entry = await session.get(LogEntry, logged.entry_id)
        assert entry is not None and entry.undone_at is not None  # kept, marked undone
    assert (await planned_on(services, TUESDAY)).status == "planned"
    assert (await prescribed(services, NEXT_TUESDAY, "back_squat")).load.kg is None
    nothing = await logging_service.undo_last_log(services, RUNNER)
    assert nothing.outcome is Outcome.NOTHING_TO_UNDO


async def test_undo_button_only_reaches_the_runners_own_entry(services: Services) -> None:
    await onboard(services)
    await onboard(services, OTHER)
    theirs = await logging_service.record_sets(services, OTHER, "squat 3x5 80kg")
    refused = await logging_service.undo_last_log(services, RUNNER, entry_id=theirs.entry_id)
    assert refused.outcome is Outcome.NOTHING_TO_UNDO
    assert len(await stored(services, OTHER)) == 3


async def test_a_reply_to_the_confirmation_replaces_that_entry(services: Services) -> None:
    await onboard(services)
    first = await logging_service.record_sets(services, RUNNER, "squat 3x5 60kg")
    assert first.entry_id is not None
    await logging_service.set_confirmation_message(services, RUNNER, first.entry_id, 501)
    fixed = await logging_service.correct_log(services, RUNNER, 501, "squat 3x5 70kg")
    assert fixed.outcome is Outcome.LOGGED and fixed.replaced
    assert fixed.performed_on == TUESDAY
    rows = await stored(services)
    assert [(r.load_kg, r.entry_id) for r in rows] == [(70.0, fixed.entry_id)] * 3
    # replying to some other message is just a new log
    other = await logging_service.correct_log(services, RUNNER, 999, "plank 2x30s")
    assert other.outcome is Outcome.LOGGED and not other.replaced
    assert len(await stored(services)) == 5


async def test_a_log_with_no_session_waiting_is_an_unplanned_entry_for_today(
    services: Services, clock: MutableClock
) -> None:
    await onboard(services)
    await logging_service.record_sets(services, RUNNER, "squat 3x5 60kg")  # Tuesday's session
    clock.advance(timedelta(days=1))
    extra = await logging_service.record_sets(services, RUNNER, "pull ups 3x5 bw")
    assert extra.outcome is Outcome.LOGGED and extra.performed_on == date(2026, 11, 25)
    async with services.db.session() as session:
        entry = await session.get(LogEntry, extra.entry_id)
        assert entry is not None and entry.session_id is None


async def test_a_late_log_belongs_to_the_session_it_describes(
    services: Services, clock: MutableClock
) -> None:
    await onboard(services)
    clock.advance(timedelta(days=1))  # Wednesday; Tuesday's session is still waiting
    result = await logging_service.record_sets(services, RUNNER, "squat 3x5 60kg")
    assert result.performed_on == TUESDAY
    assert (await planned_on(services, TUESDAY)).status == "done"


async def test_skip_marks_the_session_skipped_and_nothing_is_doubled(services: Services) -> None:
    await onboard(services)
    friday = date(2026, 11, 27)
    before = planning.stored_session(await planned_on(services, friday))
    result = await logging_service.record_sets(services, RUNNER, "skip")
    assert result.outcome is Outcome.SKIPPED
    assert (await planned_on(services, TUESDAY)).status == "skipped"
    # X3: the next session is not made bigger to make up for it
    assert planning.stored_session(await planned_on(services, friday)) == before
    assert await stored(services) == []


async def test_same_as_last_time_repeats_the_last_log(
    services: Services, clock: MutableClock
) -> None:
    await onboard(services)
    assert (
        await logging_service.record_sets(services, RUNNER, "same as last time")
    ).outcome is Outcome.NOTHING_TO_REPEAT
    await logging_service.record_sets(services, RUNNER, "squat 5,5,4 @ 60kg\nplank 2x30s")
    clock.advance(timedelta(days=7))
    result = await logging_service.record_sets(services, RUNNER, "same as last time")
    assert result.outcome is Outcome.LOGGED and result.performed_on == NEXT_TUESDAY
    latest = [r for r in await stored(services) if r.performed_on == NEXT_TUESDAY]
    assert [(r.exercise_id, r.reps, r.load_kg) for r in latest if r.reps] == [
        ("back_squat", 5, 60.0),
        ("back_squat", 5, 60.0),
        ("back_squat", 4, 60.0),
    ]


async def test_a_personal_best_and_an_e1rm_rise_are_noted(
    services: Services, clock: MutableClock
) -> None:
    await onboard(services)
    first = await logging_service.record_sets(services, RUNNER, "squat 3x5 60kg")
    assert not any("🏅" in note for note in first.notes)  # nothing to beat yet
    clock.advance(timedelta(days=7))
    better = await logging_service.record_sets(services, RUNNER, "squat 3x5 65kg")
    assert any("estimated 1RM" in note for note in better.notes)
    clock.advance(timedelta(days=7))
    worse = await logging_service.record_sets(services, RUNNER, "squat 3x5 50kg")
    assert not any("🏅" in note for note in worse.notes)


async def test_someone_not_set_up_gets_nothing_stored(services: Services) -> None:
    result = await logging_service.record_sets(services, 999, "squat 3x5 60kg")
    assert result.outcome is Outcome.NOT_ONBOARDED
    assert await stored(services, 999) == []


async def test_a_half_read_correction_days_later_replaces_the_old_entry_in_place(
    services: Services, clock: MutableClock
) -> None:
    await onboard(services)
    first = await logging_service.record_sets(services, RUNNER, "squat 3x5 60kg")
    assert first.entry_id is not None
    await logging_service.set_confirmation_message(services, RUNNER, first.entry_id, 777)
    clock.advance(timedelta(days=3))  # Friday: Friday's session is now the one waiting
    asked = await logging_service.correct_log(services, RUNNER, 777, "squat 3x5 70kg\nflurbo")
    assert asked.outcome is Outcome.NEEDS_CONFIRM
    fixed = await logging_service.confirm_pending(services, RUNNER, accept=True)
    assert fixed.outcome is Outcome.LOGGED and fixed.replaced
    assert fixed.performed_on == TUESDAY
    assert [(r.load_kg, r.performed_on) for r in await stored(services)] == [(70.0, TUESDAY)] * 3
    assert (await planned_on(services, date(2026, 11, 27))).status == "planned"
    assert (await planned_on(services, TUESDAY)).status == "done"


async def test_the_same_message_handled_twice_is_stored_once(services: Services) -> None:
    await onboard(services)
    message = (RUNNER, 700)  # Telegram delivers an update again after a restart
    first = await logging_service.record_sets(services, RUNNER, "squat 3x5 60kg", source=message)
    again = await logging_service.record_sets(services, RUNNER, "squat 3x5 60kg", source=message)
    assert again.outcome is Outcome.LOGGED
    assert again.entry_id == first.entry_id
    assert "60" in again.summary  # confirmed again with what was stored
    assert [(r.exercise_id, r.load_kg) for r in await stored(services)] == [
        ("back_squat", 60.0)
    ] * 3
    # the runner, unconfirmed, types it again: the same log, not a second one
    resent = await logging_service.record_sets(
        services, RUNNER, "squat 3x5 60kg", source=(42, 701)
    )
    assert resent.entry_id == first.entry_id
    other = await logging_service.record_sets(services, RUNNER, "squat 3x5 65kg", source=(42, 702))
    assert other.entry_id != first.entry_id  # a new message with other sets is a new log
    assert await logging_service.stored_from_message(services, RUNNER, 700)
    assert not await logging_service.stored_from_message(services, RUNNER, 703)


async def test_a_half_read_log_confirmed_then_delivered_again_is_stored_once(
    services: Services,
) -> None:
    await onboard(services)
    message = (RUNNER, 710)
    asked = await logging_service.record_sets(
        services, RUNNER, "squat 3x5 60kg\nflurbo 3x5", source=message
    )
    assert asked.outcome is Outcome.NEEDS_CONFIRM
    await logging_service.confirm_pending(services, RUNNER, accept=True)
    again = await logging_service.record_sets(
        services, RUNNER, "squat 3x5 60kg\nflurbo 3x5", source=message
    )
    assert again.outcome is Outcome.LOGGED
    assert len(await stored(services)) == 3
    assert not await logging_service.has_pending_confirmation(services, RUNNER)
