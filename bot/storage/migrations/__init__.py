"""bot/storage/migrations."""
