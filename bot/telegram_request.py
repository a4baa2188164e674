"""The bot's HTTP client for the Bot API: python-telegram-bot's `BaseRequest` on aiohttp.

PTB's own `HTTPXRequest` spends its time in pure Python: under a burst of answers, httpx and
httpcore took half of the bot's CPU (3.7 ms of 9 ms per onboarding answer). aiohttp parses HTTP
in C and does the same work for a fraction of that, and `BaseRequest` is PTB's documented place
to swap the networking backend: everything above it (retries, errors, the rate limiter) is PTB's.

A request first waits on a semaphore for one of the `connections` (the pool timeout), so the
connector never queues. Errors map onto PTB's as `HTTPXRequest` maps them: a timeout is
`TimedOut`, anything else on the wire is `NetworkError`. A timeout that happened before the
request left (no free connection, no TCP connection) says so in its message, which the reminder
delivery reads to tell "safe to send again" from "may have reached Telegram".

`before_the_wire(hook)` lets a caller run a last step once a connection is held and nothing
but the HTTP exchange is left: the reminder delivery commits `sending` there, so a reminder
still queued for a connection when the process dies is never taken for one cut off mid-call.

With a `pace` (replicas sharing one database: `bot.inbox.SharedPace`), every send* / copy* /
forward* call books its moment and waits for it while holding its connection, so at most
`connections` sends of a replica are booked ahead. Moments are times on the database's clock,
which a replica on the same host (or kept by NTP) shares: a send that has fallen behind its
moment (a busy loop, a slow commit) sees it and books a new one rather than bunch with the next
on time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import ssl
import time
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from contextvars import ContextVar
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import certifi
from telegram.error import NetworkError, TelegramError, TimedOut
from telegram.request import BaseRequest, RequestData

log = logging.getLogger(__name__)

NOT_SENT_PREFIXES = ("Pool timeout", "Connect timeout")
"""How a `TimedOut` that never reached the Bot API starts its message."""

WireHook = Callable[[], Awaitable[None]]
ReplyHook = Callable[[int, bytes], Awaitable[None]]
"""Called with the Bot API's HTTP status and body (`after_the_wire`)."""
_before_the_wire: ContextVar[WireHook | None] = ContextVar("before_the_wire", default=None)
_after_the_wire: ContextVar[ReplyHook | None] = ContextVar("after_the_wire", default=None)

Pace = Callable[[int | None], Awaitable[tuple[float, float]]]
"""Books the moment one message may go out (to this chat, 1/s, when given); returns that moment
and the booker's own now, both UNIX times on the booker's clock (`_local_moment` reads them)."""
SEND_METHODS = ("send", "copy", "forward")
"""Calls Telegram counts against a bot's ~30 messages/s (edits and callback answers aside)."""
ANSWER_METHODS = (*SEND_METHODS, "edit", "answerCallbackQuery")
"""Calls the runner sees: the wire hooks wait for the first of them."""
LATE = 0.04
"""Seconds a send may fall behind its booked moment before it books another (sends a little
late bunch with the next ones on time; `bot.inbox.SHARED_SENDS_PER_SECOND` leaves room). At
0.1 s, a reminder fan-out after a replica's kill and a database restart had its busiest
second at 30; a booking costs one statement, a send late by 40 ms is rare."""
CLOCK_SHARED = 0.005
"""Seconds the booker's now may lie outside a booking's round trip with the clocks still read
as one (`_local_moment`): the database and the replicas on one host, or kept by NTP."""
REBOOKINGS = 3
"""Times a send that woke late books again before its `before_the_wire` hook (then it goes
through the hook and the check after it, as a send late only by its hook does)."""
_PER_CHAT: ContextVar[bool] = ContextVar("runlift_per_chat_pace", default=False)


@contextlib.contextmanager
def paced_per_chat() -> Iterator[None]:
    """Sends in this block also keep a chat's 1/s (bulk sends: reminders). Answers do not: a
    runner who types three answers gets three replies at once, as Telegram allows in a private
    chat."""
    token = _PER_CHAT.set(True)
    try:
        yield
    finally:
        _PER_CHAT.reset(token)


