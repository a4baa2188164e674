"""Reading a TCX activity (Garmin's Training Center XML) with defusedxml.

A TCX activity is the sum of its laps: each lap states its time, distance and average HR, so
the trackpoints are skipped (and freed) as they stream past. DTDs are refused outright.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import iterparse

from bot.core.domain.runs import RunRecord, Sport
from bot.core.runs.errors import RunFileError

DAMAGED = "I couldn't read that TCX file — it looks damaged."
_SPORTS: dict[str, Sport] = {"running": "run", "biking": "ride"}


def _name(element: Element) -> str:
    return str(element.tag).rsplit("}", 1)[-1]


def _child(element: Element, name: str) -> Element | None:
    return next((child for child in element if _name(child) == name), None)


def _number(element: Element | None) -> float:
    text = (element.text or "").strip() if element is not None else ""
    return float(text) if text else 0.0


def _instant(text: str) -> datetime:
    moment = datetime.fromisoformat(text.strip())
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def read_tcx(data: bytes) -> RunRecord:
    """The first activity's laps summed; its HR is the laps' averages weighted by lap time."""
    sport: str | None = None
    start: datetime | None = None
    laps: list[tuple[float, float, float | None]] = []
    done = False
    events = iterparse(io.BytesIO(data), events=("start", "end"), forbid_dtd=True)
    for event, element in events:
        name = _name(element)
        if event == "start":
            if name == "Activity" and sport is None:
                sport = element.get("Sport", "")
            elif name == "Lap" and start is None and element.get("StartTime"):
                start = _instant(element.get("StartTime", ""))
            continue
        if sport is None:
            continue
        if name == "Id" and not laps and element.text:
            start = _instant(element.text)
        elif name == "Trackpoint":
            element.clear()
        elif name == "Lap":
            heart = _child(element, "AverageHeartRateBpm")
            value = _child(heart, "Value") if heart is not None else None
            seconds = _number(_child(element, "TotalTimeSeconds"))
            distance = _number(_child(element, "DistanceMeters"))
            laps.append((seconds, distance, _number(value) if value is not None else None))
            element.clear()
        elif name == "Activity":
            done = True
            break
    if not done or start is None:
        raise RunFileError("That TCX file holds no finished activity.")
    rated = [(hr, seconds) for seconds, _, hr in laps if hr and 0 < hr < 260]
    rated_time = sum(seconds for _, seconds in rated)
    average_hr = round(sum(hr * s for hr, s in rated) / rated_time) if rated_time else None
    return RunRecord(
        start=start,
        distance_m=sum(distance for _, distance, _ in laps),
        moving_time_s=round(sum(seconds for seconds, _, _ in laps)),
        average_hr=average_hr,
        sport=_SPORTS.get((sport or "").lower(), "other"),
        source="tcx",
    )
