"""Shared runners for the coaching rule tests (docs/coaching.md ids in the test names)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from bot.core.catalogue.loader import load_catalogue
from bot.core.domain.logs import ExerciseLog, LoggedSet
from bot.core.domain.plan import BlockKind, Prescription, Session
from bot.core.domain.profile import RunnerProfile

CAT = load_catalogue()
MONDAY = date(2026, 11, 23)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SEED_000 = ("rest", "tempo", "easy", "rest", "intervals", "easy", "long")
FRESH = ("rest", "tempo", "easy", "intervals", "rest", "easy", "long")
"""Seed 000's runs with the intervals on Thursday: no session in P9's 48 h before the long run,
so the week's full A and B are planned (the seed's own Friday session is a lighter one)."""

SQUAT_PATTERN = {
    "back_squat",
    "goblet_squat",
    "split_squat",
    "bodyweight_split_squat",
    "box_squat",
    "step_up",
}
HINGE_PATTERN = {
    "deadlift",
    "trap_bar_deadlift",
    "romanian_deadlift",
    "dumbbell_rdl",
    "single_leg_rdl",
    "hip_thrust",
    "dumbbell_hip_thrust",
    "glute_bridge",
    "kettlebell_swing",
}


def runner(kinds: tuple[str, ...] = SEED_000, **extra: Any) -> RunnerProfile:
    return RunnerProfile.model_validate({"week": dict(zip(DAYS, kinds, strict=True)), **extra})


def block(session: Session, kind: BlockKind) -> tuple[Prescription, ...]:
    return next((b.exercises for b in session.blocks if b.kind is kind), ())


def ids(session: Session) -> set[str]:
    return {ex.id for ex in session.exercises()}


def work_sets(session: Session) -> int:
    """Work sets a coach counts: everything but mobility and warm-ups."""
    return sum(
        ex.sets for b in session.blocks if b.kind is not BlockKind.MOBILITY for ex in b.exercises
    )


def logged(
    exercise: str,
    day: date,
    reps: list[int],
    load: float,
    *,
    rir: int | None = 2,
    target: tuple[int, int] | None = None,
) -> ExerciseLog:
    return ExerciseLog(
        exercise_id=exercise,
        performed_on=day,
        target_reps=target,
        sets=tuple(
            LoggedSet(set_no=i + 1, reps=r, load_kg=load, rir=rir) for i, r in enumerate(reps)
        ),
    )


def weeks_before(day: date, weeks: int) -> date:
    return day - timedelta(weeks=weeks)
