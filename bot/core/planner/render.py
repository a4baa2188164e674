"""Text forms of prescriptions, sessions and plans, for the chat and for coaches.

`format_prescription` writes a target the way runners write their logs ("4 × 5 @ 60 kg");
`session_text` is Telegram HTML (names escaped, `<b>` headings, under 4096 characters);
`plan_text` is plain text a coach reads on one page.
"""

from __future__ import annotations

from html import escape

from bot.core.domain.plan import BlockKind, Load, Plan, Prescription, Session
from bot.core.domain.profile import Units

TELEGRAM_LIMIT = 4096

_BLOCK_TITLES = {
    BlockKind.MOBILITY: "Mobility",
    BlockKind.POWER: "Power",
    BlockKind.STRENGTH: "Strength",
    BlockKind.ACCESSORY: "Accessories",
    BlockKind.CORE: "Core",
}


def _range(values: tuple[int, int] | int) -> str:
    if isinstance(values, int):
        return str(values)
    low, high = values
    return str(low) if low == high else f"{low}–{high}"


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def format_load(load: Load, units: Units = Units.KG) -> str:
    """The load part of a prescription: "@ 75–85% 1RM (2–3 in reserve)", "@ 60 kg", ""."""
    weight = load.weight_in(units)
    if weight is not None:
        return f"@ {_number(weight)} {units.value}"
    reserve = f"{_range(load.rir)} in reserve" if load.rir is not None else ""
    if load.pct_1rm is not None:
        text = f"@ {_range(load.pct_1rm)}% 1RM"
        return f"{text} ({reserve})" if reserve else text
    return f"({reserve})" if reserve else ""


def format_volume(ex: Prescription) -> str:
    """Sets × reps or holds: "4 × 3–5", "3 × 8/side", "2 × 40 s", "5 min"."""
    side = "/side" if ex.per_side else ""
    if ex.hold_s is not None:
        if ex.sets == 1 and ex.hold_s >= 120 and ex.hold_s % 60 == 0:
            return f"{ex.hold_s // 60} min"
        return f"{ex.sets} × {ex.hold_s} s{side}"
    return f"{ex.sets} × {_range(ex.reps)}{side}"


def format_prescription(ex: Prescription, units: Units = Units.KG) -> str:
    """One line: `Back squat 4 × 3–5 @ 75–85% 1RM (2–3 in reserve)`, `Step-up 3 × 8/side`."""
    load = format_load(ex.load, units)
    line = f"{ex.name} {format_volume(ex)}"
    return f"{line} {load}" if load else line


def _day_label(session: Session) -> str:
    return f"{session.weekday.title} {session.date.day} {session.date:%b}"


def session_text(session: Session, units: Units = Units.KG) -> str:
    """The session as Telegram HTML: heading, reason, then each block with its exercises."""
    title = "Primer" if session.name == "Primer" else f"Session {session.name}"
    after = f", after your {session.after_run.value} run" if session.after_run else ""
    lines = [
        f"<b>{escape(title)} · {escape(_day_label(session))}{escape(after)} · "
        f"about {session.duration_min} min</b>",
        f"<i>{escape(session.reason)}</i>",
    ]
    for block in session.blocks:
        lines.append("")
        lines.append(f"<b>{_BLOCK_TITLES[block.kind]}</b>")
        for ex in block.exercises:
            warm = " (warm-up set first)" if ex.warmup_sets else ""
            lines.append(f"• {escape(format_prescription(ex, units))}{warm}")
    text = "\n".join(lines)
    if len(text) > TELEGRAM_LIMIT:  # cannot happen with ≤ 12 exercises; stay within Telegram
        text = text[: TELEGRAM_LIMIT - 1] + "…"
    return text


def plan_text(plan: Plan, units: Units = Units.KG) -> str:
    """The plan on one page for a coach: week, phase, notes, then each session compactly."""
    out: list[str] = []
    for week in plan.weeks:
        flags = " (deload)" if week.deload else ""
        out.append(
            f"Week of {week.week_start.isoformat()} · {week.phase.value}{flags} · "
            f"block week {week.week_of_block}"
        )
        out.extend(f"  ! {note}" for note in week.notes)
        if not week.sessions:
            out.append("  no strength sessions")
        for session in week.sessions:
            after = f" after {session.after_run.value}" if session.after_run else ""
            out.append(
                f"  {session.weekday.title[:3]} {session.date.isoformat()} · "
                f"{session.name} · {session.duration_min} min{after}"
            )
            out.append(f"    why: {session.reason}")
            for block in session.blocks:
                items = "; ".join(format_prescription(ex, units) for ex in block.exercises)
                out.append(f"    {_BLOCK_TITLES[block.kind].lower()}: {items}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
