"""What the coaching dialogs share: the runner's profile and date, the context their words
are read against, and the open question a dialog asked (bot/services/questions.py reads it).
"""

from __future__ import annotations

from datetime import date

from bot.core.domain.profile import RunnerProfile
from bot.core.domain.statuses import DraftKind
from bot.core.language.intents import Context
from bot.services import planning
from bot.services.container import Services
from bot.storage import drafts


async def profile_and_today(services: Services, runner_id: int) -> tuple[RunnerProfile, date]:
    """The runner's profile and local date (for reading their words against).

    Raises:
        NotOnboardedError: no profile yet.
    """
    async with services.db.session() as db:
        _, profile = await planning.require_onboarded(db, runner_id)
    return profile, services.today_in(profile.timezone)


async def intent_context(services: Services, runner_id: int) -> Context:
    """The reading context for a runner's words (their today, zone, usual week).

    Raises:
        NotOnboardedError: no profile yet.
    """
    profile, today = await profile_and_today(services, runner_id)
    return Context(
        today=today, zone=profile.timezone, usual_week=profile.week, catalogue=services.catalogue
    )


async def open_question(services: Services, runner_id: int, step: str | None) -> None:
    """Opens (or, with None, closes) the question the next plain message answers."""
    async with services.db.session() as db, db.begin():
        if step is None:
            await drafts.delete_draft(db, runner_id, DraftKind.ADAPT_ASK)
        else:
            await drafts.save_draft(
                db, runner_id, DraftKind.ADAPT_ASK, step=step, data={}, now=services.now()
            )
