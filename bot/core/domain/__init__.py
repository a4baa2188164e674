"""Frozen value objects shared by the planner, the set-log parser, services and handlers."""
