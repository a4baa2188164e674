"""Reading a GPX track: start, distance, moving time, average HR, type.

GPX carries no summary, so it is worked out from the points with gpxpy's own geometry: distance
in 3D where points have elevation (`length_3d`), moving time from `get_moving_data` (pauses
left out). The XML is streamed with the standard library's C parser rather than gpxpy's own, whose
namespace regexes take quadratic time on crafted input, and rather than defusedxml's
pure-Python parser, which is 2-3 times slower on a long track. What defusedxml guards against
needs a DTD, and a GPX never has one: a file declaring one (or not in an ASCII-compatible
encoding, where the check could not see it) is refused before parsing. The points are capped,
so the work is bounded by the 20 MB file.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from xml.etree.ElementTree import Element, iterparse

import gpxpy.gpx

from bot.core.domain.runs import RunRecord, Sport
from bot.core.runs.errors import RunFileError

DAMAGED = "I couldn't read that GPX file — it looks damaged."
MAX_POINTS = 200_000
"""More than a 24-hour run recorded every second."""


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


def _name(element: Element) -> str:
    return str(element.tag).rsplit("}", 1)[-1]


def _instant(text: str) -> datetime:
    moment = datetime.fromisoformat(text.strip())
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # GPX times are UTC


def _track(data: bytes, max_points: int) -> tuple[gpxpy.gpx.GPX, list[int], str | None]:
    """The tracks as gpxpy objects, the per-point HRs (Garmin's TrackPointExtension `hr`),
    and the first track's `<type>`. Only end events are read: a point is built when its
    element closes, with its children (ele, time, extensions) still attached."""
    gpx = gpxpy.gpx.GPX()
    rates: list[int] = []
    kind: str | None = None
    points: list[gpxpy.gpx.GPXTrackPoint] = []
    segments: list[gpxpy.gpx.GPXTrackSegment] = []
    count = 0
    for _, element in iterparse(io.BytesIO(data)):
        name = _name(element)
        if name == "trkpt":
            count += 1
            if count > max_points:
                raise RunFileError(_too_many(max_points))
            points.append(_point(element, rates))
            element.clear()
        elif name == "trkseg":
            segments.append(gpxpy.gpx.GPXTrackSegment(points))
            points = []
            element.clear()
        elif name == "trk":
            track = gpxpy.gpx.GPXTrack()
            track.segments = segments
            gpx.tracks.append(track)
            segments = []
            if kind is None:  # the track's own <type>, not a waypoint's
                kind = next((c.text for c in element if _name(c) == "type" and c.text), None)
    return gpx, rates, kind


def _point(element: Element, rates: list[int]) -> gpxpy.gpx.GPXTrackPoint:
    point = gpxpy.gpx.GPXTrackPoint(float(element.get("lat", "")), float(element.get("lon", "")))
    for child in element.iter():
        name = _name(child)
        text = (child.text or "").strip()
        if not text:
            continue
        if name == "ele":
            point.elevation = float(text)
        elif name == "time":
            point.time = _instant(text)
        elif name == "hr" and text.isdigit() and 0 < int(text) < 260:
            rates.append(int(text))
    return point


def _too_many(max_points: int) -> str:
    return f"That GPX file has more than {max_points:,} points, more than I read."


def read_gpx(data: bytes, *, max_points: int = MAX_POINTS) -> RunRecord:
    """The run the GPX track records."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data or b"\x00" in data[:4]:
        raise RunFileError(DAMAGED)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RunFileError(DAMAGED)
    if data.count(b"trkpt") > 2 * max_points:  # far too many: refused before any parsing
        raise RunFileError(_too_many(max_points))
    gpx, rates, kind = _track(data, max_points)
    if not any(segment.points for track in gpx.tracks for segment in track.segments):
        raise RunFileError("That GPX file holds no track points.")
    start = gpx.get_time_bounds().start_time
    moving = gpx.get_moving_data()
    if start is None or moving is None:
        raise RunFileError("That GPX file has no times, so I can't tell when or how long you ran.")
    return RunRecord(
        start=start,
        distance_m=gpx.length_3d(),
        moving_time_s=round(moving.moving_time),
        average_hr=round(sum(rates) / len(rates)) if rates else None,
        sport=sport_of(kind),
        source="gpx",
    )
