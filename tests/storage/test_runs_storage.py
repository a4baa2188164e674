"""Recorded runs and the intervals.icu key as stored: once per run, gone with the runner."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.storage import intervals_links, runners
from bot.storage import runs as run_rows
from bot.storage.db import Database
from bot.storage.tables import RunRow

NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
START = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)


def run(runner_id: int, start: datetime, **fields: object) -> RunRow:
    values: dict[str, object] = {
        "runner_id": runner_id,
        "day": start.date(),
        "started_at": start,
        "sport": "run",
        "source": "fit",
        "matched": "tempo",
        "distance_m": 10_000.0,
        "moving_time_s": 3000,
        "received_at": NOW,
    } | fields
    return RunRow(**values)


async def test_runs_are_found_again_read_back_and_deleted_with_the_runner(
    database_url: str,
) -> None:
    db = Database(database_url)
    await db.upgrade()
    try:
        async with db.session() as session, session.begin():
            for runner_id in (1, 2):
                await runners.upsert_runner(
                    session, runner_id, chat_id=runner_id, first_name="R", now=NOW
                )
            await run_rows.add_run(session, run(1, START, external_id="i7"))
            await run_rows.add_run(session, run(1, START - timedelta(days=7), moving_time_s=2400))
            await run_rows.add_run(session, run(2, START))
            await intervals_links.connect(session, 1, "secret-key", now=NOW)
        async with db.session() as session:
            same = await run_rows.same_run(session, 1, START + timedelta(seconds=40), None)
            assert same is not None and same.external_id == "i7"
            by_id = await run_rows.same_run(session, 1, START + timedelta(hours=3), "i7")
            assert by_id is not None
            assert await run_rows.same_run(session, 1, START + timedelta(hours=3), None) is None
            recent = await run_rows.since(session, 1, date(2026, 11, 20))
            assert [r.started_at for r in recent] == [START]
            assert await run_rows.moving_times(session, 1, "tempo", before=START.date()) == [2400]
            arrivals = await run_rows.first_arrivals(session, 1, [START.date()])
            assert arrivals == {START.date(): NOW}
        async with db.session() as session, session.begin():
            await runners.delete_runner(session, 1)
        async with db.session() as session:
            assert await run_rows.all_runs(session, 1) == []
            assert len(await run_rows.all_runs(session, 2)) == 1
            assert await intervals_links.get(session, 1) is None
    finally:
        await db.dispose()


async def test_a_key_is_replaced_refused_and_removed(database_url: str) -> None:
    db = Database(database_url)
    await db.upgrade()
    try:
        async with db.session() as session, session.begin():
            await runners.upsert_runner(session, 1, chat_id=1, first_name="R", now=NOW)
            await runners.save_profile(session, 1, {"timezone": "UTC"}, block_start=None, now=NOW)
            await intervals_links.connect(session, 1, "old", now=NOW)
        async with db.session() as session, session.begin():
            link = await intervals_links.get(session, 1)
            assert link is not None
            link.refused_at = NOW
        async with db.session() as session:
            assert await intervals_links.pollable(session, now=NOW) == []
        async with db.session() as session, session.begin():
            await intervals_links.connect(session, 1, "new", now=NOW)
        async with db.session() as session:
            [(link, runner)] = await intervals_links.pollable(session, now=NOW)
            assert link.api_key == "new" and link.refused_at is None and runner.id == 1
        async with db.session() as session, session.begin():
            assert await intervals_links.disconnect(session, 1)
            assert not await intervals_links.disconnect(session, 1)
    finally:
        await db.dispose()
