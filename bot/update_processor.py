"""Concurrent update processing that keeps each chat's updates in order.

PTB processes updates one at a time by default; with thousands of runners one slow database write
would hold everybody up. Different chats run concurrently here, while one runner's messages
(answers to consecutive onboarding questions, say) are still handled in the order they were sent.

A chat's update waits for its chat's turn *before* it takes one of the shared slots: a runner who
floods the bot with slow updates (feed links to a server that never answers) then holds one slot,
never all of them, and every other chat keeps being answered.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Up to `max_concurrent_updates` at once, never two of the same chat, one slot per chat."""

    def __init__(self, max_concurrent_updates: int = 64) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}

    # PTB marks this final and takes its slot before `do_process_update`, i.e. before the
    # chat's lock; the order is the whole point here, so the slot is taken in this override.
    async def process_update(  # type: ignore[misc]
        self, update: object, coroutine: Awaitable[Any]
    ) -> None:
        """Waits for the chat's turn (holding nothing shared), then for a slot, then runs."""
        chat_id = _chat_of(update)
        if chat_id is None:
            async with self._semaphore:
                await coroutine
            return
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        self._users[chat_id] = self._users.get(chat_id, 0) + 1
        try:
            async with lock, self._semaphore:
                await coroutine
        finally:
            self._users[chat_id] -= 1
            if self._users[chat_id] == 0:  # nobody holds or waits for it: forget the chat
                del self._users[chat_id]
                del self._locks[chat_id]

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Unused (`process_update` does the work); kept because the base class requires it."""
        await coroutine

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


def _chat_of(update: object) -> int | None:
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return update.effective_chat.id
        if update.effective_user is not None:
            return update.effective_user.id
    return None
