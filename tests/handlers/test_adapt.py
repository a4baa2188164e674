"""Telling the coach in chat: pain, swaps, a changed week, a race, a tired day, the summary."""

from __future__ import annotations

from tests.fakes import ChatHarness
from tests.handlers.onboarding_steps import onboard_by_buttons

UID = 905


def texts(sent: list) -> str:  # type: ignore[type-arg]
    return "\n".join(m.text for m in sent)


async def test_knee_at_6_in_words_suggests_a_physio_and_plan_shows_why(
    harness: ChatHarness,
) -> None:
    await onboard_by_buttons(harness, UID)
    sent = await harness.send(UID, "my knee hurts 6/10")
    assert sent and "physiotherapist" in texts(sent)
    assert sent[-1].buttons(), "every answer offers buttons"
    plan = texts(await harness.send(UID, "/plan"))
    assert "physiotherapist" in plan
    for knee_loading in ("Back squat", "Step-up", "bounds", "lunge", "Split squat"):
        assert knee_loading not in plan
    better = await harness.press(UID, "👍 It's better now")
    assert "full plan is back" in texts(better)
    assert "Back squat" in texts(await harness.send(UID, "/plan"))


async def test_pain_command_with_a_part_asks_how_bad(harness: ChatHarness) -> None:
    await onboard_by_buttons(harness, UID)
    sent = await harness.send(UID, "/pain achilles")
    assert "How bad" in texts(sent)
    answer = await harness.press(UID, "6+ · hurts")
    assert "physiotherapist" in texts(answer)


async def test_typed_swap_offers_substitutes_and_the_choice_replaces_back_squat(
    harness: ChatHarness,
) -> None:
    await onboard_by_buttons(harness, UID)
    sent = await harness.send(UID, "no rack today, swap squats")
    offer = sent[-1]
    names = [
        text for text, _ in offer.buttons() if text not in ("♾ Always", "📅 My plan", "🗓 My week")
    ]
    assert len(names) >= 2
    chosen = await harness.press(UID, names[0])
    assert names[0] in texts(chosen)
    today = texts(await harness.send(UID, "/today"))
    assert names[0] in today and "• Back squat" not in today


async def test_swap_command_without_an_exercise_lets_the_runner_pick(harness: ChatHarness) -> None:
    await onboard_by_buttons(harness, UID)
    sent = await harness.send(UID, "/swap")
    assert "Which exercise" in texts(sent)
    offer = await harness.press(UID, "Back squat")
    assert "Swap <b>Back squat</b>" in texts(offer) or "Swap Back squat" in texts(offer)


async def test_week_command_echoes_a_table_and_moves_next_weeks_sessions(
    harness: ChatHarness,
) -> None:
    await onboard_by_buttons(harness, UID)
    sent = await harness.send(
        UID, "/week intervals on monday, tempo thursday, long run saturday, easy the rest"
    )
    assert "Monday" in texts(sent) and "intervals" in texts(sent)
    done = await harness.press(UID, "✅ Use this week")
    assert "Monday" in texts(done) and "Thursday" in texts(done)
    plan = texts(await harness.send(UID, "/plan"))
    assert "Monday 30 Nov" in plan and "Thursday 3 Dec" in plan
    assert "Tuesday 1 Dec" not in plan


async def test_a_one_off_change_moves_this_weeks_session(harness: ChatHarness) -> None:
    await onboard_by_buttons(harness, UID)
    sent = await harness.send(UID, "this week my intervals are on thursday")
    assert "Moved" in texts(sent)
    plan = texts(await harness.send(UID, "/plan"))
    assert "Thursday 26 Nov" in plan and "Friday 27 Nov" not in plan
    assert "Moved: your intervals is on Thursday this week" in plan or "Moved:" in plan


async def test_race_in_five_days_leaves_at_most_one_session_before_it(
    harness: ChatHarness,
) -> None:
    await onboard_by_buttons(harness, UID)
    sent = await harness.send(UID, "/race 10k in 5 days")
    assert "10K" in texts(sent)
    plan = texts(await harness.send(UID, "/plan"))
    assert "Friday 27 Nov" not in plan and "Saturday 28 Nov" not in plan


