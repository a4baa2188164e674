#!/usr/bin/env bash
# A throw-away PostgreSQL 15 server for the test suite, run as the unprivileged postgres user.
#   eval "$(scripts/postgres.sh start)"   # exports RUNLIFT_TEST_POSTGRES_URL and RUNLIFT_PG_DIR
#   scripts/postgres.sh stop "$RUNLIFT_PG_DIR"
#   scripts/postgres.sh down "$RUNLIFT_PG_DIR"; scripts/postgres.sh up "$RUNLIFT_PG_DIR"
#     (stops and restarts the same server, data kept: the fault trials' database outage)
set -euo pipefail

bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$dir" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
      dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    else
      echo "PostgreSQL is not installed (apt-get install postgresql)" >&2
      return 1
    fi
  fi
  echo "$dir"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    bin=$(bin_dir)
    dir=$(mktemp -d /tmp/runlift-pg.XXXXXX)
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    port=$(free_port)
    as_postgres "$bin/initdb" -D "$dir/data" -A trust -U runlift >/dev/null
    echo "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" >"$dir/options"
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w start -o "$(cat "$dir/options")" >/dev/null
    echo "export RUNLIFT_PG_DIR=$dir"
    echo "export RUNLIFT_TEST_POSTGRES_URL=postgresql+asyncpg://runlift@127.0.0.1:$port/postgres"
    ;;
  stop)
    dir=${2:?usage: postgres.sh stop DIR}
    bin=$(bin_dir)
    as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    rm -rf "$dir"
    ;;
  down)
    dir=${2:?usage: postgres.sh down DIR}
    as_postgres "$(bin_dir)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  up)
    dir=${2:?usage: postgres.sh up DIR}
    as_postgres "$(bin_dir)/pg_ctl" -D "$dir/data" -l "$dir/log" -w start -o "$(cat "$dir/options")" >/dev/null
    ;;
  *)
    echo "usage: $0 start | stop DIR | down DIR | up DIR" >&2
    exit 2
    ;;
esac
