"""`runlift plan` and `runlift exercises`: the planner and the catalogue from the command line.

Bad input prints ONE line naming the file and field (`profile.json: week.tue: 'tmepo' is not
one of rest, easy, tempo, intervals, long, cross`) and exits 2; never a traceback.

`--history LOGS.json` reads the JSON the bot's /export writes (its "sets" list) so a coach, or a
test, can see how logged sets change the plan without a chat.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.core.calendar import plan_inputs, read_calendar
from bot.core.catalogue.loader import Catalogue, Exercise, load_catalogue
from bot.core.dates import monday_of
from bot.core.domain.errors import CalendarError, ProfileError, RunliftError
from bot.core.domain.logs import ExerciseLog, LoggedSet
from bot.core.domain.profile import RunnerProfile
from bot.core.domain.rundays import RunDays
from bot.core.planner.plan import MAX_WEEKS, build_plan
from bot.core.planner.render import plan_text

EXIT_USAGE = 2


def _field_message(error: dict[str, Any]) -> str:
    """One pydantic error as `field.path: what is wrong`."""
    loc = [str(part) for part in error.get("loc", ()) if part != "[key]"]
    where = ".".join(loc)
    kind = error.get("type", "")
    value = error.get("input")
    if kind == "enum":
        expected = str(error.get("ctx", {}).get("expected", ""))
        choices = expected.replace("'", "").replace(" or ", ", ")
        message = f"{value!r} is not one of {choices}"
    elif kind == "missing":
        message = "is required"
    elif kind == "extra_forbidden":
        message = "is not a known field"
    else:
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        if value is not None and not isinstance(value, dict | list):
            message = f"{value!r}: {message}"
    if not where:
        return message
    if message.startswith(f"{where}:"):  # the model's own messages already name the field
        return message
    return f"{where}: {message}"


def read_profile(path: Path) -> RunnerProfile:
    """Parse a profile JSON file.

    Raises:
        ProfileError: unreadable file, invalid JSON or an invalid value; the message is one line
            naming the file and field.
    """
    name = path.name
    try:
        text = path.read_text("utf-8")
    except OSError as error:
        raise ProfileError(f"{name}: cannot read it ({error.strerror or error})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ProfileError(
            f"{name}: not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    if not isinstance(data, dict):
        raise ProfileError(f'{name}: expected a JSON object like {{"week": {{...}}}}')
    try:
        return RunnerProfile.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        raise ProfileError(f"{name}: {_field_message(dict(first))}") from None


class ExportedSet(BaseModel):
    """One row of /export's "sets" list (`bot.services.progress.export_json`); L8's bounds."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    date: date
    exercise_id: str
    set_number: int = Field(ge=1, le=10)
    target_reps: tuple[int | None, int | None] | None = None
    target_load_kg: float | None = Field(default=None, ge=0, le=500)
    target_hold_s: int | None = Field(default=None, ge=1, le=600)
    reps: int | None = Field(default=None, ge=1, le=50)
    load_kg: float | None = Field(default=None, ge=0, le=500)
    hold_s: int | None = Field(default=None, ge=1, le=600)
    rir: int | None = Field(default=None, ge=0, le=10)
    per_side: bool = False
    bodyweight: bool = False
    entry_id: int | None = None


def _history_from(rows: list[ExportedSet]) -> dict[str, list[ExerciseLog]]:
    """Group exported sets as the bot's storage does: one log per exercise and day, oldest
    first, with the target beside what was done (L1, L3)."""
    grouped: dict[tuple[str, date], list[ExportedSet]] = {}
    for row in sorted(rows, key=lambda r: (r.date, r.entry_id or 0, r.set_number)):
        grouped.setdefault((row.exercise_id, row.date), []).append(row)
    history: dict[str, list[ExerciseLog]] = {}
    for (exercise_id, performed_on), sets in grouped.items():
        first = sets[0]
        target = first.target_reps
        reps_target = (
            (target[0], target[1])
            if target is not None and target[0] is not None and target[1] is not None
            else None
        )
        history.setdefault(exercise_id, []).append(
            ExerciseLog(
                exercise_id=exercise_id,
                performed_on=performed_on,
                target_reps=reps_target,
                target_load_kg=first.target_load_kg,
                target_hold_s=first.target_hold_s,
                sets=tuple(
                    LoggedSet(
                        set_no=s.set_number,
                        reps=s.reps,
                        load_kg=s.load_kg,
                        hold_s=s.hold_s,
                        rir=s.rir,
                        per_side=s.per_side,
                        bodyweight=s.bodyweight,
                    )
                    for s in sets
                ),
            )
        )
    return history


