#!/usr/bin/env bash
# PostgreSQL at scale: seeds N sessions (10 million by default) with one SQL statement into a
# schema of its own, migrated by the `user-sessions` CLI, then measures with pgbench the
# statements the backend runs per request, and times a purge of one day's expired sessions with
# the CLI's `clearsessions` (the library's purge path).
#
#   benches/scale/postgres.sh                                  # plain layout, 10 M sessions
#   LAYOUT=partitioned benches/scale/postgres.sh               # the partitioned layout
#   SESSIONS=1000000 DURATION=10 CLIENTS=4 benches/scale/postgres.sh
#   KEEP=1 benches/scale/postgres.sh                           # keep the schema afterwards
#   SCHEMA=us_scale_mine benches/scale/postgres.sh             # another schema (default us_scale_<layout>)
#   STEPS=seed KEEP=1 …; STEPS="measure purge" …               # seed now, measure later
#
# Needs psql, pgbench and the CLI (USER_SESSIONS_CLI, default: `cargo run --release` of
# user-sessions-cli with the postgres feature). PG_URL defaults to TEST_POSTGRES_URL. Do not
# edit this file while it runs: bash reads it as it goes.
#
# The data: SESSIONS sessions of SESSIONS/5 users (5 each), ids SHA-256 of their number,
# 256 bytes of data, last activity spread over the past 14 days. One in fifteen expired during
# yesterday (UTC), spread evenly over that day: that is the day's purge, as a purge task run
# after midnight meets it. The others expire evenly over the next 14 days. On the partitioned
# layout the partitions start at yesterday, as the purge task would have left them.
# Reported: seeding time, table and index sizes, EXPLAIN of each statement, pgbench
# statements/s and mean latency per statement, the purge's wall time.
set -euo pipefail
cd "$(dirname "$0")"

PG_URL="${PG_URL:-${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}}"
LAYOUT="${LAYOUT:-plain}"
SESSIONS="${SESSIONS:-10000000}"
USERS=$(( SESSIONS / 5 ))
DURATION="${DURATION:-15}"
CLIENTS="${CLIENTS:-4}"
SCHEMA="${SCHEMA:-us_scale_${LAYOUT}}"
CLI="${USER_SESSIONS_CLI:-cargo run -q --release -p user-sessions-cli --features postgres --}"

case "$LAYOUT" in
  plain) LAYOUT_PARAM="" ;;
  partitioned) LAYOUT_PARAM="&layout=partitioned" ;;
  *) echo "LAYOUT is plain or partitioned" >&2; exit 2 ;;
esac

separator='?'; [[ "$PG_URL" == *\?* ]] && separator='&'
STORE_URL="${PG_URL}${separator}options=-c%20search_path%3D${SCHEMA}${LAYOUT_PARAM}"
psql_schema() { PGOPTIONS="-c search_path=${SCHEMA}" psql -X -q -v ON_ERROR_STOP=1 "$PG_URL" "$@"; }

cleanup() {
  if [[ -z "${KEEP:-}" ]]; then
    psql -X -q "$PG_URL" -c "SET client_min_messages = warning" -c "DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE" || true
  fi
  rm -rf "$work"
}
work=$(mktemp -d)
trap cleanup EXIT

STEPS="${STEPS:-seed measure purge}"
step() { [[ " $STEPS " == *" $1 "* ]]; }

echo "== ${LAYOUT} layout, ${SESSIONS} sessions of ${USERS} users, schema ${SCHEMA}"
if step seed; then
psql -X -q -v ON_ERROR_STOP=1 "$PG_URL" -c "SET client_min_messages = warning" -c "DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE" -c "CREATE SCHEMA ${SCHEMA}"
$CLI migrate --database-url "$STORE_URL"
if [[ "$LAYOUT" == partitioned ]]; then
  psql_schema -At -c "SELECT 'partitions from yesterday, dropped: ' || user_sessions_partitions(now() - interval '1 day')"
fi

echo "== seeding"
start=$(date +%s.%N)
psql_schema <<SQL
INSERT INTO user_sessions (id, user_id, ip, user_agent, client_hints, data, created_at,
                           last_activity, expires_at, authenticated_at, expiry_mark)
SELECT sha256(int8send(g)),
       'user-' || (g % ${USERS}),
       '10.' || (g >> 16 & 255) || '.' || (g >> 8 & 255) || '.' || (g & 255),
       'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
       NULL,
       decode(repeat('7b2264617461223a22', 28) || '227d7d7d7d', 'hex'),
       t.activity - interval '1 day',
       t.activity,
       t.expiry,
       t.activity - interval '1 day',
       t.expiry
FROM generate_series(1::bigint, ${SESSIONS}) AS g,
     LATERAL (SELECT ((g * 104729) % ${SESSIONS})::float8 / ${SESSIONS} AS spread) AS r,
     LATERAL (SELECT now() - interval '14 days' * ((g * 7919) % ${SESSIONS})::float8 / ${SESSIONS}
                     AS activity,
                     CASE WHEN g % 15 = 0
                          THEN date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
                               - interval '1 day' * r.spread
                          ELSE now() + interval '1 minute' + interval '14 days' * r.spread
                     END AS expiry) AS t;
