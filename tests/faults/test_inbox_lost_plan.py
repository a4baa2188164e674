"""A replica on PostgreSQL whose database goes away right after the summary's "yes" is saved:
the plan's send is called off, the update stays in the inbox, and its next try still ends in
"All set!" and the coming week (not the help text an onboarded runner's "yes" would get).

The real Application with its HTTP client and shared send pace, against the local Bot API;
updates go through `bot.inbox.InboxDrainer` as a webhook replica's do.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text

from bot.app import build_application
from bot.config import Settings
from bot.context import RunliftApplication
from bot.inbox import InboxDrainer
from bot.storage import inbox as store
from bot.storage.db import Database
from devtools.localapi import LocalBotApi
from tests.conftest import POSTGRES_URL
from tests.fakes import MutableClock
from tests.handlers.onboarding_steps import TYPED_ANSWERS

pytestmark = pytest.mark.skipif(
    not POSTGRES_URL,
    reason="the inbox is PostgreSQL's; set RUNLIFT_TEST_POSTGRES_URL (scripts/postgres.sh)",
)

RUNNER = 4401
TOKEN = "123:inbox-token"


@pytest.fixture
async def replica(
    database_url: str, clock: MutableClock
) -> AsyncIterator[tuple[RunliftApplication, InboxDrainer, LocalBotApi]]:
    api = LocalBotApi(auto_create_users=True)
    await api.start("127.0.0.1", 0)
    settings = Settings(
        _env_file=None,
        telegram_bot_token=TOKEN,
        telegram_api_url=api.url,
        database_url=database_url,
        webhook_url="https://runlift.invalid",
        webhook_secret="inbox-test-secret-0123456789-abcdefghijkl",
        quiet_hours="off",
    )
    assert settings.replicas
    app = build_application(settings, clock=clock)
    try:
        async with app:
            assert app.post_init is not None
            await app.post_init(app)
            drainer = InboxDrainer(app, app.bot_data["services"].db)
            drainer.start()
            try:
                yield app, drainer, api
            finally:
                await drainer.stop()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
    finally:
        await api.stop()


async def _deliver(app: RunliftApplication, drainer: InboxDrainer, api: LocalBotApi) -> None:
    """The updates the runner caused, posted to the replica as Telegram's webhook would."""
    updates: list[dict[str, Any]] = await api.call(TOKEN, "getUpdates", {"timeout": 0})
    for payload in updates:
        await drainer.accept(payload)
        await api.call(TOKEN, "getUpdates", {"offset": payload["update_id"] + 1, "timeout": 0})


async def _unanswered(db: Database) -> int:
    async with db.engine.connect() as connection:
        count = await connection.scalar(
            text("SELECT count(*) FROM update_inbox WHERE answered_at IS NULL")
        )
    return int(count or 0)


async def _bot_texts(api: LocalBotApi) -> list[str]:
    return [str(m.get("text")) for m in await api.history(RUNNER) if m["from_bot"]]


async def _until(condition: Any, within: float = 15.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await condition():
        assert loop.time() < deadline, "not within the time given"
        await asyncio.sleep(0.05)


async def test_a_summary_yes_whose_plan_was_called_off_by_an_outage_still_gets_the_plan(
    replica: tuple[RunliftApplication, InboxDrainer, LocalBotApi],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, drainer, api = replica
    db: Database = app.bot_data["services"].db
    await api.create_user(RUNNER, first_name="Runner")
    for answer in ("/start", *TYPED_ANSWERS[:-1]):
        before = len(await _bot_texts(api))
        await api.send_text(RUNNER, answer)
        await _deliver(app, drainer, api)

        async def answered(before: int = before) -> bool:
            return len(await _bot_texts(api)) > before

        await _until(answered)
    assert "Here's what I have" in (await _bot_texts(api))[-1]

    booked = store.reserve_send
    outage = {"left": 1}

    async def reserve_send(*args: Any, **kwargs: Any) -> tuple[float, float]:
        """The database goes away after the profile's commit, before the plan's send."""
        if outage["left"]:
            outage["left"] -= 1
            raise ConnectionRefusedError("the database is restarting")
        return await booked(*args, **kwargs)

    monkeypatch.setattr(store, "reserve_send", reserve_send)
    await api.send_text(RUNNER, "yes")
    await _deliver(app, drainer, api)

    async def settled() -> bool:
        return outage["left"] == 0 and await _unanswered(db) == 0

    await _until(settled)  # the sweep takes the update up again once it waited a while
    texts = await _bot_texts(api)
    plans = [t for t in texts if t.startswith("All set!")]
    assert len(plans) == 1 and "after your tempo run" in plans[0]
    assert texts[-1] == plans[0]
    assert not any("couldn't log that" in t for t in texts)