def read_history(path: Path, catalogue: Catalogue) -> dict[str, list[ExerciseLog]]:
    """Parse an /export JSON file into the planner's history (per exercise id, oldest first).

    Sets of entries the runner undid (`log_entries[].undone`) are left out, as the bot does.

    Raises:
        ProfileError: unreadable file, invalid JSON, no "sets" list, a bad value or an unknown
            exercise; the message is one line naming the file and the set.
    """
    name = path.name
    try:
        data = json.loads(path.read_text("utf-8"))
    except OSError as error:
        raise ProfileError(f"{name}: cannot read it ({error.strerror or error})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        where = (
            f"{error.msg} (line {error.lineno}, column {error.colno})"
            if isinstance(error, json.JSONDecodeError)
            else "not UTF-8 text"
        )
        raise ProfileError(f"{name}: not valid JSON: {where}") from None
    raw_sets = data.get("sets") if isinstance(data, dict) else None
    if not isinstance(raw_sets, list):
        raise ProfileError(f'{name}: expected the /export JSON, an object with a "sets" list')
    undone = {
        entry.get("id")
        for entry in data.get("log_entries", ()) or ()
        if isinstance(entry, dict) and entry.get("undone")
    }
    rows: list[ExportedSet] = []
    for index, raw in enumerate(raw_sets):
        if not isinstance(raw, dict):
            raise ProfileError(f"{name}: sets[{index}]: expected an object")
        try:
            row = ExportedSet.model_validate(raw)
        except ValidationError as error:
            first = dict(error.errors()[0])
            raise ProfileError(f"{name}: sets[{index}].{_field_message(first)}") from None
        if row.exercise_id not in catalogue:
            raise ProfileError(
                f"{name}: sets[{index}].exercise_id: {row.exercise_id!r} is not in the catalogue"
            )
        if row.entry_id is not None and row.entry_id in undone:
            continue
        rows.append(row)
    return _history_from(rows)


def _parse_start(text: str | None) -> date:
    """`--start` or, by default, the Monday of this week (the CLI may read the clock)."""
    if text is None:
        today = date.today()  # noqa: DTZ011 — the runner's local calendar day is what they mean
        return monday_of(today)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ProfileError(f"--start: {text!r} is not a date like 2026-11-23") from None


CALENDAR_LOOKAHEAD_DAYS = 366
"""--calendar reads a year ahead at least, so a race beyond the printed weeks still sets the
goal and its phases (PH1–PH4)."""


def calendar_inputs(
    path: str | None, profile: RunnerProfile, start: date, weeks: int
) -> tuple[RunnerProfile, RunDays | None, list[str]]:
    """`--calendar FILE.ics`: the dated runs to plan from, the season's races and notes.

    PH5: the same decision as the bot (`bot.core.calendar.plan_inputs`): the calendar's race is
    the goal only when the profile states none; a stated goal stays the A race and the
    calendar's races join the season as B or C races.

    Raises:
        CalendarError: unreadable file, not iCalendar, empty, or no runs; one line.
    """
    if path is None:
        return profile, None, []
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as error:
        raise CalendarError(f"{file.name}: cannot read it ({error.strerror or error})") from None
    monday = monday_of(start)
    end = max(monday + timedelta(weeks=weeks + 1), start + timedelta(CALENDAR_LOOKAHEAD_DAYS))
    runs = read_calendar(data, start=monday, end=end, zone=profile.zone, name=file.name)
    inputs = plan_inputs(profile, runs, start)
    return inputs.profile, inputs.run_days, list(inputs.notes)


