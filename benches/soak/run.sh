#!/usr/bin/env bash
# Soak: the demo under mixed load (sign-ins, reads, writes, ends, admin lists, purges) for a
# long time, with the database made unavailable once in the middle. Reports requests served,
# every response by route and status, errors (anything but the expected answers; a 503 only
# during the outage), the demo's RSS at 0 / 10 / 20 / 30 minutes, and whether every session
# that was not ended is still signed in afterwards. Exit 1 on any of those failures.
#
#   benches/soak/run.sh sqlite              # 30 minutes on a SQLite file
#   benches/soak/run.sh postgres            # 30 minutes on PostgreSQL
#   SOAK_MINUTES=2 SOAK_RATE=50 benches/soak/run.sh sqlite   # a quick check
#
# The outage: on SQLite another process holds an exclusive lock on the database for
# OUTAGE_SECONDS (SQLite has no server to restart); on PostgreSQL the server is stopped for
# OUTAGE_SECONDS and started again. PostgreSQL runs in a cluster of its own (Debian's
# pg_createcluster, on SOAK_PG_PORT, removed afterwards), so no other user of the machine's
# server sees the restart; set PG_URL and PG_RESTART to use another server instead.
#
# Memory: an argon2 password check takes 7 MiB (the demo's parameters, see
# examples/demo/src/password_thread.rs), and glibc's allocator, whose threshold for returning
# large blocks to the system rises with the first ones freed, then keeps that much per arena in
# the heap, so the demo's RSS climbs to a plateau after the first sign-ins and stays there. The soak runs the demo with glibc's threshold fixed at 1 MB
# (GLIBC_TUNABLES, below), so every hash returns its memory: what it then measures is the
# library and the demo. Set SOAK_GLIBC_TUNABLES= (empty) to see the allocator's plateau.
#
# SOAK_RATE is requests per second over SOAK_CLIENTS clients (default 100 over 8). The demo
# runs with SESSIONS_PER_USER=0, so that sign-ins end no session the script did not end.
set -euo pipefail
cd "$(dirname "$0")"
HERE=$(pwd)
ROOT=$(cd ../.. && pwd)
KIND=${1:-sqlite}
OUTAGE_SECONDS=${OUTAGE_SECONDS:-15}
PORT=${SOAK_DEMO_PORT:-3951}
export SOAK_PORT=$PORT
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml" -p demo -p user-sessions-cli \
  --features demo/postgres,user-sessions-cli/postgres
DEMO="$CARGO_TARGET_DIR/release/demo"
CLI="$CARGO_TARGET_DIR/release/user-sessions"

WORK=$(mktemp -d)
DEMO_PID=
PG_CLUSTER=
cleanup() {
  [ -n "$DEMO_PID" ] && kill "$DEMO_PID" 2>/dev/null || true
  if [ -n "$PG_CLUSTER" ]; then
    pg_dropcluster --stop "$PG_VERSION" "$PG_CLUSTER" || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

case "$KIND" in
  sqlite)
    DB="$WORK/soak.sqlite3"
    export DATABASE_URL="sqlite://$DB"
    export RESTART_COMMAND="python3 -c 'import sqlite3,time; c=sqlite3.connect(\"$DB\", isolation_level=None); c.execute(\"BEGIN EXCLUSIVE\"); time.sleep($OUTAGE_SECONDS); c.execute(\"ROLLBACK\")'"
    ;;
  postgres)
    if [ -z "${PG_URL:-}" ]; then
      PG_VERSION=$(ls /etc/postgresql | sort -n | tail -1)
      PG_PORT=${SOAK_PG_PORT:-5499}
      PG_CLUSTER="soak$$"
      pg_createcluster "$PG_VERSION" "$PG_CLUSTER" --port "$PG_PORT" --start -- --auth=trust >/dev/null
      PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
      PG_RESTART="pg_ctlcluster $PG_VERSION $PG_CLUSTER stop && sleep $OUTAGE_SECONDS && pg_ctlcluster $PG_VERSION $PG_CLUSTER start"
    fi
    export DATABASE_URL="$PG_URL"
    export RESTART_COMMAND="${PG_RESTART:?set PG_RESTART with PG_URL}"
    ;;
  *)
    echo "usage: $0 sqlite|postgres" >&2
    exit 2
    ;;
esac

"$CLI" --database-url "$DATABASE_URL" migrate
export PURGE_COMMAND="$CLI --database-url '$DATABASE_URL' clearsessions"
# 503 within two seconds instead of the default five, so the outage shows as 503s, not
# as slow answers.
GLIBC_TUNABLES=${SOAK_GLIBC_TUNABLES-glibc.malloc.mmap_threshold=1048576} \
SESSIONS_PER_USER=0 DATABASE_TIMEOUT_MS=${DATABASE_TIMEOUT_MS:-2000} PORT=$PORT RUST_LOG=warn \
  "$DEMO" >"$WORK/demo.log" 2>&1 &
DEMO_PID=$!
export SOAK_PID=$DEMO_PID
for _ in $(seq 1 100); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/login" && break
  sleep 0.2
done

status=0
python3 "$HERE/soak.py" || status=$?
echo "demo log: $(grep -c ' ERROR ' "$WORK/demo.log" || true) ERROR lines, $(grep -c ' WARN ' "$WORK/demo.log" || true) WARN lines; the last ones:"
grep -E ' (ERROR|WARN) ' "$WORK/demo.log" | tail -5 || true
kill -0 "$DEMO_PID" 2>/dev/null || { echo "the demo exited"; status=1; }
exit $status