VACUUM ANALYZE user_sessions;
SQL
end=$(date +%s.%N)
printf 'seeded in %.1f s\n' "$(echo "$end - $start" | bc)"
fi
psql_schema -At -c "SELECT 'rows ' || count(*) FROM user_sessions" \
  -c "SELECT 'expired ' || count(*) FROM user_sessions WHERE expires_at <= now()" \
  -c "SELECT 'table + indexes ' || pg_size_pretty(sum(pg_total_relation_size(c.oid))) || ', indexes ' || pg_size_pretty(sum(pg_indexes_size(c.oid)))
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = '${SCHEMA}' AND c.relkind = 'r' AND c.relname LIKE 'user_sessions%' AND c.relname <> 'user_sessions_migrations'"

# The statements as the backend sends them (crates/user-sessions/src/sql.rs renders them).
cat > "$work/load.sql" <<SQL
\set n random(1, ${SESSIONS})
SELECT id, user_id, ip, user_agent, client_hints, created_at, last_activity, expires_at, authenticated_at, data FROM user_sessions WHERE id = sha256(int8send(:n::bigint));
SQL
cat > "$work/save.sql" <<SQL
\set n random(1, ${SESSIONS})
UPDATE user_sessions SET data = decode(repeat('7b2264617461223a22', 28) || '227d7d7d7e', 'hex'), expires_at = expires_at + interval '1 second', expiry_mark = CASE WHEN expires_at + interval '1 second' < expiry_mark OR expires_at + interval '1 second' > expiry_mark + INTERVAL '60 seconds' THEN expires_at + interval '1 second' ELSE expiry_mark END WHERE id = sha256(int8send(:n::bigint));
SQL
# A new session (an id no seeded session has): the plain layout's insert, or the partitioned
# layout's function that locks the id first.
values="sha256(int8send(:n::bigint)), 'user-new', '10.9.9.9', 'Mozilla/5.0', NULL, '\\x7b7d'::bytea, now(), now(), now() + interval '14 days', NULL"
if [[ "$LAYOUT" == partitioned ]]; then
  create="SELECT user_sessions_create(${values}, now());"
else
  create="INSERT INTO user_sessions (id, user_id, ip, user_agent, client_hints, data, created_at, last_activity, expires_at, authenticated_at, expiry_mark) VALUES (${values}, now() + interval '14 days') ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, ip = excluded.ip, user_agent = excluded.user_agent, client_hints = excluded.client_hints, data = excluded.data, created_at = excluded.created_at, last_activity = excluded.last_activity, expires_at = excluded.expires_at, authenticated_at = excluded.authenticated_at, expiry_mark = excluded.expiry_mark WHERE user_sessions.expires_at <= now();"
fi
cat > "$work/create.sql" <<SQL
\set n random(${SESSIONS} + 1, ${SESSIONS} * 100)
${create}
SQL
cat > "$work/user.sql" <<SQL
\set u random(0, ${USERS} - 1)
SELECT id, user_id, ip, user_agent, client_hints, created_at, last_activity, expires_at, authenticated_at FROM user_sessions WHERE user_id = 'user-' || :u AND expires_at > now() ORDER BY last_activity DESC, id DESC;
SQL

if step measure; then
echo "== plans"
psql_schema -c "EXPLAIN SELECT * FROM user_sessions WHERE id = sha256(int8send(42::bigint))" \
  -c "EXPLAIN SELECT * FROM user_sessions WHERE user_id = 'user-42' AND expires_at > now() ORDER BY last_activity DESC, id DESC" \
  -c "EXPLAIN DELETE FROM user_sessions WHERE user_id = 'user-42' AND id <> '\\x00'::bytea" \
  -c "EXPLAIN SELECT * FROM user_sessions WHERE expiry_mark > now() - interval '1 minute' AND expires_at > now() ORDER BY last_activity DESC, id DESC LIMIT 51"

echo "== pgbench (${CLIENTS} clients, ${DURATION} s each)"
for statement in load save user create; do
  result=$(PGOPTIONS="-c search_path=${SCHEMA}" pgbench -n -c "$CLIENTS" -j "$CLIENTS" -T "$DURATION" -M prepared \
    -f "$work/$statement.sql" "$PG_URL" 2>&1)
  tps=$(echo "$result" | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
  latency=$(echo "$result" | sed -n 's/^latency average = \(.*\)$/\1/p')
  echo "${statement}: ${tps} statements/s, mean latency ${latency}"
done

fi

if step purge; then
echo "== purge of one day's expired sessions (user-sessions clearsessions)"
start=$(date +%s.%N)
$CLI clearsessions --database-url "$STORE_URL"
end=$(date +%s.%N)
printf 'purged in %.1f s\n' "$(echo "$end - $start" | bc)"
psql_schema -At -c "SELECT 'left ' || count(*) FROM user_sessions"
fi
