"""Benchmarks: scripts that print figures next to their targets (not tests)."""
