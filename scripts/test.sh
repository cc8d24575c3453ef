#!/usr/bin/env bash
# The whole test suite, as `make test` runs it (and CI through .ci/run):
#   1. the unit and integration tests on PostgreSQL (a throwaway cluster started here),
#   2. the same tests on the embedded SQLite default (PostgreSQL-only tests deselected),
#   3. the browser journeys in Debian's Chromium against a live server (SQLite);
# stage 1 runs in two lanes beside stages 2 then 3 (see below).
# Missing system packages are installed with apt-get when running as root on Debian;
# otherwise the script says how to install them and fails. It never skips silently.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE=forumanak.settings.test
export PYTHONUNBUFFERED=1
export FORUM_VAR_DIR="${FORUM_VAR_DIR:-$PWD/var}"
mkdir -p "$FORUM_VAR_DIR"

# ---- system packages ---------------------------------------------------------------------
find_pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  command -v pg_ctl >/dev/null 2>&1 && { dirname "$(command -v pg_ctl)"; return 0; }
  return 1
}
need=()
find_pg_bin >/dev/null || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)  # the two-cluster test
[ -x /usr/sbin/nginx ] || need+=(nginx)  # the documented nginx in front of the app (tests/core/test_media_nginx.py)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing missing system packages: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" fonts-dejavu-core >/dev/null \
      || { echo "apt-get install ${need[*]} failed" >&2; exit 1; }
  else
    echo "Missing system packages: ${need[*]}" >&2
    echo "Install them with:  sudo apt-get install ${need[*]}" >&2
    exit 1
  fi
fi

# ---- project preparation -----------------------------------------------------------------
$PY manage.py compile_translations >/dev/null || exit 1

# The stages run in three lanes side by side (CI has two cores, and much of a test run waits on
# the database, a lock or the browser): the PostgreSQL stage, split in two — the long events
# concurrency test (twenty rounds of 200 registrations) on its own PostgreSQL cluster — and SQLite
# then the browser in the third. Each lane writes its own log, printed whole when all have ended,
# and has its own media folders.
SLOW_PG=tests/events/test_concurrency.py
LOGS=$(mktemp -d /tmp/forumanak-test-logs.XXXXXX)
run_stage() {
  local lane=$1 name=$2; shift 2
  {
    echo
    echo "==== $name ===="
    "$@"
  } >>"$LOGS/$lane.log" 2>&1
}
lane_pg() {
  FORUM_TEST_LANE=pg run_stage pg "PostgreSQL: unit and integration tests (but $SLOW_PG)" \
    bash scripts/with_postgres.sh $PY -m pytest -m "not browser" --ignore="$SLOW_PG" -p no:cacheprovider --durations=10 "$@"
}
lane_pg_slow() {
  local rc=0
  FORUM_TEST_LANE=pg2 run_stage pg2 "PostgreSQL: $SLOW_PG" \
    bash scripts/with_postgres.sh $PY -m pytest -m "not browser" "$SLOW_PG" -p no:cacheprovider --durations=3 "$@" || rc=$?
  [ $rc = 5 ] && rc=0  # arguments (-k …) selected none of its tests
  return $rc
}
lane_sqlite() {
  local rc=0
  FORUM_TEST_LANE=sqlite run_stage sqlite "SQLite (embedded default): unit and integration tests" \
    env -u DATABASE_URL $PY -m pytest -m "not browser and not postgres" -p no:cacheprovider --durations=10 "$@" || rc=1
  FORUM_TEST_LANE=browser run_stage sqlite "Browser journeys (Chromium, SQLite)" \
    env -u DATABASE_URL $PY -m pytest -m browser -p no:cacheprovider --durations=10 "$@" || rc=1
  return $rc
}
echo "Running: PostgreSQL stage (two lanes) | SQLite stage, then browser stage (logs in $LOGS) ..."
started=$SECONDS
lane_pg "$@" & pg_pid=$!
lane_pg_slow "$@" & pg2_pid=$!
lane_sqlite "$@" & sqlite_pid=$!
status=0
wait $pg_pid || status=1
echo "PostgreSQL lane finished after $((SECONDS - started)) s"
wait $pg2_pid || status=1
echo "PostgreSQL lane ($SLOW_PG) finished after $((SECONDS - started)) s"
wait $sqlite_pid || status=1
echo "SQLite and browser lane finished after $((SECONDS - started)) s"
cat "$LOGS/pg.log" "$LOGS/pg2.log" "$LOGS/sqlite.log"
rm -rf "$LOGS"
echo
if [ $status = 0 ]; then echo "All test stages passed."; else echo "Some test stage failed." >&2; fi
exit $status
