"""The progress chart is a real PNG, with or without data."""

from __future__ import annotations

from datetime import date

from bot.core.charts import PNG_SIGNATURE, progress_chart


def test_chart_is_a_png_with_lines_and_bars() -> None:
    png = progress_chart(
        {"Back squat": [(date(2026, 11, 3), 70.0), (date(2026, 11, 10), 72.5)]},
        [(date(2026, 11, 2), 2400.0), (date(2026, 11, 9), 2600.0)],
    )
    assert png.startswith(PNG_SIGNATURE)
    assert len(png) > 5_000


def test_chart_without_loaded_lifts_still_renders() -> None:
    assert progress_chart({}, []).startswith(PNG_SIGNATURE)
