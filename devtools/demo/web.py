"""The demo's web side: a static chat page and a small JSON + websocket API over the local server.

Each browser tab is one runner (its id lives in the tab's `sessionStorage`); every route acts as
that runner through the in-process `LocalBotApi` methods, so the bot sees exactly the updates a
Telegram client would send. The page never receives raw HTML from messages: it gets text and
entities and builds the formatting itself.

Routes:
- `GET /` the page; `GET /static/...` its script and style.
- `POST /api/session` `{"runner_id"?, "name"?}` → the runner, the bot, the command menu and the
  clock (the runner is created on the local server if it does not exist yet).
- `GET /api/runners/{uid}/ws` websocket: a `snapshot` of the chat, then every event of this chat
  (`message_sent`, `user_message`, `message_edited`, `message_deleted`, `callback_answered`,
  `chat_action`) and `clock` when anyone fast-forwards.
- `POST /api/runners/{uid}/messages` `{"text", "reply_to_message_id"?}`; `POST
  /api/runners/{uid}/press` `{"message_id", "data"}`.
- `GET /api/commands`; `GET /api/runners/{uid}/clock`; `GET /files/{path}` photos and documents.
- `POST /api/fast-forward` `{"runner_id"}` (demo only) → the clock after the jump.
- `POST /api/runners/{uid}/documents` a file (📎: an .ics plan or a run file); `GET
  /demo/plan.ics` a sample plan feed; `GET /demo/run.gpx` a run that just finished.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from aiohttp import WSMsgType, web

from bot.ports import OffsetClock
from bot.services.container import Services
from devtools.demo.fastforward import fast_forward, next_reminder, runner_timezone
from devtools.demo.sample_calendar import sample_plan
from devtools.demo.sample_run import sample_run_gpx
from devtools.localapi import BotApiError, LocalBotApi
from devtools.localapi.markup import EntityParseError, parse_html

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
MAX_RUNNER_ID = 2**31 - 1
MAX_NAME = 64
FILES_MARK = "/_user/files/"

JSON = dict[str, Any]


@dataclass
class DemoParts:
    """What the web side needs: the local server, the running bot, its services and clock."""

    api: LocalBotApi
    application: Any
    services: Services
    clock: OffsetClock
    sockets: dict[int, set[web.WebSocketResponse]] = field(default_factory=dict)


PARTS: web.AppKey[DemoParts] = web.AppKey("demo_parts", DemoParts)


def _file_path(view: JSON) -> str | None:
    url = view.get("file_url")
    if not isinstance(url, str) or FILES_MARK not in url:
        return None
    return url.split(FILES_MARK, 1)[1]


def message_for_page(view: JSON) -> JSON:
    """A message view for the page: files through this server, no bot-supplied HTML at all.

    Captions come as text plus entities, like texts (the local server keeps caption entities
    only as HTML, so they are parsed back here with Telegram's own rules).
    """
    out = {
        key: value
        for key, value in view.items()
        if key not in ("raw_text", "text_html", "caption_html")
    }
    caption_html = view.get("caption_html")
    out["caption_entities"] = []
    if isinstance(caption_html, str) and view.get("caption"):
        with contextlib.suppress(EntityParseError):
            out["caption"], out["caption_entities"] = parse_html(caption_html)
    path = _file_path(view)
    out["file_url"] = f"/files/{quote(path)}" if path else None
    return out


def event_for_page(event: JSON) -> JSON:
    """A local-server event in the shape the page reads."""
    out = dict(event)
    if isinstance(out.get("message"), dict):
        out["message"] = message_for_page(out["message"])
    return out


async def clock_view(parts: DemoParts, runner_id: int) -> JSON:
    """The bot's time as the runner sees it: the instant, their zone, and the next reminder."""
    services = parts.services
    zone = await runner_timezone(services, runner_id) or services.settings.default_timezone
    upcoming = await next_reminder(services, runner_id)
    now = services.now()
    return {
        "now": now.isoformat(),
        "now_ms": int(now.timestamp() * 1000),
        "offset_ms": int(parts.clock.offset.total_seconds() * 1000),
        "timezone": zone,
        "next_reminder": (
            {"kind": upcoming.kind, "due_at": upcoming.due_at.isoformat()}
            if upcoming is not None
            else None
        ),
    }


def _runner_id(request: web.Request) -> int:
    try:
        value = int(request.match_info["uid"])
    except (KeyError, ValueError):
        raise web.HTTPBadRequest(text="runner id must be a number") from None
    if not 0 < value <= MAX_RUNNER_ID:
        raise web.HTTPBadRequest(text="runner id out of range")
    return value


async def _json_body(request: web.Request) -> JSON:
    try:
        body = await request.json()
    except ValueError:
        raise web.HTTPBadRequest(text="the body must be JSON") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="the body must be a JSON object")
    return body


