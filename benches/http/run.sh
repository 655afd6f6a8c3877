#!/usr/bin/env bash
# HTTP throughput, side by side on one machine: the same axum + axum-login app on SQLite with
# user-sessions-axum's store ("ours") and with tower-sessions-sqlx-store's SqliteStore ("sqlx").
# Both servers seed the same number of signed-in sessions and run at once (each on its own
# SQLite file, WAL, synchronous=NORMAL); wrk then alternates between them, route by route and
# round by round, so that a change in the machine's load hits both alike. Routes: a read-only
# authenticated request, a writing one (a counter in the session), a route behind the session
# layer that never touches the session ("untouched": an asset or health check that gets the
# cookie), and a route outside the session layers ("ceiling", not run by default). Requests
# are spread over the sessions' cookies.
#
#   benches/http/run.sh                                  # 1 000 sessions, 32 connections
#   ROUNDS=3 DURATION=20s CONNECTIONS=64 benches/http/run.sh
#   STORES="pg-sqlx pg-ours" PG_URL=postgres://postgres@127.0.0.1:5432/test benches/http/run.sh
#   STORES="redis-fred redis-ours" REDIS_URL=redis://127.0.0.1:6379 benches/http/run.sh
#   FRED_CONNECTIONS=1 STORES="redis-fred redis-ours" benches/http/run.sh   # their pool size (default 4)
#   STORES="redis-ours redis-cluster-ours" REDIS_CLUSTER_URL='redis-cluster://127.0.0.1:7001?node=127.0.0.1:7002&node=127.0.0.1:7003' \
#     benches/http/run.sh                                # ours on one server and on a cluster
#   STORES="ours ours-events" ROUTES="read write" benches/http/run.sh      # what a subscriber to the events costs
#   STORES="sqlx ours-no-read-cache ours" benches/http/run.sh    # what SQLite's exact read cache gains
#   STORES="sqlx sqlx-moka ours ours-cached" benches/http/run.sh   # both sides with their in-process caches
#
# Each Redis store gets a database number of its own (redis-fred 9, redis-ours 10), flushed when
# its server starts; on a cluster (redis-cluster-ours) a key prefix of its own, `http-bench`,
# whose keys are deleted when its server starts. Before and after the runs every server must answer `/read` for a seeded
# cookie with a user id: a benchmark of anonymous requests would measure nothing.
#
# Reported per run: requests/s, p99 latency, the server's CPU time per request (user + system,
# from /proc), which is steadier than requests/s on a busy machine, and wrk's own: the load
# generator shares the cores, so the requests/s of two servers differ by less than their CPU.
# Every round runs the stores in turn, in the opposite order each round. The summary gives,
# per route, each store's best round and, for each pair of stores compared, the median of the
# rounds' ratios: on a shared machine one round can be off by 20 %, so with many short rounds
# (ROUNDS=10 DURATION=3s) the median is the figure to quote.
set -euo pipefail
cd "$(dirname "$0")"
HERE=$(pwd)
ROOT=$(cd ../.. && pwd)

DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
ROUNDS=${ROUNDS:-2}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
SESSIONS=${SESSIONS:-1000}
PORT=${PORT:-3917}
STORES=${STORES:-"sqlx ours"}
ROUTES=${ROUTES:-"read write untouched"}
# Pairs theirs:ours compared in the summary (those whose both stores ran).
PAIRS=${PAIRS:-"sqlx:ours pg-sqlx:pg-ours redis-fred:redis-ours ours:ours-events ours-no-read-cache:ours sqlx:ours-cached \
  pg-sqlx:pg-ours-cached sqlx-moka:ours-cached pg-sqlx-moka:pg-ours-cached"}

# shellcheck source=common.sh
. "$HERE/common.sh"
need_tools wrk
bench_binary

