"""Fetching a runner's calendar feed over HTTP (an adapter: httpx).

A pasted URL is untrusted input that makes the bot open a connection, so the fetch is fenced:
- `webcal://` is read as `https://`; plain `http://` only for allowed private hosts (tests, demo);
- hosts resolving to loopback, private, link-local or otherwise internal addresses are refused
  unless `CALENDAR_ALLOW_PRIVATE_HOSTS=true` (every redirect hop is checked again), and the
  connection goes to the address that was checked (the host name travels in the Host header and
  TLS's SNI, so the certificate is still verified for it): a name that resolves to a public
  address for the check and to an internal one a moment later (DNS rebinding) gets nowhere;
- NAT64, 6to4, Teredo and IPv4-compatible IPv6 addresses are refused outright: each carries an
  IPv4 address (possibly a private one) that a gateway would reach on the bot's behalf;
- at most 3 redirects, 10 seconds per read and 15 seconds for the whole fetch (a server that
  drips a byte every few seconds is cut off and its connection closed);
- a 2 MB cap counted on the decoded bytes as they stream: the body is inflated here, a bounded
  piece at a time, through every stacked Content-Encoding (`gzip, gzip` is how a 1 KB response
  becomes a gigabyte in one call of an ordinary decoder).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from bot.core.calendar.feeds import feed_url
from bot.core.calendar.reader import MAX_BYTES
from bot.core.domain.errors import CalendarError

MAX_REDIRECTS = 3
TIMEOUT_S = 10.0
DEADLINE_S = 15.0
"""The whole fetch: resolving, redirects and every byte of the body."""
MAX_ENCODINGS = 2
"""Stacked Content-Encodings read (`gzip, gzip` is legal but no calendar server sends more)."""
CHUNK = 64 * 1024
FEED_NAME = "your calendar feed"

TRANSITION_NETWORKS = tuple(
    ipaddress.IPv6Network(net)
    for net in (
        "64:ff9b::/96",  # NAT64, well-known prefix
        "64:ff9b:1::/48",  # NAT64, local-use prefix
        "2002::/16",  # 6to4
        "2001::/32",  # Teredo
        "::/96",  # IPv4-compatible (deprecated)
        "::ffff:0:0:0/96",  # IPv4-translated
    )
)
"""IPv6 ranges that embed an IPv4 address a gateway would reach for us: refused outright."""


def _internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif any(ip in network for network in TRANSITION_NETWORKS):
            return True
    return not ip.is_global or ip.is_multicast


Resolver = Callable[[str, int], Awaitable[list[str]]]


async def resolve_host(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to (what the connection would use)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


class HttpCalendarFetcher:
    """`CalendarFetcher` over httpx with the limits above."""

    def __init__(
        self,
        *,
        allow_private_hosts: bool = False,
        transport: httpx.AsyncBaseTransport | None = None,
        max_bytes: int = MAX_BYTES,
        resolver: Resolver = resolve_host,
        deadline: float = DEADLINE_S,
    ) -> None:
        self.allow_private_hosts = allow_private_hosts
        self.resolver = resolver
        self.transport = transport
        self.max_bytes = max_bytes
        self.deadline = deadline

    async def _check(self, url: str) -> str:
        """The address to connect to for `url`, once the scheme and every address it resolves
        to pass the fence."""
        parts = urlsplit(url)
        host = parts.hostname
        if parts.scheme not in ("https", "http") or not host:
            raise CalendarError(f"{FEED_NAME}: use an https:// or webcal:// link")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        try:
            addresses = [str(literal)] if literal else await self.resolver(host, port)
        except (OSError, UnicodeError):
            raise CalendarError(f"{FEED_NAME}: cannot find the host {host}") from None
        internal = any(_internal(address) for address in addresses)
        if internal and not self.allow_private_hosts:
            raise CalendarError(f"{FEED_NAME}: {host} is a private address; use a public link")
        if parts.scheme == "http" and not (internal and self.allow_private_hosts):
            raise CalendarError(f"{FEED_NAME}: use an https:// or webcal:// link, not http://")
        return min(addresses, key=lambda address: ":" in address)  # IPv4 first, as "localhost"

    async def fetch(self, url: str) -> bytes:
        """The feed's bytes, decoded.

        Raises:
            CalendarError: refused address or scheme, too many redirects, an HTTP error, a
                timeout or the overall deadline, an unreadable encoding, or more than the size
                cap; one line.
        """
        try:
            async with asyncio.timeout(self.deadline):
                return await self._fetch(feed_url(url))
        except TimeoutError:
            raise CalendarError(
                f"{FEED_NAME}: not fully sent within {self.deadline:g} seconds"
            ) from None

    async def _fetch(self, url: str) -> bytes:
        timeout = httpx.Timeout(TIMEOUT_S)
        async with httpx.AsyncClient(
            timeout=timeout, follow_redirects=False, transport=self.transport
        ) as client:
            for _ in range(MAX_REDIRECTS + 1):
                target, host, sni = _pinned(url, await self._check(url))
                headers = {
                    "Accept": "text/calendar, */*;q=0.5",
                    "Accept-Encoding": "gzip, deflate",
                    "Host": host,
                }
                try:
                    async with client.stream(
                        "GET", target, headers=headers, extensions=sni
                    ) as response:
                        if response.is_redirect and "location" in response.headers:
                            url = urljoin(url, response.headers["location"])
                            continue
                        if response.status_code >= 400:
                            raise CalendarError(
                                f"{FEED_NAME}: the server answered {response.status_code}"
                            )
                        return await self._read(response)
                except httpx.TimeoutException:
                    raise CalendarError(
                        f"{FEED_NAME}: no answer within {TIMEOUT_S:g} seconds"
                    ) from None
                except httpx.HTTPError as error:
                    raise CalendarError(
                        f"{FEED_NAME}: cannot fetch it ({type(error).__name__})"
                    ) from None
        raise CalendarError(f"{FEED_NAME}: more than {MAX_REDIRECTS} redirects")

    async def _read(self, response: httpx.Response) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise self._too_big()
        encodings = [
            word.strip().lower()
            for word in response.headers.get("content-encoding", "").split(",")
            if word.strip() and word.strip().lower() != "identity"
        ]
        if len(encodings) > MAX_ENCODINGS:
            raise CalendarError(f"{FEED_NAME}: compressed {len(encodings)} times over")
        # applied in the order listed, so undone last-first
        layers = [_Inflater(encoding) for encoding in reversed(encodings)]
        body = bytearray()
        async for raw, decoded in _raw(response):
            for piece in _through([] if decoded else layers, raw):
                body.extend(piece)
                if len(body) > self.max_bytes:
                    raise self._too_big()
        for piece in _through(layers, b"", final=True):
            body.extend(piece)
            if len(body) > self.max_bytes:
                raise self._too_big()
        return bytes(body)

    def _too_big(self) -> CalendarError:
        return CalendarError(f"{FEED_NAME}: larger than {self.max_bytes // 1_000_000} MB")


async def _raw(response: httpx.Response) -> AsyncIterator[tuple[bytes, bool]]:
    """The body as sent, in pieces; a response a transport handed over already read (an
    in-memory one) comes decoded in one piece."""
    if response.is_stream_consumed:
        yield response.content, True
        return
    async for raw in response.aiter_raw():
        yield raw, False


class _Inflater:
    """One Content-Encoding undone a bounded piece at a time (at most `CHUNK` bytes out per
    step), so no single call can turn a small input into a huge output."""

    def __init__(self, encoding: str) -> None:
        if encoding in ("gzip", "x-gzip"):
            self.wbits = 16 + zlib.MAX_WBITS
        elif encoding == "deflate":
            self.wbits = zlib.MAX_WBITS  # zlib-wrapped, as HTTP says; raw deflate as fallback
        else:
            raise CalendarError(f"{FEED_NAME}: sent in an encoding I cannot read ({encoding})")
        self.inflate = zlib.decompressobj(self.wbits)
        self.started = False

    def feed(self, data: bytes, *, final: bool = False) -> Iterator[bytes]:
        try:
            while True:
                if self.inflate.eof:  # a gzip body may be several members back to back
                    data = self.inflate.unused_data + data
                    if not data:
                        return
                    self.inflate = zlib.decompressobj(self.wbits)
                try:
                    out = self.inflate.decompress(data, CHUNK)
                except zlib.error:
                    if self.started or self.wbits != zlib.MAX_WBITS:
                        raise
                    self.wbits = -zlib.MAX_WBITS
                    self.inflate = zlib.decompressobj(self.wbits)
                    continue
                self.started = True
                if out:
                    yield out
                data = self.inflate.unconsumed_tail
                if not data and len(out) < CHUNK and not self.inflate.eof:
                    break
            if final:
                yield self.inflate.flush()
        except zlib.error:
            raise CalendarError(f"{FEED_NAME}: its compressed body is broken") from None


def _through(layers: Sequence[_Inflater], data: bytes, *, final: bool = False) -> Iterator[bytes]:
    """`data` through every layer in turn, piece by piece."""
    if not layers:
        if data:
            yield data
        return
    first, rest = layers[0], layers[1:]
    for piece in first.feed(data, final=final):
        yield from _through(rest, piece)
    if final:
        yield from _through(rest, b"", final=True)


def _pinned(url: str, address: str) -> tuple[str, str, dict[str, str]]:
    """`url` aimed at `address`: the URL to request, its Host header, and the TLS server name
    (httpcore verifies the certificate against it)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    literal = f"[{address}]" if ":" in address else address
    netloc = f"{literal}:{parts.port}" if parts.port else literal
    shown = f"{host}:{parts.port}" if parts.port else host
    target = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    return target, shown, ({"sni_hostname": host} if parts.scheme == "https" else {})
