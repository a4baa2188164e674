"""A local Telegram Bot API server the real bot can talk to over HTTP.

Telegram cannot be reached from the machines runlift is developed and tested on, so the real
python-telegram-bot ``Application`` is pointed here instead (``base_url=<url>/bot``,
``base_file_url=<url>/file/bot``). The server answers what the bot uses, builds every JSON object
from PTB's own classes (so dates are in seconds, ``is_bot`` and ``chat_instance`` are present and
``editMessage*`` returns the ``Message``), and rejects what Telegram rejects, so a test catches
what production would.

Bot side: ``/bot<token>/<method>`` (GET or POST; JSON, form-urlencoded or multipart) — getMe,
getUpdates (real long polling), setWebhook/deleteWebhook/getWebhookInfo, set/get/deleteMyCommands,
sendMessage, editMessageText, editMessageReplyMarkup, editMessageCaption, answerCallbackQuery,
deleteMessage, sendChatAction, sendPhoto, sendDocument, sendLocation, getFile, getChat, close,
logOut. Files are served at ``/file/bot<token>/<file_path>``. Unknown methods answer 501.

Runner side: see :mod:`devtools.localapi.userapi` for the HTTP routes; every route calls one of the
async methods of :class:`LocalBotApi` below, which the demo and benchmarks call directly.

Limits and faults (all changeable at run time): Telegram-like send limits answering 429 with
``retry_after``, queued forced faults (5xx, 429, hangs) per method, and runners who blocked the
bot (403).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import mimetypes
import struct
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import Any

import aiohttp
from aiohttp import web
from telegram import (
    AcceptedGiftTypes,
    BotCommand,
    CallbackQuery,
    Chat,
    ChatFullInfo,
    Document,
    File,
    InlineKeyboardMarkup,
    Location,
    Message,
    MessageEntity,
    PhotoSize,
    User,
)

from devtools.localapi.markup import (
    MAX_CAPTION_LENGTH,
    MAX_TEXT_LENGTH,
    EntityParseError,
    command_entities,
    parse_html,
)
from devtools.localapi.state import (
    FAULT_KINDS,
    NOT_MODIFIED,
    BotApiError,
    CallbackRecord,
    ChatState,
    Fault,
    FileRecord,
    JSONDict,
    PendingUpdate,
    RateLimits,
    StoredMessage,
    TokenBucket,
    UserRecord,
    bad_request,
    retry_after_seconds,
)
from devtools.localapi.userapi import add_user_routes

_LOG = logging.getLogger(__name__)

SEND_METHODS = frozenset(
    {
        "sendmessage",
        "sendphoto",
        "senddocument",
        "sendlocation",
        "editmessagetext",
        "editmessagereplymarkup",
        "editmessagecaption",
    }
)
"""Calls that count against the send limits, as they do at Telegram."""

_HARMLESS = frozenset(
    {
        "close",
        "logout",
        "setchatmenubutton",
        "setmydescription",
        "setmyshortdescription",
        "setmyname",
        "setmydefaultadministratorrights",
    }
)
"""Methods that only change how Telegram's own apps show the bot: accepted, nothing to do."""

BLOCKED = "Forbidden: bot was blocked by the user"
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
"""Telegram's upload limit for bots."""


@dataclass(slots=True)
class Upload:
    """A file part of a multipart request."""

    filename: str | None
    content_type: str
    data: bytes


class Params:
    """Request parameters with Telegram's coercions: form values are strings, objects are JSON."""

    __slots__ = ("values",)

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = dict(values)

    def raw(self, name: str) -> Any:
        """The value as received, or ``None``."""
        return self.values.get(name)

    def get_int(self, name: str, default: int | None = None) -> int | None:
        """An integer parameter; a non-number is a 400 like Telegram's."""
        value = self.values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            raise bad_request(f"invalid {name} specified")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def required_int(self, name: str, empty: str) -> int:
        """An integer that must be present; ``empty`` is Telegram's wording when it is not."""
        value = self.get_int(name)
        if value is None:
            raise bad_request(empty)
        return value

    def get_float(self, name: str, default: float) -> float:
        """A float parameter such as ``latitude`` or ``timeout``."""
        value = self.values.get(name)
        if value is None or value == "":
            return default
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def get_str(self, name: str) -> str | None:
        """A string parameter."""
        value = self.values.get(name)
        if value is None or isinstance(value, Upload):
            return None
        return value if isinstance(value, str) else str(value)

    def get_bool(self, name: str) -> bool:
        """A boolean: JSON ``true`` or the form strings ``true``/``1``."""
        value = self.values.get(name)
        if isinstance(value, str):
            return value.lower() in ("true", "1")
        return bool(value)

    def get_json(self, name: str) -> Any:
        """An object parameter: form and multipart requests carry it as a JSON string."""
        value = self.values.get(name)
        if isinstance(value, str):
            if value == "":
                return None
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {name} JSON object") from None
        return value

    def get_file(self, name: str) -> Upload | str | None:
        """A file parameter: an upload, a file_id/URL string, or ``attach://<part>``."""
        value = self.values.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            value = self.values.get(value.removeprefix("attach://"))
        if isinstance(value, Upload | str):
            return value
        return None


