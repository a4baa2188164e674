"""Onboarding by chat through the real Application: buttons, typing, mistakes, back, resume."""

from __future__ import annotations

from bot.app import build_application
from bot.config import Settings
from bot.context import CURRENT_ATTEMPT, Attempt
from bot.core.answers import build_profile
from bot.core.domain.profile import DayKind, Weekday
from bot.core.domain.statuses import DraftKind
from bot.services.container import Services
from bot.services.onboarding import complete_onboarding, get_draft, get_profile
from handlers.callbacks import VERSION, Action, encode
from tests.fakes import ChatHarness, MutableClock, RecordingRequest
from tests.handlers.onboarding_steps import (
    SEED_000_LINE,
    TYPED_ANSWERS,
    onboard_by_buttons,
    onboard_by_typing,
)

UID = 501


async def test_buttons_only_gives_seed_000_a_tuesday_and_friday_plan(
    harness: ChatHarness, services: Services
) -> None:
    await onboard_by_buttons(harness, UID)
    text = "\n".join(harness.texts(UID))
    assert "Here's what I have" in text
    assert "Tuesday 24 Nov, after your tempo run" in text
    assert "Friday 27 Nov, after your intervals run" in text
    profile = await get_profile(services, UID)
    assert profile is not None and profile.timezone == "Europe/London"
    assert await get_draft(services, UID, DraftKind.ONBOARDING) is None


async def test_typing_only_reaches_a_plan(harness: ChatHarness, services: Services) -> None:
    await onboard_by_typing(harness, UID)
    profile = await get_profile(services, UID)
    assert profile is not None
    assert profile.goal is not None and profile.goal.race_date.isoformat() == "2027-03-14"
    assert [e.value for e in profile.equipment] == ["dumbbells", "pullup_bar", "band"]
    assert [lim.value for lim in profile.limitations] == ["knee"]
    assert "Tuesday 24 Nov, after your tempo run" in harness.texts(UID)[-1]


async def test_a_bad_answer_gets_an_example_and_the_same_question(harness: ChatHarness) -> None:
    await harness.send(UID, "/start")
    sent = await harness.send(UID, "mostly I just jog")
    assert "e.g." in sent[0].text
    assert "Your running week" in sent[-1].text
    await harness.send(UID, SEED_000_LINE)
    sent = await harness.send(UID, "25:00")
    assert "0–23" in sent[0].text and "finish running" in sent[-1].text
    await harness.send(UID, "7am")
    sent = await harness.send(UID, "Xyzzyville")
    assert "I don't know" in sent[0].text and "time zone" in sent[-1].text
    await harness.send(UID, "sydney")
    sent = await harness.send(UID, "marathon on 1 Jan 2020")
    assert "already passed" in sent[0].text and "race" in sent[-1].text


async def test_a_button_that_cannot_be_taken_gets_a_short_answer(harness: ChatHarness) -> None:
    await harness.send(UID, "/start")
    await harness.press(UID, "✅ Done")  # every day is still rest
    assert "at least one day" in harness.callback_answers()[-1]
    assert "Your running week" in harness.last(UID).text


async def test_back_returns_to_the_previous_question_with_answers_kept(
    harness: ChatHarness, services: Services
) -> None:
    await harness.send(UID, "/start")
    await harness.send(UID, SEED_000_LINE)
    await harness.send(UID, "18:30")
    await harness.press(UID, "⬅ Back")
    assert "finish running" in harness.last(UID).text
    sent = await harness.send(UID, "back")
    assert "Tue · tempo" in dict(sent[-1].buttons())
    draft = await get_draft(services, UID, DraftKind.ONBOARDING)
    assert draft is not None and draft.step == "week" and draft.data["run_time"] == "18:30"


