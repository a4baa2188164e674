"""Planner throughput: runner-weeks planned per second on one core (target ≥ 1,000/s).

Run from the repository root: `.venv/bin/python -m bench.planner [--runners N] [--weeks W]`.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta

from bot.core.catalogue.loader import load_catalogue
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runners", type=int, default=500)
    parser.add_argument("--weeks", type=int, default=4)
    args = parser.parse_args()
    rng = random.Random(4)
    start = date(2026, 11, 23)
    profiles = [random_profile(rng, start) for _ in range(args.runners)]
    load_catalogue()  # cached: loading is not part of planning
    began = time.perf_counter()
    sessions = 0
    for profile in profiles:
        plan = build_plan(profile, start, args.weeks)
        sessions += len(plan.sessions())
    elapsed = time.perf_counter() - began
    runner_weeks = args.runners * args.weeks
    print(f"planned {runner_weeks} runner-weeks ({sessions} sessions) in {elapsed:.3f} s")
    print(f"{runner_weeks / elapsed:,.0f} runner-weeks/s on one core (target ≥ 1,000/s)")


if __name__ == "__main__":
    main()
