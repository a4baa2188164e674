"""The runner-side HTTP API of the local Bot API server.

Tests, the demo and benchmarks act as one or many runners through these routes; each one calls
the `RunnerSide` method of the same name (what :class:`~devtools.localapi.server.LocalBotApi`
offers runners), so in-process callers and HTTP callers see the same behaviour. Answers use the
Bot API envelope: ``{"ok": true, "result": ...}`` or
``{"ok": false, "error_code", "description"}`` with the HTTP status of the error.

Runners (``{uid}`` is the runner's user id, which is also their chat id):

- ``POST /_user/users`` ``{"id"?, "first_name"?, "username"?, "last_name"?, "language_code"?}``
  → the runner (created, or updated if it exists).
- ``GET /_user/users`` → every runner.
- ``GET /_user/{uid}`` → the runner, with ``blocked``, ``last_action`` and ``reply_keyboard``.
- ``POST /_user/{uid}/messages`` ``{"text", "reply_to_message_id"?}`` → the message sent
  (a leading ``/command`` or ``/command@bot`` gets its ``bot_command`` entity).
- ``POST /_user/{uid}/location`` ``{"latitude", "longitude"}`` → the message sent.
- ``POST /_user/{uid}/documents`` multipart ``document`` (a file part) → the message sent.
- ``POST /_user/{uid}/press`` ``{"message_id", "data"? | "text"?}`` →
  ``{"callback_query_id", "update_id", "data"}``; 400 if the button is not on that message.
- ``GET /_user/{uid}/callbacks/{query_id}?timeout=S`` → the bot's answer or ``null``.
- ``GET /_user/{uid}/history?include_deleted=1`` → every message, both directions.
- ``GET /_user/{uid}/wait?after=<message_id>&timeout=S&count=N`` → bot messages with a greater
  id, held until ``count`` exist or the timeout passes.
- ``GET /_user/{uid}/events?since=<seq>&timeout=S`` → the chat's events after ``seq`` (sent,
  edited, deleted, callback answered …), held until one exists or the timeout passes.
- ``POST /_user/{uid}/block`` / ``POST /_user/{uid}/unblock`` → the runner.
- ``GET /_user/files/{file_path}`` → the bytes of a photo or document the bot uploaded.

Control:

- ``GET|POST|DELETE /_test/faults`` — list, add (``{"method", "kind": "error"|"429"|"hang",
  "count"?, "status"?, "retry_after"?, "seconds"?, "then_process"?, "description"?}``), clear.
- ``GET|PUT|POST /_test/rate_limits`` ``{"max_per_second"?, "per_chat_per_second"?,
  "per_chat_burst"?, "global_burst"?}`` (``null`` switches a limit off).
- ``GET /_test/stats?times=1`` — calls per method, errors, 429s, sends per second.
- ``POST /_test/reset`` — forget everything but the limits.
- ``GET /_test/commands`` — the command menu the bot set.
- ``GET /_test/stream`` — every event as server-sent events (``data: <json>``).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from aiohttp import web

from devtools.localapi.state import BotApiError, Fault, JSONDict, RateLimits, bad_request


class RunnerSide(Protocol):
    """What these routes call: the server's runner-side methods (the server adds the routes,
    so this module names the shape rather than importing the server back)."""

    faults: list[Fault]
    rate_limits: RateLimits

    async def create_user(
        self,
        user_id: int | None = None,
        *,
        first_name: str | None = None,
        username: str | None = None,
        last_name: str | None = None,
        language_code: str | None = None,
    ) -> JSONDict: ...
    async def list_users(self) -> list[JSONDict]: ...
    async def get_user(self, user_id: int) -> JSONDict: ...
    async def send_text(
        self, user_id: int, text: str, *, reply_to_message_id: int | None = None
    ) -> JSONDict: ...
    async def send_location(self, user_id: int, latitude: float, longitude: float) -> JSONDict: ...
    async def send_document(
        self, user_id: int, file_name: str, data: bytes, mime_type: str = ""
    ) -> JSONDict: ...
    async def press(
        self, user_id: int, message_id: int, data: str | None = None, *, text: str | None = None
    ) -> JSONDict: ...
    async def wait_for_callback_answer(
        self,
        query_id: str,
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the long-poll protocol
    ) -> JSONDict | None: ...
    async def history(self, user_id: int, *, include_deleted: bool = False) -> list[JSONDict]: ...
    async def wait_for_bot_messages(
        self,
        user_id: int,
        after: int = 0,
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the long-poll protocol
        *,
        count: int = 1,
    ) -> list[JSONDict]: ...
    async def wait_for_events(
        self,
        user_id: int,
        since: int = 0,
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the long-poll protocol
    ) -> list[JSONDict]: ...
    async def set_blocked(self, user_id: int, blocked: bool = True) -> JSONDict: ...
    def file_response(self, file_path: str) -> web.Response: ...
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
    ) -> JSONDict: ...
    async def clear_faults(self) -> None: ...
    async def set_rate_limits(
        self,
        *,
        max_per_second: float | None = None,
        per_chat_per_second: float | None = None,
        per_chat_burst: float = 3.0,
        global_burst: float | None = None,
    ) -> JSONDict: ...
    def stats(self, *, include_times: bool = False) -> JSONDict: ...
    async def reset(self) -> None: ...
    async def bot_commands(
        self, scope: JSONDict | None = None, language_code: str = ""
    ) -> list[JSONDict]: ...
    def subscribe(self, maxsize: int = 10_000) -> asyncio.Queue[JSONDict]: ...
    def unsubscribe(self, queue: asyncio.Queue[JSONDict]) -> None: ...


Route = Callable[[web.Request], Awaitable[Any]]
_UID = r"{uid:\d+}"


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _wrap(route: Route) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """Turn a route returning a result into one answering in the Bot API envelope."""

    async def handler(request: web.Request) -> web.StreamResponse:
        try:
            result = await route(request)
        except BotApiError as error:
            return web.json_response(error.payload(), status=error.error_code)
        except (KeyError, TypeError, ValueError) as error:
            body = bad_request(f"invalid request: {error}").payload()
            return web.json_response(body, status=400)
        if isinstance(result, web.StreamResponse):
            return result
        return _ok(result)

    return handler


async def _body(request: web.Request) -> dict[str, Any]:
    if not request.body_exists:
        return {}
    try:
        body = await request.json()
    except ValueError:
        raise bad_request("the body must be JSON") from None
    if not isinstance(body, dict):
        raise bad_request("the body must be a JSON object")
    return body


def _uid(request: web.Request) -> int:
    return int(request.match_info["uid"])


def _query_float(request: web.Request, name: str, default: float) -> float:
    value = request.query.get(name)
    return float(value) if value not in (None, "") else default


def _query_int(request: web.Request, name: str, default: int) -> int:
    value = request.query.get(name)
    return int(value) if value not in (None, "") else default


def add_user_routes(app: web.Application, api: RunnerSide) -> None:
    """Register the runner-side and control routes for ``api`` on ``app``."""

    async def create_user(request: web.Request) -> Any:
        body = await _body(request)
        user_id = body.get("id")
        return await api.create_user(
            int(user_id) if user_id is not None else None,
            first_name=body.get("first_name"),
            username=body.get("username"),
            last_name=body.get("last_name"),
            language_code=body.get("language_code"),
        )

    async def list_users(request: web.Request) -> Any:
        return await api.list_users()

    async def get_user(request: web.Request) -> Any:
        return await api.get_user(_uid(request))

    async def send_text(request: web.Request) -> Any:
        body = await _body(request)
        reply_to = body.get("reply_to_message_id")
        return await api.send_text(
            _uid(request),
            str(body.get("text", "")),
            reply_to_message_id=int(reply_to) if reply_to is not None else None,
        )

    async def send_location(request: web.Request) -> Any:
        body = await _body(request)
        return await api.send_location(
            _uid(request), float(body["latitude"]), float(body["longitude"])
        )

    async def send_document(request: web.Request) -> Any:
        form = await request.post()
        part = form.get("document")
        if not isinstance(part, web.FileField):
            raise bad_request("there is no document in the request")
        return await api.send_document(
            _uid(request), part.filename or "file", part.file.read(), part.content_type or ""
        )

    async def press(request: web.Request) -> Any:
        body = await _body(request)
        data = body.get("data")
        return await api.press(
            _uid(request),
            int(body["message_id"]),
            str(data) if data is not None else None,
            text=body.get("text"),
        )

    async def callback_answer(request: web.Request) -> Any:
        return await api.wait_for_callback_answer(
            request.match_info["query_id"], _query_float(request, "timeout", 0.0)
        )

    async def history(request: web.Request) -> Any:
        include = request.query.get("include_deleted", "") in ("1", "true")
        return await api.history(_uid(request), include_deleted=include)

    async def wait(request: web.Request) -> Any:
        return await api.wait_for_bot_messages(
            _uid(request),
            _query_int(request, "after", 0),
            _query_float(request, "timeout", 5.0),
            count=_query_int(request, "count", 1),
        )

    async def events(request: web.Request) -> Any:
        return await api.wait_for_events(
            _uid(request), _query_int(request, "since", 0), _query_float(request, "timeout", 5.0)
        )

    async def block(request: web.Request) -> Any:
        return await api.set_blocked(_uid(request), True)

    async def unblock(request: web.Request) -> Any:
        return await api.set_blocked(_uid(request), False)

    async def user_file(request: web.Request) -> Any:
        return api.file_response(request.match_info["path"])

    async def list_faults(request: web.Request) -> Any:
        return [fault.to_dict() for fault in api.faults]

    async def add_fault(request: web.Request) -> Any:
        body = await _body(request)
        description = body.get("description")
        return await api.add_fault(
            str(body["method"]),
            str(body.get("kind", "error")),
            count=int(body.get("count", 1)),
            status=int(body.get("status", 502)),
            retry_after=int(body.get("retry_after", 1)),
            seconds=float(body.get("seconds", 30.0)),
            then_process=bool(body.get("then_process", True)),
            description=str(description) if description is not None else None,
        )

    async def clear_faults(request: web.Request) -> Any:
        await api.clear_faults()
        return True

    async def get_rate_limits(request: web.Request) -> Any:
        return api.rate_limits.to_dict()

    async def set_rate_limits(request: web.Request) -> Any:
        body = await _body(request)

        def number(name: str) -> float | None:
            value = body.get(name)
            return float(value) if value is not None else None

        return await api.set_rate_limits(
            max_per_second=number("max_per_second"),
            per_chat_per_second=number("per_chat_per_second"),
            per_chat_burst=number("per_chat_burst") or 3.0,
            global_burst=number("global_burst"),
        )

    async def stats(request: web.Request) -> Any:
        return api.stats(include_times=request.query.get("times", "") in ("1", "true"))

    async def reset(request: web.Request) -> Any:
        await api.reset()
        return True

    async def commands(request: web.Request) -> Any:
        return await api.bot_commands()

    async def stream(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
        )
        await response.prepare(request)
        queue = api.subscribe()
        try:
            await response.write(b": connected\n\n")
            while True:
                event = await queue.get()
                await response.write(f"data: {json.dumps(event)}\n\n".encode())
        except (ConnectionResetError, ConnectionError):
            pass
        finally:
            api.unsubscribe(queue)
        return response

    routes: list[tuple[str, str, Route]] = [
        ("GET", "/_user/files/{path:.+}", user_file),
        ("POST", "/_user/users", create_user),
        ("GET", "/_user/users", list_users),
        ("GET", f"/_user/{_UID}", get_user),
        ("POST", f"/_user/{_UID}/messages", send_text),
        ("POST", f"/_user/{_UID}/location", send_location),
        ("POST", f"/_user/{_UID}/documents", send_document),
        ("POST", f"/_user/{_UID}/press", press),
        ("GET", f"/_user/{_UID}/callbacks/{{query_id}}", callback_answer),
        ("GET", f"/_user/{_UID}/history", history),
        ("GET", f"/_user/{_UID}/wait", wait),
        ("GET", f"/_user/{_UID}/events", events),
        ("POST", f"/_user/{_UID}/block", block),
        ("POST", f"/_user/{_UID}/unblock", unblock),
        ("GET", "/_test/faults", list_faults),
        ("POST", "/_test/faults", add_fault),
        ("DELETE", "/_test/faults", clear_faults),
        ("GET", "/_test/rate_limits", get_rate_limits),
        ("PUT", "/_test/rate_limits", set_rate_limits),
        ("POST", "/_test/rate_limits", set_rate_limits),
        ("GET", "/_test/stats", stats),
        ("POST", "/_test/reset", reset),
        ("GET", "/_test/commands", commands),
        ("GET", "/_test/stream", stream),
    ]
    for method, path, route in routes:
        app.router.add_route(method, path, _wrap(route))
