"""The open question a plain message answers: one read per message, for every flow.

Onboarding and /settings keep their open question in a draft (`onboarding`, `settings`); the
coaching dialogs (/pain's "How bad is your knee?", /week's "Is that right?", a bare /race) keep
theirs in an `adapt_ask` draft. The chat's text router reads all of them in one statement before
it reads the text as anything else, so an answer is never taken for a set log or an intent.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.domain.statuses import DraftKind
from bot.services.container import Services
from bot.services.onboarding import PAUSED, DraftState
from bot.storage import drafts

_KINDS = (DraftKind.SETTINGS, DraftKind.ONBOARDING, DraftKind.ADAPT_ASK)


@dataclass(frozen=True)
class OpenQuestions:
    """What a plain message may be answering: a conversation's question, a dialog's, or none."""

    conversation: DraftState | None = None
    """Onboarding or a settings change in progress (settings first; a paused one is not)."""
    dialog: DraftState | None = None
    """A question a coaching dialog asked (its step says which, e.g. `pain:knee`)."""


async def open_questions(services: Services, runner_id: int) -> OpenQuestions:
    """Every open question of the runner, in one statement outside any transaction."""
    found = await drafts.peek_drafts(services.db, runner_id, _KINDS)
    conversation = None
    for kind in (DraftKind.SETTINGS, DraftKind.ONBOARDING):
        draft = found.get(kind)
        if draft is not None and not draft.data.get(PAUSED):
            conversation = DraftState(kind, draft.step, dict(draft.data))
            break
    asked = found.get(DraftKind.ADAPT_ASK)
    dialog = DraftState(asked.kind, asked.step, dict(asked.data)) if asked is not None else None
    return OpenQuestions(conversation, dialog)
