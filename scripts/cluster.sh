#!/usr/bin/env bash
# Several replicas on loopback, for a developer: a throw-away PostgreSQL (scripts/postgres.sh),
# the local Bot API stand-in, `runlift db upgrade` once, 3 × `runlift run` (each in an empty
# directory, webhook ports picked free) and HAProxy with deploy/haproxy.cfg in front; the local
# Bot API posts updates to HAProxy as Telegram would. Ctrl-C stops everything.
#   bash scripts/cluster.sh [--replicas N] [--api-port 8081] [--port 8443]
# Needs Debian's postgresql and haproxy packages (apt-get install postgresql haproxy).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv && .venv/bin/pip install -q -e ".[dev]"
fi
exec .venv/bin/python -m bench.cluster "$@"
