"""The pure coaching core: values in, values out.

Domain models, the exercise catalogue, the planner (placement, sessions, progression), the set-line
parser, the onboarding answer parsers and chart drawing. Nothing here imports Telegram, SQLAlchemy
or APScheduler, and nothing reads the clock: callers pass `today`/`now`. import-linter holds it so.
"""
