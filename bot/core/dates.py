"""Calendar arithmetic the whole bot shares: weeks start on Monday, as the plan does."""

from __future__ import annotations

from datetime import date, timedelta


def monday_of(day: date) -> date:
    """The Monday of `day`'s week (plans, phases and summaries are counted in Monday weeks)."""
    return day - timedelta(days=day.weekday())
