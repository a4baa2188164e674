"""The planner places each week's sessions around that week's dated runs (P1–P8, PH3)."""

from __future__ import annotations

import argparse
import itertools
import json
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.cli_plan import add_plan_parsers
from bot.core.calendar import plan_inputs, read_calendar
from bot.core.domain.plan import Phase, Plan
from bot.core.domain.profile import RaceDistance, RunnerProfile, Weekday
from bot.core.domain.rundays import DatedRun, RunDays, RunKind
from bot.core.planner import build_plan
from bot.core.planner.placement import blocked_reason

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "calendars"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SEED_000 = ("rest", "tempo", "easy", "rest", "intervals", "easy", "long")


def profile(kinds: tuple[str, ...] = SEED_000, **extra: Any) -> RunnerProfile:
    return RunnerProfile.model_validate({"week": dict(zip(DAYS, kinds, strict=True)), **extra})


def calendar_plan(
    name: str, start: date, weeks: int, runner: RunnerProfile | None = None
) -> tuple[Plan, RunDays, RunnerProfile]:
    runner = runner or profile()
    runs = read_calendar(
        (FIXTURES / name).read_bytes(),
        start=start,
        end=start + timedelta(days=400),
        zone=runner.zone,
        name=name,
    )
    inputs = plan_inputs(runner, runs, start)
    plan = build_plan(inputs.profile, start, weeks, run_days=inputs.run_days)
    return plan, inputs.run_days, inputs.profile


def week_days(plan: Plan) -> list[list[str]]:
    return [[f"{s.date:%a}" for s in week.sessions] for week in plan.weeks]


def test_weeks_that_differ_get_different_days_after_their_hard_runs_p1() -> None:
    plan, runs, _ = calendar_plan("app_half_marathon_utc.ics", date(2027, 1, 4), 2)
    # P9: week 2's Monday intervals come the day after the long run, so Wednesday's tempo and
    # Friday take its sessions
    assert week_days(plan) == [["Tue", "Thu"], ["Wed", "Fri"]]
    for session in plan.sessions():
        assert session.after_run is not None and session.after_run.value == runs.kind(session.date)
    assert plan.weeks[0].sessions[1].reason.startswith("After your interval session")
    assert plan.weeks[1].sessions[0].reason.startswith("After your tempo run")


def test_a_cutback_week_without_intervals_still_keeps_the_rules_p3_p4() -> None:
    plan, runs, _ = calendar_plan("app_half_marathon_utc.ics", date(2027, 1, 18), 1)
    days = [s.date for s in plan.sessions()]
    assert days and all(not runs.kind(d + timedelta(days=1)).is_key for d in days)
    assert "Runs from your calendar: Tue easy, Thu tempo, Sun long." in plan.weeks[0].notes


def test_nothing_on_a_sunday_before_a_monday_key_run_across_weeks_p3() -> None:
    """The template's Sunday is easy, but next Monday's calendar run is intervals."""
    runner = profile(("rest", "tempo", "rest", "rest", "intervals", "long", "easy"))
    next_monday = date(2027, 1, 11)
    runs = RunDays(
        runner.week,
        {next_monday: DatedRun(RunKind.INTERVALS), date(2027, 1, 13): DatedRun(RunKind.TEMPO)},
    )
    sunday = date(2027, 1, 10)
    assert runs.source(sunday) == "template" and runs.kind(sunday) is RunKind.EASY
    assert blocked_reason(runner, sunday, runs) == "P3: never the day before a key run (intervals)"
    assert blocked_reason(runner, sunday) is None  # the template alone would have allowed it
    plan = build_plan(
        runner.model_copy(update={"placement": "separate_days"}),
        date(2027, 1, 4),
        2,
        run_days=runs,
    )
    assert sunday not in {s.date for s in plan.sessions()}


def test_no_consecutive_days_across_a_week_boundary_p4() -> None:
    """A Sunday session in a template week keeps Monday of a calendar week free."""
    runner = profile(("rest", "rest", "rest", "rest", "rest", "easy", "tempo"))
    runs = RunDays(
        runner.week,
        {date(2027, 1, 11): DatedRun(RunKind.EASY), date(2027, 1, 17): DatedRun(RunKind.LONG)},
    )
    plan = build_plan(runner, date(2027, 1, 4), 2, run_days=runs)
    days = sorted(s.date for s in plan.sessions())
    assert date(2027, 1, 10) in days  # Sunday, after the template's tempo
    assert all((b - a).days >= 2 for a, b in itertools.pairwise(days))


def test_a_week_with_no_runs_in_the_calendar_follows_the_template() -> None:
    plan, runs, _ = calendar_plan("messy_personal_crlf.ics", date(2027, 2, 1), 3)
    third = plan.weeks[2]
    assert runs.source(third.week_start) == "template"
    assert [f"{s.date:%a}" for s in third.sessions] == ["Tue", "Fri"]  # seed 000's days
    assert not any(note.startswith("Runs from your calendar") for note in third.notes)
    # In calendar weeks, days the calendar leaves empty are rest, whatever the template says.
    assert runs.kind(date(2027, 2, 3)) is RunKind.REST  # a Wednesday: the template's easy day


