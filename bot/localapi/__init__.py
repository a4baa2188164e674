"""bot/localapi."""
