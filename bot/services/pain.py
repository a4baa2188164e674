"""Pain by body part (X2): a report starts, lightens or ends an adjustment the plan applies.

Each use case is one short transaction: load, call the pure core, save, re-sync the plan
(reminders follow), and return what the chat needs to answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.domain.adjustments import PainAdjustment, PainLevel
from bot.core.domain.profile import Limitation
from bot.core.language.words import PART_NAMES
from bot.core.planner.adjust import PHYSIO
from bot.services import planning
from bot.services.container import Services
from bot.storage import adjustments as store


@dataclass(frozen=True)
class PainResult:
    """What the runner is told: the band, and whether an earlier report has now ended."""

    part: Limitation
    score: int
    level: PainLevel
    reason: str
    ended: bool = False


def pain_reason(part: Limitation, score: int) -> str:
    """X2's one-line reason for /plan, by band."""
    name = PART_NAMES[part]
    title = name[0].upper() + name[1:]
    level = PainLevel.of(score)
    if level is PainLevel.REDUCE:
        return f"{title} {score}/10: 20% lighter and {name}-friendly swaps until it settles"
    if level is PainLevel.STOP:
        return f"{title} {score}/10: no {name}-loading strength until it settles; {PHYSIO}"
    return f"{title} {score}/10: carry on, and tell me if it gets worse"


async def report_pain(
    services: Services, runner_id: int, part: Limitation, score: int
) -> PainResult:
    """X2: a pain report for one body part replaces earlier ones for that part.

    ≤ 3 ends any pain adjustment for the part (carry on); 4–5 and > 5 start one that lasts until
    the runner reports the part at ≤ 3.

    Raises:
        NotOnboardedError: no profile yet.
    """
    score = max(0, min(10, score))
    async with services.db.session() as db, db.begin():
        runner, profile = await planning.require_onboarded(db, runner_id)
        today = services.today_in(profile.timezone)
        now = services.now()
        ended = False
        for row in await store.active_rows(db, runner_id, since=today, kind="pain"):
            adj = store.adjustment_of(row)
            if isinstance(adj, PainAdjustment) and adj.part is part:
                store.end(row, now=now)
                ended = ended or adj.level is not PainLevel.CARRY_ON
        level = PainLevel.of(score)
        reason = pain_reason(part, score)
        if level is not PainLevel.CARRY_ON:
            await store.add_adjustment(
                db,
                runner_id,
                PainAdjustment(starts=today, reason=reason, part=part, score=score),
                now=now,
            )
        await planning.sync_plan(db, services, runner, today=today)
    return PainResult(part, score, level, reason, ended=ended and level is PainLevel.CARRY_ON)
