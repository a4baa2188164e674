"""`runlift demo`: the real bot, a local Bot API server and a browser chat page in one process.

Nobody needs a Telegram account, a token or a network to try the coach: `runlift demo` serves a
Telegram-like chat on 127.0.0.1 that talks to the very same `build_application` the `run`
command starts. Only the demo has a clock it can fast-forward to the next reminder.
"""
