"""Callback-data codec: `action:owner:arg…`, at most 64 bytes, checked against the presser.

The owner id travels in the data so a button on a forwarded message, or pressed by someone else
in a group, never touches another runner's data.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_CALLBACK_BYTES = 64
_SEP = ":"


@dataclass(frozen=True)
class CallbackData:
    action: str
    owner_id: int
    args: tuple[str, ...] = ()

    def arg(self, index: int, default: str = "") -> str:
        return self.args[index] if index < len(self.args) else default


def encode(action: str, owner_id: int, *args: object) -> str:
    """Builds callback data; raises ValueError if it would not fit Telegram's 64 bytes."""
    parts = [action, str(owner_id), *(str(a) for a in args)]
    if any(_SEP in p for p in parts[:2]):
        raise ValueError("action and owner must not contain ':'")
    data = _SEP.join(parts)
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
    return data


def decode(data: str | None) -> CallbackData | None:
    """Reads callback data; None for anything malformed (old formats, forged data)."""
    if not data:
        return None
    parts = data.split(_SEP)
    if len(parts) < 2 or not parts[0]:
        return None
    try:
        owner = int(parts[1])
    except ValueError:
        return None
    return CallbackData(action=parts[0], owner_id=owner, args=tuple(parts[2:]))


def pattern(action: str) -> str:
    """A CallbackQueryHandler pattern matching one action."""
    return rf"^{action}{_SEP}"
