"""Race distances in a runner's words: the one table chat, onboarding and calendar titles read.

Its own small module (only `re` and the profile's enum), so a calendar read in a memory-capped
child process (`bot.services.calendar_reading`) imports nothing more than it did.
"""

from __future__ import annotations

import re

from bot.core.domain.profile import RaceDistance

RACE_DISTANCES: tuple[tuple[re.Pattern[str], RaceDistance], ...] = (
    (
        re.compile(r"\bultra(?:[ -]?marathon)?s?\b|\b(?:50|100)\s?(?:k|km|miles?|mi)\b"),
        RaceDistance.ULTRA,
    ),
    (
        re.compile(r"\bhalf(?:[ -]?marathon)?\b|\bhm\b|\b21(?:\.1)?\s?k(?:m)?\b|\b13\.1\b"),
        RaceDistance.HALF_MARATHON,
    ),
    (
        re.compile(r"\b(?:full )?marathon\b|\b42(?:\.2)?\s?k(?:m)?\b|\b26\.2\b"),
        RaceDistance.MARATHON,
    ),
    (re.compile(r"\b10\s?(?:k|km)\b|\b10000\s?m?\b|\bten ?k\b"), RaceDistance.TEN_K),
    (
        re.compile(r"\b5\s?(?:k|km)\b|\b5000\s?m?\b|\bfive ?k\b|\bparkrun\b"),
        RaceDistance.FIVE_K,
    ),
)
"""A race distance in a runner's words (cleaned text), longest first: onboarding's goal
(`bot.core.answers.parse_goal`), the race intent (`intents.read_race`) and calendar titles
(`bot.core.calendar.classify.race_distance`) read it."""


def race_distance_match(value: str) -> tuple[RaceDistance, re.Match[str]] | None:
    """The race distance `value` (cleaned, lower case) names, and where: "parkrun" is a 5K."""
    for pattern, distance in RACE_DISTANCES:
        match = pattern.search(value)
        if match:
            return distance, match
    return None
