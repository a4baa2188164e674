"""bot/catalogue."""
