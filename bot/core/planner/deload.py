"""L6 measured against the week before: a deload is half of what the runner just did, lighter.

The dose model (`bot.core.planner.dose`) gives a deload week its own numbers (fewer sets, −10 %,
more reserve), but "half the work sets, loads −10 %" means half of *last week*, and last week
may itself have been trimmed to the time (S9), lightened by 48 h (P9) or a restart after a race
(PH6). So once a deload week's sessions are built, each is bounded by the same session of the
week before (the one sharing most exercises, as a coach would compare them):

- every lift keeps at most half its sets (rounded up) and at most 90 % of its %1RM, with no
  less reserve (RIR) than last week: no new maximums;
- foot contacts at most half (S8's count), jumps cut before anything else (S9);
- nothing that was not in it, but calf and single-leg work (S9);
- the session's work sets at most about 60 % of last week's: then sets come off jumps, core,
  accessories and the lifts with the most sets, in that order, and only then whole jumps
  (calf and single-leg work stay, S9).

`bot.core.planner.plan.build_plan` calls `fit_to_week_before` for every session of a deload week.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from bot.core.catalogue.loader import Catalogue, Category, PlyoLevel
from bot.core.domain.plan import Block, BlockKind, Load, Prescription, Session
from bot.core.planner.dose import pct_range, reserve_for
from bot.core.planner.sessions import CALF_IDS, PLYO_ORDER, contacts_of

DELOAD_LOAD = 0.90
"""L6: loads −10 %."""
DELOAD_SETS = 0.6
"""L6: half the work sets, give or take a set (at most 60 % of last week's, plus one)."""
DELOAD_SETS_LEAST = 0.4
"""L6: and at least 40 % of them."""
DELOAD_CONTACTS = 0.5
"""L6 with S8: half the foot contacts."""

_CUT_ORDER = (BlockKind.POWER, BlockKind.CORE, BlockKind.ACCESSORY, BlockKind.STRENGTH)
"""S9: where a set comes off first when the deload still has too many."""
_KEPT = (Category.STRENGTH_UNILATERAL,)
"""S9: single-leg work is the last thing a trimmed session loses."""


def _ids(session: Session) -> set[str]:
    return {p.id for b in session.blocks if b.kind is not BlockKind.MOBILITY for p in b.exercises}


def _work_sets(session: Session) -> int:
    return sum(
        p.sets for b in session.blocks if b.kind is not BlockKind.MOBILITY for p in b.exercises
    )


def _sets_in(kinds: Sequence[BlockKind], blocks: Sequence[Sequence[Prescription]]) -> int:
    """`_work_sets` of a session being fitted (its blocks as lists, their kinds beside)."""
    return sum(
        p.sets
        for kind, ps in zip(kinds, blocks, strict=True)
        if kind is not BlockKind.MOBILITY
        for p in ps
    )


def foot_contacts(p: Prescription, catalogue: Catalogue) -> int:
    """S8's foot contacts of one prescription (`sessions.contacts`); a lower-body power lift (a
    swing) counts a rep as one, as the ballistic work it is."""
    if p.id not in catalogue:
        return 0
    exercise = catalogue.get(p.id)
    if exercise.contacts:
        return contacts_of(p, exercise)
    if exercise.power and exercise.is_lower_body:
        return p.sets * p.reps[1] * (2 if p.per_side else 1)
    return 0


def session_contacts(session: Session, catalogue: Catalogue) -> int:
    return sum(foot_contacts(p, catalogue) for b in session.blocks for p in b.exercises)


def same_session(session: Session, week_before: Sequence[Session]) -> Session | None:
    """The session of last week a coach compares this one with: most exercises shared, then
    the same name (A/B)."""
    if not week_before:
        return None
    ids = _ids(session)
    return max(week_before, key=lambda s: (len(_ids(s) & ids), s.name == session.name))


def _rir(load: Load) -> tuple[int, int] | None:
    if load.rir is None:
        return None
    return load.rir if isinstance(load.rir, tuple) else (load.rir, load.rir)


def _lighter(load: Load, before: Load, reps: tuple[int, int]) -> Load:
    """At most 90 % of last week's %1RM, no less reserve, never heavier in kilograms; a
    lower %1RM takes the reserve that matches it (S4: coherent)."""
    changes: dict[str, object] = {}
    rir, b_rir = _rir(load), _rir(before)
    if rir is not None and b_rir is not None:
        rir = (max(rir[0], b_rir[0]), max(rir[1], b_rir[1]))
        changes["rir"] = rir
    top = (
        math.floor(before.pct_1rm[1] * DELOAD_LOAD)
        if load.pct_1rm is not None and before.pct_1rm is not None
        else None
    )
    if load.pct_1rm is not None and top is not None and top < load.pct_1rm[1]:
        if rir is not None:
            rir = reserve_for(reps, top, rir[0])
            changes["rir"], changes["pct_1rm"] = rir, pct_range(reps, rir, top)
        else:
            width = load.pct_1rm[1] - load.pct_1rm[0]
            changes["pct_1rm"] = (min(load.pct_1rm[0], top - width), top)
    if load.kg is not None and before.kg is not None and load.kg > before.kg:
        changes["kg"], changes["lb"] = before.kg, before.lb
    changes = {key: value for key, value in changes.items() if getattr(load, key) != value}
    return load.model_copy(update=changes) if changes else load


def _bounded(p: Prescription, before: Prescription | None) -> Prescription:
    if before is None:
        return p
    sets = min(p.sets, max(1, math.ceil(before.sets / 2)))
    load = _lighter(p.load, before.load, p.reps)
    hold = p.hold_s
    if hold is not None and before.hold_s is not None:
        hold = min(hold, before.hold_s)  # no longer hold than last week's: no new maximum
    if sets == p.sets and load is p.load and hold == p.hold_s:
        return p
    return p.model_copy(update={"sets": sets, "load": load, "hold_s": hold})


def _counterpart(
    p: Prescription,
    kind: BlockKind,
    before: dict[str, tuple[BlockKind, Prescription]],
    catalogue: Catalogue,
) -> Prescription | None:
    """Last week's prescription of this exercise, or of the lift it stands in for (a variation
    of the same pattern in the same block)."""
    if p.id in before:
        return before[p.id][1]
    if kind is not BlockKind.STRENGTH or p.id not in catalogue:
        return None
    category = catalogue.get(p.id).category
    for b_kind, b in before.values():
        if b_kind is kind and b.id in catalogue and catalogue.get(b.id).category is category:
            return b
    return None


def _kept_in_deload(
    p: Prescription,
    kind: BlockKind,
    before: dict[str, tuple[BlockKind, Prescription]],
    catalogue: Catalogue,
) -> bool:
    """L6: a deload is last week's session, lighter: an accessory, core or power exercise that
    was not in it stays out (a hip thrust only in deload weeks is no deload), but calf and
    single-leg work always stays (S9) and the main lifts keep their pattern."""
    if kind in (BlockKind.MOBILITY, BlockKind.STRENGTH) or p.id in before:
        return True
    if p.id not in catalogue:
        return True
    exercise = catalogue.get(p.id)
    return p.id in CALF_IDS or exercise.category in _KEPT


def fit_to_week_before(
    session: Session, week_before: Sequence[Session], catalogue: Catalogue
) -> tuple[Session, bool]:
    """L6: `session` (of a deload week) bounded by the same session of the week before.

    Returns:
        The session and whether anything changed (its `duration_min` then needs recounting).
    """
    last = same_session(session, week_before)
    if last is None:
        return session, False
    before = {p.id: (b.kind, p) for b in last.blocks for p in b.exercises}
    blocks = [
        [
            p
            if b.kind is BlockKind.MOBILITY
            else _bounded(p, _counterpart(p, b.kind, before, catalogue))
            for p in b.exercises
            if _kept_in_deload(p, b.kind, before, catalogue)
        ]
        for b in session.blocks
    ]
    kinds = [b.kind for b in session.blocks]
    _halve_contacts(kinds, blocks, session_contacts(last, catalogue), catalogue)
    _cut_sets(kinds, blocks, _work_sets(last), catalogue)
    _add_sets(kinds, blocks, before, _work_sets(last), catalogue)
    _add_jumps(kinds, blocks, last, catalogue)
    unchanged = all(
        len(exercises) == len(b.exercises)
        and all(p is q for p, q in zip(exercises, b.exercises, strict=True))
        for exercises, b in zip(blocks, session.blocks, strict=True)
    )  # every bound copies only what it changes
    if unchanged:
        return session, False
    fitted = session.model_copy(
        update={
            "blocks": tuple(
                Block.model_construct(kind=kind, exercises=tuple(exercises))
                for kind, exercises in zip(kinds, blocks, strict=True)
                if exercises
            )
        }
    )
    return fitted, True


def _halve_contacts(
    kinds: list[BlockKind], blocks: list[list[Prescription]], before: int, catalogue: Catalogue
) -> None:
    """S8 + L6: jump sets come off (the most sets first), then whole jumps (the last first),
    until the landings are at most half of last week's."""
    allowed = DELOAD_CONTACTS * before
    while True:
        jumps = [
            (k, i)
            for k, exercises in enumerate(blocks)
            for i, p in enumerate(exercises)
            if foot_contacts(p, catalogue)
        ]
        total = sum(foot_contacts(blocks[k][i], catalogue) for k, i in jumps)
        while jumps and total > allowed:
            k, i = max(jumps, key=lambda ki: (blocks[ki[0]][ki[1]].sets, ki))
            p = blocks[k][i]
            if p.sets == 1:
                del blocks[k][i]
                break  # the places after it moved: count again
            fewer = p.model_copy(update={"sets": p.sets - 1})
            total -= foot_contacts(p, catalogue) - foot_contacts(fewer, catalogue)
            blocks[k][i] = fewer
        else:
            return


def _add_sets(
    kinds: list[BlockKind],
    blocks: list[list[Prescription]],
    before: dict[str, tuple[BlockKind, Prescription]],
    sets_before: int,
    catalogue: Catalogue,
) -> None:
    """L6: a deload the dose made lighter than half of last week gets sets back (lifts first,
    then accessories and core), each up to half of its own sets last week: rounded down, or
    up where that is the only way to keep ~40 % of last week's work."""
    total = _sets_in(kinds, blocks)
    least = math.ceil(DELOAD_SETS_LEAST * sets_before)
    growing = [  # (block, place, last week's sets), lifts first; never a jump's sets
        (k, i, last.sets)
        for kind in (BlockKind.STRENGTH, BlockKind.ACCESSORY, BlockKind.CORE)
        for k, block_kind in enumerate(kinds)
        if block_kind is kind
        for i, p in enumerate(blocks[k])
        if (last := _counterpart(p, kind, before, catalogue)) is not None
        and not foot_contacts(p, catalogue)
    ]
    for want, round_up in ((sets_before // 2, False), (least, True)):
        for k, i, sets_last in growing:
            p = blocks[k][i]
            half = math.ceil(sets_last / 2) if round_up else sets_last // 2
            extra = max(0, min(max(1, half) - p.sets, want - total))
            if extra:
                blocks[k][i] = p.model_copy(update={"sets": p.sets + extra})
                total += extra


def _add_jumps(
    kinds: list[BlockKind], blocks: list[list[Prescription]], last: Session, catalogue: Catalogue
) -> None:
    """L6 + S8: a deload still short of ~40 % of last week's work sets (the dose's jumps are
    half of even the lightest normal week) takes back last week's other jumps, one set each,
    lowest level first and never a depth jump, while its landings stay at most half of last
    week's. Only on a day that allows jumps: the deload already has one."""
    if BlockKind.POWER not in kinds:
        return
    power = blocks[kinds.index(BlockKind.POWER)]
    if not any(_is_jump(p, catalogue) for p in power):
        return  # no jumps today (a race or a long run near, a limitation): none come back
    sets_before = _work_sets(last)
    least = math.ceil(DELOAD_SETS_LEAST * sets_before)
    total = _sets_in(kinds, blocks)
    allowed = DELOAD_CONTACTS * session_contacts(last, catalogue)
    landings = sum(foot_contacts(p, catalogue) for ps in blocks for p in ps)
    have = {p.id for p in power}
    count = len(power)
    for b in last.blocks:
        if b.kind is not BlockKind.POWER:
            continue
        for p in b.exercises:
            if total >= least:
                break
            if p.id in have or not _is_jump(p, catalogue):
                continue
            if catalogue.get(p.id).level is PlyoLevel.HIGH:
                continue
            one = p.model_copy(update={"sets": 1})
            added = foot_contacts(one, catalogue)
            if not added or landings + added > allowed:
                continue
            power.append(one)
            have.add(p.id)
            total, landings = total + 1, landings + added
    if len(power) > count:
        power.sort(key=lambda p: PLYO_ORDER[catalogue.get(p.id).level or PlyoLevel.LOW])


def _is_jump(p: Prescription, catalogue: Catalogue) -> bool:
    exercise = catalogue.get(p.id)
    return exercise.is_plyometric and exercise.is_lower_body


def _cut_sets(
    kinds: list[BlockKind], blocks: list[list[Prescription]], before: int, catalogue: Catalogue
) -> None:
    """L6 + S9: at most ~60 % of last week's work sets, cut in S9's order."""
    allowed = math.floor(DELOAD_SETS * before) + 1
    total = _sets_in(kinds, blocks)  # every cut below is a work set (none is mobility)
    for kind in _CUT_ORDER:  # a set off the biggest prescription of each block in turn
        for k, block_kind in enumerate(kinds):
            if block_kind is not kind:
                continue
            while total > allowed:
                exercises = blocks[k]
                i = max(range(len(exercises)), key=lambda j: exercises[j].sets, default=None)
                if i is None or exercises[i].sets <= 1:
                    break
                exercises[i] = exercises[i].model_copy(update={"sets": exercises[i].sets - 1})
                total -= 1
    for k, block_kind in enumerate(kinds):  # then whole jumps and extra core, last first
        if block_kind not in (BlockKind.POWER, BlockKind.CORE):
            continue
        exercises = blocks[k]
        while total > allowed and len(exercises) > (block_kind is BlockKind.CORE):
            droppable = [
                j
                for j, p in enumerate(exercises)
                if block_kind is BlockKind.CORE
                or (foot_contacts(p, catalogue) and catalogue.get(p.id).category not in _KEPT)
            ]
            drop = max(droppable, default=None)
            if drop is None:
                break
            total -= exercises[drop].sets
            del exercises[drop]
