"""Several replicas behind a load balancer: each webhook update stored once, then handled once,
each chat's updates in order, by whichever replica holds the chat's turn.

Used when the bot serves a webhook on PostgreSQL (`bot.webhook`); polling or SQLite keep
`bot.update_processor`'s in-process order.

- The webhook stores the update (`bot.storage.inbox.accept`, update_id the primary key: a
  re-delivery is acknowledged and dropped) and answers 200 only after that COMMIT; with the
  database out of reach it answers 503 and Telegram delivers again later.
- `kick(chat)` starts draining the chat here: take its turn (an advisory lock, released by the
  database if this replica dies), handle its unhandled rows oldest first, give the turn back,
  and look again (a row stored by another replica while this one held the turn is not left
  behind). A replica that finds the turn taken leaves the chat to its holder.
- Right before an update's first request goes on the wire it is marked as answered by this
  attempt (`bot.telegram_request.before_the_wire`); once the Bot API replied it is marked
  answered (`after_the_wire`), or when its handlers are done. Whoever marks first answers:
  a replica that lost a chat's turn without knowing (the database restarted) calls its send
  off. A replica killed before the mark leaves the update to another one; one killed between
  the mark and the reply leaves it too, after `bot.storage.inbox.TAKE_OVER` (until then the
  row is left alone, its handlers not run again: `Taken.held`). Only a kill
  between the answer leaving and its mark being committed (the Bot API's round trip and one
  statement) can make an answer go out twice.
- A handler that meets a database outage is not answered ("something went wrong" would be
  wrong: the update is safe); `bot.context.handled_again_later` tells the error handler, and
  the update stays unhandled.
- Every `SWEEP_SECONDS` each replica looks for chats whose rows wait longer than
  `STALE_SECONDS` (their replica was killed, the database restarted) and drains them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from typing import Any

from telegram import Update

from bot.context import CURRENT_ATTEMPT, Attempt
from bot.storage import inbox as store
from bot.storage.db import Database
from bot.telegram_request import SendCalledOffError, after_the_wire, before_the_wire

log = logging.getLogger(__name__)

SWEEP_SECONDS = 2.0
STALE_SECONDS = 3.0
"""A row this old and unhandled has no replica working on it (or one about to be told)."""
PRUNE_EVERY = 1800
"""Sweeps between two prunes of day-old handled rows (about an hour)."""
CONCURRENCY = 64
"""Updates handled at once by one replica (as `bot.update_processor` allows a single one)."""
MARK_PATIENCE = 30.0
"""Seconds an answer whose update's effects are saved waits for the database to come back
(less than `bot.storage.inbox.TAKE_OVER`, after which another replica would redo it)."""
STOP_GRACE = 10.0
"""Seconds a stopping replica lets the updates it is handling finish."""


class InboxDrainer:
    """Handles stored updates: one chat at a time per chat across all replicas."""

    def __init__(self, app: Any, db: Database, *, concurrency: int = CONCURRENCY) -> None:
        self.app = app
        self.db = db
        self.turns = store.ChatTurns(db)
        self.instance = f"{socket.gethostname()[:24]}:{os.getpid()}"
        self._slots = asyncio.Semaphore(concurrency)
        self._draining: dict[int, asyncio.Task[None]] = {}
        self._again: set[int] = set()
        self._sweeper: asyncio.Task[None] | None = None
        self._chatless = asyncio.Lock()

    async def accept(self, payload: dict[str, Any]) -> None:
        """Stores one update (committed when this returns), then starts on its chat."""
        update_id = int(payload["update_id"])
        chat_id = chat_of(Update.de_json(payload, self.app.bot))
        await store.accept(self.db, update_id, chat_id, payload)
        if chat_id is None:
            asyncio.get_running_loop().create_task(self._drain_chatless())
        else:
            self.kick(chat_id)

    def kick(self, chat_id: int) -> None:
        """Drain the chat here unless this replica already does (then it looks again after)."""
        if chat_id in self._draining:
            self._again.add(chat_id)
            return
        task = asyncio.get_running_loop().create_task(self._drain(chat_id))
        self._draining[chat_id] = task

    async def _drain(self, chat_id: int) -> None:
        try:
            while True:
                self._again.discard(chat_id)
                try:
                    if await store.next_unhandled(self.db, chat_id) is None:
                        if chat_id in self._again:
                            continue
                        return
                    generation = await self.turns.try_take(chat_id)
                except Exception as error:
                    self._log_failure(error, "look at chat %s", chat_id)
                    return  # the sweep comes back to it
                if generation is None:
                    return  # another replica holds the turn and looks again when done
                try:
                    if not await self._handle_rows(chat_id, generation):
                        return
                finally:
                    await self.turns.give_back(chat_id, generation)
        finally:
            self._draining.pop(chat_id, None)
            if chat_id in self._again:  # stored here while this was on its way out
                self.kick(chat_id)

    async def _handle_rows(self, chat_id: int, generation: int) -> bool:
        """The chat's rows in order while the turn is held; False to stop (an outage)."""
        while await self.turns.still_held(generation):
            try:
                row = await store.take_next(self.db, chat_id)
            except Exception as error:
                self._log_failure(error, "read chat %s", chat_id)
                return False
            if row is None:
                return True
            if row.held:  # another attempt is answering it (or died doing so): the sweep
                log.debug("update %s is another attempt's for now", row.update_id)
                return False  # comes back, and takes it over after `store.TAKE_OVER`
            if not await self._handle(row.update_id, row.payload, row.tries):
                return False
        return True

    async def _handle(self, update_id: int, payload: Any, tries: int) -> bool:
        """Runs the update through the handlers; False when it must be handled again later.
        `tries` earlier ones may have saved its effects (`bot.context.tried_before`)."""
        attempt = Attempt(store.unreachable, tries=tries)
        token = f"{self.instance}:{uuid.uuid4().hex[:12]}"
        marked = False

        async def mark() -> None:
            """Marks the update handled before its answer leaves. Its effects are saved by
            now: through a database outage this waits for the database (the answer is still
            right) rather than leave the update to be handled again on top of them."""
            nonlocal marked
            loop = asyncio.get_running_loop()
            patience = loop.time() + MARK_PATIENCE
            while True:
                try:
                    mine = await store.mark_handled(self.db, update_id, token)
                    break
                except Exception as error:
                    if not store.unreachable(error) or loop.time() > patience:
                        attempt.deferred = attempt.deferred or store.unreachable(error)
                        raise SendCalledOffError(f"update {update_id}: not marked") from error
                    await asyncio.sleep(0.5)
            if not mine:  # another replica took the chat over (its turn lost with a restart)
                attempt.deferred = True
                raise SendCalledOffError(f"update {update_id}: answered elsewhere")
            marked = True

        finished = False

        async def answered(_status: int, _body: bytes) -> None:
            """The Bot API has the answer: the update is done (a replica killed before this
            leaves it to be handled again, see `bot.storage.inbox.TAKE_OVER`)."""
            nonlocal finished
            finished = await store.mark_answered(self.db, update_id, token)  # else `_finish`

        async with self._slots:
            current = CURRENT_ATTEMPT.set(attempt)
            try:
                update = Update.de_json(payload, self.app.bot)
                with before_the_wire(mark), after_the_wire(answered):
                    await self.app.process_update(update)
            except Exception as error:  # process_update hands handler errors on; not these
                self._log_failure(error, "handle update %s", update_id)
                return False
            finally:
                CURRENT_ATTEMPT.reset(current)
        if attempt.deferred and not marked:
            return False  # nothing went out: handled again once the database is back
        if finished:
            return True
        # The answer went out (even if the update failed after it): the update is done, and
        # through an outage this waits for the database rather than leave it to be taken over
        return await self._finish(update_id, token)

    async def _finish(self, update_id: int, token: str) -> bool:
        loop = asyncio.get_running_loop()
        patience = loop.time() + MARK_PATIENCE
        while True:
            try:
                await store.mark_answered(self.db, update_id, token)
                return True
            except Exception as error:
                if not store.unreachable(error) or loop.time() > patience:
                    self._log_failure(error, "mark update %s answered", update_id)
                    return False
                await asyncio.sleep(0.5)

    async def _drain_chatless(self) -> None:
        """Updates of no chat: claimed by marking them handled first (at most once)."""
        if self._chatless.locked():
            return
        async with self._chatless:
            try:
                rows = await store.chatless_unhandled(self.db)
                for update_id, payload in rows:
                    if await store.mark_answered(self.db, update_id, self.instance):
                        async with self._slots:
                            await self.app.process_update(Update.de_json(payload, self.app.bot))
            except Exception as error:
                self._log_failure(error, "handle updates of no chat")

    def start(self) -> None:
        self._sweeper = asyncio.get_running_loop().create_task(self._sweep_forever())

    async def _sweep_forever(self) -> None:
        rounds = 0
        while True:
            await asyncio.sleep(SWEEP_SECONDS)
            rounds += 1
            try:
                waiting = await store.waiting_chats(self.db, older_than=STALE_SECONDS)
                idle = [chat_id for chat_id in waiting if chat_id not in self._draining]
                if idle:  # some may be a busy replica's, which keeps them
                    log.debug(
                        "%d chats have updates waiting over %.0f s", len(idle), STALE_SECONDS
                    )
                for chat_id in idle:
                    self.kick(chat_id)
                await self._drain_chatless()
                if rounds % PRUNE_EVERY == 1:
                    await store.prune(self.db)
                    await store.forget_idle_paces(self.db)
            except Exception as error:
                self._log_failure(error, "sweep the inbox")

    async def stop(self) -> None:
        """Stops sweeping; lets the updates being handled finish (briefly), then lets go."""
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
        tasks = list(self._draining.values())
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=STOP_GRACE)
            for task in pending:
                task.cancel()
        await self.turns.close()

    @staticmethod
    def _log_failure(error: BaseException, what: str, *args: object) -> None:
        if store.unreachable(error):
            log.warning("database out of reach: could not " + what, *args)
        else:
            log.exception("could not " + what, *args)


