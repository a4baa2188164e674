"""Planner throughput: runner-weeks planned per second on one core (target ≥ 1,000/s).

Run from the repository root:
`.venv/bin/python -m bench.planner [--runners N] [--weeks W] [--repeat R]`.
Plans once without logs and once with a logged history per runner (progression runs for every
logged lift, L1–L7). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date, timedelta

from bot.core.catalogue.loader import load_catalogue
from bot.core.domain.logs import ExerciseLog, LoggedSet
from bot.core.domain.profile import (
    WEEKDAYS,
    DayKind,
    Equipment,
    Experience,
    Goal,
    Limitation,
    Placement,
    RaceDistance,
    RunnerProfile,
)
from bot.core.planner import build_plan


def random_profile(rng: random.Random, today: date) -> RunnerProfile:
    goal = None
    if rng.random() < 0.7:
        goal = Goal(
            race_distance=rng.choice(list(RaceDistance)),
            race_date=today + timedelta(days=rng.randint(-20, 200)),
        )
    return RunnerProfile(
        week={day: rng.choice(list(DayKind)) for day in WEEKDAYS},
        goal=goal,
        experience=rng.choice(list(Experience)),
        equipment=tuple(rng.sample(list(Equipment), rng.randint(1, 3))),
        sessions_per_week=rng.choice([None, 1, 2, 3]),
        placement=rng.choice(list(Placement)),
        limitations=tuple(rng.sample(list(Limitation), rng.randint(0, 2))),
    )


_LOGGED = ("back_squat", "deadlift", "goblet_squat", "dumbbell_rdl", "kettlebell_swing")


def random_history(rng: random.Random, today: date) -> dict[str, list[ExerciseLog]]:
    """A few weeks of logged sets for the main lifts, some with a layoff before `today`."""
    history: dict[str, list[ExerciseLog]] = {}
    gap = rng.choice([0, 0, 0, 21])
    for exercise_id in _LOGGED:
        load = rng.choice([16.0, 24.0, 40.0, 60.0, 100.0])
        logs = []
        for week in range(4, 0, -1):
            reps = rng.randint(3, 10)
            logs.append(
                ExerciseLog(
                    exercise_id=exercise_id,
                    performed_on=today - timedelta(days=7 * week + gap),
                    target_reps=(3, 8),
                    sets=tuple(
                        LoggedSet(set_no=n, reps=reps, load_kg=load, rir=rng.randint(0, 4))
                        for n in (1, 2, 3)
                    ),
                )
            )
        history[exercise_id] = logs
    return history


def _run(
    profiles: list[RunnerProfile],
    start: date,
    weeks: int,
    histories: list[dict[str, list[ExerciseLog]]] | None,
    label: str,
    repeat: int,
) -> None:
    """Plans every runner `repeat` times; the best run is the planner's speed (like `timeit`:
    a slower run measured the machine's other work, not the code), the median what it met."""
    rates: list[float] = []
    sessions = 0
    for _ in range(repeat):
        began = time.process_time()
        sessions = 0
        for index, profile in enumerate(profiles):
            history = histories[index] if histories is not None else None
            plan = build_plan(profile, start, weeks, history=history, today=start)
            sessions += len(plan.sessions())
        rates.append(len(profiles) * weeks / (time.process_time() - began))
    rates.sort()
    print(f"{label}: {len(profiles) * weeks} runner-weeks ({sessions} sessions), {repeat} runs")
    print(
        f"{label}: {rates[-1]:,.0f} runner-weeks/s of CPU time at best (target ≥ 1,000/s); "
        f"median {statistics.median(rates):,.0f}/s, slowest {rates[0]:,.0f}/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runners", type=int, default=500)
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(4)
    start = date(2026, 11, 23)
    profiles = [random_profile(rng, start) for _ in range(args.runners)]
    histories = [random_history(rng, start) for _ in profiles]
    load_catalogue()  # cached: loading is not part of planning
    _run(profiles, start, args.weeks, None, "no logs", args.repeat)
    _run(profiles, start, args.weeks, histories, "with logs", args.repeat)


if __name__ == "__main__":
    main()
