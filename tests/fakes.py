"""Recording fakes: a Bot API that answers in memory, a clock tests can move, and a chat harness.

`RecordingRequest` implements PTB's `BaseRequest`, so the real `Application` and handlers run
unchanged; tests assert on what the runner would see (`harness.texts()`), not on calls.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import (
    CallbackQuery,
    Chat,
    Message,
    MessageEntity,
    Update,
    User,
)
from telegram.request import BaseRequest, RequestData

from devtools.localapi.markup import EntityParseError, parse_html

BOT_USER = User(id=123, first_name="runlift", is_bot=True, username="runlift_test_bot")


class MutableClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, now: datetime) -> None:
        if now.tzinfo is None:
            raise ValueError("use an aware datetime")
        self._now = now.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, now: datetime) -> None:
        self._now = now.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self._now += delta


@dataclass
class SentMessage:
    """A message the bot sent (and its current state after edits)."""

    message_id: int
    chat_id: int
    text: str
    reply_markup: dict[str, Any] | None = None
    parse_mode: str | None = None
    edits: int = 0
    deleted: bool = False
    kind: str = "text"
    filename: str | None = None
    payload: bytes | None = None
    reply_to: int | None = None

    def buttons(self) -> list[tuple[str, str]]:
        """(text, callback_data) of every inline button, row by row."""
        if not self.reply_markup:
            return []
        return [
            (button["text"], button.get("callback_data", ""))
            for row in self.reply_markup.get("inline_keyboard", [])
            for button in row
        ]


@dataclass
class RecordingRequest(BaseRequest):
    """Answers the Bot API methods the bot uses, in memory, and records every call."""

    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    messages: dict[int, SentMessage] = field(default_factory=dict)
    callback_answers: list[dict[str, Any]] = field(default_factory=list)
    rejections: list[str] = field(default_factory=list)
    """What Telegram would have refused (too long, bad HTML): tests expect none."""
    fail_next: dict[str, tuple[int, str, dict[str, Any] | None]] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    """Documents runners sent, by file_id: served by getFile and the file download URL."""
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    def new_message_id(self) -> int:
        return next(self._ids)

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        if "/file/bot" in url:  # a document download (File.download_*)
            return 200, self.files[url.rsplit("/", 1)[-1]]
        api_method = url.rsplit("/", 1)[-1]
        params: dict[str, Any] = dict(request_data.parameters) if request_data else {}
        files: dict[str, Any] = {}
        if request_data is not None and request_data.contains_files:
            files = dict(request_data.multipart_data)
        self.calls.append((api_method, params))
        if api_method in self.fail_next:
            status, description, parameters = self.fail_next.pop(api_method)
            body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
            if parameters:
                body["parameters"] = parameters
            return status, json.dumps(body).encode()
        try:
            result = self._answer(api_method, params, files)
        except _RejectedError as rejected:
            self.rejections.append(str(rejected))
            body = {"ok": False, "error_code": 400, "description": f"Bad Request: {rejected}"}
            return 400, json.dumps(body).encode()
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _message_dict(self, sent: SentMessage) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": sent.message_id,
            "date": int(datetime.now(UTC).timestamp()),
            "chat": {"id": sent.chat_id, "type": "private", "first_name": "Runner"},
            "from": BOT_USER.to_dict(),
        }
        if sent.kind == "photo":
            data["photo"] = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
            data["caption"] = sent.text
        elif sent.kind == "document":
            data["document"] = {"file_id": "d", "file_unique_id": "d", "file_name": sent.filename}
            data["caption"] = sent.text
        else:
            data["text"] = sent.text
        if sent.reply_markup:
            data["reply_markup"] = sent.reply_markup
        return data

    def _answer(self, method: str, params: dict[str, Any], files: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER.to_dict()
        if method == "getUpdates":
            return []
        if method == "getFile":
            file_id = str(params["file_id"])
            size = len(self.files[file_id])
            return {
                "file_id": file_id,
                "file_unique_id": file_id,
                "file_size": size,
                "file_path": file_id,
            }
        if method in {"sendMessage", "sendPhoto", "sendDocument"}:
            kind = {"sendMessage": "text", "sendPhoto": "photo", "sendDocument": "document"}
            text = params.get("text") if method == "sendMessage" else params.get("caption", "")
            _check_text(str(text or ""), params.get("parse_mode"), caption=method != "sendMessage")
            payload = None
            filename = None
            for value in files.values():
                filename = value[0] if isinstance(value, tuple) else None
                payload = value[1] if isinstance(value, tuple) else None
            reply = params.get("reply_parameters") or {}
            sent = SentMessage(
                message_id=self.new_message_id(),
                chat_id=int(params["chat_id"]),
                text=str(text or ""),
                reply_markup=_markup(params.get("reply_markup")),
                parse_mode=params.get("parse_mode"),
                kind=kind[method],
                filename=filename,
                payload=payload,
                reply_to=reply.get("message_id") if isinstance(reply, dict) else None,
            )
            self.messages[sent.message_id] = sent
            return self._message_dict(sent)
        if method in {"editMessageText", "editMessageReplyMarkup"}:
            sent = self.messages[int(params["message_id"])]
            if method == "editMessageText":
                _check_text(str(params["text"]), params.get("parse_mode"))
                sent.text = str(params["text"])
                sent.parse_mode = params.get("parse_mode")
            sent.reply_markup = _markup(params.get("reply_markup"))
            sent.edits += 1
            return self._message_dict(sent)
        if method == "deleteMessage":
            self.messages[int(params["message_id"])].deleted = True
            return True
        if method == "answerCallbackQuery":
            self.callback_answers.append(params)
            return True
        return True


class _RejectedError(Exception):
    """Telegram would answer 400 with this description."""


def _check_text(text: str, parse_mode: Any, *, caption: bool = False) -> None:
    """Rejects what Telegram rejects: empty or over-long text, and HTML it can't parse."""
    limit = 1024 if caption else 4096
    if not caption and not text.strip():
        raise _RejectedError("message text is empty")
    visible = text
    if parse_mode == "HTML":
        try:
            visible, _ = parse_html(text)
        except EntityParseError as error:
            raise _RejectedError(f"can't parse entities: {error}") from None
    if len(visible) > limit:
        raise _RejectedError("message caption is too long" if caption else "message is too long")


