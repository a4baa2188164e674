"""Tools beside the product: a local Telegram Bot API server and the browser demo built on it.

The bot never imports these; tests, benchmarks and `runlift demo` (loaded by name) do.
"""
