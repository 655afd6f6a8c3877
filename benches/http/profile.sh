#!/usr/bin/env bash
# Where a server's CPU time goes under the HTTP load of `run.sh`, sampled by `perf` with call
# graphs: the share of the server's CPU spent in (and below) each function. Unlike
# `instructions.sh`, this counts real time: system calls, lock waits, cache misses, SHA
# instructions as the CPU runs them.
#
#   benches/http/profile.sh                              # ours on SQLite, the read route
#   STORE=pg-ours ROUTE=read benches/http/profile.sh     # PG_URL, as in run.sh
#   MATCH='sqlite3_step|unixShmLock|fcntl|futex' benches/http/profile.sh   # only these rows
#   SYSCALLS=1 benches/http/profile.sh                   # then the system calls per request (strace)
#   KEEP=1 benches/http/profile.sh                       # keep perf.data for perf report
#
# Prints the requests/s of the sampled run, then the functions that take at least 0.5 % of the
# server's CPU, children included (perf's "Children" column), most first: by default those of the
# session stack, SQLite and sqlx, JSON and the system calls (MATCH='.' for every one). (strace
# slows the server down several times over: it counts calls, it does not time them.)
set -euo pipefail
cd "$(dirname "$0")"
HERE=$(pwd)
ROOT=$(cd ../.. && pwd)

STORE=${STORE:-ours}
ROUTE=${ROUTE:-read}
DURATION=${DURATION:-5}
SESSIONS=${SESSIONS:-1000}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-3957}
MATCH=${MATCH:-'user_sessions|tower_sessions|axum_login|rusqlite|sqlite3_step|unixShmLock|sqlx_core|sqlx_postgres|serde_json|fcntl|futex|writev|sendto|recv'}
# Frames of generic wrappers (futures polling futures) that would crowd the list.
EXCLUDE=${EXCLUDE:-'\] ((poll|call|scope_inner|sync_scope|try_poll|poll_next|with_mut|catch_unwind|do_call|call_once)[<{]|\{(async_block|async_fn|closure)#)'}
ROWS=${ROWS:-40}

# shellcheck source=common.sh
. "$HERE/common.sh"
need_tools wrk perf
if [ -n "${SYSCALLS:-}" ]; then need_tools strace; fi
bench_binary

one_server_workspace

"$BIN" --store "$STORE" --db "$(store_db "$STORE" "$WORK")" --port "$PORT" --sessions "$SESSIONS" \
  --cookies "$WORK/cookies" >/dev/null 2>"$WORK/server.log" &
SERVER=$!
wait_for_port "$PORT"

load() { # seconds -> wrk's output
  wrk -t 2 -c "$CONNECTIONS" -d "${1}s" -s "$HERE/cookies.lua" \
    "http://127.0.0.1:$PORT/$ROUTE" -- "$WORK/cookies"
}

load 2 >/dev/null
perf record -F 499 --call-graph dwarf,16384 -p "$SERVER" -o "$WORK/perf.data" \
  -- sleep "$DURATION" >/dev/null 2>&1 &
RECORDER=$!
sleep 0.2
load "$DURATION" | awk -v s="$STORE" -v r="$ROUTE" '/^Requests\/sec/ { print s, r, $2, "requests/s while sampled" }'
wait "$RECORDER" || true
echo "share of the server's CPU, children included:"
perf report -i "$WORK/perf.data" --children --sort sym -g none --percent-limit 0.5 2>/dev/null |
  grep -E '^ +[0-9]' | grep -E -- "$MATCH" | grep -Ev -- "$EXCLUDE" | head -n "$ROWS" |
  cut -c1-160 || true

if [ -n "${SYSCALLS:-}" ]; then
  strace -c -f -p "$SERVER" -o "$WORK/strace.txt" >/dev/null 2>&1 &
  TRACER=$!
  sleep 0.5
  requests=$(load "$DURATION" | awk '/requests in/ {print $1}')
  kill -INT "$TRACER" 2>/dev/null || true
  wait "$TRACER" 2>/dev/null || true
  echo "system calls per request ($requests requests, under strace):"
  awk -v n="$requests" '$NF ~ /^[a-z_0-9]+$/ && $4 ~ /^[0-9]+$/ && $NF != "total" {
      printf "  %-14s %6.2f\n", $NF, $4 / n }' "$WORK/strace.txt" | sort -k2 -rn | head -8
fi
