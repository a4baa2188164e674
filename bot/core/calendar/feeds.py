"""What a pasted feed link means, before any network is touched (pure).

`webcal://` is how calendar apps name an HTTPS feed; a link may arrive wrapped in <> or with
surrounding spaces. The fetching adapter (`bot.calendar_feed`) enforces hosts and limits.
"""

from __future__ import annotations

import re

FEED_LINK = re.compile(r"^\s*<?((?:https?|webcal)://\S+?)>?\s*$", re.IGNORECASE)
"""A message that is only a feed link (what the chat reads as "link my calendar")."""


def feed_url(text: str) -> str:
    """The URL to fetch: `webcal://host/x.ics` → `https://host/x.ics`, whitespace removed."""
    match = FEED_LINK.match(text)
    url = match.group(1) if match else text.strip()
    if url.lower().startswith("webcal://"):
        return "https://" + url[len("webcal://") :]
    return url
