"""Reading a GPX track with gpxpy: start, distance, moving time, average HR, type.

GPX carries no summary, so everything is worked out from the points; their number is capped
before parsing so a huge track answers in seconds. A GPX never needs a DTD, and one is the way
to an entity bomb, so a file declaring one is refused before the XML parser sees it.
"""

from __future__ import annotations

from datetime import UTC

import gpxpy
import gpxpy.gpx

from bot.core.domain.runs import RunRecord, Sport
from bot.core.runs.errors import RunFileError

DAMAGED = "I couldn't read that GPX file — it looks damaged."
MAX_POINTS = 200_000
"""More than a 24-hour run recorded every second; gpxpy reads that many in a few seconds."""


def sport_of(words: str | None) -> Sport:
    """An activity type as apps write it ("running", "Run", "trail_running", Strava's "9").

    A file that names no type is taken to be a run: runners send runs.
    """
    text = (words or "").strip().lower()
    if not text or "run" in text or text == "9":
        return "run"
    if text == "1" or any(word in text for word in ("ride", "cycl", "bik")):
        return "ride"
    if "swim" in text:
        return "swim"
    if "walk" in text or "hik" in text:
        return "walk"
    return "other"


def _heart_rates(gpx: gpxpy.gpx.GPX) -> list[int]:
    """Per-point HR from Garmin's TrackPointExtension (`<gpxtpx:hr>`), as most watches write."""
    rates: list[int] = []
    for track in gpx.tracks:
        for segment in track.segments:
            for point in segment.points:
                for extension in point.extensions:
                    for element in extension.iter():
                        tag = str(element.tag).rsplit("}", 1)[-1]
                        text = (element.text or "").strip()
                        if tag == "hr" and text.isdigit() and 0 < int(text) < 260:
                            rates.append(int(text))
    return rates


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_gpx(data: bytes) -> RunRecord:
    """The track's summary: distance in 3D where points have elevation, gpxpy's moving time."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise RunFileError(DAMAGED)
    if data.count(b"trkpt") > 2 * MAX_POINTS:
        raise RunFileError(f"That GPX file has more than {MAX_POINTS:,} points, more than I read.")
    try:
        gpx = gpxpy.parse(_text(data))
    except gpxpy.gpx.GPXException:
        raise RunFileError(DAMAGED) from None
    if not any(segment.points for track in gpx.tracks for segment in track.segments):
        raise RunFileError("That GPX file holds no track points.")
    start = gpx.get_time_bounds().start_time
    moving = gpx.get_moving_data()
    if start is None or moving is None:
        raise RunFileError("That GPX file has no times, so I can't tell when or how long you ran.")
    if start.tzinfo is None:  # GPX times are UTC by the schema
        start = start.replace(tzinfo=UTC)
    rates = _heart_rates(gpx)
    return RunRecord(
        start=start,
        distance_m=gpx.length_3d(),
        moving_time_s=round(moving.moving_time),
        average_hr=round(sum(rates) / len(rates)) if rates else None,
        sport=sport_of(gpx.tracks[0].type if gpx.tracks else None),
        source="gpx",
    )
