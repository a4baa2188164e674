"""Fetching a runner's calendar feed over HTTP (an adapter: httpx; issue 18).

A pasted URL is untrusted input that makes the bot open a connection, so the fetch is fenced:
- `webcal://` is read as `https://`; plain `http://` only for allowed private hosts (tests, demo);
- hosts resolving to loopback, private, link-local or otherwise internal addresses are refused
  unless `CALENDAR_ALLOW_PRIVATE_HOSTS=true` (every redirect hop is checked again), and the
  connection goes to the address that was checked (the host name travels in the Host header and
  TLS's SNI, so the certificate is still verified for it): a name that resolves to a public
  address for the check and to an internal one a moment later (DNS rebinding) gets nowhere;
- at most 3 redirects, a 10-second timeout, and a 2 MB cap read as a stream.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from bot.core.calendar.feeds import feed_url
from bot.core.calendar.reader import MAX_BYTES
from bot.core.domain.errors import CalendarError

MAX_REDIRECTS = 3
TIMEOUT_S = 10.0
FEED_NAME = "your calendar feed"


def _internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
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
    ) -> None:
        self.allow_private_hosts = allow_private_hosts
        self.resolver = resolver
        self.transport = transport
        self.max_bytes = max_bytes

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
        """The feed's bytes.

        Raises:
            CalendarError: refused address or scheme, too many redirects, an HTTP error, a
                timeout, or more than the size cap; one line.
        """
        url = feed_url(url)
        timeout = httpx.Timeout(TIMEOUT_S)
        async with httpx.AsyncClient(
            timeout=timeout, follow_redirects=False, transport=self.transport
        ) as client:
            for _ in range(MAX_REDIRECTS + 1):
                target, host, sni = _pinned(url, await self._check(url))
                headers = {"Accept": "text/calendar, */*;q=0.5", "Host": host}
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
            raise CalendarError(f"{FEED_NAME}: larger than {self.max_bytes // 1_000_000} MB")
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body.extend(chunk)
            if len(body) > self.max_bytes:
                raise CalendarError(f"{FEED_NAME}: larger than {self.max_bytes // 1_000_000} MB")
        return bytes(body)


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
