"""bot/core/catalogue."""
