"""bot/demo."""