async def test_tired_trims_today_and_summary_counts(harness: ChatHarness) -> None:
    await onboard_by_buttons(harness, UID)
    sent = await harness.send(UID, "legs are wrecked, slept badly")
    assert "trimmed" in texts(sent)
    assert "Power" not in texts(sent)
    summary = texts(await harness.send(UID, "/summary"))
    assert "0 of 2 sessions done" in summary


async def test_words_that_are_nothing_get_what_i_can_do(harness: ChatHarness) -> None:
    await onboard_by_buttons(harness, UID)
    sent = await harness.send(UID, "what's the weather like")
    assert sent and ("what I can do" in texts(sent) or "/help" in texts(sent))


async def test_help_and_menu_list_the_new_commands(harness: ChatHarness) -> None:
    shown = texts(await harness.send(UID, "/help"))
    for command in ("/week", "/swap", "/pain", "/race", "/summary"):
        assert command in shown


async def test_a_bare_week_command_takes_the_next_message_as_the_week(
    harness: ChatHarness,
) -> None:
    await onboard_by_buttons(harness, UID)
    hint = await harness.send(UID, "/week")
    assert hint and hint[-1].buttons()
    table = await harness.send(UID, "mon intervals, thu tempo, sat long, easy otherwise")
    assert "Is that right?" in texts(table)
    await harness.press(UID, "✅ Use this week")
    plan = texts(await harness.send(UID, "/plan"))
    assert "Monday 30 Nov" in plan and "Thursday 3 Dec" in plan


async def test_a_bare_race_command_takes_the_next_message_as_the_race(
    harness: ChatHarness,
) -> None:
    await onboard_by_buttons(harness, UID)
    await harness.send(UID, "/race")
    sent = await harness.send(UID, "half marathon on 14 march")
    assert "half marathon" in texts(sent) and "14 Mar" in texts(sent)


async def test_tired_on_the_session_reminder_trims_the_day(
    harness: ChatHarness,
) -> None:
    from handlers.session_actions import session_keyboard

    await onboard_by_buttons(harness, UID)
    keyboard = session_keyboard(UID, 1)
    labels = [b.text for row in keyboard.inline_keyboard for b in row]
    assert {"😀 Fresh", "😴 Tired", "🦵 Sore"} <= set(labels)
    data = next(
        b.callback_data for row in keyboard.inline_keyboard for b in row if b.text == "😴 Tired"
    )
    last = max(harness.request.messages)
    sent = await harness.press_data(UID, last, str(data))
    assert "trimmed" in texts(sent) and "Power" not in texts(sent)


async def test_summary_carries_the_chart_when_an_e1rm_rose_this_week(
    harness: ChatHarness,
) -> None:
    await onboard_by_buttons(harness, UID)
    [plain] = await harness.send(UID, "/summary")
    assert plain.kind == "text" and "e1RM" not in plain.text
    await harness.send(UID, "squat 3x5 60kg")
    [with_chart] = await harness.send(UID, "/summary")
    assert with_chart.kind == "photo" and with_chart.payload
    assert with_chart.payload.startswith(b"\x89PNG")
    assert "sessions done" in with_chart.text and "Back squat: e1RM" in with_chart.text


async def test_a_load_eased_for_pain_says_why_after_the_log(harness: ChatHarness) -> None:
    """X2 4–5 with owned dumbbells: "Next time: Goblet squat 8 kg" after 3 × 12 at 10 kg came
    with no reason; the session's own reason now follows it."""
    from tests.handlers.onboarding_steps import TYPED_ANSWERS

    await harness.send(UID, "/start")
    for answer in TYPED_ANSWERS:
        if answer.startswith("dumbbells"):
            answer = "dumbbells 6, 8 and 10 kg, band, pull-up bar"
        await harness.send(UID, answer)
    await harness.send(UID, "my knee hurts 4/10")
    logged = texts(await harness.send(UID, "goblet squat 3x12 10kg rir 3"))
    assert "Goblet squat 8 kg. 20 % lighter while your knee settles." in logged, logged
