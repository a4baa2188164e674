"""Any calendar a runner sends gets a plan or one clear line, never a crash.

The corpus is 95 real-world calendars (holidays, club feeds, DST, broken RRULEs, events without
DTEND …) kept beside the repository in `../shared/calendars/real-world`; CI has a copy there.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.core.calendar import plan_inputs, read_calendar
from bot.core.domain.errors import CalendarError
from bot.core.domain.profile import RunnerProfile
from bot.core.planner import build_plan

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "calendars" / "real-world"
FILES = sorted(CORPUS.glob("*.ics")) if CORPUS.is_dir() else []
TODAY = date(2026, 11, 30)
PROFILE = RunnerProfile.model_validate(
    {
        "week": {
            "mon": "rest",
            "tue": "tempo",
            "wed": "easy",
            "thu": "rest",
            "fri": "intervals",
            "sat": "easy",
            "sun": "long",
        }
    }
)


def _first_start(data: bytes) -> date | None:
    match = re.search(rb"DTSTART[^:\r\n]*:(\d{4})(\d{2})(\d{2})", data)
    if match is None:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _plan_or_line(data: bytes, name: str, start: date) -> str:
    """'plan' or the one line the runner would read."""
    monday = start - timedelta(days=start.weekday())
    try:
        runs = read_calendar(
            data, start=monday, end=monday + timedelta(weeks=8), zone="Europe/Berlin", name=name
        )
    except CalendarError as error:
        return str(error)
    inputs = plan_inputs(PROFILE, runs, start)
    plan = build_plan(inputs.profile, start, 8, run_days=inputs.run_days)
    assert len(plan.weeks) == 8
    return "plan"


@pytest.mark.skipif(not FILES, reason="../shared/calendars/real-world is not beside the repo")
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_real_world_calendar_gives_a_plan_or_one_clear_line(path: Path) -> None:
    data = path.read_bytes()
    starts = [TODAY]
    first = _first_start(data)
    if first is not None and date(1900, 1, 1) < first < date(2100, 1, 1):
        starts.append(first)  # where the file's own events are, so they are expanded and read
    for start in starts:
        outcome = _plan_or_line(data, path.name, start)
        assert outcome == "plan" or (
            outcome.startswith(f"{path.name}: ") and "\n" not in outcome
        ), outcome


@pytest.mark.skipif(not FILES, reason="../shared/calendars/real-world is not beside the repo")
def test_the_whole_corpus_is_there() -> None:
    assert len(FILES) == 95
