"""Reading a FIT activity: its session summary, decoded by fitdecode.

A FIT file is mostly per-second records we don't need, and decoding them all in Python takes
tens of seconds for a long run. So one cheap pass walks the message headers (sizes come from
the definitions) and lifts out only the session messages; fitdecode then decodes a small FIT
file made of just those. The pass also proves the file's structure: a truncated or scrambled
file fails it and is reported as damaged.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import fitdecode
from fitdecode.utils import compute_crc

from bot.core.domain.runs import RunRecord, Sport
from bot.core.runs.errors import RunFileError

DAMAGED = "I couldn't read that FIT file — it looks damaged."
MAX_MESSAGES = 2_000_000
"""Far beyond a 24-hour run recorded every second; bounds the pass on hostile input."""
MAX_SESSIONS = 50
"""A triathlon has five (with transitions); more is not an activity we should decode."""

_SESSION = 18
_SPORTS: dict[str, Sport] = {
    "running": "run",
    "cycling": "ride",
    "e_biking": "ride",
    "swimming": "swim",
    "walking": "walk",
    "hiking": "walk",
}


class _DamagedError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class _Definition:
    global_number: int
    fields: bytes
    """The definition's content without developer fields: reserved … field list."""
    size: int
    developer_size: int


def _definition(data: bytes, pos: int, developer: bool) -> tuple[_Definition, int]:
    if pos + 5 > len(data):
        raise _DamagedError
    big_endian = data[pos + 1] == 1
    number = int.from_bytes(data[pos + 2 : pos + 4], "big" if big_endian else "little")
    count = data[pos + 4]
    end = pos + 5 + 3 * count
    size = sum(data[pos + 5 + 3 * i + 1] for i in range(count))
    developer_size = 0
    if developer:
        if end >= len(data):
            raise _DamagedError
        extra = data[end]
        developer_size = sum(data[end + 1 + 3 * i + 1] for i in range(extra))
        end_with_developer = end + 1 + 3 * extra
    else:
        end_with_developer = end
    if end_with_developer > len(data):
        raise _DamagedError
    return _Definition(number, data[pos:end], size, developer_size), end_with_developer


def _sessions(data: bytes) -> list[tuple[_Definition, bytes]]:
    """Every session message (its definition and field bytes), in file order."""
    found: list[tuple[_Definition, bytes]] = []
    offset = 0
    messages = 0
    while offset < len(data):  # FIT files may be chained one after another
        header_size = data[offset]
        if header_size < 12 or data[offset + 8 : offset + 12] != b".FIT":
            raise _DamagedError
        end = offset + header_size + int.from_bytes(data[offset + 4 : offset + 8], "little")
        if end + 2 > len(data):
            raise _DamagedError
        definitions: dict[int, _Definition] = {}
        pos = offset + header_size
        while pos < end:
            messages += 1
            if messages > MAX_MESSAGES:
                raise RunFileError("That FIT file holds more than I can read.")
            head = data[pos]
            pos += 1
            if not head & 0x80 and head & 0x40:
                definitions[head & 0x0F], pos = _definition(data, pos, bool(head & 0x20))
                continue
            local = (head >> 5) & 0x03 if head & 0x80 else head & 0x0F
            definition = definitions.get(local)
            if definition is None:
                raise _DamagedError
            if definition.global_number == _SESSION:
                if len(found) == MAX_SESSIONS:
                    raise _DamagedError
                found.append((definition, data[pos : pos + definition.size]))
            pos += definition.size + definition.developer_size
        if pos != end:
            raise _DamagedError
        offset = end + 2
    return found


def _sessions_file(sessions: list[tuple[_Definition, bytes]]) -> bytes:
    """A small, valid FIT file holding only `sessions` (developer fields left out)."""
    body = b"".join(b"\x40" + d.fields + b"\x00" + fields for d, fields in sessions)
    header = bytes([12, 0x20]) + (2132).to_bytes(2, "little")
    header += len(body).to_bytes(4, "little") + b".FIT"
    content = header + body
    return content + int(compute_crc(content)).to_bytes(2, "little")


def _decoded(content: bytes) -> list[dict[str, Any]]:
    values: list[dict[str, Any]] = []
    with fitdecode.FitReader(io.BytesIO(content), check_crc=fitdecode.CrcCheck.RAISE) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "session":
                values.append({field.name: field.value for field in frame.fields})
    return values


def read_fit(data: bytes) -> RunRecord:
    """The activity's summary from its session message(s).

    A multisport file (a brick, a triathlon) counts its running sessions; with none, its first
    session stands for the whole file.
    """
    try:
        sessions = _decoded(_sessions_file(_sessions(data)))
    except (_DamagedError, fitdecode.FitError):
        raise RunFileError(DAMAGED) from None
    sessions = [s for s in sessions if isinstance(s.get("start_time"), datetime)]
    if not sessions:
        raise RunFileError("That FIT file has no activity summary — is it a finished activity?")
    runs = [s for s in sessions if s.get("sport") == "running"] or sessions[:1]
    seconds = [float(s.get("total_timer_time") or s.get("total_elapsed_time") or 0) for s in runs]
    heart = [(s.get("avg_heart_rate"), t) for s, t in zip(runs, seconds, strict=True)]
    weighted = [(int(hr), t) for hr, t in heart if isinstance(hr, int | float) and 0 < hr < 260]
    timed = sum(t for _, t in weighted)
    average_hr = round(sum(hr * t for hr, t in weighted) / timed) if timed else None
    if average_hr is None and weighted:
        average_hr = weighted[0][0]
    sport = runs[0].get("sport")
    return RunRecord(
        start=min(s["start_time"] for s in runs),
        distance_m=sum(float(s.get("total_distance") or 0) for s in runs),
        moving_time_s=round(sum(seconds)),
        average_hr=average_hr,
        sport=_SPORTS.get(sport, "other") if isinstance(sport, str) else "other",
        source="fit",
    )
