"""Private chats only: a group, a channel or Telegram's shared anonymous-admin id never acts on
a runner's data; a group spoken to hears one short pointer to the private chat."""

from __future__ import annotations

from datetime import timedelta
from itertools import count
from typing import Any

from telegram import Update
from telegram.constants import ChatID

from bot.context import RunliftApplication
from bot.services.container import Services
from bot.storage import runners
from handlers.private_only import BUTTONS_PRIVATE_ONLY, PRIVATE_ONLY
from tests.fakes import ChatHarness, MutableClock, RecordingRequest
from tests.scheduler.support import onboard

RUNNER = 42
GROUP = -1001234567890
BOT = "runlift_test_bot"
_ids = count(500_000)


def _message(chat: dict[str, Any], sender: int, text: str, **extra: Any) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": next(_ids),
        "date": 1_795_000_000,
        "chat": chat,
        "from": {"id": sender, "is_bot": False, "first_name": "Ada"},
        "text": text,
        **extra,
    }
    if text.startswith("/"):
        length = len(text.split()[0])
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return message


def _group() -> dict[str, Any]:
    return {"id": GROUP, "type": "supergroup", "title": "Tuesday club"}


def _private(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "type": "private", "first_name": "Ada"}


async def _feed(app: RunliftApplication, **payload: Any) -> None:
    await app.process_update(Update.de_json({"update_id": next(_ids), **payload}, app.bot))


def _calls(request: RecordingRequest, since: int) -> list[tuple[str, dict[str, Any]]]:
    return [(m, p) for m, p in request.calls[since:] if m not in ("getMe", "getUpdates")]


def _forget_group_rejections(request: RecordingRequest) -> None:
    """The local Bot API has no group chats, so it refuses sends there ("chat not found");
    the tests judge those sends by the recorded call instead."""
    request.rejections[:] = [r for r in request.rejections if "chat not found" not in r]


async def test_start_in_a_group_gets_one_pointer_and_changes_nothing(
    app: RunliftApplication, services: Services, request_recorder: RecordingRequest
) -> None:
    await onboard(services, RUNNER)
    since = len(request_recorder.calls)

    await _feed(app, message=_message(_group(), RUNNER, f"/start@{BOT}"))

    calls = _calls(request_recorder, since)
    assert [method for method, _ in calls] == ["sendMessage"]
    params = calls[0][1]
    assert int(params["chat_id"]) == GROUP
    assert params["text"] == PRIVATE_ONLY and len(params["text"]) <= 300
    buttons = [b for row in params["reply_markup"]["inline_keyboard"] for b in row]
    assert [b.get("url") for b in buttons] == [f"https://t.me/{BOT}"]
    assert not any("callback_data" in b for b in buttons)
    async with services.db.session() as session:
        runner = await runners.get_runner(session, RUNNER)
    assert runner is not None and runner.chat_id == RUNNER, "reminders still go to the runner"
    _forget_group_rejections(request_recorder)


async def test_a_group_is_not_answered_again_and_again_nor_its_chatter(
    app: RunliftApplication, request_recorder: RecordingRequest, clock: MutableClock
) -> None:
    since = len(request_recorder.calls)
    await _feed(app, message=_message(_group(), RUNNER, "/plan"))
    await _feed(app, message=_message(_group(), RUNNER, f"/export@{BOT}"))
    await _feed(app, message=_message(_group(), RUNNER + 1, "who's up for intervals?"))
    await _feed(app, message=_message(_group(), RUNNER + 1, "/start@some_other_bot"))
    assert len(_calls(request_recorder, since)) == 1, "one pointer, then silence"

    clock.advance(timedelta(hours=2))
    since = len(request_recorder.calls)
    await _feed(app, message=_message(_group(), RUNNER + 1, "morning all"))
    assert _calls(request_recorder, since) == [], "chatter not addressed to the bot is ignored"
    await _feed(app, message=_message(_group(), RUNNER + 1, f"hey @{BOT} what is this?"))
    assert [m for m, _ in _calls(request_recorder, since)] == ["sendMessage"]
    _forget_group_rejections(request_recorder)


async def test_the_anonymous_admin_id_never_acts_even_in_a_private_shaped_update(
    app: RunliftApplication, harness: ChatHarness, request_recorder: RecordingRequest
) -> None:
    anonymous = int(ChatID.ANONYMOUS_ADMIN)
    since = len(request_recorder.calls)
    await _feed(app, message=_message(_private(anonymous), anonymous, "/start"))
    await _feed(app, message=_message(_private(anonymous), anonymous, "/help"))
    assert _calls(request_recorder, since) == []


async def test_a_sender_chat_a_channel_post_and_a_group_document_are_refused(
    app: RunliftApplication, services: Services, request_recorder: RecordingRequest
) -> None:
    await onboard(services, RUNNER)
    channel = {"id": -1009876543210, "type": "channel", "title": "Club news"}
    since = len(request_recorder.calls)
    # a channel speaking in the runner's own chat shape, posts in a channel, a file in a group
    await _feed(app, message=_message(_private(RUNNER), RUNNER, "/export", sender_chat=channel))
    await _feed(app, channel_post={**_message(channel, RUNNER, "/plan"), "from": None})
    await _feed(app, edited_channel_post={**_message(channel, RUNNER, "/plan"), "edit_date": 1})
    document = {"file_id": "f1", "file_unique_id": "u1", "file_name": "plan.ics"}
    group_file = _message(_group(), RUNNER, "", document=document)
    group_file.pop("text")
    await _feed(app, message=group_file)
    assert _calls(request_recorder, since) == []


async def test_a_button_pressed_outside_a_private_chat_does_nothing_but_say_so(
    app: RunliftApplication, services: Services, request_recorder: RecordingRequest
) -> None:
    await onboard(services, RUNNER)
    since = len(request_recorder.calls)
    shown = _message(_group(), RUNNER, "plan")
    for presser in (int(ChatID.ANONYMOUS_ADMIN), RUNNER):
        query = {
            "id": str(next(_ids)),
            "from": {"id": presser, "is_bot": False, "first_name": "Group"},
            "chat_instance": "1",
            "data": "v1|pause|42",
            "message": shown,
        }
        await _feed(app, callback_query=query)
    calls = _calls(request_recorder, since)
    assert [m for m, _ in calls] == ["answerCallbackQuery"] * 2
    assert all(p.get("text") == BUTTONS_PRIVATE_ONLY for _, p in calls)


async def test_a_private_chat_is_served_as_before(harness: ChatHarness) -> None:
    sent = await harness.send(RUNNER, "/help")
    assert len(sent) == 1 and "/plan" in sent[0].text


async def test_added_to_a_group_the_bot_says_once_where_it_works(
    app: RunliftApplication, request_recorder: RecordingRequest
) -> None:
    since = len(request_recorder.calls)
    me = {"id": app.bot.id, "is_bot": True, "first_name": "runlift", "username": BOT}
    joined = {
        "chat": _group(),
        "from": {"id": RUNNER, "is_bot": False, "first_name": "Ada"},
        "date": 1_795_000_000,
        "old_chat_member": {"status": "left", "user": me},
        "new_chat_member": {"status": "member", "user": me},
    }
    await _feed(app, my_chat_member=joined)
    await _feed(app, message=_message(_group(), RUNNER, f"/start@{BOT}"))
    calls = _calls(request_recorder, since)
    assert [(m, p["text"]) for m, p in calls] == [("sendMessage", PRIVATE_ONLY)]
    _forget_group_rejections(request_recorder)
