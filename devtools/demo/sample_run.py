"""The demo's run: a sample run file to send with 📎 (`/demo/run.gpx`), and a local
intervals.icu whose demo athlete has just run whenever the bot asks (`/intervals demo-key`).

A GPX file is plain XML, so it is written here without a library (the demo installs no
test-only packages); the bot reads it with gpxpy like any watch's export.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from aiohttp import web

from devtools.intervals.server import LocalIntervals

DEMO_INTERVALS_KEY = "demo-intervals-key"
"""The one athlete of the demo's intervals.icu: `/intervals demo-intervals-key` connects."""
RUN_DISTANCE_M = 8_000.0
RUN_TIME = timedelta(minutes=42)
FINISHED_AGO = timedelta(minutes=10)
_STEP_S = 10


def sample_run_gpx(now: datetime) -> bytes:
    """An 8 km run along a meridian that finished ten minutes before `now` (the demo's clock),
    a point every ten seconds."""
    end = now.astimezone(UTC).replace(microsecond=0) - FINISHED_AGO
    start = end - RUN_TIME
    steps = int(RUN_TIME.total_seconds()) // _STEP_S
    degrees = RUN_DISTANCE_M / 111_195.0 / steps
    points = "".join(
        f'<trkpt lat="{51.5 + index * degrees:.7f}" lon="-0.1200000">'
        f"<time>{start + timedelta(seconds=index * _STEP_S):%Y-%m-%dT%H:%M:%SZ}</time></trkpt>"
        for index in range(steps + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="runlift demo" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><name>Demo tempo run</name><type>running</type><trkseg>{points}</trkseg></trk>"
        "</gpx>"
    ).encode()


class DemoIntervals(LocalIntervals):
    """The local intervals.icu with one athlete (`DEMO_INTERVALS_KEY`) who, on the first day the
    bot asks about, has a run that finished ten minutes before it asked."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self._clock = clock
        self._run_days: set[date] = set()
        self.add_athlete(DEMO_INTERVALS_KEY)

    async def _get_activities(self, request: web.Request) -> web.Response:
        now = self._clock().astimezone(UTC)
        asked = request.query.get("newest", "")
        if asked == now.date().isoformat() and now.date() not in self._run_days:
            self._run_days.add(now.date())
            start = (now - FINISHED_AGO - RUN_TIME).replace(tzinfo=None, microsecond=0)
            self.add_run(
                DEMO_INTERVALS_KEY,
                start,
                distance_m=RUN_DISTANCE_M,
                moving_time_s=int(RUN_TIME.total_seconds()),
                average_hr=156,
            )
        return await super()._get_activities(request)
