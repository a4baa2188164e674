"""Progress charts as PNG bytes: pure, no database, no Telegram.

Drawn with matplotlib's object API (`Figure` + the Agg canvas), never pyplot: pyplot keeps global
state that is not thread-safe, and the bot draws charts in a worker thread so the event loop keeps
answering other runners while a chart renders (~100 ms).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def progress_chart(
    e1rm: Mapping[str, Sequence[tuple[date, float]]],
    weekly_volume: Sequence[tuple[date, float]],
    *,
    unit: str = "kg",
    title: str = "Your strength",
) -> bytes:
    """Estimated 1RM per main lift over time (top) and weekly volume (bottom), as a PNG."""
    figure = Figure(figsize=(7, 6), dpi=110)
    FigureCanvasAgg(figure)
    # one date axis for both panels: autofmt_xdate labels only the bottom one
    top, bottom = figure.subplots(2, 1, height_ratios=(3, 2), sharex=True)
    figure.suptitle(title, fontsize=13, fontweight="bold")
    if e1rm:
        for name, points in e1rm.items():
            days = [day for day, _ in points]
            values = [value for _, value in points]
            top.plot(days, values, marker="o", linewidth=2, label=name)
        top.legend(loc="upper left", fontsize=8, frameon=False)
    else:
        top.text(
            0.5,
            0.5,
            "Log a loaded lift to see its estimated 1RM",
            ha="center",
            va="center",
            transform=top.transAxes,
            color="#666",
        )
    top.set_ylabel(f"estimated 1RM ({unit})")
    top.grid(alpha=0.3)
    if weekly_volume:
        weeks = [day for day, _ in weekly_volume]
        volume = [value for _, value in weekly_volume]
        bottom.bar(weeks, volume, width=6, align="edge", color="#2a9df4")  # Monday to Saturday
    bottom.set_ylabel(f"weekly volume ({unit})")
    bottom.grid(alpha=0.3, axis="y")
    figure.autofmt_xdate()
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
