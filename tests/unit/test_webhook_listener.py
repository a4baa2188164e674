"""The webhook listener over real HTTP: the secret is checked before the body is read, bodies over
1 MB are refused, and a client that never finishes its headers is dropped."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from bot.webhook import MAX_BODY, SECRET_HEADER, listener_path, start_listener

SECRET = "listener-secret_0123456789abcdef"
PATH = "/hooks/runlift/123456"


@dataclass
class FakeApp:
    """What the listener needs of the Application: the bot for `de_json` and the queue."""

    bot: Any = None
    update_queue: asyncio.Queue[Any] = field(default_factory=asyncio.Queue)
    running: bool = True


@pytest.fixture
async def listening() -> AsyncIterator[tuple[FakeApp, int]]:
    app = FakeApp()
    server = start_listener(
        app, listen="127.0.0.1", port=0, path=PATH, secret=SECRET, header_timeout=0.5
    )
    port = next(iter(server._sockets.values())).getsockname()[1]
    try:
        yield app, port
    finally:
        server.stop()


def _update() -> bytes:
    chat = {"id": 7, "type": "private", "first_name": "Ada"}
    message = {"message_id": 1, "date": 1_795_000_000, "chat": chat, "text": "/help"}
    return json.dumps({"update_id": 11, "message": message}).encode()


async def _exchange(port: int, head: str, body: bytes = b"") -> bytes:
    """Sends `head` (and `body`), returns everything the server answers before it closes."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head.encode() + body)
        await writer.drain()
        return await asyncio.wait_for(reader.read(), 5)
    finally:
        writer.close()


def _head(length: int, secret: str | None, *, path: str = PATH) -> str:
    lines = [f"POST {path} HTTP/1.1", "Host: x", f"Content-Length: {length}"]
    if secret is not None:
        lines.append(f"{SECRET_HEADER}: {secret}")
    return "\r\n".join([*lines, "Connection: close", "", ""])


def test_the_path_is_the_webhook_urls_own_then_the_bot_id() -> None:
    assert listener_path("https://127.0.0.1:8443/hooks/runlift/", "123456") == PATH
    assert listener_path("https://bot.example", "123456") == "/123456"


async def test_an_update_with_the_secret_is_queued(listening: tuple[FakeApp, int]) -> None:
    app, port = listening
    body = _update()
    answer = await _exchange(port, _head(len(body), SECRET), body)
    assert answer.startswith(b"HTTP/1.1 200")
    update = app.update_queue.get_nowait()
    assert update.update_id == 11


@pytest.mark.parametrize("secret", [None, "wrong-secret_0123456789abcdefghij"])
async def test_without_the_secret_the_answer_comes_before_the_body(
    listening: tuple[FakeApp, int], secret: str | None
) -> None:
    app, port = listening
    # 50 MB announced, not one byte sent: the answer can only come from the headers
    answer = await _exchange(port, _head(50 * 1024 * 1024, secret))
    assert answer.startswith(b"HTTP/1.1 403")
    assert app.update_queue.empty()


async def test_a_body_over_a_megabyte_is_refused_from_its_length(
    listening: tuple[FakeApp, int],
) -> None:
    app, port = listening
    answer = await _exchange(port, _head(MAX_BODY + 1, SECRET))  # closed without reading it
    assert not answer.startswith(b"HTTP/1.1 200")
    assert app.update_queue.empty()


async def test_a_chunked_body_is_cut_off_past_a_megabyte(listening: tuple[FakeApp, int]) -> None:
    app, port = listening
    answer = await _send_chunked(port, megabytes=4)
    assert answer is None or not answer.startswith(b"HTTP/1.1 200"), answer
    assert app.update_queue.empty()


async def _send_chunked(port: int, *, megabytes: int) -> bytes | None:
    """Streams a valid update padded with spaces (still valid JSON) in chunks; the server's
    answer, or None when it hung up mid-body."""
    lines = [f"POST {PATH} HTTP/1.1", "Host: x", "Transfer-Encoding: chunked"]
    head = "\r\n".join([*lines, f"{SECRET_HEADER}: {SECRET}", "", ""])
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    chunk = b" " * 65536
    try:
        writer.write(head.encode())
        writer.write(b"%x\r\n%s\r\n" % (len(_update()), _update()))
        for _ in range(megabytes * 16):
            writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            await writer.drain()
        writer.write(b"0\r\n\r\n")
        await writer.drain()
        return await asyncio.wait_for(reader.read(), 5)
    except ConnectionError:
        return None
    finally:
        writer.close()


async def test_a_client_that_never_finishes_its_headers_is_dropped(
    listening: tuple[FakeApp, int],
) -> None:
    _, port = listening
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(f"POST {PATH} HTTP/1.1\r\nHost: x\r\n".encode())
        await writer.drain()
        # the listener's header timeout here is 0.5 s; the bound is only for the failure case
        assert await asyncio.wait_for(reader.read(), 5) == b""
    finally:
        writer.close()


async def test_another_path_is_not_served(listening: tuple[FakeApp, int]) -> None:
    app, port = listening
    body = _update()
    answer = await _exchange(port, _head(len(body), SECRET, path="/123456"), body)
    assert answer.startswith(b"HTTP/1.1 404")
    assert app.update_queue.empty()


@dataclass
class FakeInbox:
    """Stores updates like `bot.inbox.InboxDrainer`, or fails like it does with the database
    away."""

    reachable: bool = True
    stored: dict[int, Any] = field(default_factory=dict)

    async def accept(self, payload: dict[str, Any]) -> None:
        if not self.reachable:
            raise ConnectionRefusedError("the database is away")
        self.stored.setdefault(int(payload["update_id"]), payload)

    def start(self) -> None: ...

    async def stop(self) -> None: ...


async def test_with_an_inbox_the_200_comes_once_stored_and_a_503_while_it_cannot_be() -> None:
    """Replicas: Telegram must deliver again whatever a replica could not store."""
    app, inbox = FakeApp(), FakeInbox(reachable=False)
    server = start_listener(app, listen="127.0.0.1", port=0, path=PATH, secret=SECRET, inbox=inbox)
    port = next(iter(server._sockets.values())).getsockname()[1]
    try:
        body = _update()
        refused = await _exchange(port, _head(len(body), SECRET), body)
        assert refused.startswith(b"HTTP/1.1 503")
        assert inbox.stored == {}

        inbox.reachable = True
        for _ in range(2):  # a re-delivery is acknowledged too, and kept once
            answer = await _exchange(port, _head(len(body), SECRET), body)
            assert answer.startswith(b"HTTP/1.1 200")
        assert list(inbox.stored) == [11]
        assert app.update_queue.empty()  # handled from the inbox, not the in-process queue
    finally:
        server.stop()


async def test_the_health_check_says_whether_the_bot_runs() -> None:
    app = FakeApp()
    server = start_listener(app, listen="127.0.0.1", port=0, path=PATH, secret=SECRET)
    port = next(iter(server._sockets.values())).getsockname()[1]
    head = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    try:
        app.running = False
        assert (await _exchange(port, head)).startswith(b"HTTP/1.1 503")
        app.running = True
        assert (await _exchange(port, head)).startswith(b"HTTP/1.1 200")
    finally:
        server.stop()
