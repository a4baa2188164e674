"""The runner's own words, read into values: the running week, dates, and what a message means.

PURE: no Telegram, no database, no clock. Every reader takes the text and, where a date matters,
the runner's `today` and time zone, and returns plain values (`bot.core.domain` enums, frozen
dataclasses). The chat layer decides what to do with them; the planner never sees text.
"""

from bot.core.domain.adjustments import Readiness
from bot.core.language.dates import parse_date_words
from bot.core.language.intents import (
    INTENTS,
    Intent,
    PainReport,
    RaceChange,
    ReadinessReport,
    SwapRequest,
    WeekChange,
    read_intent,
)
from bot.core.language.week import WeekReading, parse_week_words, read_week_change

__all__ = [
    "INTENTS",
    "Intent",
    "PainReport",
    "RaceChange",
    "Readiness",
    "ReadinessReport",
    "SwapRequest",
    "WeekChange",
    "WeekReading",
    "parse_date_words",
    "parse_week_words",
    "read_intent",
    "read_week_change",
]
