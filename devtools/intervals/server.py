"""A local intervals.icu: the two API routes runlift calls, over real HTTP (aiohttp.web).

intervals.icu cannot be reached from where runlift is developed and tested, so tests and the demo
point `INTERVALS_API_URL` here. It answers as intervals.icu does for a personal API key:

- `GET /api/v1/athlete/0` (or the athlete's id): 200 with the athlete, 401 for an unknown key;
- `GET /api/v1/athlete/0/activities?oldest=YYYY-MM-DD&newest=YYYY-MM-DD`: the athlete's
  activities whose local start date is in the range, newest first: a run as full JSON, an
  activity synced from Strava as the stub intervals.icu gives instead (id, start, a note);
- HTTP Basic auth with user `API_KEY` and the key as password; anything else is 401.

Faults on demand: the next N requests answer 429 with `Retry-After`, or wait before answering.
A demo running this in another process adds athletes and activities with
`POST /_local/athletes/{key}` and `POST /_local/athletes/{key}/activities` (the activity JSON).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import itertools
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from aiohttp import web

JSONDict = dict[str, Any]
STRAVA_NOTE = "STRAVA activities are not available via the API"


@dataclass
class Athlete:
    """One intervals.icu account: its id, its key and what it has recorded."""

    id: str
    key: str
    activities: list[JSONDict] = field(default_factory=list)


class LocalIntervals:
    """The stand-in server; tests call its methods directly to set the scene."""

    def __init__(self) -> None:
        self.athletes: dict[str, Athlete] = {}
        self.requests: list[str] = []
        """Each request's path and query, in order (never its key)."""
        self.host = "127.0.0.1"
        self.port = 0
        self._ids = itertools.count(1)
        self._limited = 0
        self._retry_after_s = 60
        self._delay_s = 0.0
        self._runner: web.AppRunner | None = None

    # --- the scene -------------------------------------------------------------------------

    def add_athlete(self, key: str) -> Athlete:
        athlete = Athlete(id=f"i{100 + len(self.athletes)}", key=key)
        self.athletes[key] = athlete
        return athlete

    def add_run(
        self,
        key: str,
        start_local: datetime,
        *,
        distance_m: float,
        moving_time_s: int,
        average_hr: float | None = None,
        kind: str = "Run",
    ) -> str:
        """An activity recorded on the watch and uploaded (not through Strava); its id."""
        activity: JSONDict = {
            "id": f"i{next(self._ids)}",
            "type": kind,
            "name": f"Morning {kind}",
            "start_date_local": start_local.isoformat(timespec="seconds"),
            "distance": distance_m,
            "moving_time": moving_time_s,
            "elapsed_time": moving_time_s,
            "average_heartrate": average_hr,
            "source": "GARMIN_CONNECT",
        }
        self.athletes[key].activities.append(activity)
        return str(activity["id"])

    def add_strava_stub(self, key: str, start_local: datetime) -> str:
        """An activity synced from Strava: intervals.icu's API lists it without metrics."""
        activity: JSONDict = {
            "id": str(10_000_000 + next(self._ids)),
            "source": "STRAVA",
            "start_date_local": start_local.isoformat(timespec="seconds"),
            "_note": STRAVA_NOTE,
        }
        self.athletes[key].activities.append(activity)
        return str(activity["id"])

    def rate_limit(self, requests: int = 1, retry_after_s: int = 60) -> None:
        """The next `requests` requests answer 429 with `Retry-After: retry_after_s`."""
        self._limited = requests
        self._retry_after_s = retry_after_s

    def delay(self, seconds: float) -> None:
        """Every answer waits `seconds` first (a slow or hanging server)."""
        self._delay_s = seconds

    # --- HTTP ------------------------------------------------------------------------------

    def _athlete(self, request: web.Request) -> Athlete:
        scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
        try:
            user, _, key = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            user, key = "", ""
        athlete = self.athletes.get(key)
        if scheme != "Basic" or user != "API_KEY" or athlete is None:
            raise web.HTTPUnauthorized(
                text='{"status": 401, "error": "Unauthorized"}', content_type="application/json"
            )
        if request.match_info["athlete"] not in ("0", athlete.id):
            raise web.HTTPForbidden(
                text='{"status": 403, "error": "Forbidden"}', content_type="application/json"
            )
        return athlete

    async def _gate(self, request: web.Request) -> None:
        self.requests.append(request.path_qs)
        if self._delay_s:
            await asyncio.sleep(self._delay_s)
        if self._limited > 0:
            self._limited -= 1
            raise web.HTTPTooManyRequests(
                headers={"Retry-After": str(self._retry_after_s)},
                text='{"status": 429, "error": "Too Many Requests"}',
                content_type="application/json",
            )

    async def _get_athlete(self, request: web.Request) -> web.Response:
        await self._gate(request)
        athlete = self._athlete(request)
        return web.json_response({"id": athlete.id, "name": "Local Runner"})

    async def _get_activities(self, request: web.Request) -> web.Response:
        await self._gate(request)
        athlete = self._athlete(request)
        try:
            oldest = date.fromisoformat(request.query["oldest"])
            newest = date.fromisoformat(request.query.get("newest", "9999-12-31"))
        except (KeyError, ValueError):
            raise web.HTTPUnprocessableEntity(
                text='{"status": 422, "error": "oldest is required (YYYY-MM-DD)"}',
                content_type="application/json",
            ) from None
        chosen = [
            activity
            for activity in athlete.activities
            if oldest <= date.fromisoformat(activity["start_date_local"][:10]) <= newest
        ]
        chosen.sort(key=lambda activity: str(activity["start_date_local"]), reverse=True)
        return web.json_response(chosen)

    async def _post_athlete(self, request: web.Request) -> web.Response:
        athlete = self.add_athlete(request.match_info["key"])
        return web.json_response({"id": athlete.id})

    async def _post_activity(self, request: web.Request) -> web.Response:
        athlete = self.athletes.get(request.match_info["key"])
        if athlete is None:
            raise web.HTTPNotFound(text="no such athlete")
        activity: JSONDict = await request.json()
        activity.setdefault("id", f"i{next(self._ids)}")
        athlete.activities.append(activity)
        return web.json_response({"id": activity["id"]})

    def make_app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/api/v1/athlete/{athlete}", self._get_athlete)
        app.router.add_get("/api/v1/athlete/{athlete}/activities", self._get_activities)
        app.router.add_post("/_local/athletes/{key}", self._post_athlete)
        app.router.add_post("/_local/athletes/{key}/activities", self._post_activity)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        """Listen on `host:port` (0 picks a free port) and return the port."""
        self._runner = web.AppRunner(
            self.make_app(), handle_signals=False, access_log=None, shutdown_timeout=1.0
        )
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        self.host = host
        self.port = int(self._runner.addresses[0][1])
        return self.port

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> LocalIntervals:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        """What `INTERVALS_API_URL` should be."""
        return f"http://{self.host}:{self.port}"