def plan_command(args: argparse.Namespace) -> int:
    """Print the plan for a profile file as JSON or text."""
    try:
        profile = read_profile(Path(args.profile))
        start = _parse_start(args.start)
        if not 1 <= args.weeks <= MAX_WEEKS:
            raise ProfileError(f"--weeks: {args.weeks} is not between 1 and {MAX_WEEKS}")
        profile, run_days, notes = calendar_inputs(
            getattr(args, "calendar", None), profile, start, args.weeks
        )
        catalogue = load_catalogue()
        history = read_history(Path(args.history), catalogue) if args.history is not None else None
        plan = build_plan(
            profile, start, args.weeks, history=history, catalogue=catalogue, run_days=run_days
        )
    except RunliftError as error:
        print(str(error), file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json":
        data = plan.model_dump(mode="json")
        if notes:
            data = {"notes": notes, **data}
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        sys.stdout.write("".join(f"Note: {note}\n" for note in notes))
        sys.stdout.write(plan_text(plan, profile.units))
    return 0


def exercise_json(exercise: Exercise) -> dict[str, Any]:
    """The catalogue entry as JSON (sorted sets, so the output is stable)."""
    return {
        "id": exercise.id,
        "name": exercise.name,
        "aliases": list(exercise.aliases),
        "category": exercise.category.value,
        "equipment": sorted(e.value for e in exercise.equipment),
        "load_kind": exercise.load_kind.value,
        "body": exercise.body.value,
        "per_side": exercise.per_side,
        "timed": exercise.timed,
        "heavy": exercise.heavy,
        "plyo_contacts": exercise.contacts,
        "level": exercise.level.value if exercise.level else None,
        "cue": exercise.cue,
        "substitutes": list(exercise.substitutes),
        "avoid": sorted(a.value for a in exercise.avoid),
        "auto": exercise.auto,
    }


def catalogue_text(catalogue: Catalogue) -> str:
    lines: list[str] = []
    for exercise in sorted(catalogue, key=lambda e: (e.category.value, e.name)):
        flags = [exercise.category.value, "/".join(sorted(e.value for e in exercise.equipment))]
        if exercise.per_side:
            flags.append("per side")
        if exercise.timed:
            flags.append("timed")
        if exercise.avoid:
            flags.append("avoid: " + ", ".join(sorted(a.value for a in exercise.avoid)))
        lines.append(f"{exercise.name} [{exercise.id}] ({'; '.join(flags)})")
        lines.append(f"    {exercise.cue}")
        if exercise.substitutes:
            lines.append(f"    instead: {', '.join(exercise.substitutes)}")
    return "\n".join(lines) + "\n"


def exercises_command(args: argparse.Namespace) -> int:
    """Print the exercise catalogue as JSON or text."""
    try:
        catalogue = load_catalogue()
    except RunliftError as error:
        print(str(error), file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json":
        data = {"exercises": [exercise_json(e) for e in catalogue]}
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(catalogue_text(catalogue))
    return 0


def add_plan_parsers(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `plan` and `exercises` on the `runlift` command line."""
    plan = subparsers.add_parser("plan", help="print a strength plan for a runner profile")
    plan.add_argument(
        "--profile", required=True, metavar="FILE.json", help="the runner profile (see README)"
    )
    plan.add_argument(
        "--start", metavar="YYYY-MM-DD", help="first day to plan (default: Monday of this week)"
    )
    plan.add_argument("--weeks", type=int, default=1, metavar="N", help="weeks to plan")
    plan.add_argument(
        "--calendar",
        metavar="FILE.ics",
        help="plan around the dated runs of your run plan's calendar (weeks without runs in it "
        "follow the profile's week)",
    )
    plan.add_argument("--format", choices=("json", "text"), default="text")
    plan.add_argument(
        "--history",
        metavar="LOGS.json",
        help="logged sets: the JSON /export writes; loads then follow the log (L1, L3-L7)",
    )
    plan.set_defaults(handler=plan_command)

    exercises = subparsers.add_parser("exercises", help="print the exercise catalogue")
    exercises.add_argument("--format", choices=("json", "text"), default="text")
    exercises.set_defaults(handler=exercises_command)


add_parsers = add_plan_parsers
"""The name `bot.__main__` looks for in its extension modules."""
