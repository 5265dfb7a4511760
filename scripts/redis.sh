#!/usr/bin/env bash
# Embedded Redis for this project: the shared cache (request rates, cached sheets and pages) of every process that
# serves the site, as a deployment's REDIS_URL is. Listens on 127.0.0.1 only; its files live under .redisdata/.
#
#   scripts/redis.sh start [run|test]   start it (no-op when it already runs); prints its REDIS_URL
#   scripts/redis.sh stop  [run|test|all]
#   scripts/redis.sh status [run|test]  exit 0 when running
#   scripts/redis.sh url   [run|test]   print its REDIS_URL
#
# "run"  (default) is the instance behind `make run`, port $REDIS_PORT (26379).
# "test" is the test suite's, port $REDIS_TEST_PORT (26380).
# It is a cache: nothing is written to disk (no RDB snapshots, no append-only file), and when full it evicts the
# least recently used keys. REDIS_DATA_ROOT overrides the folder that holds its pid and log files.
set -euo pipefail

PROJECT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DATA_ROOT=${REDIS_DATA_ROOT:-$PROJECT_DIR/.redisdata}

command=${1:-status}
instance=${2:-run}

case "$instance" in
  run) port=${REDIS_PORT:-26379} ;;
  test) port=${REDIS_TEST_PORT:-26380} ;;
  all) port= ;;
  *) echo "redis.sh: unknown instance '$instance' (use run or test)" >&2; exit 2 ;;
esac

say() { echo "redis.sh: $*" >&2; }

ensure_server() {
  command -v redis-server >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "redis-server not found: installing Debian's redis-server package"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
    command -v redis-server >/dev/null 2>&1 && return 0
  fi
  say "redis-server not found. Install it, e.g. 'sudo apt-get install redis-server' on Debian/Ubuntu."
  exit 1
}

url() { echo "redis://127.0.0.1:$port/0"; }

# Is our server answering? A PING over bash's /dev/tcp, so that no client program is needed.
answers() {
  local reply
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'PING\r\n' >&3
  read -r -t 2 reply <&3 || true
  exec 3>&- 3<&-
  [[ "$reply" == +PONG* ]]
}

start() {
  ensure_server
  local dir="$DATA_ROOT/$instance"
  mkdir -p "$dir"
  if ! answers "$port"; then
    # --daemonize: the server outlives this script; stop it with `scripts/redis.sh stop`.
    redis-server --bind 127.0.0.1 --port "$port" --protected-mode yes --daemonize yes \
      --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
      --save "" --appendonly no --maxmemory "${REDIS_MAXMEMORY:-256mb}" --maxmemory-policy allkeys-lru >/dev/null
    for _ in $(seq 50); do
      answers "$port" && break
      sleep 0.1
    done
    answers "$port" || { say "redis-server did not start on port $port (see $dir/redis.log)"; exit 1; }
  fi
  url
}

stop_one() {
  local dir="$DATA_ROOT/$1" pid
  [ -f "$dir/redis.pid" ] || return 0
  pid=$(cat "$dir/redis.pid")
  if kill -0 "$pid" 2>/dev/null && grep -q redis-server "/proc/$pid/cmdline" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
  rm -f "$dir/redis.pid"
}

case "$command" in
  start) start ;;
  stop)
    if [ "$instance" = all ]; then
      stop_one run
      stop_one test
    else
      stop_one "$instance"
    fi
    ;;
  status) answers "$port" ;;
  url) url ;;
  *) echo "redis.sh: unknown command '$command' (use start, stop, status or url)" >&2; exit 2 ;;
esac
