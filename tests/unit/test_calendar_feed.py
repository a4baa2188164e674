"""Fetching a pasted feed link is fenced: schemes, private hosts, redirects, size."""

from __future__ import annotations

import asyncio
import re
import time
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

import httpx
import pytest

from bot.calendar_feed import DEADLINE_S, MAX_REDIRECTS, HttpCalendarFetcher
from bot.core.calendar.feeds import FEED_LINK, feed_url
from bot.core.domain.errors import CalendarError
from tests.feed_server import FeedServer

BODY = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
ADDRESSES = {
    "plans.example.com": ["93.184.216.34"],
    "other.example.com": ["93.184.216.35"],
    "intranet.example.com": ["10.1.2.3"],
    "localhost": ["127.0.0.1", "::1"],
    "metadata.example.com": ["169.254.169.254"],
    "mapped.example.com": ["::ffff:192.168.0.5"],
}


async def resolver(host: str, port: int) -> list[str]:
    if host not in ADDRESSES:
        raise OSError("no such host")
    return ADDRESSES[host]


def fetcher(
    handler: Callable[[httpx.Request], httpx.Response], **options: Any
) -> tuple[HttpCalendarFetcher, list[str]]:
    seen: list[str] = []

    def record(request: httpx.Request) -> httpx.Response:
        # the link as the runner gave it: the request goes to the checked address (pinned)
        path = request.url.raw_path.decode()
        seen.append(f"{request.url.scheme}://{request.headers['host']}{path}")
        return handler(request)

    return (
        HttpCalendarFetcher(transport=httpx.MockTransport(record), resolver=resolver, **options),
        seen,
    )


def ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=BODY, headers={"content-type": "text/calendar"})


async def test_webcal_is_read_as_https() -> None:
    fetch, seen = fetcher(ok)
    assert await fetch.fetch("webcal://plans.example.com/u/1.ics") == BODY
    assert seen == ["https://plans.example.com/u/1.ics"]


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("https://localhost/feed.ics", "private address"),
        ("https://intranet.example.com/feed.ics", "private address"),
        ("https://metadata.example.com/latest", "private address"),
        ("https://mapped.example.com/feed.ics", "private address"),
        ("https://127.0.0.1:8080/feed.ics", "private address"),
        ("http://plans.example.com/feed.ics", "not http://"),
        ("ftp://plans.example.com/feed.ics", "https:// or webcal://"),
        ("https://nowhere.example.com/feed.ics", "cannot find the host"),
    ],
)
async def test_refused_links_get_one_line_and_no_request(url: str, says: str) -> None:
    fetch, seen = fetcher(ok)
    with pytest.raises(CalendarError, match=says) as error:
        await fetch.fetch(url)
    assert "\n" not in str(error.value) and seen == []


async def test_private_hosts_and_plain_http_only_when_allowed() -> None:
    fetch, seen = fetcher(ok, allow_private_hosts=True)
    assert await fetch.fetch("http://localhost:8000/demo.ics") == BODY
    with pytest.raises(CalendarError, match="not http://"):
        await fetch.fetch("http://plans.example.com/feed.ics")  # public hosts still need https
    assert seen == ["http://localhost:8000/demo.ics"]


async def test_each_redirect_is_checked_and_at_most_three_followed() -> None:
    def to_private(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"location": "https://intranet.example.com/x.ics"})

    fetch, seen = fetcher(to_private)
    with pytest.raises(CalendarError, match="private address"):
        await fetch.fetch("https://plans.example.com/feed.ics")
    assert seen == ["https://plans.example.com/feed.ics"]

    def loop(request: httpx.Request) -> httpx.Response:
        return httpx.Response(301, headers={"location": f"/hop{len(seen)}"})

    fetch, seen = fetcher(loop)
    with pytest.raises(CalendarError, match=f"more than {MAX_REDIRECTS} redirects"):
        await fetch.fetch("https://plans.example.com/feed.ics")
    assert len(seen) == MAX_REDIRECTS + 1

    def once(request: httpx.Request) -> httpx.Response:
        if request.headers["host"] == "plans.example.com":
            return httpx.Response(302, headers={"location": "https://other.example.com/f.ics"})
        return ok(request)

    fetch, seen = fetcher(once)
    assert await fetch.fetch("https://plans.example.com/feed.ics") == BODY


async def test_size_cap_http_errors_and_timeouts_are_one_line() -> None:
    big = b"x" * 2048
    fetch, _ = fetcher(lambda r: httpx.Response(200, content=big), max_bytes=1024)
    with pytest.raises(CalendarError, match="larger than"):
        await fetch.fetch("https://plans.example.com/feed.ics")
    fetch, _ = fetcher(lambda r: httpx.Response(404))
    with pytest.raises(CalendarError, match="answered 404"):
        await fetch.fetch("https://plans.example.com/feed.ics")

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    fetch, _ = fetcher(slow)
    with pytest.raises(CalendarError, match="no answer within 10 seconds"):
        await fetch.fetch("https://plans.example.com/feed.ics")


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("webcal://p.example.com/a.ics", "https://p.example.com/a.ics"),
        ("  <https://p.example.com/a.ics>  ", "https://p.example.com/a.ics"),
        ("WEBCAL://p.example.com/a.ics", "https://p.example.com/a.ics"),
    ],
)
def test_a_message_that_is_only_a_link_is_a_feed(text: str, url: str) -> None:
    assert FEED_LINK.match(text) and feed_url(text) == url


