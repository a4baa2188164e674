"""The pure planner: `build_plan(profile, start, weeks)` fits strength around a runner's week.

See COACHING.md for the rules (ids P*, PH*, S*, L*, X*) and `bot.planner.plan` for the contract.
"""

from bot.planner.plan import build_plan

__all__ = ["build_plan"]
