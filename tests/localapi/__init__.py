"""Tests of the local Bot API server (devtools.localapi)."""