class SendCalledOffError(TelegramError):
    """A `before_the_wire` hook stopped the request: nothing was sent."""


@contextlib.contextmanager
def before_the_wire(hook: WireHook) -> Iterator[None]:
    """Runs `hook` once, right before this task's next request goes on the wire.

    It runs after the wait for a free connection, so whatever it records is true only of a
    request that really starts. It may raise `SendCalledOffError` to send nothing; any other
    error it raises reaches the caller as PTB's `NetworkError`, nothing sent either. A transport
    other than `AiohttpRequest` never runs it (see `runs_wire_hooks`).
    """
    token = _before_the_wire.set(hook)
    try:
        yield
    finally:
        _before_the_wire.reset(token)


@contextlib.contextmanager
def after_the_wire(hook: ReplyHook) -> Iterator[None]:
    """Runs `hook` once with the Bot API's status and body, when this task's next request has
    its answer, still holding the request's connection (what it records is in step with
    `before_the_wire`'s). An error it raises is logged, never the request's: the request did
    go through."""
    token = _after_the_wire.set(hook)
    try:
        yield
    finally:
        _after_the_wire.reset(token)


def runs_wire_hooks(request: object) -> bool:
    """Whether `request` runs `before_the_wire` hooks."""
    return isinstance(request, AiohttpRequest)