async def test_cancel_keeps_answers_and_start_offers_to_continue(
    harness: ChatHarness, services: Services
) -> None:
    await harness.send(UID, "/start")
    await harness.send(UID, SEED_000_LINE)
    await harness.send(UID, "18:30")
    sent = await harness.send(UID, "/cancel")
    assert "saved" in sent[0].text
    sent = await harness.send(UID, "London")  # not read as an answer any more
    draft = await get_draft(services, UID, DraftKind.ONBOARDING)
    assert draft is not None and draft.step == "timezone" and "timezone" not in draft.data
    await harness.send(UID, "/start")
    assert "▶ Continue" in dict(harness.last(UID).buttons())
    await harness.press(UID, "▶ Continue")
    assert "time zone" in harness.last(UID).text
    await harness.send(UID, "London")
    assert "training for a race" in harness.last(UID).text


async def test_start_over_begins_again(harness: ChatHarness) -> None:
    await harness.send(UID, "/start")
    await harness.send(UID, SEED_000_LINE)
    await harness.send(UID, "/cancel")
    await harness.send(UID, "/start")
    await harness.press(UID, "🔄 Start over")
    assert "Mon · rest" in dict(harness.last(UID).buttons())


async def test_a_restart_mid_flow_resumes_at_the_same_question(
    harness: ChatHarness, settings: Settings, clock: MutableClock
) -> None:
    await harness.send(UID, "/start")
    for text in TYPED_ANSWERS[:4]:
        await harness.send(UID, text)
    # A second bot process on the same database file and the same Telegram: the first one was
    # killed.
    request = RecordingRequest(harness.request.api, clock=clock)
    second = build_application(settings, request=request, clock=clock)
    async with second:
        assert second.post_init is not None
        await second.post_init(second)
        other = ChatHarness(second, request)
        for text in TYPED_ANSWERS[4:]:
            await other.send(UID, text)
        assert "Tuesday 24 Nov, after your tempo run" in other.texts(UID)[-1]
        assert "Half marathon on 14 March 2027" in "\n".join(other.texts(UID))
    if second.post_shutdown is not None:
        await second.post_shutdown(second)


async def test_two_runners_at_once_never_see_each_others_answers(
    harness: ChatHarness, services: Services
) -> None:
    a, b = 601, 602
    await harness.send(a, "/start")
    await harness.send(b, "/start")
    b_answers = (
        "mon intervals, wed tempo, sat long, rest otherwise",
        "7am",
        "New York",
        "general fitness",
        "new",
        "bodyweight",
        "1",
        "separate days",
        "12:30",
        "none",
        "lb",
        "yes",
    )
    for index, text in enumerate(b_answers):
        if index < len(TYPED_ANSWERS):
            await harness.send(a, TYPED_ANSWERS[index])
        await harness.send(b, text)
    profile_a, profile_b = await get_profile(services, a), await get_profile(services, b)
    assert profile_a is not None and profile_b is not None
    assert profile_a.timezone == "Europe/London" and profile_b.timezone == "America/New_York"
    assert profile_b.units.value == "lb" and profile_a.units.value == "kg"
    summary_a = next(t for t in harness.texts(a) if "Here's what I have" in t)
    summary_b = next(t for t in harness.texts(b) if "Here's what I have" in t)
    assert "<b>Time zone:</b> London" in summary_a and "New York" not in summary_a
    assert "<b>Goal:</b> General fitness" in summary_b and "Half marathon" not in summary_b


async def test_stale_and_forged_buttons_get_a_short_answer(harness: ChatHarness) -> None:
    await harness.send(UID, "/start")
    week_message = harness.last(UID)
    await harness.send(UID, SEED_000_LINE)
    data = dict(week_message.buttons())["Mon · rest"]
    await harness.press_data(UID, week_message.message_id, data)
    assert "already answered" in harness.callback_answers()[-1]
    question = harness.last(UID)
    await harness.press(UID, "18:30", presser=999)
    assert harness.callback_answers()[-1] == "That button isn't yours."
    await harness.press_data(UID, question.message_id, encode(Action.ONBOARDING, UID, "run_time"))
    await harness.press_data(UID, question.message_id, f"{VERSION}:ob:notanumber:x")
    await harness.press_data(
        UID, question.message_id, encode(Action.SETTINGS, UID, "week", "done")
    )
    assert len(harness.callback_answers()) == 5
    await onboard_by_typing(harness, 702)
    summary = next(m for m in harness.chat(702) if "Here's what I have" in m.text)
    await harness.press_data(
        702, summary.message_id, encode(Action.ONBOARDING, 702, "summary", "change")
    )
    assert "over" in harness.callback_answers()[-1]


