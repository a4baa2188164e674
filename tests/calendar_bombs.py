"""Hostile calendars a runner could send (or serve as a feed) to stall the bot.

Each is tiny on the wire and costly to expand if the reader is naive: a rule that never advances
(INTERVAL=0), rules that repeat every second or minute, and many daily series at once.
"""

from __future__ import annotations


def _calendar(*events: str) -> bytes:
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//x//EN\r\n"
    return (head + "".join(events) + "END:VCALENDAR\r\n").encode()


def _event(uid: str, rule: str, summary: str = "Easy run") -> str:
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261101T000000Z\r\n"
        f"DTSTART:20261101T060000Z\r\nRRULE:{rule}\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\n"
    )


def repeating(rule: str) -> bytes:
    """One event repeating by `rule` (e.g. "FREQ=DAILY;INTERVAL=0", "FREQ=MINUTELY")."""
    return _calendar(_event("bomb", rule))


def daily_series(count: int) -> bytes:
    """`count` separate events, each repeating daily forever."""
    return _calendar(*(_event(f"s{index}", "FREQ=DAILY") for index in range(count)))


def one_off_events(count: int) -> bytes:
    """`count` events on one day, none repeating (a big but honest calendar)."""
    return _calendar(
        *(
            f"BEGIN:VEVENT\r\nUID:o{index}\r\nDTSTAMP:20261101T000000Z\r\n"
            f"DTSTART;VALUE=DATE:20261123\r\nSUMMARY:Easy run {index}\r\n"
            "END:VEVENT\r\n"
            for index in range(count)
        )
    )