class AiohttpRequest(BaseRequest):
    """A `BaseRequest` with at most `connections` requests on the wire at once.

    Args:
        connections: concurrent requests (and keep-alive connections) to the Bot API.
        pool_timeout: seconds a request may wait for a free connection before `TimedOut`.
        read_timeout, write_timeout, connect_timeout: PTB's defaults, per request unless a
            call passes its own; `media_write_timeout` replaces `write_timeout` for uploads.
    """

    def __init__(
        self,
        connections: int = 1,
        *,
        pool_timeout: float | None = 1.0,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        media_write_timeout: float | None = 20.0,
        pace: Pace | None = None,
    ) -> None:
        self._connections = connections
        self._pace = pace
        self._gate = asyncio.Semaphore(connections)
        self._pool_timeout = pool_timeout
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[str, str] = {}
        self._proxy_of: dict[str, str | None] = {}

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            # the CA bundle PTB's httpx trusts, so a slim image without system CAs still works
            tls = ssl.create_default_context(cafile=certifi.where())
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections, ssl=tls),
                headers={"User-Agent": self.USER_AGENT},
                # Bot API answers are small JSON: compressing them costs more CPU than it saves
                skip_auto_headers=("Accept-Encoding",),
            )
            self._proxies = urllib.request.getproxies_environment()

    async def shutdown(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data is not None else None
        body = _body(request_data, files)
        read = _given(read_timeout, self._read_timeout)
        connect = _given(connect_timeout, self._connect_timeout)
        write = _given(write_timeout, self._media_write_timeout if files else self._write_timeout)
        wait = _given(pool_timeout, self._pool_timeout)
        parts = (connect, write, read)
        # aiohttp has no write timeout of its own: the sum bounds the whole exchange instead
        total = None if None in parts else sum(p for p in parts if p is not None)
        timeout = aiohttp.ClientTimeout(total=total, sock_connect=connect, sock_read=read)

        try:
            async with asyncio.timeout(wait):
                await self._gate.acquire()
        except TimeoutError:
            raise TimedOut(
                f"Pool timeout: all {self._connections} connections to the Bot API are busy; "
                f"no free one within {wait} s. The request was not sent."
            ) from None
        try:
            endpoint = url.rsplit("/", 1)[-1]
            paced = self._pace is not None and endpoint.startswith(SEND_METHODS)
            chat = _chat_id(request_data) if paced and _PER_CHAT.get() else None
            due = await self._wait_for_moment(chat) if paced else 0.0
            for _ in range(REBOOKINGS):
                if not paced or time.time() - due <= LATE:
                    break
                # woke late (a busy loop): book again before the hook, so an update is never
                # marked as being answered through a wait for the next free moment (a replica
                # killed in that wait leaves the update to be taken over only after 40 s)
                due = await self._wait_for_moment(chat)
            # the hooks wait for what the runner sees (a getFile or a deleteMessage first is not
            # the answer: an update marked answered then would be lost with a killed replica)
            answers = endpoint.startswith(ANSWER_METHODS)
            hook = _before_the_wire.get() if answers else None
            if hook is not None:
                _before_the_wire.set(None)  # once: a retry of the same call is the same send
                await hook()
            if paced and time.time() - due > LATE:
                await self._wait_for_moment(chat)
            async with session.request(
                method, url, data=body, timeout=timeout, proxy=self._proxy(url)
            ) as response:
                answer = response.status, await response.read()
            after = _after_the_wire.get() if answers else None
            if after is not None:
                _after_the_wire.set(None)
                try:
                    await after(*answer)
                except Exception:
                    log.warning("a step after a Bot API call failed", exc_info=True)
            return answer
        except aiohttp.ConnectionTimeoutError as error:
            raise TimedOut(
                f"Connect timeout: no connection to the Bot API within {connect} s. "
                "The request was not sent."
            ) from error
        except (TimeoutError, aiohttp.ServerTimeoutError) as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error
        finally:
            self._gate.release()

    async def _wait_for_moment(self, chat: int | None) -> float:
        """Books a moment to send and sleeps until it; returns it (UNIX time, this clock)."""
        assert self._pace is not None
        asked = time.time()
        moment, booker_now = await self._pace(chat)
        due = _local_moment(moment, booker_now, asked, time.time())
        await asyncio.sleep(max(0.0, due - time.time()))
        return due

    def _proxy(self, url: str) -> str | None:
        """HTTPS_PROXY and friends, as httpx honours them; read once at start, not per request
        (aiohttp's trust_env reads the environment and ~/.netrc in a thread every time)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._proxy_of:
            proxy = self._proxies.get(parts.scheme) or self._proxies.get("all")
            if proxy and urllib.request.proxy_bypass(parts.hostname or ""):
                proxy = None
            self._proxy_of[origin] = proxy
        return self._proxy_of[origin]


def _local_moment(moment: float, booker_now: float, asked: float, answered: float) -> float:
    """A booked moment on this process's clock.

    When the booker's now lies within the booking's round trip, the clocks are one and the
    moment is taken as booked: a booking whose answer was read late (this replica's loop busy,
    the process descheduled) then shows as late and books again, where counting the wait from
    the answer would send late by the whole stall and bunch with other replicas' sends on time.
    Otherwise (clocks apart) the wait counts from the answer: never early, late by at most the
    round trip, as one replica alone would be.
    """
    if asked - CLOCK_SHARED <= booker_now <= answered + CLOCK_SHARED:
        return moment
    return answered + (moment - booker_now)


def _given(value: Any, default: float | None) -> float | None:
    """A timeout a call passed, else the default (PTB marks "not passed" with DefaultValue)."""
    return default if isinstance(value, type(BaseRequest.DEFAULT_NONE)) else value


def _body(request_data: RequestData | None, files: dict[str, Any] | None) -> Any:
    """A JSON body, or a multipart form (fields as PTB encodes them) for a file upload.

    The Bot API takes either; JSON skips urlencoding, which is a Python loop over every byte.
    """
    if request_data is None:
        return None
    if not files:
        payload = json.dumps(request_data.parameters, ensure_ascii=False).encode()
        return aiohttp.BytesPayload(payload, content_type="application/json")
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mime_type) in files.items():
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form


def _chat_id(request_data: RequestData | None) -> int | None:
    value = request_data.parameters.get("chat_id") if request_data is not None else None
    try:
        return int(str(value))
    except ValueError:  # an @channel name
        return None


def never_reached_telegram(error: TimedOut) -> bool:
    """True for a timeout raised before the request left this process."""
    return str(error).startswith(NOT_SENT_PREFIXES)