async def test_looks_good_once_the_plan_is_saved_shows_the_plan_again(
    harness: ChatHarness,
) -> None:
    """A tap that is handled again after its first try saved the profile (that try's replica
    died, or the database went away, before the plan left) still ends in the plan."""
    await harness.send(UID, "/start")
    for text in TYPED_ANSWERS[:-1]:
        await harness.send(UID, text)
    summary = harness.last(UID)
    data = dict(summary.buttons())["👍 Looks good"]
    await harness.press_data(UID, summary.message_id, data)
    first = harness.last(UID).text
    assert first.startswith("All set!") and "Tuesday 24 Nov, after your tempo run" in first
    sent = await harness.press_data(UID, summary.message_id, data)
    assert [m.text for m in sent if m.text.startswith("All set!")] == [first]
    assert harness.callback_answers()[-1] == ""


async def test_a_typed_yes_handled_again_after_the_plan_was_saved_sends_the_plan(
    harness: ChatHarness, services: Services
) -> None:
    """A replica saved the profile for the summary's "yes" and lost its answer (`bot.inbox`):
    the update's next try finds no summary open and sends the plan, not the help text."""
    await harness.send(UID, "/start")
    for text in TYPED_ANSWERS[:-1]:
        await harness.send(UID, text)
    draft = await get_draft(services, UID, DraftKind.ONBOARDING)
    assert draft is not None
    await complete_onboarding(services, UID, build_profile(draft.data))  # the first try
    token = CURRENT_ATTEMPT.set(Attempt(lambda _: False, tries=1))
    try:
        sent = await harness.send(UID, "yes")
    finally:
        CURRENT_ATTEMPT.reset(token)
    assert len(sent) == 1 and sent[0].text.startswith("All set!")
    assert "Tuesday 24 Nov, after your tempo run" in sent[0].text
    sent = await harness.send(UID, "yes")  # a new "yes" later is no confirmation of anything
    assert not any(m.text.startswith("All set!") for m in sent)


async def test_change_something_returns_to_the_summary(harness: ChatHarness) -> None:
    await harness.send(UID, "/start")
    for text in TYPED_ANSWERS[:-1]:
        await harness.send(UID, text)
    await harness.press(UID, "✏️ Change something")
    await harness.press(UID, "Units")
    await harness.press(UID, "lb")
    assert "<b>Units:</b> lb" in harness.last(UID).text
    await harness.press(UID, "✏️ Change something")
    await harness.press(UID, "Goal")
    await harness.press(UID, "Marathon")
    await harness.press(UID, "In 24 weeks · 11 May")
    assert "Marathon on 11 May 2027" in harness.last(UID).text


async def test_a_shared_location_answers_the_time_zone(
    harness: ChatHarness, services: Services
) -> None:
    await harness.send(UID, "/start")
    await harness.send(UID, SEED_000_LINE)
    await harness.send(UID, "18:30")
    await harness.send_location(UID, 40.71, -74.0)
    draft = await get_draft(services, UID, DraftKind.ONBOARDING)
    assert draft is not None and draft.data["timezone"] == "America/New_York"
    assert draft.step == "goal"


async def test_start_again_after_onboarding_offers_the_plan(harness: ChatHarness) -> None:
    await onboard_by_buttons(harness, UID)
    await harness.send(UID, "/start")
    assert "all set up" in harness.last(UID).text
    await harness.press(UID, "📋 Show my plan")
    assert any("This week" in t for t in harness.texts(UID)[-3:])


