"""Tests of the local Bot API server (bot.localapi)."""
