"""A calendar feed server on loopback for fetch tests: serves bodies by path, or drips.

`drip` paths answer 200 with a large Content-Length and then send one byte every
`drip_every` seconds: each read sees data well inside its own timeout, so only an overall
deadline ends the fetch (a tarpit). `closed` is set once such a client has hung up, `served`
once a whole body has been sent.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator


class FeedServer:
    def __init__(self, *, drip_every: float = 2.0) -> None:
        self.bodies: dict[str, bytes] = {}
        self.drip: set[str] = set()
        self.drip_every = drip_every
        self.closed = asyncio.Event()
        self.served = asyncio.Event()
        self.port = 0
        self._server: asyncio.Server | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            path = head.split(b" ", 2)[1].decode()
            if path in self.drip:
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\n")
                writer.write(b"Content-Length: 1000000\r\n\r\nBEGIN:VCALENDAR\r\n")
                await writer.drain()
                hung_up = asyncio.ensure_future(reader.read(1))
                while not hung_up.done():
                    writer.write(b"X")
                    await writer.drain()
                    await asyncio.wait([hung_up], timeout=self.drip_every)
                self.closed.set()
                return
            body = self.bodies.get(path)
            status = b"200 OK" if body is not None else b"404 Not Found"
            body = body or b""
            writer.write(
                b"HTTP/1.1 " + status + b"\r\nContent-Type: text/calendar\r\n"
                b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n"
            )
            writer.write(body)
            await writer.drain()
            self.served.set()
        except (ConnectionError, asyncio.IncompleteReadError):
            self.closed.set()
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[FeedServer]:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        async with self._server:
            yield self
            self._server.close()