def chat_of(update: Update) -> int | None:
    """The chat whose order an update keeps (its user's for a chatless one, as PTB's own)."""
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


SHARED_SENDS_PER_SECOND = 22.0
"""All replicas together, answers and reminders alike. Telegram allows ~30 in any second as
it sees them. A send leaves within `bot.telegram_request.LATE` of its booked moment, yet may
reach the Bot API later (a collection or a busy loop at either end after it left) and bunch
with the next ones on time: at 22/s a second holds over 30 only behind a 0.36 s stall. At 24/s
one CI run's busiest second held 31 (a 0.3 s stall of the process measuring it); at 22/s the
replica trial and `bench.replicas` see 23. An onboarding answer is one send: 16 updates/s use
three quarters of this."""
CHAT_GAP = 1.0
"""Seconds between two bulk messages to one chat (Telegram's 1/s)."""


class SharedPace:
    """`bot.telegram_request.Pace` through the database (`bot.storage.inbox.reserve_send`)."""

    def __init__(
        self,
        db: Database,
        *,
        per_second: float = SHARED_SENDS_PER_SECOND,
        chat_gap: float = CHAT_GAP,
    ) -> None:
        self.db = db
        self.gap = 1 / per_second
        self.chat_gap = chat_gap

    async def __call__(self, chat_id: int | None) -> tuple[float, float]:
        try:
            return await store.reserve_send(
                self.db, gap=self.gap, chat_id=chat_id, chat_gap=self.chat_gap
            )
        except Exception as error:
            attempt = CURRENT_ATTEMPT.get()
            if attempt is not None and store.unreachable(error):
                attempt.deferred = True
            raise SendCalledOffError("no moment to send could be booked") from error
