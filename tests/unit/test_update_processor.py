"""Updates of different chats overlap; one chat's updates keep their order."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime

from telegram import Chat, Message, Update, User

from bot.update_processor import PerChatUpdateProcessor


def _update(update_id: int, chat_id: int) -> Update:
    user = User(id=chat_id, first_name="R", is_bot=False)
    chat = Chat(id=chat_id, type=Chat.PRIVATE)
    message = Message(update_id, datetime.now(UTC), chat, from_user=user, text="x")
    return Update(update_id, message=message)


async def test_one_chat_in_order_and_chats_in_parallel() -> None:
    processor = PerChatUpdateProcessor(16)
    log: list[tuple[str, int, int]] = []
    running = 0
    most_at_once = 0

    async def handle(update_id: int, chat_id: int, delay: float) -> None:
        nonlocal running, most_at_once
        running += 1
        most_at_once = max(most_at_once, running)
        log.append(("start", chat_id, update_id))
        await asyncio.sleep(delay)
        log.append(("end", chat_id, update_id))
        running -= 1

    jobs = [(1, 7, 0.03), (2, 7, 0.0), (3, 8, 0.0), (4, 7, 0.0), (5, 8, 0.01)]
    await asyncio.gather(
        *(
            processor.process_update(_update(uid, chat), handle(uid, chat, delay))
            for uid, chat, delay in jobs
        )
    )
    for chat in (7, 8):
        events = [(kind, uid) for kind, c, uid in log if c == chat]
        expected_order = [uid for uid, c, _ in jobs if c == chat]
        assert [uid for kind, uid in events if kind == "start"] == expected_order
        # never two updates of one chat at once: each start follows the previous end
        for (kind_a, _), (kind_b, _) in itertools.pairwise(events):
            assert not (kind_a == "start" and kind_b == "start")
    assert most_at_once >= 2, "different chats should overlap"
    assert processor._locks == {}


async def test_a_chat_flooding_slow_updates_holds_one_slot_and_others_are_answered() -> None:
    """67 feed links to a server that never answers once made every other runner wait 39 s."""
    processor = PerChatUpdateProcessor(4)
    hung = asyncio.Event()  # the never-answering server: released only at the end
    started: list[int] = []

    async def slow(update_id: int) -> None:
        started.append(update_id)
        await hung.wait()

    answered = asyncio.Event()

    async def quick() -> None:
        answered.set()

    flood = [
        asyncio.create_task(processor.process_update(_update(uid, 7), slow(uid)))
        for uid in range(1, 68)
    ]
    for _ in range(5):
        await asyncio.sleep(0)
    assert started == [1], "one chat's updates run one at a time"
    assert processor.current_concurrent_updates == 1, "a flooding chat holds one shared slot"

    other = asyncio.create_task(processor.process_update(_update(100, 8), quick()))
    await asyncio.wait_for(answered.wait(), timeout=5)  # a bound for the failure case only
    await other

    hung.set()
    await asyncio.gather(*flood)
    assert started == list(range(1, 68)), "the flooding chat's updates kept their order"
    assert processor._locks == {}
