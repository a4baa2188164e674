"""bot/planner."""
