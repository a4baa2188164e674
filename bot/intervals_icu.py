"""Asking intervals.icu for a runner's activities with their own API key (an adapter: httpx).

intervals.icu's personal keys are sent as HTTP Basic auth, user `API_KEY` and the key as the
password; athlete `0` means "the key's own athlete". Every request has one overall deadline
(`DEADLINE_S`, connect to last byte) and a size cap on the answer.

The key is a secret the runner trusted us with: it travels only in the Authorization header
(which httpx and httpcore never log), never in a URL, log line or exception message.

`start_date_local` is the runner's wall-clock time with no offset; `activities` takes the
runner's zone and turns it into the UTC instant every stored time is.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import date, datetime, tzinfo
from types import TracebackType
from typing import Any

import httpx
from aiolimiter import AsyncLimiter
from pydantic import BaseModel, ConfigDict, ValidationError

from bot.core.domain.runs import RunRecord, Sport, SyncedActivity
from bot.core.runs.errors import IntervalsKeyRefused, IntervalsRateLimited, IntervalsUnavailable

_LOG = logging.getLogger(__name__)

DEADLINE_S = 15.0
"""Overall, per request: a poll that hangs must not hold a runner's job."""
MAX_ANSWER_BYTES = 5 * 1024 * 1024
DEFAULT_RETRY_AFTER_S = 60
NAME = "intervals.icu"
REQUESTS_PER_SECOND = 9.5
"""The whole bot's pace towards intervals.icu (one client per bot): one request every 1/9.5 s
keeps every one-second window at 10 or fewer, however many runners are polled at once."""


class _Activity(BaseModel):
    """The fields we read of intervals.icu's activity JSON; the rest is ignored."""

    model_config = ConfigDict(extra="ignore")

    id: str | int
    start_date_local: datetime
    type: str | None = None
    source: str | None = None
    distance: float | None = None
    moving_time: float | None = None
    average_heartrate: float | None = None


def sport_of(kind: str) -> Sport:
    """intervals.icu's (Strava's) activity types: Run, TrailRun, VirtualRun, Ride, Swim …"""
    if kind.endswith("Run"):
        return "run"
    if "Ride" in kind:
        return "ride"
    if "Swim" in kind:
        return "swim"
    if kind in ("Walk", "Hike"):
        return "walk"
    return "other"


def retry_after(header: str | None) -> int:
    """Seconds to wait from a Retry-After header; an HTTP date or nonsense means a minute."""
    text = (header or "").strip()
    return min(max(int(text), 1), 3600) if text.isdigit() else DEFAULT_RETRY_AFTER_S


def _synced(item: _Activity, zone: tzinfo) -> SyncedActivity:
    start = item.start_date_local
    start = start if start.tzinfo else start.replace(tzinfo=zone)
    if item.type is None:  # a Strava stub: done, its type and metrics withheld
        return SyncedActivity(id=str(item.id), start=start)
    hr = item.average_heartrate
    record = RunRecord(
        start=start,
        distance_m=max(item.distance or 0.0, 0.0),
        moving_time_s=max(round(item.moving_time or 0), 0),
        average_hr=round(hr) if hr and 0 < hr < 260 else None,
        sport=sport_of(item.type),
        source="intervals",
    )
    return SyncedActivity(id=str(item.id), start=start, record=record)


class IntervalsClient:
    """The two calls runlift makes; one pooled httpx client, closed by `aclose`."""

    def __init__(
        self,
        base_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        deadline_s: float = DEADLINE_S,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.deadline_s = deadline_s
        self._pace = AsyncLimiter(1, 1 / REQUESTS_PER_SECOND)
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(deadline_s), follow_redirects=False, transport=transport
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> IntervalsClient:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _get(
        self, key: str, path: str, params: dict[str, str] | None = None
    ) -> tuple[int, bytes, httpx.Headers]:
        """(status, body, headers) within the deadline; any failure is IntervalsUnavailable."""
        auth = httpx.BasicAuth("API_KEY", key)
        await self._pace.acquire()  # waiting for our turn is not part of the deadline
        try:
            async with asyncio.timeout(self.deadline_s):
                async with self._http.stream(
                    "GET",
                    f"{self.base_url}/api/v1/athlete/0{path}",
                    params=params,
                    auth=auth,
                    headers={"Accept": "application/json"},
                ) as response:
                    body = bytearray()
                    async for chunk in response.aiter_bytes():
                        body.extend(chunk)
                        if len(body) > MAX_ANSWER_BYTES:
                            raise IntervalsUnavailable(f"{NAME} sent more than we read")
                    _LOG.debug("%s GET %s: %s", NAME, path or "/", response.status_code)
                    return response.status_code, bytes(body), response.headers
        except TimeoutError:
            raise IntervalsUnavailable(
                f"{NAME} did not answer within {self.deadline_s:g} seconds"
            ) from None
        except httpx.HTTPError as error:
            raise IntervalsUnavailable(f"cannot reach {NAME} ({type(error).__name__})") from None

    async def check_key(self, key: str) -> bool:
        """Whether intervals.icu accepts `key` (a runner pasting theirs).

        Raises:
            IntervalsRateLimited: 429.
            IntervalsUnavailable: no answer, or one that is neither yes nor no.
        """
        if not key.strip():
            return False
        status, _, headers = await self._get(key.strip(), "")
        if status == 200:
            return True
        if status in (401, 403):
            return False
        if status == 429:
            raise IntervalsRateLimited(retry_after(headers.get("retry-after")))
        raise IntervalsUnavailable(f"{NAME} answered {status}")

    async def activities(
        self, key: str, oldest: date, newest: date, zone: tzinfo
    ) -> list[SyncedActivity]:
        """The runner's activities that started between `oldest` and `newest` (their dates),
        oldest first; `zone` is the runner's, in which intervals.icu gives start times.

        Raises:
            IntervalsKeyRefused: 401 (or 403): the key was revoked or mistyped.
            IntervalsRateLimited: 429, with the wait intervals.icu asked for.
            IntervalsUnavailable: no answer, another status, or a body we cannot read.
        """
        params = {"oldest": oldest.isoformat(), "newest": newest.isoformat()}
        status, body, headers = await self._get(key.strip(), "/activities", params)
        if status in (401, 403):
            raise IntervalsKeyRefused(f"{NAME} refused the API key")
        if status == 429:
            raise IntervalsRateLimited(retry_after(headers.get("retry-after")))
        if status != 200:
            raise IntervalsUnavailable(f"{NAME} answered {status}")
        return sorted(_read(body, zone), key=lambda activity: activity.start)


def _read(body: bytes, zone: tzinfo) -> list[SyncedActivity]:
    """Every activity we can read; one malformed item is skipped, not the whole answer."""
    try:
        items: Any = json.loads(body)
    except ValueError:  # JSONDecodeError and UnicodeDecodeError
        raise IntervalsUnavailable(f"{NAME} sent something other than JSON") from None
    if not isinstance(items, list):
        raise IntervalsUnavailable(f"{NAME} sent an unexpected answer")
    found: list[SyncedActivity] = []
    for item in items:
        try:
            found.append(_synced(_Activity.model_validate(item), zone))
        except ValidationError:
            _LOG.debug("%s: skipped an activity we cannot read", NAME)
    return found
