"""Callback data, built and parsed here only: `<version>:<action>:<owner>:<arg>…`, ≤ 64 bytes.

- The version tag leads, so a press on a message sent by an older release (other format, other
  arguments) is recognised and answered politely (`STALE_VERSION`), never misread.
- Every action's tag is in `Action`; nothing else spells a callback prefix.
- The owner id travels in the data, and `owned_press` is the one check every callback handler
  makes: a button on a forwarded message, or pressed by someone else in a group, never touches
  another runner's data.
- `encode` raises if the data would not fit Telegram's 64 bytes, so an overflow fails the build
  (tests render every keyboard with the longest owner id), not a runner's press.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from telegram import CallbackQuery, Update

MAX_CALLBACK_BYTES = 64
VERSION = "1"
_SEP = ":"
LONGEST_OWNER_ID = -(2**52)
"""Telegram ids fit in 52 bits; tests encode with this to prove every button fits."""

EXPIRED = "This button has expired."
NOT_YOURS = "That button isn't yours."
STALE_VERSION = "This button is from an older version of me — send /help to see what you can do."


class Action(StrEnum):
    """What a button belongs to (the flow that handles it)."""

    ONBOARDING = "ob"
    """An onboarding question: args `<step>:<answer>…`."""
    SETTINGS = "st"
    """A /settings question: args `<step>:<answer>…`."""
    SESSION = "rs"
    """A session reminder button: args `<session id>:<session action key>`."""
    LOG_DONE = "ld"
    """Done as planned: args `<session id>`."""
    LOG_EXERCISE = "lx"
    """Log one exercise as planned: args `<session id>:<exercise index>`."""
    LOG_CONFIRM = "lc"
    """Log it / Cancel under a half-read log: args `yes|no`."""
    LOG_UNDO = "lu"
    """Undo a log: args `<entry id>`."""
    DELETE = "dl"
    """/delete's confirmation: args `yes|no`."""
    CALENDAR = "ca"
    """The calendar's race or the runner's own goal (handlers/calendar.py): args `race|keep`."""
    ADAPT = "ad"
    """Coaching that bends (handlers/adapt.py): args `<what>:<arg>…` (pain, swap, readiness,
    week, plan, summary); swap choices are an index into the offer kept in a draft."""


@dataclass(frozen=True)
class CallbackData:
    action: Action
    owner_id: int
    args: tuple[str, ...] = ()

    def arg(self, index: int, default: str = "") -> str:
        return self.args[index] if index < len(self.args) else default


def encode(action: Action, owner_id: int, *args: object) -> str:
    """Builds callback data.

    Raises:
        ValueError: it would not fit Telegram's 64 bytes, or an argument contains ':'.
    """
    texts = [str(a) for a in args]
    if any(_SEP in t for t in texts):
        raise ValueError(f"callback arguments must not contain {_SEP!r}: {texts!r}")
    data = _SEP.join([VERSION, Action(action).value, str(int(owner_id)), *texts])
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
    return data


def is_current(data: str | None) -> bool:
    """True for data in this release's format (whatever its action)."""
    return bool(data) and str(data).startswith(VERSION + _SEP)


def decode(data: str | None) -> CallbackData | None:
    """Reads callback data; None for anything else (an older version, malformed, forged)."""
    if not is_current(data):
        return None
    parts = str(data).split(_SEP)
    if len(parts) < 3:
        return None
    try:
        action, owner = Action(parts[1]), int(parts[2])
    except ValueError:
        return None
    return CallbackData(action=action, owner_id=owner, args=tuple(parts[3:]))


def pattern(action: Action) -> str:
    """A CallbackQueryHandler pattern matching one action of this version."""
    return rf"^{VERSION}{_SEP}{Action(action).value}{_SEP}"


async def owned_press(update: Update, *, expired: str = EXPIRED) -> CallbackData | None:
    """The press's data if the presser owns the button; otherwise answers the press and None.

    The one ownership check: every callback handler starts with it.

    Args:
        expired: the answer for data that cannot be read (the flow's own wording).
    """
    query: CallbackQuery | None = update.callback_query
    if query is None:
        return None
    data = decode(query.data)
    if data is None:
        await query.answer(expired if is_current(query.data) else STALE_VERSION)
        return None
    if data.owner_id != query.from_user.id:
        await query.answer(NOT_YOURS)
        return None
    return data
