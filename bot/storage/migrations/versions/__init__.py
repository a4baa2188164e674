"""bot/storage/migrations/versions."""
