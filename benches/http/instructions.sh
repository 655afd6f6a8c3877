#!/usr/bin/env bash
# Instructions per request, counted by valgrind's callgrind: the same HTTP load as `run.sh`,
# but a count that does not move with the machine's load, so that a change of a few percent
# shows (requests/s on a shared 2-core machine swing by ±20 % between runs).
#
#   benches/http/instructions.sh                         # redis-fred and redis-ours, read and write
#   STORES="pg-sqlx pg-ours" ROUTES=write benches/http/instructions.sh
#   KEEP=1 benches/http/instructions.sh                  # keep the profiles for callgrind_annotate
#
# Each server runs under callgrind with counting off; after a warm-up, counting is switched on
# for DURATION of single-threaded wrk load (4 connections), then the profile is dumped. The
# count covers the whole server process (hyper, tokio, the session stack, the Redis or SQL
# client), divided by the requests served while counting.
#
# Caveats: callgrind runs the code about 50 times slower and emulates a CPU without SHA
# instructions, so SHA-256 (our hashed session ids) counts in software, ~3 500 instructions a
# hash instead of a few hundred. Instruction counts ignore cache misses and system calls: they
# compare CPU work, not time.
set -euo pipefail
cd "$(dirname "$0")"
HERE=$(pwd)
ROOT=$(cd ../.. && pwd)

DURATION=${DURATION:-10s}
SESSIONS=${SESSIONS:-200}
PORT=${PORT:-3937}
STORES=${STORES:-"redis-fred redis-ours"}
ROUTES=${ROUTES:-"read write"}

# shellcheck source=common.sh
. "$HERE/common.sh"
need_tools wrk valgrind
bench_binary

one_server_workspace

count() { # store route -> one result line
  local store=$1 route=$2 db profile="$WORK/$1-$2.callgrind"
  db=$(store_db "$store" "$WORK")
  valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$profile" \
    "$BIN" --store "$store" --db "$db" --port "$PORT" --sessions "$SESSIONS" \
    --cookies "$WORK/$store.cookies" >/dev/null 2>"$WORK/$store-$route.log" &
  SERVER=$!
  wait_for_port "$PORT" 240 # valgrind starts slowly
  local url="http://127.0.0.1:$PORT/$route" cookies="$WORK/$store.cookies" out requests total
  wrk -t 1 -c 4 -d 3s -s "$HERE/cookies.lua" "$url" -- "$cookies" >/dev/null
  callgrind_control --instr=on "$SERVER" >/dev/null 2>&1
  out=$(wrk -t 1 -c 4 -d "$DURATION" -s "$HERE/cookies.lua" "$url" -- "$cookies")
  callgrind_control --instr=off "$SERVER" >/dev/null 2>&1
  callgrind_control --dump "$SERVER" >/dev/null 2>&1
  kill "$SERVER"
  wait "$SERVER" 2>/dev/null || true
  SERVER=
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  # The dump written on request is the file with suffix .1.
  total=$(callgrind_annotate "$profile.1" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
  awk -v s="$store" -v r="$route" -v t="$total" -v n="$requests" \
    'BEGIN { printf "%-10s %-6s %8d requests   %8.0f instructions/request\n", s, r, n, t / n }'
}

echo "$SESSIONS sessions, $DURATION counted per run"
for route in $ROUTES; do
  for store in $STORES; do count "$store" "$route"; done
done