def _markup(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if isinstance(value, str):
        loaded: dict[str, Any] = json.loads(value)
        return loaded
    return dict(value)


class ChatHarness:
    """Plays one or more runners against a real Application wired to a `RecordingRequest`."""

    def __init__(self, app: Any, request: RecordingRequest) -> None:
        self.app = app
        self.request = request
        self._update_ids = itertools.count(1)

    def user(self, user_id: int, first_name: str = "Runner") -> User:
        return User(id=user_id, first_name=first_name, is_bot=False)

    async def send(
        self, user_id: int, text: str, *, reply_to: int | None = None
    ) -> list[SentMessage]:
        """The runner sends `text`; returns what the bot sent or edited in answer."""
        before = self._snapshot()
        user = self.user(user_id)
        chat = Chat(id=user_id, type=Chat.PRIVATE, first_name=user.first_name)
        entities = []
        if text.startswith("/"):
            length = len(text.split()[0])
            entities.append(MessageEntity(MessageEntity.BOT_COMMAND, 0, length))
        reply_message = None
        if reply_to is not None:
            reply_message = Message.de_json(
                self.request._message_dict(self.request.messages[reply_to]), self.app.bot
            )
        message = Message(
            message_id=self.request.new_message_id(),
            date=datetime.now(UTC),
            chat=chat,
            from_user=user,
            text=text,
            entities=entities,
            reply_to_message=reply_message,
        )
        message.set_bot(self.app.bot)
        await self.app.process_update(Update(next(self._update_ids), message=message))
        return self._changed_since(before)

    async def send_document(
        self, user_id: int, file_name: str, data: bytes, mime_type: str = "text/calendar"
    ) -> list[SentMessage]:
        """The runner sends a file (an .ics); the bot can fetch it through getFile."""
        from telegram import Document

        before = self._snapshot()
        file_id = f"doc{self.request.new_message_id()}"
        self.request.files[file_id] = data
        user = self.user(user_id)
        chat = Chat(id=user_id, type=Chat.PRIVATE, first_name=user.first_name)
        message = Message(
            message_id=self.request.new_message_id(),
            date=datetime.now(UTC),
            chat=chat,
            from_user=user,
            document=Document(
                file_id=file_id,
                file_unique_id=file_id,
                file_name=file_name,
                mime_type=mime_type,
                file_size=len(data),
            ),
        )
        message.set_bot(self.app.bot)
        await self.app.process_update(Update(next(self._update_ids), message=message))
        return self._changed_since(before)

    async def send_location(
        self, user_id: int, latitude: float, longitude: float
    ) -> list[SentMessage]:
        from telegram import Location

        before = self._snapshot()
        user = self.user(user_id)
        chat = Chat(id=user_id, type=Chat.PRIVATE, first_name=user.first_name)
        message = Message(
            message_id=self.request.new_message_id(),
            date=datetime.now(UTC),
            chat=chat,
            from_user=user,
            location=Location(longitude=longitude, latitude=latitude),
        )
        message.set_bot(self.app.bot)
        await self.app.process_update(Update(next(self._update_ids), message=message))
        return self._changed_since(before)

    async def press(
        self,
        user_id: int,
        button_text: str,
        *,
        message_id: int | None = None,
        presser: int | None = None,
    ) -> list[SentMessage]:
        """The runner taps the button labelled `button_text` on the latest message showing it."""
        target = self.find_button_message(user_id, button_text, message_id)
        data = dict(target.buttons())[button_text]
        return await self.press_data(user_id, target.message_id, data, presser=presser)

    async def press_data(
        self, chat_id: int, message_id: int, data: str, *, presser: int | None = None
    ) -> list[SentMessage]:
        """Sends raw callback data for a message (forged or stale presses included)."""
        before = self._snapshot()
        sent = self.request.messages[message_id]
        message = Message.de_json(self.request._message_dict(sent), self.app.bot)
        query = CallbackQuery(
            id=str(next(self._update_ids)),
            from_user=self.user(presser if presser is not None else chat_id),
            chat_instance=str(chat_id),
            message=message,
            data=data,
        )
        query.set_bot(self.app.bot)
        await self.app.process_update(Update(next(self._update_ids), callback_query=query))
        return self._changed_since(before)

    def find_button_message(
        self, user_id: int, button_text: str, message_id: int | None = None
    ) -> SentMessage:
        candidates = [
            m
            for m in self.request.messages.values()
            if m.chat_id == user_id and not m.deleted and button_text in dict(m.buttons())
        ]
        if message_id is not None:
            candidates = [m for m in candidates if m.message_id == message_id]
        if not candidates:
            shown = [b for m in self.chat(user_id)[-3:] for b, _ in m.buttons()]
            raise AssertionError(f"no button {button_text!r}; last buttons: {shown}")
        return max(candidates, key=lambda m: m.message_id)

    def chat(self, user_id: int) -> list[SentMessage]:
        return [m for m in self.request.messages.values() if m.chat_id == user_id]

    def last(self, user_id: int) -> SentMessage:
        return self.chat(user_id)[-1]

    def texts(self, user_id: int) -> list[str]:
        return [m.text for m in self.chat(user_id)]

    def callback_answers(self) -> list[str]:
        return [str(a.get("text", "")) for a in self.request.callback_answers]

    def _snapshot(self) -> dict[int, tuple[str, int]]:
        return {mid: (m.text, m.edits) for mid, m in self.request.messages.items()}

    def _changed_since(self, before: dict[int, tuple[str, int]]) -> list[SentMessage]:
        return [
            m
            for mid, m in self.request.messages.items()
            if mid not in before or before[mid] != (m.text, m.edits)
        ]


class RecordingFetcher:
    """A `CalendarFetcher` serving feeds from a dict, recording every URL asked for."""

    def __init__(self, feeds: dict[str, bytes] | None = None) -> None:
        self.feeds: dict[str, bytes] = dict(feeds or {})
        self.fetched: list[str] = []

    async def fetch(self, url: str) -> bytes:
        from bot.core.domain.errors import CalendarError

        self.fetched.append(url)
        if url not in self.feeds:
            raise CalendarError("your calendar feed: the server answered 404")
        return self.feeds[url]
