"""The pieces replicas share on PostgreSQL (`bot.storage.inbox`): a re-delivered update is kept
once, a chat's turn is held by one replica at a time and freed when that replica's connection
dies, and booked send moments are spaced across replicas."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.storage import inbox
from bot.storage.db import Database
from tests.conftest import POSTGRES_URL

pytestmark = pytest.mark.skipif(
    not POSTGRES_URL,
    reason="replicas share PostgreSQL; set RUNLIFT_TEST_POSTGRES_URL (scripts/postgres.sh)",
)


@pytest.fixture
async def two_replicas(database_url: str) -> AsyncIterator[tuple[Database, Database]]:
    first, second = Database(database_url), Database(database_url)
    await first.upgrade()
    try:
        yield first, second
    finally:
        await first.dispose()
        await second.dispose()


async def test_a_redelivered_update_is_kept_once_and_handled_once(
    two_replicas: tuple[Database, Database],
) -> None:
    first, second = two_replicas
    await inbox.accept(first, 10, 7, {"update_id": 10, "text": "first"})
    await inbox.accept(second, 10, 7, {"update_id": 10, "text": "again"})
    await inbox.accept(second, 11, 7, {"update_id": 11})

    assert await inbox.next_unhandled(second, 7) == (10, {"update_id": 10, "text": "first"})
    assert await inbox.mark_handled(first, 10, "first:a") is True
    assert await inbox.mark_handled(first, 10, "first:a") is True  # its own mark, tried again
    assert await inbox.mark_handled(second, 10, "second:b") is False  # it answers nothing
    assert await inbox.next_unhandled(second, 7) == (10, {"update_id": 10, "text": "first"})
    assert await inbox.mark_answered(first, 10, "first:a") is True
    await inbox.accept(first, 10, 7, {"update_id": 10})  # minutes later: still dropped
    assert await inbox.next_unhandled(first, 7) == (11, {"update_id": 11})


async def test_taking_an_update_up_counts_its_tries_and_shows_another_attempts_mark(
    two_replicas: tuple[Database, Database],
) -> None:
    first, second = two_replicas
    await inbox.accept(first, 20, 8, {"update_id": 20})
    taken = await inbox.take_next(first, 8)
    assert taken is not None and (taken.update_id, taken.tries, taken.held) == (20, 0, False)
    assert await inbox.mark_handled(first, 20, "first:a") is True  # its answer is on its way
    again = await inbox.take_next(second, 8)  # the turn lost with a database restart, say
    assert again is not None and (again.tries, again.held) == (1, True)
    assert await inbox.mark_answered(first, 20, "first:a") is True
    assert await inbox.take_next(second, 8) is None


async def test_a_chats_turn_is_one_replicas_until_given_back_or_its_connection_dies(
    two_replicas: tuple[Database, Database],
) -> None:
    first, second = (inbox.ChatTurns(db) for db in two_replicas)
    held = await first.try_take(42)
    assert held is not None
    assert await second.try_take(42) is None
    assert await second.try_take(43) is not None  # other chats are free

    await first.give_back(42, held)
    again = await second.try_take(42)
    assert again is not None

    await second.close()  # as a replica killed with -9: the database frees its turns
    assert await first.try_take(42) is not None
    assert not second.held(again)
    await first.close()


async def test_booked_send_moments_are_spaced_across_replicas(
    two_replicas: tuple[Database, Database],
) -> None:
    gap = 1 / 25

    async def moment(db: Database, chat_id: int | None = None) -> float:
        """When the booked send may go, on the database's clock (never before its now)."""
        at, now = await inbox.reserve_send(db, gap=gap, chat_id=chat_id)
        assert at >= now - 0.001
        return at

    moments = [await moment(two_replicas[i % 2]) for i in range(40)]  # replicas in turn
    busiest = max(sum(1 for m in moments if start <= m < start + 1) for start in moments)
    assert busiest <= 25
    assert moments[-1] - moments[0] >= 39 * gap - 0.001  # 40 sends take 40 gaps, whoever books

    first, second = two_replicas
    chat = [await moment(db, chat_id=5) for db in (first, second, first)]
    assert chat[1] - chat[0] > 0.9 and chat[2] - chat[1] > 0.9
