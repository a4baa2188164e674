"""Dates in words ("next sunday", "12 april", "in 6 weeks") through dateparser.

dates in words go through a well-kept parser, with the runner's time zone and
`today` passed in, never the clock. A day-and-month without a year is the next one to come
(a runner naming their race means a future one), and 12/4 is 12 April (day first, as most of
the runners we coach write it; ISO dates always work).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from bot.core.language.words import clean

_NOT_DATE = re.compile(
    r"\b(?:\d+(?:\.\d+)?\s?(?:k|km|mi|miles?)|half(?: marathon)?|marathon|ultra|parkrun|"
    r"race|racing|my|the|is|was|now|moved|postponed|pushed|back|changed|to|new|date|goal|"
    r"instead|it|its|ive|got|entered|signed up for|doing|running|run)\b"
)


_DATEISH = re.compile(
    r"\b(?:\d|in \d|in (?:a|one|two|three|four|five|six|seven|eight|nine|ten)\b|next\b|this\b|"
    r"tomorrow|today|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|"
    r"sun)"
)


def _settings(today: date, zone: str) -> dict[str, Any]:
    return {
        "RELATIVE_BASE": datetime.combine(today, time(12, 0)),
        "PREFER_DATES_FROM": "future",
        "TIMEZONE": zone,
        "RETURN_AS_TIMEZONE_AWARE": False,
        "DATE_ORDER": "DMY",
        "PREFER_DAY_OF_MONTH": "current",
    }


_MONTH = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b(?:next|this) month\b"
)


def month_without_day(text: str) -> str | None:
    """ "in april", "next month": a month named without its day (a year may be there). A race
    is planned to the day, so such a phrase names no date: the month, to ask which day, or
    "the month" for "next month"; None when the text names a day or no month."""
    value = clean(text)
    found = _MONTH.search(value)
    day_words = _NOT_DATE.sub(" ", re.sub(r"\b\d{4}\b", "", value))  # no year, no distance
    if found is None or re.search(r"\d", day_words):
        return None
    return found[0].title() if found[1] else "the month"


MAX_DATE_TEXT = 200
"""Longest text searched for a date: dateparser takes ~2 ms a character (4,096: seconds)."""


def parse_date_words(text: str, today: date, zone: str = "UTC") -> date | None:
    """The date a phrase names, read relative to the runner's `today` in their `zone`.

    Args:
        text: a phrase that may hold a date among other words ("10k on 12 april").
        today: the runner's local date (the reference for "next sunday", "in 6 weeks").
        zone: the runner's IANA time zone.

    Returns:
        The date, or None when the phrase names none.
    """
    import dateparser
    from dateparser.search import search_dates

    value = clean(text)
    if month_without_day(value) is not None:
        return None  # never a guessed day of the month
    if len(value) > MAX_DATE_TEXT:  # no date phrase is this long, and dateparser is slow on one
        return None
    value = re.sub(r"\bin a fortnight\b|\bfortnight\b", "in 2 weeks", value)
    value = re.sub(r"\b(\w+day) week\b", r"\1 next week", value)
    value = re.sub(r"\b(\d{1,2})(?:st|nd|rd|th)\b", r"\1", value)
    settings = _settings(today, zone)
    stripped = re.sub(r"\s+", " ", _NOT_DATE.sub(" ", value)).strip(" ,.")
    start = _DATEISH.search(stripped)
    tail = stripped[start.start() :] if start else stripped
    for candidate in (tail, re.sub(r"^(?:on|for|in)\s+", "", tail)):
        if candidate and re.search(r"[a-z0-9]", candidate):
            found = dateparser.parse(candidate, settings=settings, languages=["en"])
            if found is not None:
                return _in_future(found.date(), today, candidate)
    hits = search_dates(stripped or value, settings=settings, languages=["en"])
    for phrase, found in hits or ():
        if re.search(
            r"\d|day|week|month|tomorrow|today|jan|feb|mar|apr|may|jun|jul|aug|sep|"
            r"oct|nov|dec",
            phrase,
        ):
            return _in_future(found.date(), today, phrase)
    return None


def _in_future(found: date, today: date, phrase: str) -> date:
    """A weekday or a day-and-month without a year that fell in the past means the next one."""
    if found >= today or re.search(r"\b\d{4}\b|\bago\b|\blast\b|\byesterday\b", phrase):
        return found
    try:
        return found.replace(year=found.year + 1)
    except ValueError:  # 29 February
        return found.replace(year=found.year + 1, day=28)
