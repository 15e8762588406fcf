# Shared by scripts/bench-*: builds the release binaries, then for SQLite (and PostgreSQL when
# ATENDE_TEST_POSTGRES_URL is set) serves a fresh database with the demo data on $port, runs the
# script's `load <port> <database URL>`, and prints the server's peak resident memory (VmHWM).
# A script sets `port`, defines `load`, then calls `bench_main`.
set -euo pipefail
cd "$(dirname "$0")/.."

bench_run() { # $1 = label, $2 = database URL
  echo "### $1"
  ATENDE_DATABASE_URL="$2" ATENDE_LOG=warn target/release/atende demo >/dev/null
  ATENDE_DATABASE_URL="$2" ATENDE_LISTEN="127.0.0.1:$port" ATENDE_LOG=warn target/release/atende serve >"$work/serve.log" 2>&1 &
  local pid=$!
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
  load "$port" "$2"
  echo "server peak resident memory: $(awk '/VmHWM/ {printf "%.0f MB", $2 / 1024}' "/proc/$pid/status")"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

# Two servers on one PostgreSQL database ($port and $port + 10), the load spread over both.
bench_run_pair() { # $1 = label, $2 = database URL
  echo "### $1"
  ATENDE_DATABASE_URL="$2" ATENDE_LOG=warn target/release/atende demo >/dev/null
  local pids=() second=$((port + 10))
  for p in "$port" "$second"; do
    ATENDE_DATABASE_URL="$2" ATENDE_LISTEN="127.0.0.1:$p" ATENDE_LOG=warn target/release/atende serve >"$work/serve-$p.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 50); do curl -sf "http://127.0.0.1:$p/readyz" >/dev/null && break; sleep 0.2; done
  done
  load "$port,$second" "$2"
  for pid in "${pids[@]}"; do
    echo "server $pid peak resident memory: $(awk '/VmHWM/ {printf "%.0f MB", $2 / 1024}' "/proc/$pid/status")"
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
}

bench_main() {
  cargo build --release -p atende -p atende-load
  work=$(mktemp -d)
  trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
  bench_run "SQLite" "sqlite://$work/bench.db"
  if [ -n "${ATENDE_TEST_POSTGRES_URL:-}" ]; then
    local db="atende_bench_$$"
    psql "$ATENDE_TEST_POSTGRES_URL" -qc "CREATE DATABASE $db" >/dev/null
    bench_run "PostgreSQL" "${ATENDE_TEST_POSTGRES_URL%/*}/$db"
    psql "$ATENDE_TEST_POSTGRES_URL" -qc "DROP DATABASE $db" >/dev/null
    if [ -n "${BENCH_TWO_SERVERS:-}" ]; then
      psql "$ATENDE_TEST_POSTGRES_URL" -qc "CREATE DATABASE $db" >/dev/null
      bench_run_pair "PostgreSQL, two server processes" "${ATENDE_TEST_POSTGRES_URL%/*}/$db"
      psql "$ATENDE_TEST_POSTGRES_URL" -qc "DROP DATABASE $db" >/dev/null
    fi
  else
    echo "### PostgreSQL skipped: set ATENDE_TEST_POSTGRES_URL (scripts/test starts a server and prints it)"
  fi
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB; commit $(git rev-parse --short HEAD); $(date -u +%F)"
}