def test_a_sentence_with_a_link_is_not_a_feed() -> None:
    assert FEED_LINK.match("my plan is at https://p.example.com/a.ics thanks") is None


async def test_the_connection_goes_to_the_address_that_was_checked() -> None:
    """DNS rebinding: a name that is public when checked and internal a moment later."""
    answers = [["93.184.216.34"], ["10.1.2.3"]]
    resolved: list[str] = []

    async def rebinding(host: str, port: int) -> list[str]:
        resolved.append(host)
        return answers[min(len(resolved), len(answers)) - 1]

    hit: list[tuple[str, str, object]] = []

    def record(request: httpx.Request) -> httpx.Response:
        hit.append((request.url.host, request.headers["host"], request.extensions["sni_hostname"]))
        return ok(request)

    fetch = HttpCalendarFetcher(transport=httpx.MockTransport(record), resolver=rebinding)
    assert await fetch.fetch("https://plans.example.com/feed.ics") == BODY
    assert resolved == ["plans.example.com"]  # resolved once: the check is the connection
    assert hit == [("93.184.216.34", "plans.example.com", "plans.example.com")]


async def test_a_feed_that_drips_is_cut_off_at_the_overall_deadline() -> None:
    """A tarpit sends a byte every 2 s, inside the per-read timeout: the whole fetch still ends
    within 15 s with one line, and the connection is closed (the hard bound is the point)."""
    async with FeedServer(drip_every=2.0).running() as server:
        server.drip.add("/slow.ics")
        fetch = HttpCalendarFetcher(allow_private_hosts=True)
        began = time.monotonic()
        with pytest.raises(CalendarError, match="not fully sent within 15 seconds") as error:
            await fetch.fetch(server.url("/slow.ics"))
        assert time.monotonic() - began < DEADLINE_S + 1.5
        assert "\n" not in str(error.value)
        await asyncio.wait_for(server.closed.wait(), timeout=3)


class Body(httpx.AsyncByteStream):
    """A response body as sent on the wire (not decoded on the way in, as a socket's is)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for start in range(0, len(self.data), 512):
            yield self.data[start : start + 512]


def gzipped(data: bytes | Iterable[bytes]) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunks = [data] if isinstance(data, bytes) else data
    return b"".join(packer.compress(chunk) for chunk in chunks) + packer.flush()


def encoded(data: bytes, encoding: str) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-encoding": encoding}, stream=Body(data))

    return handler


async def test_a_nested_gzip_bomb_is_refused_without_inflating_it() -> None:
    """`Content-Encoding: gzip, gzip` around 256 MB of zeros is a few hundred bytes on the wire:
    the 2 MB cap is counted on decoded bytes as they stream, so memory stays small."""
    bomb = gzipped(gzipped(bytes(1 << 20) for _ in range(256)))
    assert len(bomb) < 2_000
    fetch, _ = fetcher(encoded(bomb, "gzip, gzip"))
    tracemalloc.start()
    try:
        with pytest.raises(CalendarError, match="larger than 2 MB"):
            await fetch.fetch("https://plans.example.com/feed.ics")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 12 * 2**20


@pytest.mark.parametrize("encoding", ["gzip", "x-gzip", "gzip, gzip", "deflate", "identity"])
async def test_a_compressed_feed_is_read(encoding: str) -> None:
    body = BODY
    for word in reversed([w.strip() for w in encoding.split(",")]):
        if word in ("gzip", "x-gzip"):
            body = gzipped(body)
        elif word == "deflate":
            body = zlib.compress(body)
    fetch, _ = fetcher(encoded(body, encoding))
    assert await fetch.fetch("https://plans.example.com/feed.ics") == BODY


@pytest.mark.parametrize(
    ("encoding", "says"),
    [("br", "encoding I cannot read (br)"), ("gzip, gzip, gzip", "compressed 3 times over")],
)
async def test_an_encoding_not_read_is_one_line(encoding: str, says: str) -> None:
    fetch, _ = fetcher(encoded(BODY, encoding))
    with pytest.raises(CalendarError, match=re.escape(says)):
        await fetch.fetch("https://plans.example.com/feed.ics")


@pytest.mark.parametrize(
    "address",
    [
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "64:ff9b::5db8:d822",  # NAT64 of a public address: still a gateway doing our fetch
        "64:ff9b:1::a9fe:a9fe",  # local-use NAT64 of 169.254.169.254
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2002:a00:1::1",  # 6to4 of 10.0.0.1
        "::7f00:1",  # IPv4-compatible 127.0.0.1
        "::a9fe:a9fe",  # IPv4-compatible 169.254.169.254
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    ],
)
async def test_ipv6_addresses_that_carry_an_ipv4_one_are_refused(address: str) -> None:
    async def resolve(host: str, port: int) -> list[str]:
        return [address]

    seen: list[str] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return ok(request)

    fetch = HttpCalendarFetcher(transport=httpx.MockTransport(record), resolver=resolve)
    with pytest.raises(CalendarError, match="private address"):
        await fetch.fetch("https://plans.example.com/feed.ics")
    with pytest.raises(CalendarError, match="private address"):
        await fetch.fetch(f"https://[{address}]/feed.ics")
    assert seen == []


async def test_an_ipv4_mapped_public_address_is_still_fetched() -> None:
    async def resolve(host: str, port: int) -> list[str]:
        return ["::ffff:93.184.216.34"]

    fetch = HttpCalendarFetcher(transport=httpx.MockTransport(ok), resolver=resolve)
    assert await fetch.fetch("https://plans.example.com/feed.ics") == BODY