WORK=$(mktemp -d)
declare -A PID PORTS BEST CPU RPS
cleanup() {
  for pid in "${PID[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

port=$PORT
for store in $STORES; do
  db=$(store_db "$store" "$WORK")
  "$BIN" --store "$store" --db "$db" --port "$port" --sessions "$SESSIONS" \
    --cookies "$WORK/$store.cookies" &
  PID[$store]=$!
  PORTS[$store]=$port
  wait_for_port "$port"
  port=$((port + 1))
done

# Every server must know its seeded sessions: `/read` answers the signed-in user's id.
check_signed_in() {
  local store answer cookie
  for store in $STORES; do
    cookie=$(head -n 1 "$WORK/$store.cookies")
    answer=$(curl -s -H "Cookie: id=$cookie" "http://127.0.0.1:${PORTS[$store]}/read")
    if ! [[ $answer =~ ^[0-9]+$ ]]; then
      echo "$store: a seeded session reads as \"$answer\", not as its user: benchmark void" >&2
      exit 1
    fi
  done
}
check_signed_in

CLK_TCK=$(getconf CLK_TCK)
# utime + stime of a server process, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

bench() { # store route -> one result line
  local store=$1 route=$2
  local url="http://127.0.0.1:${PORTS[$store]}/$route" cookies="$WORK/$store.cookies"
  wrk -t "$THREADS" -c "$CONNECTIONS" -d "$WARMUP" -s "$HERE/cookies.lua" "$url" -- "$cookies" >/dev/null
  local before after out rps p99 requests cpu_us wrk_us errors TIMEFORMAT='%U %S'
  before=$(cpu_ticks "${PID[$store]}")
  { time wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency -s "$HERE/cookies.lua" "$url" -- "$cookies" \
    >"$WORK/wrk.out"; } 2>"$WORK/wrk.time"
  after=$(cpu_ticks "${PID[$store]}")
  out=$(<"$WORK/wrk.out")
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  cpu_us=$(awk -v t=$((after - before)) -v hz="$CLK_TCK" -v n="$requests" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')
  wrk_us=$(awk -v n="$requests" '{ printf "%.1f", ($1 + $2) * 1e6 / n }' "$WORK/wrk.time")
  errors=$(grep -E "Non-2xx|Socket errors" <<<"$out" | tr '\n' ' ' || true)
  printf '%-10s %-10s %10s req/s   p99 %-9s server CPU %6s µs/req   wrk %5s µs/req %s\n' \
    "$store" "$route" "$rps" "$p99" "$cpu_us" "$wrk_us" "$errors"
  RPS[$store/$route]="${RPS[$store/$route]:-} $rps"
  if awk -v a="$rps" -v b="${BEST[$store/$route]:-0}" 'BEGIN { exit !(a > b) }'; then
    BEST[$store/$route]=$rps
    CPU[$store/$route]=$cpu_us
  fi
}

echo "$SESSIONS sessions, $CONNECTIONS connections, $THREADS wrk threads, $DURATION per run, $ROUNDS rounds"
REVERSED=$(tr ' ' '\n' <<<"$STORES" | grep . | tac | tr '\n' ' ')
for round in $(seq 1 "$ROUNDS"); do
  echo "-- round $round"
  order=$STORES
  if ((round % 2 == 0)); then order=$REVERSED; fi
  for route in $ROUTES; do
    for store in $order; do bench "$store" "$route"; done
  done
done

check_signed_in
echo "-- best round"
for route in $ROUTES; do
  for store in $STORES; do
    printf '%-10s %-10s %10s req/s   server CPU %6s µs/req\n' "$store" "$route" "${BEST[$store/$route]}" "${CPU[$store/$route]}"
  done
  for pair in $PAIRS; do
    theirs=${pair%%:*} ours=${pair##*:}
    if [[ -n "${BEST[$theirs/$route]:-}" && -n "${BEST[$ours/$route]:-}" ]]; then
      awk -v r="$route" -v a="${BEST[$ours/$route]}" -v b="${BEST[$theirs/$route]}" -v o="$ours" -v t="$theirs" \
        'BEGIN { printf "%-10s %s / %s = %.2fx (best rounds)\n", r, o, t, a / b }'
      # The round-by-round ratios, then their median.
      paste -d ' ' <(tr ' ' '\n' <<<"${RPS[$ours/$route]}" | grep .) \
        <(tr ' ' '\n' <<<"${RPS[$theirs/$route]}" | grep .) |
        awk '{ printf "%.3f\n", $1 / $2 }' | sort -n |
        awk -v r="$route" -v o="$ours" -v t="$theirs" '
          { ratio[NR] = $1; list = list sprintf(" %.2f", $1) }
          END {
            median = NR % 2 ? ratio[(NR + 1) / 2] : (ratio[NR / 2] + ratio[NR / 2 + 1]) / 2
            printf "%-10s %s / %s = %.2fx (median of %d rounds:%s)\n", r, o, t, median, NR, list
          }'
    fi
  done
done
