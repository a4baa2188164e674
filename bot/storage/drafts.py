"""Conversations in progress, kept in the database so a restart resumes where the runner was."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.tables import Draft


async def get_draft(session: AsyncSession, runner_id: int, kind: str) -> Draft | None:
    return await session.get(Draft, (runner_id, kind))


async def save_draft(
    session: AsyncSession,
    runner_id: int,
    kind: str,
    *,
    step: str,
    data: dict[str, Any],
    now: datetime,
) -> Draft:
    draft = await session.get(Draft, (runner_id, kind))
    if draft is None:
        draft = Draft(runner_id=runner_id, kind=kind, step=step, data=data, updated_at=now)
        session.add(draft)
    else:
        draft.step = step
        draft.data = dict(data)  # a new object, so SQLAlchemy sees the JSON change
        draft.updated_at = now
    await session.flush()
    return draft


async def delete_draft(session: AsyncSession, runner_id: int, kind: str) -> None:
    await session.execute(delete(Draft).where(Draft.runner_id == runner_id, Draft.kind == kind))
