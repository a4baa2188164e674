"""Helpers for reminder tests: a runner set up through the storage and planning services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.core.domain.profile import RunnerProfile
from bot.services import planning
from bot.services.container import Services
from bot.storage import runners

SEED_WEEK = {
    "mon": "rest",
    "tue": "tempo",
    "wed": "easy",
    "thu": "rest",
    "fri": "intervals",
    "sat": "easy",
    "sun": "long",
}
"""Seed 000's week: strength goes on Tuesday and Friday (P1, P3)."""


async def onboard(
    services: Services,
    runner_id: int = 42,
    *,
    run_times: dict[str, str] | None = None,
    timezone: str = "Europe/London",
    **fields: Any,
) -> RunnerProfile:
    """Creates the runner and profile with the storage functions, then syncs the plan."""
    profile = RunnerProfile.model_validate(
        {
            "timezone": timezone,
            "week": SEED_WEEK,
            "run_times": run_times if run_times is not None else {"tue": "12:00", "fri": "12:00"},
            **fields,
        }
    )
    today = services.today_in(timezone)
    async with services.db.session() as session, session.begin():
        runner = await runners.upsert_runner(
            session, runner_id, chat_id=runner_id, first_name="Ada", now=services.now()
        )
        await runners.save_profile(
            session,
            runner_id,
            profile.model_dump(mode="json"),
            block_start=today - timedelta(days=today.weekday()),
            now=services.now(),
        )
        await session.refresh(runner)
        await planning.sync_plan(session, services, runner)
    return profile
