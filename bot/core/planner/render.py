"""Text forms of prescriptions, sessions and plans, for the chat and for coaches.

`format_prescription` writes a target the way runners write their logs ("4 × 5 @ 60 kg");
`coach_line` adds the coaching a runner needs (RIR in words, rest, the log's note, the cue the
first two times, X4); `session_text` is Telegram HTML (names escaped, `<b>` headings, under 4096
characters) with the session's why; `plan_text` is plain text a coach reads like a sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from bot.core.domain.plan import BlockKind, Load, Plan, PlanRace, Prescription, Session
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


def reserve_words(rir: tuple[int, int] | int) -> str:
    """RIR in words (L1): "a weight you could lift 2–3 more times"."""
    return f"a weight you could lift {_range(rir)} more times"


def rest_words(seconds: int) -> str:
    """ "rest 45 s", "rest 2 min", "rest 2½ min"."""
    if seconds < 120:
        return f"rest {seconds} s"
    minutes, half = divmod(seconds, 60)
    return f"rest {minutes}{'½' if half >= 30 else ''} min"


def coach_line(ex: Prescription, units: Units = Units.KG, *, cue: bool = True) -> str:
    """One exercise as a coach writes it: target, effort in words, rest, note and cue.

    `Back squat 3 × 6–8 @ 69–75% 1RM: a weight you could lift 4 more times · rest 2½ min ·
    warm-up set first · cue: Bar on the upper back …`
    """
    parts = [f"{ex.name} {format_volume(ex)}"]
    load = ex.load
    weight = load.weight_in(units)
    if weight is not None:
        parts[0] += f" @ {_number(weight)} {units.value}"
    elif load.pct_1rm is not None:
        parts[0] += f" @ {_range(load.pct_1rm)}% 1RM"
    extras: list[str] = []
    if load.rir is not None:
        words = (
            reserve_words(load.rir) if weight is None else f"stop {_range(load.rir)} reps short"
        )
        extras.append(words)
    if ex.rest_s:
        extras.append(rest_words(ex.rest_s))
    if ex.tempo:
        extras.append(f"tempo {ex.tempo}")
    if ex.warmup_sets > 1:
        extras.append(f"{ex.warmup_sets} warm-up sets climbing first")
    elif ex.warmup_sets:
        extras.append("warm-up set first")
    if ex.note:
        extras.append(ex.note)
    if cue and ex.show_cue and ex.cue:
        extras.append(f"cue: {ex.cue}")
    return " · ".join([parts[0], *extras])


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
    if session.focus:
        lines.append(escape(session.focus))
    for block in session.blocks:
        lines.append("")
        lines.append(f"<b>{_BLOCK_TITLES[block.kind]}</b>{_block_hint(block.kind)}")
        for ex in block.exercises:
            lines.append(f"• {escape(coach_line(ex, units, cue=False))}")
            if ex.show_cue and ex.cue:
                lines.append(f"  <i>{escape(ex.cue)}</i>")
    text = "\n".join(lines)
    if len(text) > TELEGRAM_LIMIT:  # cannot happen with ≤ 12 exercises; stay within Telegram
        text = text[: TELEGRAM_LIMIT - 1] + "…"
    return text


def _block_hint(kind: BlockKind) -> str:
    """S3: accessories and core go as a circuit (seed 000: "(step-up + calf raise) × 3")."""
    return ", circuit" if kind in (BlockKind.ACCESSORY, BlockKind.CORE) else ""


_RACE_NAMES = {
    "5k": "5K",
    "10k": "10K",
    "half_marathon": "half marathon",
    "marathon": "marathon",
    "ultra": "ultra",
}
_PRIORITY_WORDS = {"A": "A, the goal", "B": "B, tune-up", "C": "C, run as training"}


def season_line(races: Sequence[PlanRace], since: date | None = None) -> str | None:
    """PH5: the season's races in one line, "Sat 17 Apr 5K (B, tune-up) · Sat 3 Jul 5K (A, the
    goal)"; None without races (on or after `since`)."""
    shown = [r for r in races if since is None or r.race_date >= since]
    if not shown:
        return None
    return "Season: " + " · ".join(
        f"{r.race_date:%a %-d %b} {_RACE_NAMES[r.race_distance.value]} "
        f"({_PRIORITY_WORDS[r.priority.value]})"
        for r in shown
    )


def plan_text(plan: Plan, units: Units = Units.KG) -> str:
    """The plan for a coach: the season's races, then week, phase, notes, each session, one
    exercise a line."""
    out: list[str] = []
    season = season_line(plan.races)
    if season:
        out.extend([season, ""])
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
            if session.focus:
                out.append(f"    focus: {session.focus}")
            for block in session.blocks:
                title = f"{_BLOCK_TITLES[block.kind].lower()}{_block_hint(block.kind)}:"
                for index, ex in enumerate(block.exercises):
                    label = title if index == 0 else ""
                    out.append(f"    {label:<23}{coach_line(ex, units)}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
