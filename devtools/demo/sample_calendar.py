"""A sample run plan the demo serves as a feed (`/demo/plan.ics`), so /calendar can be tried.

Eight weeks from the Monday of the demo clock's week: the tempo moves, a cutback week drops the
intervals, and a half marathon closes the plan, as real apps' plans do.
"""

from __future__ import annotations

from datetime import date, timedelta

WEEKS: tuple[tuple[tuple[int, str], ...], ...] = (
    ((1, "Tempo Run • 8km"), (3, "Intervals • 6x800m"), (5, "Easy 5km"), (6, "Long Run • 16km")),
    ((0, "Intervals • 5x1km"), (2, "Tempo Run • 9km"), (4, "Easy 6km"), (6, "Long Run • 18km")),
    ((1, "Easy Run • 6km"), (3, "Tempo Run • 6km"), (6, "Long Run • 12km")),
    ((2, "Intervals • 8x400m"), (4, "Tempo Run • 10km"), (6, "Long Run • 19km")),
    ((1, "Tempo @ half-marathon pace"), (3, "6x1km @ race pace"), (6, "Long Run • 20km")),
    ((0, "Easy Run • 5km"), (2, "Intervals • 4x2km"), (6, "Long Run • 16km")),
    ((1, "Tempo Run • 6km"), (3, "Easy Run • 5km"), (6, "Long Run • 12km")),
    ((1, "Easy Run • 5km"), (3, "Easy Run • 4km"), (6, "Half Marathon")),
)


def sample_plan(today: date) -> bytes:
    """The plan as .ics bytes; runs at 06:30 UTC (the half at 09:00)."""
    monday = today - timedelta(days=today.weekday())
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//runlift demo//Sample plan//EN"]
    for week, runs in enumerate(WEEKS):
        for weekday, title in runs:
            day = monday + timedelta(days=7 * week + weekday)
            hour = "0900" if title == "Half Marathon" else "0630"
            lines += [
                "BEGIN:VEVENT",
                f"UID:demo-{day:%Y%m%d}@runlift.demo",
                "DTSTAMP:20260101T000000Z",
                f"DTSTART:{day:%Y%m%d}T{hour}00Z",
                f"SUMMARY:{title}",
                "END:VEVENT",
            ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()
