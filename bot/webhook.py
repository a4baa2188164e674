"""The webhook listener: Telegram POSTs updates here when WEBHOOK_URL is set.

PTB's own listener reads a body of up to 100 MB before it looks at the secret header and keeps a
half-open request forever, so anyone who finds the port could tie the bot up. This one (tornado,
as PTB's) checks the secret as soon as the headers are in and refuses without reading the body,
refuses a body over 1 MB from its Content-Length or as it arrives, and drops a client whose
headers are not complete within 10 s.

With several replicas on one PostgreSQL (`bot.inbox`) a POST is answered 200 only once the update
is stored, and 503 while the database is out of reach; `GET /healthz` tells a load balancer the
replica is up.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
import signal
from typing import Any, Protocol
from urllib.parse import urlsplit

import tornado.web
from telegram import Update
from tornado.httpserver import HTTPServer

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024
"""Bytes of one update; Telegram's are a few kB (a long message with entities stays far below)."""
HEADER_TIMEOUT = 10.0
"""Seconds a client has to send its request's headers (and to stay idle between requests)."""
BODY_TIMEOUT = 10.0
"""Seconds a client has to send the body once its headers are accepted."""


HEALTH_PATH = "/healthz"


class Inbox(Protocol):
    """Where a replica stores an update before acknowledging it (`bot.inbox.InboxDrainer`)."""

    async def accept(self, payload: dict[str, Any]) -> None: ...

    def start(self) -> None: ...

    async def stop(self) -> None: ...


def listener_path(webhook_url: str, bot_id: str) -> str:
    """The path Telegram posts to: WEBHOOK_URL's own path (a proxy may forward it), then the
    bot's id."""
    return f"{urlsplit(webhook_url).path.rstrip('/')}/{bot_id}"


@tornado.web.stream_request_body
class _UpdateHandler(tornado.web.RequestHandler):
    """One POST, one update onto the Application's queue."""

    def initialize(self, app: Any, secret: str, inbox: Inbox | None = None) -> None:
        self._app = app
        self._secret = secret.encode()
        self._inbox = inbox
        self._body = bytearray()

    async def prepare(self) -> None:
        """Runs once the headers are in, before any of the body is read."""
        if self.request.method != "POST":
            await self._refuse(405)
            return
        given = self.request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            await self._refuse(403)

    async def _refuse(self, status: int) -> None:
        self.set_status(status)
        self.set_header("Connection", "close")
        await self.finish()
        self.request.connection.close()  # type: ignore[union-attr]

    def data_received(self, chunk: bytes) -> None:
        if self._finished:
            return
        self._body += chunk
        if len(self._body) > MAX_BODY:  # tornado refuses it first; kept as a second line
            self.set_status(413)
            self.finish()

    async def post(self) -> None:
        try:
            payload = json.loads(self._body)
            update = Update.de_json(payload, self._app.bot)
            int(payload["update_id"])
        except (ValueError, TypeError, KeyError):
            log.warning("webhook: a body that is not an update (%d bytes)", len(self._body))
            self.set_status(400)
            return
        if self._inbox is None:
            await self._app.update_queue.put(update)
            self.set_status(200)
            return
        try:
            await self._inbox.accept(payload)
        except Exception:  # not stored: Telegram must deliver it again
            log.warning("webhook: update %s not stored; answered 503", update.update_id)
            self.set_status(503)
            return
        self.set_status(200)

    def log_exception(self, *args: Any) -> None:  # no request bodies in the log
        log.warning("webhook: request failed: %s", args[1] if len(args) > 1 else "?")


class _HealthHandler(tornado.web.RequestHandler):
    """`GET /healthz`: 200 while the bot runs, for the load balancer's checks."""

    def initialize(self, app: Any) -> None:
        self._app = app

    def get(self) -> None:
        self.set_status(200 if self._app.running else 503)
        self.finish("ok" if self._app.running else "starting")


def start_listener(
    app: Any,
    *,
    listen: str,
    port: int,
    path: str,
    secret: str,
    header_timeout: float = HEADER_TIMEOUT,
    body_timeout: float = BODY_TIMEOUT,
    inbox: Inbox | None = None,
) -> HTTPServer:
    """Starts serving `path` on `listen:port` (call inside the running event loop)."""
    web = tornado.web.Application(
        [
            (re.escape(path), _UpdateHandler, {"app": app, "secret": secret, "inbox": inbox}),
            (re.escape(HEALTH_PATH), _HealthHandler, {"app": app}),
        ],
        log_function=lambda handler: None,  # access lines would only repeat the path
    )
    server = HTTPServer(
        web,
        max_body_size=MAX_BODY,
        max_buffer_size=2 * MAX_BODY,
        idle_connection_timeout=header_timeout,
        body_timeout=body_timeout,
    )
    server.listen(port, address=listen)
    return server


async def serve(
    app: Any,
    *,
    listen: str,
    port: int,
    webhook_url: str,
    bot_id: str,
    secret: str,
    inbox: Inbox | None = None,
) -> None:
    """Runs the bot on a webhook until SIGINT or SIGTERM: what `run_webhook` did, safely.

    With `inbox`, updates are stored before they are acknowledged and handled from there."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        async with app:
            if app.post_init is not None:
                await app.post_init(app)
            server = start_listener(
                app,
                listen=listen,
                port=port,
                path=listener_path(webhook_url, bot_id),
                secret=secret,
                inbox=inbox,
            )
            try:
                await app.start()
                if inbox is not None:
                    inbox.start()
                await app.bot.set_webhook(
                    url=f"{webhook_url.rstrip('/')}/{bot_id}",
                    secret_token=secret,
                    allowed_updates=Update.ALL_TYPES,
                )
                await stop.wait()
            finally:
                server.stop()
                if inbox is not None:
                    await inbox.stop()
                if app.running:
                    await app.stop()
                    if app.post_stop is not None:
                        await app.post_stop(app)
    finally:
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
