#!/usr/bin/env bash
# Run a command with DATABASE_URL pointing at a throwaway PostgreSQL cluster that lives in a
# temporary directory (Unix socket only, no TCP port) and is removed afterwards.
#   bash scripts/with_postgres.sh .venv/bin/python -m pytest -m postgres
# As root, the cluster runs as the "postgres" system user (initdb refuses root).
set -uo pipefail

find_pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  command -v pg_ctl >/dev/null 2>&1 && { dirname "$(command -v pg_ctl)"; return 0; }
  return 1
}
PG_BIN=$(find_pg_bin) || { echo "PostgreSQL is not installed: sudo apt-get install postgresql" >&2; exit 1; }

PGDIR=$(mktemp -d /tmp/forumanak-pg.XXXXXX)
chmod 755 "$PGDIR"
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown -R postgres "$PGDIR"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}
stop_pg() { as_pg "$PG_BIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1; rm -rf "$PGDIR"; }
trap stop_pg EXIT
as_pg "$PG_BIN/initdb" -D "$PGDIR/data" -U forumanak --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null \
  || { echo "initdb failed" >&2; exit 1; }
as_pg "$PG_BIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w start \
  -o "-k $PGDIR -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null \
  || { echo "PostgreSQL did not start:" >&2; cat "$PGDIR/log" >&2; exit 1; }
as_pg "$PG_BIN/createdb" -h "$PGDIR" -U forumanak forumanak || exit 1
export DATABASE_URL="postgres://forumanak@/forumanak?host=$PGDIR"
"$@"
