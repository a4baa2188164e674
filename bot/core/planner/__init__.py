"""The pure planner: `build_plan(profile, start, weeks)` fits strength around a runner's week.

See docs/coaching.md for the rules (ids P*, PH*, S*, L*, X*) and `bot.core.planner.plan` for
the contract.
"""

from bot.core.planner.plan import build_plan

__all__ = ["build_plan"]