Route = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _api_errors(route: Route) -> Route:
    """The local server's refusals (empty text, a stale button) reach the page as JSON 400s."""

    async def handler(request: web.Request) -> web.StreamResponse:
        try:
            return await route(request)
        except BotApiError as error:
            return web.json_response(
                {"ok": False, "description": error.description}, status=error.error_code
            )

    return handler


async def index(request: web.Request) -> web.StreamResponse:
    return web.FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})


async def start_session(request: web.Request) -> web.StreamResponse:
    parts = request.app[PARTS]
    body = await _json_body(request)
    raw_id = body.get("runner_id")
    runner_id: int | None = None
    if raw_id is not None:
        try:
            runner_id = int(raw_id)
        except (TypeError, ValueError):
            raise web.HTTPBadRequest(text="runner_id must be a number") from None
        if not 0 < runner_id <= MAX_RUNNER_ID:
            raise web.HTTPBadRequest(text="runner_id out of range")
    name = str(body.get("name") or "").strip()[:MAX_NAME] or None
    user = await parts.api.create_user(runner_id, first_name=name)
    me = parts.application.bot
    return web.json_response(
        {
            "runner": {"id": user["id"], "first_name": user["first_name"]},
            "bot": {"username": me.username, "first_name": me.first_name},
            "commands": await parts.api.bot_commands(),
            "clock": await clock_view(parts, int(user["id"])),
        }
    )


async def chat_socket(request: web.Request) -> web.StreamResponse:
    parts = request.app[PARTS]
    runner_id = _runner_id(request)
    await parts.api.create_user(runner_id)
    ws = web.WebSocketResponse(heartbeat=20)
    await ws.prepare(request)
    queue = parts.api.subscribe()
    parts.sockets.setdefault(runner_id, set()).add(ws)
    history = await parts.api.history(runner_id)
    forward = asyncio.create_task(_forward(ws, queue, runner_id))
    try:
        await ws.send_json(
            {"type": "snapshot", "messages": [message_for_page(m) for m in history]}
        )
        async for message in ws:  # the page only listens; reading keeps the socket alive
            if message.type in (WSMsgType.ERROR, WSMsgType.CLOSE):
                break
    except (ConnectionError, RuntimeError):
        pass
    finally:
        forward.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await forward
        parts.api.unsubscribe(queue)
        parts.sockets.get(runner_id, set()).discard(ws)
    return ws


async def _forward(ws: web.WebSocketResponse, queue: asyncio.Queue[JSON], runner_id: int) -> None:
    """Streams this runner's events only: one tab never sees another runner's chat."""
    try:
        while not ws.closed:
            event = await queue.get()
            if event.get("chat_id") != runner_id:
                continue
            await ws.send_json(event_for_page(event))
    except (ConnectionError, RuntimeError):
        return


@_api_errors
async def send_message(request: web.Request) -> web.StreamResponse:
    parts = request.app[PARTS]
    body = await _json_body(request)
    reply_to = body.get("reply_to_message_id")
    message = await parts.api.send_text(
        _runner_id(request),
        str(body.get("text") or ""),
        reply_to_message_id=int(reply_to) if reply_to is not None else None,
    )
    return web.json_response({"ok": True, "message": message_for_page(message)})


@_api_errors
async def send_document(request: web.Request) -> web.StreamResponse:
    """The runner uploads a file (an .ics run plan, or a run's .fit/.gpx/.tcx) as a Telegram
    document."""
    parts = request.app[PARTS]
    form = await request.post()
    field = form.get("document")
    if not isinstance(field, web.FileField):
        return web.json_response({"ok": False, "description": "choose a file"}, status=400)
    message = await parts.api.send_document(
        _runner_id(request), field.filename or "file", field.file.read(), field.content_type
    )
    return web.json_response({"ok": True, "message": message_for_page(message)})