def _ts(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


def _image_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG or JPEG, so ``PhotoSize`` carries real dimensions."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (0xC0, 0xC1, 0xC2):
                height, width = struct.unpack(">HH", data[i + 5 : i + 9])
                return int(width), int(height)
            (length,) = struct.unpack(">H", data[i + 2 : i + 4])
            i += 2 + length
    return 0, 0


Handler = Callable[[Params, User], Awaitable[Any]]


class LocalBotApi:
    """The server: bot-side methods, runner-side operations, limits, faults and statistics.

    Args:
        bot_username: the bot's ``username`` in ``getMe`` and in ``/cmd@username``.
        bot_first_name: the bot's ``first_name``.
        max_per_second: overall send limit (Telegram: about 30/s); ``None`` = unlimited.
        per_chat_per_second: send limit per chat (Telegram: about 1/s); ``None`` = unlimited.
        per_chat_burst: how many sends a chat may burst before the per-chat limit bites.
        global_burst: burst for the overall limit (default ``max_per_second``, like aiolimiter).
        auto_create_users: let the bot send to chats no runner has opened yet (benchmarks that
            seed runners only in the database); Telegram itself answers "chat not found".
        faults: forced faults queued from the start.
        clock: wall clock in seconds for message dates (the demo may pass its own).
        ids_across_chats: number messages from one counter for all chats (each chat's ids
            still only grow, as Telegram promises), so a test can name a message by its id.
    """

    def __init__(
        self,
        *,
        bot_username: str = "runlift_test_bot",
        bot_first_name: str = "runlift",
        max_per_second: float | None = None,
        per_chat_per_second: float | None = None,
        per_chat_burst: float = 3.0,
        global_burst: float | None = None,
        auto_create_users: bool = False,
        faults: Iterable[Fault] = (),
        clock: Callable[[], float] = time.time,
        ids_across_chats: bool = False,
    ) -> None:
        self.ids_across_chats = ids_across_chats
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.auto_create_users = auto_create_users
        self.clock = clock
        self.rate_limits = RateLimits(
            max_per_second, per_chat_per_second, global_burst, per_chat_burst
        )
        self.faults: list[Fault] = list(faults)
        self.host = "127.0.0.1"
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._methods: dict[str, Handler] = {
            "getme": self._get_me,
            "getupdates": self._get_updates,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "editmessagecaption": self._edit_message_caption,
            "answercallbackquery": self._answer_callback_query,
            "deletemessage": self._delete_message,
            "sendchataction": self._send_chat_action,
            "sendphoto": self._send_photo,
            "senddocument": self._send_document,
            "sendlocation": self._send_location,
            "getfile": self._get_file,
            "getchat": self._get_chat,
        }
        self._subscribers: set[asyncio.Queue[JSONDict]] = set()
        self._bots: dict[str, User] = {}
        self._reset_state()

    # ------------------------------------------------------------------ lifecycle

    def _reset_state(self) -> None:
        self.users: dict[int, UserRecord] = {}
        self.chats: dict[int, ChatState] = {}
        self.files: dict[str, FileRecord] = {}
        self.files_by_path: dict[str, FileRecord] = {}
        self.callbacks: dict[str, CallbackRecord] = {}
        self.commands: dict[str, list[JSONDict]] = {}
        self.updates: deque[PendingUpdate] = deque()
        self.webhook_url = ""
        self.webhook_secret: str | None = None
        self.webhook_max_connections = 40
        self.webhook_last_error: tuple[int, str] | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self._inflight: dict[int, PendingUpdate] = {}
        self._updates_changed = asyncio.Event()
        self._next_update_id = 1
        self._next_message_id = 1
        self._next_file = 1
        self._next_query = 1
        self._next_user_id = 100_001
        self._seq = 0
        self._poll_generation = 0
        self._closing = False
        self._global_bucket: TokenBucket | None = None
        self._chat_buckets: dict[int, TokenBucket] = {}
        self.calls: Counter[str] = Counter()
        self.errors: Counter[int] = Counter()
        self.rate_limited = 0
        self.messages_sent = 0
        self.edits = 0
        self.updates_created = 0
        self.webhook_deliveries = 0
        self.sent_per_second: Counter[int] = Counter()
        self.send_times: deque[float] = deque(maxlen=1_000_000)

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        """Listen on ``host:port`` (0 picks a free port) and return the port."""
        app = self.make_app()
        self._runner = web.AppRunner(
            app, handle_signals=False, access_log=None, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port, backlog=2048)
        await site.start()
        self.host = host
        self.port = int(self._runner.addresses[0][1])
        self._closing = False
        return self.port

    async def stop(self) -> None:
        """Release held long polls, stop webhook delivery and close the listener."""
        self._closing = True
        self._wake_pollers()
        for chat in self.chats.values():
            chat.notify()
        await self._stop_webhook()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> LocalBotApi:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        """``http://host:port`` of the running server."""
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """What to pass to ``ApplicationBuilder().base_url`` (PTB appends the token)."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """What to pass to ``ApplicationBuilder().base_file_url``."""
        return f"{self.url}/file/bot"

    def make_app(self) -> web.Application:
        """The aiohttp application: bot side, files, and the runner-side API."""
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_bot)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        add_user_routes(app, self)
        return app

    # ------------------------------------------------------------------ bot side: HTTP

    async def _handle_bot(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        method = request.match_info["method"]
        try:
            params = await self._read_params(request)
            result = await self.call(token, method, params)
        except BotApiError as error:
            self.errors[error.error_code] += 1
            return web.json_response(error.payload(), status=error.error_code)
        except Exception as error:  # never crash: the bot must get a description
            _LOG.exception("local Bot API: %s failed", method)
            self.errors[500] += 1
            body = {
                "ok": False,
                "error_code": 500,
                "description": f"Internal Server Error: {type(error).__name__}: {error}",
            }
            return web.json_response(body, status=500)
        return web.json_response({"ok": True, "result": result})

    async def _read_params(self, request: web.Request) -> dict[str, Any]:
        values: dict[str, Any] = dict(request.query)
        if request.method != "POST" or not request.body_exists:
            return values
        content_type = request.content_type
        try:
            if content_type == "application/json":
                body = await request.json()
                if not isinstance(body, dict):
                    raise bad_request("the request body must be a JSON object")
                values.update(body)
            else:
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        values[key] = Upload(value.filename, value.content_type, value.file.read())
                    else:
                        values[key] = value
        except web.HTTPRequestEntityTooLarge:
            raise BotApiError(413, "Request Entity Too Large") from None
        except ValueError:
            raise bad_request("can't parse request body") from None
        return values

    async def _handle_file(self, request: web.Request) -> web.Response:
        return self.file_response(request.match_info["path"])

    def file_response(self, file_path: str) -> web.Response:
        """The bytes of an uploaded file, as Telegram's file server returns them."""
        record = self.files_by_path.get(file_path)
        if record is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        return web.Response(body=record.data, content_type=record.mime_type)

    # ------------------------------------------------------------------ bot side: dispatch

    async def call(self, token: str, method: str, params: Mapping[str, Any]) -> Any:
        """Run one Bot API method as the bot with ``token``; raises :class:`BotApiError`."""
        bot = self._bot_for(token)
        key = method.lower()
        self.calls[method] += 1
        fault = self._take_fault(key)
        if fault is not None:
            await self._apply_fault(fault)
        if key in _HARMLESS:
            return True
        handler = self._methods.get(key)
        if handler is None:
            raise BotApiError(
                501,
                f"Not Implemented: method {method} is not implemented by the local Bot API server",
            )
        return await handler(Params(params), bot)

    def _bot_for(self, token: str) -> User:
        bot = self._bots.get(token)
        if bot is None:
            digits, sep, secret = token.partition(":")
            if not digits.isdigit() or not sep or not secret:
                raise BotApiError(401, "Unauthorized")
            bot = User(
                id=int(digits),
                first_name=self.bot_first_name,
                is_bot=True,
                username=self.bot_username,
                can_join_groups=False,
                can_read_all_group_messages=False,
                supports_inline_queries=False,
            )
            self._bots[token] = bot
        return bot

    def _take_fault(self, key: str) -> Fault | None:
        for index, fault in enumerate(self.faults):
            if fault.matches(key):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    del self.faults[index]
                return fault
        return None

    async def _apply_fault(self, fault: Fault) -> None:
        if fault.kind == "hang":
            await asyncio.sleep(fault.seconds)
            if not fault.then_process:
                raise BotApiError(504, fault.description or "Gateway Timeout")
            return
        if fault.kind == "429":
            self.rate_limited += 1
            raise BotApiError(
                429,
                fault.description or f"Too Many Requests: retry after {fault.retry_after}",
                retry_after=fault.retry_after,
            )
        raise BotApiError(
            fault.status, fault.description or "Internal Server Error: injected fault"
        )

    def _check_rate(self, chat_id: int) -> None:
        """Answer 429 like Telegram when a send goes over the configured limits."""
        limits = self.rate_limits
        if limits.max_per_second is None and limits.per_chat_per_second is None:
            return
        now = time.monotonic()
        wait = 0.0
        chat_bucket: TokenBucket | None = None
        if limits.per_chat_per_second is not None:
            chat_bucket = self._chat_buckets.get(chat_id)
            if chat_bucket is None:
                chat_bucket = TokenBucket(limits.per_chat_per_second, limits.per_chat_burst, now)
                self._chat_buckets[chat_id] = chat_bucket
            wait = chat_bucket.take(now)
        if wait == 0.0 and limits.max_per_second is not None:
            if self._global_bucket is None:
                burst = limits.global_burst or limits.max_per_second
                self._global_bucket = TokenBucket(limits.max_per_second, burst, now)
            wait = self._global_bucket.take(now)
            if wait > 0 and chat_bucket is not None:
                chat_bucket.tokens += 1.0  # the send did not happen; give the chat its token back
        if wait > 0:
            self.rate_limited += 1
            seconds = retry_after_seconds(wait)
            raise BotApiError(
                429, f"Too Many Requests: retry after {seconds}", retry_after=seconds
            )

    def _record_send(self) -> None:
        self.messages_sent += 1
        self.sent_per_second[int(self.clock())] += 1
        self.send_times.append(time.monotonic())

    # ------------------------------------------------------------------ chats and messages

    def _ensure_chat(self, user: UserRecord) -> ChatState:
        chat = self.chats.get(user.id)
        if chat is None:
            chat = ChatState(user=user, chat_instance=str(-(4_000_000_000_000 + user.id)))
            self.chats[user.id] = chat
        return chat

    def _chat_for_bot(self, params: Params, *, sending: bool = True) -> ChatState:
        raw = params.raw("chat_id")
        if raw is None or raw == "":
            raise bad_request("chat_id is empty")
        try:
            chat_id = int(raw)
        except (TypeError, ValueError):
            raise bad_request("chat not found") from None
        chat = self.chats.get(chat_id)
        if chat is None:
            if not self.auto_create_users or chat_id <= 0:
                raise bad_request("chat not found")
            chat = self._ensure_chat(self._add_user(chat_id))
        if sending and chat.user.blocked:
            raise BotApiError(403, BLOCKED)
        return chat

    def _add_user(self, user_id: int, **fields: Any) -> UserRecord:
        record = UserRecord(id=user_id, first_name=fields.get("first_name") or "Runner")
        for name in ("username", "last_name", "language_code"):
            if fields.get(name) is not None:
                setattr(record, name, fields[name])
        self.users[user_id] = record
        return record

    def _new_message(self, chat: ChatState, *, from_bot: bool) -> StoredMessage:
        message_id = chat.next_message_id
        if self.ids_across_chats:
            message_id = self._next_message_id
            self._next_message_id += 1
        message = StoredMessage(
            message_id=message_id,
            chat_id=chat.user.id,
            from_bot=from_bot,
            date=int(self.clock()),
        )
        chat.next_message_id = message_id + 1
        return message

    def _build_payload(self, message: StoredMessage, chat: ChatState, sender: User) -> None:
        """Rebuild the Bot API JSON of ``message`` from PTB's classes."""
        user = chat.user
        reply: Message | None = None
        if message.reply_to_message_id is not None:
            target = chat.messages.get(message.reply_to_message_id)
            if target is not None:
                nested = {k: v for k, v in target.payload.items() if k != "reply_to_message"}
                reply = Message.de_json(nested, None)
        ptb = Message(
            message_id=message.message_id,
            date=_ts(message.date),
            chat=Chat(
                id=user.id,
                type=Chat.PRIVATE,
                first_name=user.first_name,
                last_name=user.last_name,
                username=user.username,
            ),
            from_user=sender,
            text=message.text,
            entities=MessageEntity.de_list(message.entities, None) or None,
            caption=message.caption,
            caption_entities=MessageEntity.de_list(message.caption_entities, None) or None,
            reply_markup=InlineKeyboardMarkup.de_json(message.reply_markup, None)
            if message.reply_markup
            else None,
            reply_to_message=reply,
            edit_date=_ts(message.edit_date) if message.edit_date is not None else None,
            photo=PhotoSize.de_list(message.photo, None) if message.photo else None,
            document=Document.de_json(message.document, None) if message.document else None,
            location=Location.de_json(message.location, None) if message.location else None,
        )
        message.payload = ptb.to_dict()

    def _user_ptb(self, user: UserRecord) -> User:
        return User(
            id=user.id,
            first_name=user.first_name,
            is_bot=False,
            last_name=user.last_name,
            username=user.username,
            language_code=user.language_code,
        )

    def _format(
        self,
        text: str | None,
        parse_mode: str | None,
        entities: Any,
        *,
        caption: bool = False,
    ) -> tuple[str, list[JSONDict]]:
        """Parse ``text`` as Telegram would and apply its length limits."""
        if text is None or not text.strip():
            if caption:
                return "", []
            raise bad_request("message text is empty")
        plain, parsed = text, list[JSONDict]()
        mode = (parse_mode or "").lower()
        if mode == "html":
            try:
                plain, parsed = parse_html(text)
            except EntityParseError as error:
                raise bad_request(f"can't parse entities: {error}") from None
        elif mode not in ("", "markdown", "markdownv2"):
            raise bad_request("unsupported parse_mode")
        elif entities:
            if not isinstance(entities, list):
                raise bad_request("can't parse entities JSON object")
            parsed = [e.to_dict() for e in MessageEntity.de_list(entities, None)]
        if not caption and not plain.strip():
            raise bad_request("message text is empty")
        if caption and len(plain) > MAX_CAPTION_LENGTH:
            raise bad_request("message caption is too long")
        if not caption and len(plain) > MAX_TEXT_LENGTH:
            raise bad_request("message is too long")
        return plain, parsed

    def _markup(self, chat: ChatState | None, raw: Any, *, inline_only: bool) -> JSONDict | None:
        """Validate ``reply_markup``; return the inline keyboard a message keeps, if any."""
        if raw is None:
            return None
        if not isinstance(raw, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in raw:
            rows = raw["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise bad_request("can't parse inline keyboard button: field must be an Array")
            for row in rows:
                for button in row:
                    self._check_button(button)
            return InlineKeyboardMarkup.de_json(raw, None).to_dict()
        if inline_only:
            raise bad_request("inline keyboard expected")
        if chat is not None:
            if "keyboard" in raw:
                chat.reply_keyboard = raw
            elif raw.get("remove_keyboard"):
                chat.reply_keyboard = None
        return None

    @staticmethod
    def _check_button(button: Any) -> None:
        if not isinstance(button, dict) or not button.get("text"):
            raise bad_request("can't parse inline keyboard button: Text buttons are unallowed")
        data = button.get("callback_data")
        if data is not None:
            size = len(str(data).encode("utf-8"))
            if size < 1 or size > 64:
                raise bad_request("BUTTON_DATA_INVALID")
        elif not any(
            key in button
            for key in (
                "url",
                "web_app",
                "login_url",
                "switch_inline_query",
                "switch_inline_query_current_chat",
                "copy_text",
                "pay",
            )
        ):
            raise bad_request("can't parse inline keyboard button: Text buttons are unallowed")

    def _reply_target(self, chat: ChatState, params: Params) -> int | None:
        target = params.get_int("reply_to_message_id")
        allow_missing = params.get_bool("allow_sending_without_reply")
        reply_parameters = params.get_json("reply_parameters")
        if isinstance(reply_parameters, dict):
            target = reply_parameters.get("message_id", target)
            allow_missing = bool(
                reply_parameters.get("allow_sending_without_reply", allow_missing)
            )
        if target is None:
            return None
        found = chat.messages.get(int(target))
        if found is None or found.deleted:
            if allow_missing:
                return None
            raise bad_request("message to be replied not found")
        return int(target)

    def _store_bot_message(self, chat: ChatState, message: StoredMessage, bot: User) -> JSONDict:
        self._check_rate(chat.user.id)
        self._build_payload(message, chat, bot)
        chat.messages[message.message_id] = message
        self._record_send()
        self._emit(chat, "message_sent", message)
        return message.payload

    def _message_to_edit(self, chat: ChatState, params: Params) -> StoredMessage:
        if params.raw("inline_message_id"):
            raise bad_request("inline messages are not supported by the local Bot API server")
        message_id = params.required_int("message_id", "message identifier is not specified")
        message = chat.messages.get(message_id)
        if message is None or message.deleted:
            raise bad_request("message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return message

    def _apply_edit(
        self, chat: ChatState, message: StoredMessage, bot: User, **changes: Any
    ) -> JSONDict:
        before = message.content_key()
        after = tuple(changes.get(name, getattr(message, name)) for name in _CONTENT_FIELDS)
        if before == after:
            raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        self._check_rate(chat.user.id)
        for name, value in changes.items():
            setattr(message, name, value)
        message.edit_date = int(self.clock())
        message.edits += 1
        self._build_payload(message, chat, bot)
        self.edits += 1
        self._emit(chat, "message_edited", message)
        return message.payload

    # ------------------------------------------------------------------ bot methods

    async def _get_me(self, params: Params, bot: User) -> JSONDict:
        return bot.to_dict()

    async def _get_updates(self, params: Params, bot: User) -> list[JSONDict]:
        if self.webhook_url:
            raise BotApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        offset = params.get_int("offset", 0) or 0
        limit = min(max(params.get_int("limit", 100) or 100, 1), 100)
        timeout = max(params.get_float("timeout", 0.0), 0.0)
        self._confirm(offset)
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake_pollers()  # an older poll still held is terminated below, as at Telegram
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if generation != self._poll_generation:
                raise BotApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one "
                    "bot instance is running",
                )
            if self.updates:
                return [update.payload for update in islice(self.updates, limit)]
            remaining = deadline - loop.time()
            if remaining <= 0 or self._closing:
                return []
            event = self._updates_changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    def _confirm(self, offset: int) -> None:
        """Drop updates the bot confirmed; a negative offset keeps only the last ``-offset``."""
        if offset > 0:
            while self.updates and self.updates[0].update_id < offset:
                self.updates.popleft()
        elif offset < 0:
            while len(self.updates) > -offset:
                self.updates.popleft()

    def _wake_pollers(self) -> None:
        self._updates_changed.set()
        self._updates_changed = asyncio.Event()

    def _enqueue(self, chat_id: int, body: JSONDict) -> int:
        update_id = self._next_update_id
        self._next_update_id += 1
        self.updates.append(PendingUpdate(update_id, chat_id, {"update_id": update_id, **body}))
        self.updates_created += 1
        self._wake_pollers()
        return update_id

    async def _set_webhook(self, params: Params, bot: User) -> bool:
        url = params.get_str("url") or ""
        if url and not url.startswith(("http://", "https://")):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if params.get_bool("drop_pending_updates"):
            self.updates.clear()
        await self._stop_webhook()
        self.webhook_url = url
        self.webhook_secret = params.get_str("secret_token")
        self.webhook_max_connections = min(
            max(params.get_int("max_connections", 40) or 40, 1), 100
        )
        self.webhook_last_error = None
        if url:
            self._webhook_task = asyncio.create_task(self._webhook_loop())
        self._wake_pollers()
        return True

    async def _delete_webhook(self, params: Params, bot: User) -> bool:
        if params.get_bool("drop_pending_updates"):
            self.updates.clear()
        await self._stop_webhook()
        self.webhook_url = ""
        return True

    async def _get_webhook_info(self, params: Params, bot: User) -> JSONDict:
        info: JSONDict = {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates) + len(self._inflight),
        }
        if self.webhook_url:
            info["max_connections"] = self.webhook_max_connections
        if self.webhook_last_error is not None:
            info["last_error_date"], info["last_error_message"] = self.webhook_last_error
        return info

    async def _stop_webhook(self) -> None:
        task, self._webhook_task = self._webhook_task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        # Updates that were on their way go back to the front of the queue, in order.
        for update in sorted(self._inflight.values(), key=lambda u: -u.update_id):
            self.updates.appendleft(update)
        self._inflight.clear()

    async def _webhook_loop(self) -> None:
        """POST queued updates to the webhook; one chat's updates strictly in order."""
        semaphore = asyncio.Semaphore(self.webhook_max_connections)
        tails: dict[int, asyncio.Task[None]] = {}
        tasks: set[asyncio.Task[None]] = set()
        timeout = aiohttp.ClientTimeout(total=60)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            try:
                while True:
                    if not self.updates:
                        event = self._updates_changed
                        await event.wait()
                        continue
                    update = self.updates.popleft()
                    self._inflight[update.update_id] = update
                    task = asyncio.create_task(
                        self._deliver(session, semaphore, tails.get(update.chat_id), update)
                    )
                    tails[update.chat_id] = task
                    tasks.add(task)
                    task.add_done_callback(tasks.discard)
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)

    async def _deliver(
        self,
        session: aiohttp.ClientSession,
        semaphore: asyncio.Semaphore,
        previous: asyncio.Task[None] | None,
        update: PendingUpdate,
    ) -> None:
        if previous is not None and not previous.done():
            await asyncio.wait([previous])
        headers = {}
        if self.webhook_secret:
            headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook_secret
        delay = 0.1
        while True:
            async with semaphore:
                try:
                    async with session.post(
                        self.webhook_url, json=update.payload, headers=headers
                    ) as response:
                        if 200 <= response.status < 300:
                            self._inflight.pop(update.update_id, None)
                            self.webhook_deliveries += 1
                            return
                        error = f"Wrong response from the webhook: {response.status}"
                except (aiohttp.ClientError, TimeoutError) as exc:
                    error = f"Connection error: {exc}"
            self.webhook_last_error = (int(self.clock()), error)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)

    @staticmethod
    def _scope_key(params: Params) -> str:
        scope = params.get_json("scope") or {"type": "default"}
        language = params.get_str("language_code") or ""
        return json.dumps([scope, language], sort_keys=True)

    async def _set_my_commands(self, params: Params, bot: User) -> bool:
        commands = params.get_json("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("commands must be an array of at most 100 BotCommand objects")
        checked: list[JSONDict] = []
        for item in commands:
            if not isinstance(item, dict):
                raise bad_request("can't parse BotCommand JSON object")
            command = str(item.get("command", "")).removeprefix("/")
            description = str(item.get("description", ""))
            valid = (
                1 <= len(command) <= 32
                and all(c.islower() or c.isdigit() or c == "_" for c in command)
                and command.isascii()
            )
            if not valid:
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            checked.append(BotCommand(command, description).to_dict())
        self.commands[self._scope_key(params)] = checked
        return True

    async def _get_my_commands(self, params: Params, bot: User) -> list[JSONDict]:
        return self.commands.get(self._scope_key(params), [])

    async def _delete_my_commands(self, params: Params, bot: User) -> bool:
        self.commands.pop(self._scope_key(params), None)
        return True

    async def _send_message(self, params: Params, bot: User) -> JSONDict:
        chat = self._chat_for_bot(params)
        text, entities = self._format(
            params.get_str("text"), params.get_str("parse_mode"), params.get_json("entities")
        )
        markup = self._markup(chat, params.get_json("reply_markup"), inline_only=False)
        message = self._new_message(chat, from_bot=True)
        message.text = text
        message.entities = entities
        message.parse_mode = params.get_str("parse_mode")
        message.raw_text = params.get_str("text")
        message.reply_markup = markup
        message.reply_to_message_id = self._reply_target(chat, params)
        return self._store_bot_message(chat, message, bot)

    async def _edit_message_text(self, params: Params, bot: User) -> JSONDict:
        chat = self._chat_for_bot(params)
        message = self._message_to_edit(chat, params)
        if message.text is None:
            raise bad_request("there is no text in the message to edit")
        text, entities = self._format(
            params.get_str("text"), params.get_str("parse_mode"), params.get_json("entities")
        )
        # As at Telegram, an edit without reply_markup removes the inline keyboard.
        markup = self._markup(chat, params.get_json("reply_markup"), inline_only=True)
        return self._apply_edit(
            chat,
            message,
            bot,
            text=text,
            entities=entities,
            reply_markup=markup,
            parse_mode=params.get_str("parse_mode"),
            raw_text=params.get_str("text"),
        )

    async def _edit_message_caption(self, params: Params, bot: User) -> JSONDict:
        chat = self._chat_for_bot(params)
        message = self._message_to_edit(chat, params)
        if message.photo is None and message.document is None:
            raise bad_request("there is no caption in the message to edit")
        caption, entities = self._format(
            params.get_str("caption"),
            params.get_str("parse_mode"),
            params.get_json("caption_entities"),
            caption=True,
        )
        markup = self._markup(chat, params.get_json("reply_markup"), inline_only=True)
        return self._apply_edit(
            chat,
            message,
            bot,
            caption=caption or None,
            caption_entities=entities,
            reply_markup=markup,
        )

    async def _edit_message_reply_markup(self, params: Params, bot: User) -> JSONDict:
        chat = self._chat_for_bot(params)
        message = self._message_to_edit(chat, params)
        markup = self._markup(chat, params.get_json("reply_markup"), inline_only=True)
        return self._apply_edit(chat, message, bot, reply_markup=markup)

    async def _answer_callback_query(self, params: Params, bot: User) -> bool:
        query_id = params.get_str("callback_query_id") or ""
        record = self.callbacks.get(query_id)
        if record is None or record.answer is not None:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = params.get_str("text")
        if text is not None and len(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        record.answer = {
            "callback_query_id": query_id,
            "message_id": record.message_id,
            "data": record.data,
            "text": text,
            "show_alert": params.get_bool("show_alert"),
            "url": params.get_str("url"),
            "date": int(self.clock()),
        }
        record.answered.set()
        chat = self.chats.get(record.chat_id)
        if chat is not None:
            message = chat.messages.get(record.message_id)
            if message is not None:
                message.callback_answers.append(record.answer)
            self._emit(chat, "callback_answered", None, answer=record.answer)
        return True

    async def _delete_message(self, params: Params, bot: User) -> bool:
        chat = self._chat_for_bot(params, sending=False)
        message_id = params.required_int("message_id", "message identifier is not specified")
        message = chat.messages.get(message_id)
        if message is None or message.deleted:
            raise bad_request("message to delete not found")
        message.deleted = True
        self._emit(chat, "message_deleted", message)
        return True

    async def _send_chat_action(self, params: Params, bot: User) -> bool:
        chat = self._chat_for_bot(params)
        action = params.get_str("action")
        if not action:
            raise bad_request("action is empty")
        chat.last_action = action
        self._emit(chat, "chat_action", None, action=action)
        return True

    def _store_file(self, kind: str, upload: Upload | str, default_mime: str) -> FileRecord:
        if isinstance(upload, str):
            known = self.files.get(upload)
            if known is not None:
                return known
            if upload.startswith(("http://", "https://")):
                raise bad_request("failed to get HTTP URL content")
            raise bad_request("wrong file identifier/HTTP URL specified")
        if not upload.data:
            raise bad_request("file must be non-empty")
        number = self._next_file
        self._next_file += 1
        mime = upload.content_type
        if not mime or mime == "application/octet-stream":
            guessed = mimetypes.guess_type(upload.filename or "")[0]
            mime = guessed or default_mime
        extension = mimetypes.guess_extension(mime) or ".bin"
        if upload.filename and "." in upload.filename:
            extension = "." + upload.filename.rsplit(".", 1)[1]
        width, height = _image_size(upload.data) if kind == "photos" else (0, 0)
        record = FileRecord(
            file_id=f"{kind[:3].upper()}-{number:06d}-local",
            file_unique_id=f"u{number:06d}",
            file_path=f"{kind}/file_{number}{extension}",
            data=upload.data,
            mime_type=mime,
            file_name=upload.filename,
            width=width,
            height=height,
        )
        self.files[record.file_id] = record
        self.files_by_path[record.file_path] = record
        return record

    async def _send_media(self, params: Params, bot: User, kind: str) -> JSONDict:
        chat = self._chat_for_bot(params)
        field = "photo" if kind == "photos" else "document"
        upload = params.get_file(field)
        if upload is None:
            raise bad_request(f"there is no {field} in the request")
        caption, caption_entities = self._format(
            params.get_str("caption"),
            params.get_str("parse_mode"),
            params.get_json("caption_entities"),
            caption=True,
        )
        markup = self._markup(chat, params.get_json("reply_markup"), inline_only=False)
        reply_to = self._reply_target(chat, params)
        record = self._store_file(
            kind, upload, "image/png" if kind == "photos" else "application/octet-stream"
        )
        message = self._new_message(chat, from_bot=True)
        if kind == "photos":
            message.photo = [
                PhotoSize(
                    record.file_id,
                    record.file_unique_id,
                    record.width,
                    record.height,
                    len(record.data),
                ).to_dict()
            ]
        else:
            message.document = Document(
                record.file_id,
                record.file_unique_id,
                file_name=record.file_name,
                mime_type=record.mime_type,
                file_size=len(record.data),
            ).to_dict()
        message.file_path = record.file_path
        message.caption = caption or None
        message.caption_entities = caption_entities
        message.parse_mode = params.get_str("parse_mode")
        message.reply_markup = markup
        message.reply_to_message_id = reply_to
        return self._store_bot_message(chat, message, bot)

    async def _send_photo(self, params: Params, bot: User) -> JSONDict:
        return await self._send_media(params, bot, "photos")

    async def _send_document(self, params: Params, bot: User) -> JSONDict:
        return await self._send_media(params, bot, "documents")

    async def _send_location(self, params: Params, bot: User) -> JSONDict:
        chat = self._chat_for_bot(params)
        message = self._new_message(chat, from_bot=True)
        message.location = {
            "latitude": params.get_float("latitude", 0.0),
            "longitude": params.get_float("longitude", 0.0),
        }
        message.reply_markup = self._markup(
            chat, params.get_json("reply_markup"), inline_only=False
        )
        return self._store_bot_message(chat, message, bot)

    async def _get_file(self, params: Params, bot: User) -> JSONDict:
        record = self.files.get(params.get_str("file_id") or "")
        if record is None:
            raise bad_request("invalid file_id")
        return File(
            record.file_id, record.file_unique_id, len(record.data), record.file_path
        ).to_dict()

    async def _get_chat(self, params: Params, bot: User) -> JSONDict:
        chat = self._chat_for_bot(params, sending=False)
        user = chat.user
        info = ChatFullInfo(
            id=user.id,
            type=Chat.PRIVATE,
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types=AcceptedGiftTypes(False, False, False, False, False),
            first_name=user.first_name,
            last_name=user.last_name,
            username=user.username,
        )
        return info.to_dict()

    # ------------------------------------------------------------------ events

    @property
    def version(self) -> int:
        """Grows with every change any chat sees (sent, edited, deleted, pressed …): a reader
        that keeps a view of the chats rebuilds it only when this moved."""
        return self._seq

    def _emit(
        self, chat: ChatState, kind: str, message: StoredMessage | None, **extra: Any
    ) -> None:
        self._seq += 1
        event: JSONDict = {"seq": self._seq, "type": kind, "chat_id": chat.user.id, **extra}
        if message is not None:
            event["message"] = message.view(self._file_base())
        chat.events.append(event)
        chat.notify()
        for queue in self._subscribers:
            if queue.full():
                with contextlib.suppress(asyncio.QueueEmpty):
                    queue.get_nowait()  # a slow subscriber loses the oldest, never blocks us
            queue.put_nowait(event)

    def subscribe(self, maxsize: int = 10_000) -> asyncio.Queue[JSONDict]:
        """A queue of every event (message_sent, user_message, message_edited,
        message_deleted, callback_query, callback_answered, chat_action) for live views."""
        queue: asyncio.Queue[JSONDict] = asyncio.Queue(maxsize=maxsize)
        self._subscribers.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[JSONDict]) -> None:
        """Stop delivering events to ``queue``."""
        self._subscribers.discard(queue)

    def _file_base(self) -> str:
        return f"{self.url}/_user/files" if self.port else "/_user/files"

    # ------------------------------------------------------------------ runner side

    def _chat_of(self, user_id: int, *, create: bool = False) -> ChatState:
        chat = self.chats.get(user_id)
        if chat is None:
            if not create:
                raise BotApiError(404, f"Not Found: user {user_id} does not exist")
            chat = self._ensure_chat(self._add_user(user_id, first_name=f"Runner {user_id}"))
        return chat

    async def create_user(
        self,
        user_id: int | None = None,
        *,
        first_name: str | None = None,
        username: str | None = None,
        last_name: str | None = None,
        language_code: str | None = None,
    ) -> JSONDict:
        """Create a runner (or update the given fields of an existing one); returns its view."""
        if user_id is None:
            while self._next_user_id in self.users:
                self._next_user_id += 1
            user_id = self._next_user_id
        if user_id <= 0:
            raise bad_request("user ids are positive")
        record = self.users.get(user_id)
        if record is None:
            record = self._add_user(
                user_id,
                first_name=first_name or f"Runner {user_id}",
                username=username,
                last_name=last_name,
                language_code=language_code,
            )
            self._ensure_chat(record)
        else:
            for name, value in (
                ("first_name", first_name),
                ("username", username),
                ("last_name", last_name),
                ("language_code", language_code),
            ):
                if value is not None:
                    setattr(record, name, value)
        return self._user_view(record)

    async def create_users(self, user_ids: Iterable[int]) -> int:
        """Create many runners at once (benchmarks); returns how many were new."""
        created = 0
        for user_id in user_ids:
            if user_id not in self.users:
                self._ensure_chat(self._add_user(user_id, first_name=f"Runner {user_id}"))
                created += 1
        return created

    async def get_user(self, user_id: int) -> JSONDict:
        """A runner's view: the Bot API User plus ``blocked`` and the chat's state."""
        return self._user_view(self._chat_of(user_id).user)

    def _user_view(self, user: UserRecord) -> JSONDict:
        chat = self.chats[user.id]
        return {
            **self._user_ptb(user).to_dict(),
            "blocked": user.blocked,
            "chat_instance": chat.chat_instance,
            "last_action": chat.last_action,
            "reply_keyboard": chat.reply_keyboard,
        }

    async def list_users(self) -> list[JSONDict]:
        """Every runner's view."""
        return [self._user_view(user) for user in self.users.values()]

    def _user_message(self, chat: ChatState) -> StoredMessage:
        chat.user.blocked = False  # writing to the bot means the runner restarted it
        return self._new_message(chat, from_bot=False)

    def _deliver_user_message(self, chat: ChatState, message: StoredMessage) -> JSONDict:
        self._build_payload(message, chat, self._user_ptb(chat.user))
        chat.messages[message.message_id] = message
        update_id = self._enqueue(chat.user.id, {"message": message.payload})
        self._emit(chat, "user_message", message, update_id=update_id)
        return message.view(self._file_base())

    async def send_text(
        self, user_id: int, text: str, *, reply_to_message_id: int | None = None
    ) -> JSONDict:
        """The runner types ``text`` (a ``/command`` gets its ``bot_command`` entity)."""
        chat = self._chat_of(user_id, create=True)
        if not text or not text.strip():
            raise bad_request("message text is empty")
        if len(text) > MAX_TEXT_LENGTH:
            raise bad_request("message is too long")
        if reply_to_message_id is not None:
            target = chat.messages.get(reply_to_message_id)
            if target is None or target.deleted:
                raise bad_request("message to be replied not found")
        message = self._user_message(chat)
        message.text = text
        message.entities = command_entities(text)
        message.reply_to_message_id = reply_to_message_id
        return self._deliver_user_message(chat, message)

    async def send_document(
        self, user_id: int, file_name: str, data: bytes, mime_type: str = ""
    ) -> JSONDict:
        """The runner sends a file (an .ics run plan); the bot fetches it with getFile."""
        if len(data) > MAX_UPLOAD_BYTES:
            raise bad_request("file is too big")
        chat = self._chat_of(user_id, create=True)
        record = self._store_file(
            "documents", Upload(file_name, mime_type, data), "application/octet-stream"
        )
        message = self._user_message(chat)
        message.document = Document(
            record.file_id,
            record.file_unique_id,
            file_name=record.file_name,
            mime_type=record.mime_type,
            file_size=len(record.data),
        ).to_dict()
        message.file_path = record.file_path
        return self._deliver_user_message(chat, message)

    async def send_location(self, user_id: int, latitude: float, longitude: float) -> JSONDict:
        """The runner shares a location (onboarding may use it for the time zone)."""
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise bad_request("invalid location")
        chat = self._chat_of(user_id, create=True)
        message = self._user_message(chat)
        message.location = {"latitude": latitude, "longitude": longitude}
        return self._deliver_user_message(chat, message)

    async def press(
        self,
        user_id: int,
        message_id: int,
        data: str | None = None,
        *,
        text: str | None = None,
    ) -> JSONDict:
        """The runner presses the inline button with ``data`` (or labelled ``text``).

        Returns ``{"callback_query_id", "update_id", "data"}``; a button that is not on that
        message is a 400, as a stale or forged press would be refused by Telegram's client.
        """
        chat = self._chat_of(user_id)
        message = chat.messages.get(message_id)
        if message is None or message.deleted or not message.from_bot:
            raise bad_request(f"message {message_id} from the bot not found")
        chosen: str | None = None
        for row in (message.reply_markup or {}).get("inline_keyboard", []):
            for button in row:
                if "callback_data" not in button:
                    continue
                if (data is not None and button["callback_data"] == data) or (
                    data is None and text is not None and button.get("text") == text
                ):
                    chosen = button["callback_data"]
        if chosen is None:
            raise bad_request(f"button not found on message {message_id}")
        return self._queue_press(chat, chat.user, message, chosen)

    async def forged_press(
        self, presser_id: int, chat_id: int, message_id: int, data: str
    ) -> JSONDict:
        """A callback query with any ``data``, from any runner, on a bot message in ``chat_id``.

        Telegram's own apps only send a button's data, but a modified client (or an old or
        forwarded message) can send anything: the bot must check every press itself.
        """
        chat = self._chat_of(chat_id)
        message = chat.messages.get(message_id)
        if message is None or not message.from_bot:
            raise bad_request(f"message {message_id} from the bot not found")
        presser = self.users.get(presser_id) or self._add_user(presser_id)
        return self._queue_press(chat, presser, message, data)

    def _queue_press(
        self, chat: ChatState, presser: UserRecord, message: StoredMessage, data: str
    ) -> JSONDict:
        message_id = message.message_id
        chosen = data
        query_id = str(7_000_000_000_000 + self._next_query)
        self._next_query += 1
        self.callbacks[query_id] = CallbackRecord(query_id, chat.user.id, message_id, chosen)
        query = CallbackQuery(
            id=query_id,
            from_user=self._user_ptb(presser),
            chat_instance=chat.chat_instance,
            data=chosen,
        ).to_dict()
        query["message"] = message.payload
        update_id = self._enqueue(chat.user.id, {"callback_query": query})
        self._emit(
            chat,
            "callback_query",
            None,
            callback_query_id=query_id,
            message_id=message_id,
            data=chosen,
        )
        return {"callback_query_id": query_id, "update_id": update_id, "data": chosen}

    async def wait_for_callback_answer(
        self,
        query_id: str,
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the long-poll protocol
    ) -> JSONDict | None:
        """The bot's ``answerCallbackQuery`` for a press, or ``None`` if none came in time."""
        record = self.callbacks.get(query_id)
        if record is None:
            raise BotApiError(404, f"Not Found: callback query {query_id} does not exist")
        if record.answer is None and timeout > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(record.answered.wait(), timeout)
        return record.answer

    async def history(self, user_id: int, *, include_deleted: bool = False) -> list[JSONDict]:
        """Every message of the chat, both directions, with its current content."""
        chat = self._chat_of(user_id)
        base = self._file_base()
        return [m.view(base) for m in chat.messages.values() if include_deleted or not m.deleted]

    def _bot_messages_after(self, chat: ChatState, after: int) -> list[StoredMessage]:
        found: list[StoredMessage] = []
        for message_id in reversed(chat.messages):
            if message_id <= after:
                break
            message = chat.messages[message_id]
            if message.from_bot and not message.deleted:
                found.append(message)
        found.reverse()
        return found

    async def wait_for_bot_messages(
        self,
        user_id: int,
        after: int = 0,
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the long-poll protocol
        *,
        count: int = 1,
    ) -> list[JSONDict]:
        """Bot messages with ``message_id > after``; waits until ``count`` exist or timeout."""
        chat = self._chat_of(user_id, create=True)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            found = self._bot_messages_after(chat, after)
            remaining = deadline - loop.time()
            if len(found) >= count or remaining <= 0 or self._closing:
                base = self._file_base()
                return [m.view(base) for m in found]
            event = chat.changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    async def wait_for_events(
        self,
        user_id: int,
        since: int = 0,
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the long-poll protocol
    ) -> list[JSONDict]:
        """The chat's events with ``seq > since`` (sends, edits, deletes, answers); long-polls."""
        chat = self._chat_of(user_id, create=True)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            found = [event for event in chat.events if event["seq"] > since]
            remaining = deadline - loop.time()
            if found or remaining <= 0 or self._closing:
                return found
            event = chat.changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    async def set_blocked(self, user_id: int, blocked: bool = True) -> JSONDict:
        """The runner blocks (or unblocks) the bot: sends to them then answer 403."""
        chat = self._chat_of(user_id)
        chat.user.blocked = blocked
        return self._user_view(chat.user)

    def file_bytes(self, file_path: str) -> bytes | None:
        """The bytes of an uploaded file (the demo serves them in-process)."""
        record = self.files_by_path.get(file_path)
        return record.data if record is not None else None

    async def bot_commands(
        self, scope: JSONDict | None = None, language_code: str = ""
    ) -> list[JSONDict]:
        """The command menu the bot set with ``setMyCommands`` (for the demo's menu)."""
        key = json.dumps([scope or {"type": "default"}, language_code], sort_keys=True)
        return self.commands.get(key, [])

    # ------------------------------------------------------------------ control

    async def add_fault(
        self,
        method: str,
        kind: str = "error",
        *,
        count: int = 1,
        status: int = 502,
        retry_after: int = 1,
        seconds: float = 30.0,
        then_process: bool = True,
        description: str | None = None,
    ) -> JSONDict:
        """Queue a fault for the next ``count`` calls of ``method`` (``"*"`` = any method)."""
        if kind not in FAULT_KINDS:
            raise bad_request(f"fault kind must be one of {sorted(FAULT_KINDS)}")
        if count < 1:
            raise bad_request("count must be at least 1")
        fault = Fault(method, kind, count, status, retry_after, seconds, then_process, description)
        self.faults.append(fault)
        return fault.to_dict()

    async def clear_faults(self) -> None:
        """Drop every queued fault."""
        self.faults.clear()

    async def set_rate_limits(
        self,
        *,
        max_per_second: float | None = None,
        per_chat_per_second: float | None = None,
        per_chat_burst: float = 3.0,
        global_burst: float | None = None,
    ) -> JSONDict:
        """Replace the send limits (``None`` switches one off) and start their buckets afresh."""
        for value in (max_per_second, per_chat_per_second):
            if value is not None and value <= 0:
                raise bad_request("rates must be positive")
        self.rate_limits = RateLimits(
            max_per_second, per_chat_per_second, global_burst, per_chat_burst
        )
        self._global_bucket = None
        self._chat_buckets.clear()
        return self.rate_limits.to_dict()

    def stats(self, *, include_times: bool = False) -> JSONDict:
        """Counters for tests and benchmarks: calls per method, 429s, sends per second."""
        out: JSONDict = {
            "calls": dict(self.calls),
            "errors": {str(code): n for code, n in self.errors.items()},
            "rate_limited": self.rate_limited,
            "messages_sent": self.messages_sent,
            "edits": self.edits,
            "updates_created": self.updates_created,
            "updates_pending": len(self.updates),
            "webhook_deliveries": self.webhook_deliveries,
            "users": len(self.users),
            "sent_per_second": {str(k): v for k, v in sorted(self.sent_per_second.items())},
            "peak_per_second": max(self.sent_per_second.values(), default=0),
            "rate_limits": self.rate_limits.to_dict(),
            "faults": [fault.to_dict() for fault in self.faults],
        }
        if include_times:
            out["send_times"] = list(self.send_times)
        return out

    async def reset(self) -> None:
        """Forget runners, chats, updates, files, commands, faults and counters.

        Limits stay as configured; the listening socket stays open.
        """
        await self._stop_webhook()
        self._wake_pollers()
        for chat in self.chats.values():
            chat.notify()
        self.faults.clear()
        self._reset_state()


_CONTENT_FIELDS = ("text", "entities", "caption", "caption_entities", "reply_markup")
"""The fields ``StoredMessage.content_key`` compares, in its order."""
