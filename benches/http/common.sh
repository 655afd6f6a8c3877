# Shared by run.sh, instructions.sh and profile.sh (sourced, not run): the tools they install,
# the benchmark app they build, the working directory of a one-server run, the database each
# store's server uses, and the wait for a server to answer. Expects HERE (this folder) and ROOT
# (the repository) to be set.

# Installs those of the named tools that are missing, with apt.
need_tools() {
  local sudo= tool
  if [ "$(id -u)" != 0 ]; then sudo=sudo; fi
  for tool in "$@"; do
    if ! command -v "$tool" >/dev/null; then
      echo "installing $tool"
      $sudo apt-get update -qq && $sudo apt-get install -y -qq "$tool" >/dev/null
    fi
  done
}

# Sets BIN to the benchmark app, built in release mode; BIN=path/to/http-bench measures another
# build (an earlier commit's, say) as it is.
bench_binary() {
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
  if [ -z "${BIN:-}" ]; then
    cargo build --release --quiet --manifest-path "$HERE/Cargo.toml"
    BIN="$CARGO_TARGET_DIR/release/http-bench"
  fi
}

# For a run with one server at a time: makes WORK, a temporary directory, and on exit stops
# the server whose pid is in SERVER (when set) and removes WORK — or, with KEEP=1, says where
# it is kept (profiles, logs).
one_server_workspace() {
  WORK=$(mktemp -d)
  SERVER=
  trap 'stop_one_server' EXIT
}

stop_one_server() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  if [ -z "${KEEP:-}" ]; then rm -rf "$WORK"; else echo "kept in $WORK"; fi
}

# store_db STORE DIR: the database the server of STORE uses — a server's URL, or a SQLite file
# in DIR. Each Redis store has a database number of its own (flushed when its server starts);
# on a cluster, a key prefix of its own.
store_db() {
  local db
  case $1 in
    pg-*) echo "${PG_URL:-postgres://postgres@127.0.0.1:5432/test}" ;;
    redis-fred) echo "${REDIS_URL:-redis://127.0.0.1:6379}/9" ;;
    redis-ours) echo "${REDIS_URL:-redis://127.0.0.1:6379}/10" ;;
    redis-cluster-ours)
      db=${REDIS_CLUSTER_URL:-redis-cluster://127.0.0.1:7001?node=127.0.0.1:7002&node=127.0.0.1:7003}
      case $db in *\?*) echo "$db&key_prefix=http-bench" ;; *) echo "$db?key_prefix=http-bench" ;; esac ;;
    *) echo "$2/$1.db" ;;
  esac
}

# wait_for_port PORT [SECONDS]: returns once something accepts connections on 127.0.0.1:PORT,
# fails after SECONDS (default 60).
wait_for_port() {
  local tries=$((${2:-60} * 10))
  for _ in $(seq 1 "$tries"); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "nothing answers on port $1" >&2
  return 1
}