async def test_an_answer_handed_out_again_after_a_crash_is_not_read_twice(
    harness: ChatHarness, services: Services
) -> None:
    """After a kill -9 Telegram hands out again the updates the bot had not confirmed: an
    answer already saved must not be read as the answer to the next question."""
    from telegram import Update

    await harness.send(UID, "/start")
    await harness.send(UID, SEED_000_LINE)
    await harness.api.send_text(UID, "18:30")
    token = harness.app.bot.token
    [delivered] = await harness.api.call(
        token, "getUpdates", {"offset": harness._offset, "timeout": 0}
    )
    update = Update.de_json(delivered, harness.app.bot)
    await harness.app.process_update(update)
    assert "time zone" in harness.last(UID).text
    await harness.app.process_update(Update.de_json(delivered, harness.app.bot))  # again
    assert "time zone" in harness.last(UID).text
    assert not [m.text for m in harness.chat(UID) if "I don't know" in m.text]
    draft = await get_draft(services, UID, DraftKind.ONBOARDING)
    assert draft is not None and draft.step == "timezone"
    assert draft.data["run_time"] == "18:30"


async def test_a_typed_week_is_echoed_as_a_table_with_the_next_question(
    harness: ChatHarness,
) -> None:
    await harness.send(UID, "/start")
    [reply] = await harness.send(UID, "intervals on monday, tempo thursday, long run sunday")
    assert "Your week as I read it" in reply.text and "<pre>" in reply.text
    table = reply.text.split("<pre>")[1].split("</pre>")[0]
    assert "Monday" in table and "intervals" in table and "long run" in table
    assert "finish running" in reply.text  # the next question, in the same message
    await harness.press(UID, "⬅ Back")
    assert "Tap a day" in harness.last(UID).text  # the week question again, to fix it


async def test_natural_answers_are_taken_the_first_time_and_summarised(
    harness: ChatHarness, services: Services
) -> None:
    await harness.send(UID, "/start")
    answers = (
        "tenpo wed, track fri, sun long, easy tue and sat",
        "usually done by 7am",
        "London",
        "just general fitness",
        "some",
        "only a pair of dumbbells at home, 5, 10 and 12.5 kg",
        "2",
        "after hard runs",
        "achilles is a bit cranky",
        "kg",
    )
    for answer in answers:
        sent = await harness.send(UID, answer)
        assert not any("e.g." in m.text.split("\n")[0] for m in sent[:1]), (answer, sent[0].text)
    summary = harness.last(UID).text
    assert "<b>Finish time:</b> 07:00" in summary
    assert "<b>Goal:</b> General fitness" in summary
    assert "<b>Equipment:</b> Dumbbells (5, 10, 12.5 kg)" in summary
    assert "<b>Sore spots:</b> Achilles" in summary
    await harness.send(UID, "yes")
    profile = await get_profile(services, UID)
    assert profile is not None and profile.dumbbells_kg == (5, 10, 12.5)
    assert profile.week[Weekday.WED] is DayKind.TEMPO
    assert profile.week[Weekday.FRI] is DayKind.INTERVALS


async def test_a_runner_owning_10kg_dumbbells_is_never_asked_for_more(
    harness: ChatHarness,
) -> None:
    await harness.send(UID, "/start")
    for answer in TYPED_ANSWERS:
        if answer.startswith("dumbbells"):
            answer = "dumbbells 8 and 10 kg, band, pull-up bar"
        await harness.send(UID, answer)
    sent = await harness.send(UID, "goblet squat 3x10 10kg rir 4")
    logged = "\n".join(m.text for m in sent)
    assert "Next time (Tue 1 Dec): Goblet squat 10 kg." in logged


async def test_yep_thats_right_at_the_summary_builds_the_plan(
    harness: ChatHarness, services: Services
) -> None:
    await harness.send(UID, "/start")
    for answer in TYPED_ANSWERS[:-1]:
        await harness.send(UID, answer)
    assert "Shall I build your plan?" in harness.last(UID).text
    await harness.send(UID, "yep, that's right")
    assert await get_profile(services, UID) is not None
