"""Reading an untrusted calendar in a child process, with a deadline and a memory ceiling.

The reader refuses the rules it knows explode (INTERVAL=0, sub-daily) and counts occurrences as
it makes them, but parsing is still CPU-bound Python that a hostile file can make slow: on the
event loop it would stall every runner's updates, and a thread cannot be stopped. So each read
runs in a child process that is killed at the deadline. Children are forked from a forkserver
started once with the reader preloaded (a read costs a fork, not an interpreter start, and no
fork is taken from the bot's threaded process); each runs at a lower priority and under
RLIMIT_AS / RLIMIT_CPU. At most `MAX_READERS` run at once: a burst of hostile files waits its
turn instead of piling up processes on a small machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import multiprocessing
import os
import resource
import weakref
from datetime import date
from multiprocessing.connection import Connection
from typing import Any

from bot.core.calendar import CalendarRuns, read_calendar
from bot.core.domain.errors import CalendarError

READ_DEADLINE_S = 20.0
"""A real plan's calendar reads in well under a second; a feed's fetch (15 s) plus this read
still answers the runner within 40 seconds."""

MEMORY_LIMIT = 768 * 2**20
"""Address space of a reading child: a 2 MB calendar needs a fraction of it."""

MAX_READERS = 2
"""Children reading at once (the bot's machine may have two cores)."""

_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # `__main__` too (multiprocessing's default): a forked child then finds the main module
    # already imported instead of importing it again for every read.
    context.set_forkserver_preload(["__main__", __name__])
    return context


def _slot() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    slot = _slots.get(loop)
    if slot is None:
        slot = _slots[loop] = asyncio.Semaphore(MAX_READERS)
    return slot


async def read_untrusted(
    data: bytes | str,
    *,
    start: date,
    end: date,
    zone: str,
    name: str,
    deadline: float = READ_DEADLINE_S,
    memory: int = MEMORY_LIMIT,
    wait_turn: bool = True,
    queue_for: float | None = None,
) -> CalendarRuns:
    """`read_calendar` in a killable child, off the event loop, over within `deadline` seconds
    (the wait for a free reader included, unless `queue_for` gives the wait its own bound).

    `wait_turn=False` skips the queue, for a calendar that was read within these limits
    before and is read again inside a transaction that should not wait on strangers' files.
    `queue_for` is for reads nobody is waiting on (the daily re-sync): a few hostile feeds
    holding the readers must not fail everyone else's.

    Raises:
        CalendarError: what `read_calendar` says, that the calendar is too big to read (over
            the deadline or the memory ceiling), or that the readers stayed busy; one line.
    """
    loop = asyncio.get_running_loop()
    ends = loop.time() + deadline
    slot = _slot()
    if wait_turn:
        try:
            async with asyncio.timeout(deadline if queue_for is None else queue_for):
                await slot.acquire()
        except TimeoutError:
            raise CalendarError(
                f"{name}: I am busy reading other calendars; send it again in a few minutes"
            ) from None
        if queue_for is not None:
            ends = loop.time() + deadline
    try:
        left = max(ends - loop.time(), 0.1)
        return await asyncio.to_thread(
            _read_in_child, data, start, end, zone, name, left, deadline, memory
        )
    finally:
        if wait_turn:
            slot.release()


def _read_in_child(
    data: bytes | str,
    start: date,
    end: date,
    zone: str,
    name: str,
    left: float,
    deadline: float,
    memory: int,
) -> CalendarRuns:
    """Runs on a worker thread: fork the child, wait `left` seconds at most, kill it."""
    context = _context()
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=_child,
        args=(send, data, start, end, zone, name, math.ceil(left) + 1, memory),
        daemon=True,
    )
    child.start()
    send.close()
    outcome: tuple[str, Any] | None = None
    try:
        if receive.poll(left):
            with contextlib.suppress(EOFError, OSError):  # died without a word: out of memory
                outcome = receive.recv()
        elif child.is_alive():
            raise CalendarError(
                f"{name}: the calendar is too big to read "
                f"(still not read after {deadline:g} seconds)"
            )
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
    if outcome is None:
        raise _too_much_memory(name, memory)
    kind, value = outcome
    if kind == "ok":
        assert isinstance(value, CalendarRuns)
        return value
    if kind == "memory":
        raise _too_much_memory(name, memory)
    raise CalendarError(str(value))


def _too_much_memory(name: str, memory: int) -> CalendarError:
    return CalendarError(
        f"{name}: the calendar is too big to read (it needs more than {memory >> 20} MB)"
    )


def _child(
    send: Connection,
    data: bytes | str,
    start: date,
    end: date,
    zone: str,
    name: str,
    cpu_seconds: int,
    memory: int,
) -> None:
    """The child's whole life: limit itself, read, send one outcome."""
    with contextlib.suppress(OSError):
        os.nice(10)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    outcome: tuple[str, Any]
    try:
        outcome = ("ok", read_calendar(data, start=start, end=end, zone=zone, name=name))
    except CalendarError as error:
        outcome = ("error", str(error))
    except MemoryError:
        outcome = ("memory", "")
    except Exception as error:  # a parser bug on odd input is still the runner's one line
        outcome = ("error", f"{name}: not a readable iCalendar file ({type(error).__name__})")
    with contextlib.suppress(OSError, MemoryError):
        send.send(outcome)
    send.close()
