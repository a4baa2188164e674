"""Test doubles: the Bot API (the local server, in process), a clock tests can move, a chat
harness, and a spy on the error handler.

There is one Telegram simulator, `devtools.localapi`: `RecordingRequest` hands every call the
real `Application` makes to `LocalBotApi.call` without HTTP (`InProcessRequest`) and records it,
so handler tests get the same answers and refusals as the demo and the end-to-end tests.
`ChatHarness` plays runners through the server's runner side and feeds the updates to the
Application; tests assert on what the runner would see (`harness.texts()`), not on calls.
`ErrorSpy` records every exception that reaches the global error handler: the runner only sees
a polite "Sorry", so without it a handler that raises passes any test that reads the chat.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import Update
from telegram.request import RequestData

from devtools.localapi import Fault, LocalBotApi
from devtools.localapi.inprocess import InProcessRequest
from devtools.localapi.markup import MAX_TEXT_LENGTH
from devtools.localapi.state import NOT_MODIFIED, StoredMessage

DEFAULT_DATE = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
"""Message dates when a test gives the fake no clock: fixed, never the wall clock."""
SEND_OR_EDIT = frozenset(
    {"sendMessage", "sendPhoto", "sendDocument", "editMessageText", "editMessageReplyMarkup"}
)


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


ErrorCallback = Callable[[object, Any], Coroutine[Any, Any, None]]


@dataclass
class ErrorSpy:
    """Wraps an Application's error handlers: they still answer the runner, and each exception
    is recorded so the test fixture can fail the test that let a handler raise."""

    errors: list[BaseException] = field(default_factory=list)
    expected: tuple[type[BaseException], ...] = ()
    """Exception types the test declared it provokes (`@pytest.mark.expect_handler_error`)."""

    def attach(self, app: Any) -> None:
        """Replaces every registered error handler by a recording wrapper around it."""
        for callback, block in list(app.error_handlers.items()):
            app.remove_error_handler(callback)
            app.add_error_handler(self._recording(callback), block=block)

    def _recording(self, callback: ErrorCallback) -> ErrorCallback:
        async def recording(update: object, context: Any) -> None:
            if context.error is not None:
                self.errors.append(context.error)
            await callback(update, context)

        return recording

    def unexpected(self) -> list[BaseException]:
        """The recorded exceptions the test did not declare."""
        return [error for error in self.errors if not isinstance(error, self.expected)]

    def report(self) -> str:
        """One paragraph per unexpected exception, with its traceback, for the failure."""
        import traceback

        return "\n".join("".join(traceback.format_exception(error)) for error in self.unexpected())


@dataclass
class SentMessage:
    """A message the bot sent, as it is now (after edits): read from the local server."""

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


class RecordingRequest(InProcessRequest):
    """The local Bot API server, in process, recording every call the bot makes.

    `fail_next[method] = (status, description, parameters)` makes the next call of `method`
    fail (a server fault); `rejections` lists what Telegram refused (too long, bad HTML …),
    which the `app` fixture expects to be empty.
    """

    def __init__(self, api: LocalBotApi | None = None, *, clock: Any = None) -> None:
        self.clock = clock
        super().__init__(
            api
            or LocalBotApi(
                auto_create_users=True,  # reminders go to runners seeded only in the database
                ids_across_chats=True,  # tests name a message by its id alone
                clock=lambda: self.now().timestamp(),
            )
        )
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self._messages: dict[int, SentMessage] = {}
        self._built = -1
        self.rejections: list[str] = []
        self.fail_next: dict[str, tuple[int, str, dict[str, Any] | None]] = {}

    def now(self) -> datetime:
        """Telegram dates messages by its own clock: here the test's, never the wall's."""
        return self.clock.now() if self.clock is not None else DEFAULT_DATE

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
        api_method = url.rsplit("/", 1)[-1]
        self.calls.append((api_method, dict(request_data.parameters) if request_data else {}))
        if api_method in self.fail_next:
            status, description, parameters = self.fail_next.pop(api_method)
            retry_after = int((parameters or {}).get("retry_after", 1))
            kind = "429" if status == 429 else "error"
            fault = Fault(
                api_method, kind, status=status, retry_after=retry_after, description=description
            )
            self.api.faults.insert(0, fault)
        status, body = await super().do_request(url, method, request_data)
        if status == 400 and api_method in SEND_OR_EDIT and NOT_MODIFIED.encode() not in body:
            self.rejections.append(body.decode())
        return status, body

    @property
    def messages(self) -> dict[int, SentMessage]:
        """Every message the bot sent, by id, in the order sent.

        Kept up to date from the server's per-chat event log, so a read costs what changed
        since the last one (the fuzz trial reads this after each of its 10,000 messages)."""
        built = self._built
        if built == self.api.version:
            return self._messages
        reorder = False
        for chat in self.api.chats.values():
            events = chat.events
            if not events or events[-1]["seq"] <= built:
                continue
            if len(events) == events.maxlen and events[0]["seq"] > built:
                changed: Iterable[int] = list(chat.messages)  # the log wrapped: look at all
            else:
                changed = []
                for event in reversed(events):
                    if event["seq"] <= built:
                        break
                    if "message" in event:
                        changed.append(int(event["message"]["message_id"]))
            for message_id in changed:
                stored = chat.messages.get(message_id)
                if stored is None or not stored.from_bot:
                    continue
                if message_id not in self._messages and self._messages:
                    reorder = reorder or message_id < next(reversed(self._messages))
                self._messages[message_id] = _sent(self.api, stored)
        if reorder:
            self._messages = dict(sorted(self._messages.items()))
        self._built = self.api.version
        return self._messages

    @property
    def callback_answers(self) -> list[dict[str, Any]]:
        """The parameters of every answerCallbackQuery, in order."""
        return [params for method, params in self.calls if method == "answerCallbackQuery"]


def _sent(api: LocalBotApi, stored: StoredMessage) -> SentMessage:
    kind = "photo" if stored.photo else "document" if stored.document else "text"
    payload = None
    if stored.file_path:
        record = api.files_by_path.get(stored.file_path)
        payload = record.data if record is not None else None
    return SentMessage(
        message_id=stored.message_id,
        chat_id=stored.chat_id,
        # as the bot wrote it (HTML included), which is what the handler tests read
        text=(stored.caption or "") if kind != "text" else (stored.raw_text or stored.text or ""),
        reply_markup=stored.reply_markup,
        parse_mode=stored.parse_mode,
        edits=stored.edits,
        deleted=stored.deleted,
        kind=kind,
        filename=(stored.document or {}).get("file_name"),
        payload=payload,
        reply_to=stored.reply_to_message_id,
    )


class ChatHarness:
    """Plays runners on the local server's runner side against the real Application.

    Each action waits until the Application has handled the update it caused, so a test reads
    the answer straight after `await harness.send(...)`.
    """

    def __init__(self, app: Any, request: RecordingRequest) -> None:
        self.app = app
        self.request = request
        self.api = request.api
        self._offset = 0

    async def _ensure_user(self, user_id: int) -> None:
        if user_id not in self.api.users:
            await self.api.create_user(user_id, first_name="Runner")

    async def _handle_pending(self) -> None:
        """Fetches what the server queued (as long polling would) and lets the app handle it."""
        token = self.app.bot.token
        while True:
            updates = await self.api.call(
                token, "getUpdates", {"offset": self._offset, "timeout": 0}
            )
            if not updates:
                return
            for data in updates:
                self._offset = int(data["update_id"]) + 1
                await self.app.process_update(Update.de_json(data, self.app.bot))

    async def send(
        self, user_id: int, text: str, *, reply_to: int | None = None
    ) -> list[SentMessage]:
        """The runner sends `text`; returns what the bot sent or edited in answer."""
        before = self._snapshot()
        await self._ensure_user(user_id)
        if not text.strip():
            return []  # Telegram's apps send no blank message: the bot never sees one
        for start in range(0, len(text), MAX_TEXT_LENGTH):  # as the apps split a long one
            part = text[start : start + MAX_TEXT_LENGTH]
            await self.api.send_text(user_id, part, reply_to_message_id=reply_to)
        await self._handle_pending()
        return self._changed_since(before)

    async def send_document(
        self, user_id: int, file_name: str, data: bytes, mime_type: str = "text/calendar"
    ) -> list[SentMessage]:
        """The runner sends a file (an .ics); the bot fetches it through getFile."""
        before = self._snapshot()
        await self._ensure_user(user_id)
        await self.api.send_document(user_id, file_name, data, mime_type)
        await self._handle_pending()
        return self._changed_since(before)

    async def send_location(
        self, user_id: int, latitude: float, longitude: float
    ) -> list[SentMessage]:
        before = self._snapshot()
        await self._ensure_user(user_id)
        await self.api.send_location(user_id, latitude, longitude)
        await self._handle_pending()
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
        await self._ensure_user(chat_id)
        await self.api.forged_press(
            presser if presser is not None else chat_id, chat_id, message_id, data
        )
        await self._handle_pending()
        return self._changed_since(before)

    def find_button_message(
        self, user_id: int, button_text: str, message_id: int | None = None
    ) -> SentMessage:
        candidates = [
            m for m in self.chat(user_id) if not m.deleted and button_text in dict(m.buttons())
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
