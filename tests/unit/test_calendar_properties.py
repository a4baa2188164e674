"""Hypothesis: whatever the calendar, sessions respect its dated long runs and races (P3–P5).

Random run plans are written as .ics text (titles as apps and coaches write them, timed in UTC
or all-day), read back by the calendar reader and planned; the properties are what a runner
would check on the plan: no session on a long run or race, none the day before, none on
consecutive days.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.calendar import plan_inputs, read_calendar
from bot.core.domain.profile import DayKind, Placement, RunnerProfile
from bot.core.domain.rundays import RunKind
from bot.core.planner import build_plan

START = date(2027, 1, 4)
WEEKS = 6
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

TITLES: dict[RunKind, tuple[str, ...]] = {
    RunKind.EASY: ("Easy Run • 6km", "Recovery jog", "Run", "Easy 5 mi + strides"),
    RunKind.TEMPO: ("Tempo @ half-marathon pace", "Threshold 3x10min", "Cruise intervals 4x1mi"),
    RunKind.INTERVALS: ("6x800m", "6x1km @ race pace", "Track night – 400m reps", "Fartlek"),
    RunKind.LONG: ("Long Run • 18km", "LSR 20 mi", "Sunday long run"),
    RunKind.CROSS: ("Bike 60 min", "Swim 1500m"),
    RunKind.RACE: ("parkrun", "10K race", "Half Marathon", "Berlin Marathon"),
}
KINDS = st.sampled_from(
    [
        RunKind.EASY,
        RunKind.TEMPO,
        RunKind.INTERVALS,
        RunKind.LONG,
        RunKind.CROSS,
        RunKind.RACE,
    ]
)


def _ics(entries: dict[date, tuple[RunKind, int, bool]]) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//runlift tests//EN"]
    for index, (day, (kind, pick, timed)) in enumerate(sorted(entries.items())):
        titles = TITLES[kind]
        start = f"DTSTART:{day:%Y%m%d}T063000Z" if timed else f"DTSTART;VALUE=DATE:{day:%Y%m%d}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{index}@example.test",
            "DTSTAMP:20261201T000000Z",
            start,
            f"SUMMARY:{titles[pick % len(titles)]}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


entries_strategy = st.dictionaries(
    st.integers(0, WEEKS * 7 - 1).map(lambda n: START + timedelta(days=n)),
    st.tuples(KINDS, st.integers(0, 3), st.booleans()),
    min_size=1,
    max_size=30,
)
template_strategy = st.lists(st.sampled_from(list(DayKind)), min_size=7, max_size=7)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    entries=entries_strategy,
    template=template_strategy,
    placement=st.sampled_from(list(Placement)),
    count=st.sampled_from([None, 1, 2, 3]),
)
def test_sessions_never_on_or_before_a_dated_long_run_or_race_nor_consecutive(
    entries: dict[date, tuple[RunKind, int, bool]],
    template: list[DayKind],
    placement: Placement,
    count: int | None,
) -> None:
    if not any(kind.is_run for kind, _, _ in entries.values()):
        entries = {**entries, START: (RunKind.EASY, 0, False)}
    runner = RunnerProfile.model_validate(
        {
            "week": dict(zip(DAYS, template, strict=True)),
            "placement": placement,
            "sessions_per_week": count,
            "timezone": "Europe/London",
        }
    )
    runs = read_calendar(
        _ics(entries), start=START, end=START + timedelta(weeks=WEEKS + 1), zone=runner.zone
    )
    inputs = plan_inputs(runner, runs, START)
    plan = build_plan(inputs.profile, START, WEEKS, run_days=inputs.run_days)
    days = sorted(s.date for s in plan.sessions())
    kinds = inputs.run_days
    for day in days:
        assert kinds.kind(day) not in (RunKind.LONG, RunKind.RACE), day  # P5
        assert kinds.kind(day + timedelta(days=1)) not in (RunKind.LONG, RunKind.RACE), day  # P3
        assert not kinds.kind(day + timedelta(days=1)).is_key, day  # P3: any key run
    for earlier, later in itertools.pairwise(days):
        assert (later - earlier).days >= 2, (earlier, later)  # P4, across weeks too
    # Every dated long run and race the calendar holds is what the planner saw.
    for day, (kind, _, _) in entries.items():
        if kind in (RunKind.LONG, RunKind.RACE) and kinds.is_calendar_week(day):
            assert kinds.kind(day) in (RunKind.LONG, RunKind.RACE)