async def sample_run(request: web.Request) -> web.StreamResponse:
    """A run file to send with 📎: a run that finished ten minutes ago on the demo's clock."""
    parts = request.app[PARTS]
    return web.Response(
        body=sample_run_gpx(parts.clock.now()),
        content_type="application/gpx+xml",
        headers={"Content-Disposition": "attachment; filename=demo-run.gpx"},
    )


async def sample_feed(request: web.Request) -> web.StreamResponse:
    """A run plan feed the demo serves itself: paste its link into the chat."""
    parts = request.app[PARTS]
    today = parts.clock.now().date()
    return web.Response(body=sample_plan(today), content_type="text/calendar")


@_api_errors
async def press_button(request: web.Request) -> web.StreamResponse:
    parts = request.app[PARTS]
    body = await _json_body(request)
    try:
        message_id = int(body["message_id"])
        data = str(body["data"])
    except (KeyError, TypeError, ValueError):
        raise web.HTTPBadRequest(text="message_id and data are needed") from None
    result = await parts.api.press(_runner_id(request), message_id, data)
    return web.json_response({"ok": True, **result})


async def commands(request: web.Request) -> web.StreamResponse:
    return web.json_response(await request.app[PARTS].api.bot_commands())


async def clock(request: web.Request) -> web.StreamResponse:
    return web.json_response(await clock_view(request.app[PARTS], _runner_id(request)))


async def fast_forward_route(request: web.Request) -> web.StreamResponse:
    parts = request.app[PARTS]
    body = await _json_body(request)
    try:
        runner_id = int(body["runner_id"])
    except (KeyError, TypeError, ValueError):
        raise web.HTTPBadRequest(text="runner_id is needed") from None
    result = await fast_forward(parts.application, parts.services, parts.clock, runner_id)
    await _broadcast_clock(parts)
    view = await clock_view(parts, runner_id)
    return web.json_response(
        {
            **view,
            "jumped_seconds": int(result.jumped.total_seconds()),
            "kind": result.kind,
            "sent": result.sent,
        }
    )


async def _broadcast_clock(parts: DemoParts) -> None:
    """Every open tab shares the one bot clock, so every header moves on a fast-forward."""
    for runner_id, sockets in list(parts.sockets.items()):
        if not sockets:
            continue
        view = await clock_view(parts, runner_id)
        for ws in list(sockets):
            with contextlib.suppress(ConnectionError, RuntimeError):
                await ws.send_json({"type": "clock", "clock": view})


async def download(request: web.Request) -> web.StreamResponse:
    parts = request.app[PARTS]
    path = request.match_info["path"]
    record = parts.api.files_by_path.get(path)
    if record is None:
        raise web.HTTPNotFound(text="no such file")
    headers = {"Cache-Control": "private, max-age=3600"}
    if not record.mime_type.startswith("image/"):
        name = record.file_name or path.rsplit("/", 1)[-1]
        headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return web.Response(body=record.data, content_type=record.mime_type, headers=headers)


@web.middleware
async def security_headers(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """The page loads nothing from elsewhere; say so, in case a message ever tries."""
    response = await handler(request)
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
        "script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


def make_web_app(parts: DemoParts) -> web.Application:
    """The aiohttp application for the page (started by the supervisor, or a test client)."""
    app = web.Application(middlewares=[security_headers])
    app[PARTS] = parts
    app.router.add_get("/", index)
    app.router.add_static("/static/", STATIC_DIR)
    app.router.add_post("/api/session", start_session)
    app.router.add_get("/api/commands", commands)
    app.router.add_post("/api/fast-forward", fast_forward_route)
    app.router.add_get(r"/api/runners/{uid:\d+}/ws", chat_socket)
    app.router.add_get(r"/api/runners/{uid:\d+}/clock", clock)
    app.router.add_post(r"/api/runners/{uid:\d+}/messages", send_message)
    app.router.add_post(r"/api/runners/{uid:\d+}/press", press_button)
    app.router.add_post(r"/api/runners/{uid:\d+}/documents", send_document)
    app.router.add_get("/demo/plan.ics", sample_feed)
    app.router.add_get("/demo/run.gpx", sample_run)
    app.router.add_get("/files/{path:.+}", download)
    app.on_shutdown.append(_close_sockets)
    return app


async def _close_sockets(app: web.Application) -> None:
    for sockets in app[PARTS].sockets.values():
        for ws in list(sockets):
            with contextlib.suppress(Exception):
                await ws.close()