def test_cancelled_long_run_is_no_run_and_frees_the_saturday_p3() -> None:
    _plan, runs, _ = calendar_plan("club_weekly_rrule.ics", date(2027, 2, 1), 2)
    assert runs.kind(date(2027, 2, 7)) is RunKind.REST
    assert blocked_reason(profile(), date(2027, 2, 6), runs) is None
    assert runs.kind(date(2027, 2, 14)) is RunKind.LONG
    assert blocked_reason(profile(), date(2027, 2, 13), runs) is not None  # Saturday parkrun


def test_calendar_race_sets_the_goal_and_the_plan_tapers_to_it_ph3() -> None:
    plan, _runs, runner = calendar_plan("marathon_taper_all_day.ics", date(2027, 3, 15), 6)
    assert runner.goal is not None and runner.goal.race_distance is RaceDistance.MARATHON
    phases = [week.phase for week in plan.weeks]
    assert phases[-1] is Phase.RACE_WEEK and Phase.TAPER in phases
    race_week = plan.weeks[-1]
    assert len(race_week.sessions) <= 1
    assert all((date(2027, 4, 25) - s.date).days >= 3 for s in race_week.sessions)
    # The tune-up half is a race day: nothing on it or the day before (P3, P5).
    days = {s.date for s in plan.sessions()}
    assert not days & {date(2027, 3, 27), date(2027, 3, 28)}
    assert all(len(week.sessions) <= 1 for week in plan.weeks[2:])


def test_the_profiles_goal_is_kept_when_the_calendar_has_no_goal_race() -> None:
    goal = {"race_distance": "10k", "race_date": "2027-06-06"}
    _, _, runner = calendar_plan("club_weekly_rrule.ics", date(2027, 1, 4), 1, profile(goal=goal))
    assert runner.goal is not None and runner.goal.race_date == date(2027, 6, 6)


def test_a_timed_calendar_run_gives_the_days_time() -> None:
    _, runs, _ = calendar_plan("club_weekly_rrule.ics", date(2027, 1, 4), 1)
    assert runs.time(date(2027, 1, 5)) == time(19, 0)  # Tuesday track night at 19:00
    assert RunDays(profile().week).time(date(2027, 1, 5)) is None
    timed = profile(run_times={"tue": "07:00"})
    tuesday = date(2027, 6, 1)
    assert Weekday.of(tuesday) is Weekday.TUE
    assert RunDays(timed.week, template_times=timed.run_times).time(tuesday) == time(7, 0)


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="runlift")
    add_plan_parsers(parser.add_subparsers())
    args = parser.parse_args(argv)
    code = args.handler(args)
    out, err = capsys.readouterr()
    return code, out, err


def write_profile(tmp_path: Path, **changes: Any) -> str:
    path = tmp_path / "profile.json"
    path.write_text(json.dumps({"week": dict(zip(DAYS, SEED_000, strict=True)), **changes}))
    return str(path)


def test_ph5_cli_keeps_the_stated_goal_and_offers_the_calendars_race(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_profile(tmp_path, goal={"race_distance": "marathon", "race_date": "2027-05-02"})
    calendar = str(FIXTURES / "app_half_marathon_utc.ics")
    argv = ["plan", "--profile", path, "--calendar", calendar, "--start", "2027-01-04"]
    code, out, _ = run_cli([*argv, "--weeks", "2", "--format", "json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert "your goal stays the A race" in data["notes"][0]
    assert {"race_date": "2027-05-02", "race_distance": "marathon", "priority": "A"} in data[
        "races"
    ]
    assert data["run_days"]["2027-01-10"] == {"kind": "long"}
    code, out, _ = run_cli([*argv, "--weeks", "2"], capsys)
    assert code == 0 and out.startswith("Note: Your calendar's race (half marathon")


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("not_icalendar.ics", "not an iCalendar file"),
        ("empty.ics", "the calendar is empty"),
        ("meetings_only.ics", "no runs between"),
        ("missing.ics", "cannot read it"),
    ],
)
def test_cli_bad_calendar_one_line_and_exit_2(
    name: str, says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["plan", "--profile", write_profile(tmp_path), "--calendar", str(FIXTURES / name)]
    code, out, err = run_cli(argv, capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"{name}: ") and says in err


def test_the_usual_week_a_calendar_implies() -> None:
    from bot.core.calendar.inputs import usual_week

    runs = read_calendar(
        (FIXTURES / "club_weekly_rrule.ics").read_bytes(),
        start=date(2027, 1, 4),
        end=date(2027, 3, 1),
        zone="Europe/London",
    )
    week = {day.value: kind.value for day, kind in usual_week(runs).items()}
    assert week == {
        "mon": "rest",
        "tue": "intervals",
        "wed": "rest",
        "thu": "tempo",
        "fri": "rest",
        "sat": "rest",
        "sun": "long",
    }
