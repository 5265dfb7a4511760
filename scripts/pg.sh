#!/usr/bin/env bash
# Embedded PostgreSQL for this project: a cluster under .pgdata/ that listens on 127.0.0.1 only.
#
#   scripts/pg.sh start [run|test]   start the cluster (no-op when it already runs); prints the app's DATABASE_URL
#   scripts/pg.sh stop  [run|test|all]
#   scripts/pg.sh status [run|test]  exit 0 when running
#   scripts/pg.sh url   [run|test] [app|owner]   print the DATABASE_URL of the app role (default) or the owner role
#
# Two roles, as a production deployment should have them (README, "Database roles"):
#   configurator_owner  owns the database and its tables; migrations (and the test suite, which creates its own
#                       test database) connect as it.
#   configurator        the application: reads and writes rows, owns nothing, is no superuser. It cannot disable
#                       a trigger, change a table, or rewrite or delete an issued configuration.
# The cluster's superuser is "postgres", used by this script only.
#
# "run"  (default) is the durable cluster behind `make run` (fsync on), port $PG_PORT (25432).
# "test" is a throwaway cluster for the test suite (fsync off), port $PG_TEST_PORT (25433).
# The ports are below Linux's ephemeral range (32768-60999), so an outgoing connection never holds them.
#
# initdb and postgres refuse to run as root: as root the server runs as the `postgres` system user. When
# that user cannot reach the project folder, the data goes to /tmp/configurator-pg-<hash>/ instead.
# PG_DATA_ROOT overrides the folder that holds the clusters (default: .pgdata/ in the project).
set -euo pipefail

PROJECT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
APP_ROLE=configurator
OWNER_ROLE=configurator_owner
ADMIN_ROLE=postgres
DB_NAME=configurator

command=${1:-status}
instance=${2:-run}

case "$instance" in
  run) port=${PG_PORT:-25432} ;;
  test) port=${PG_TEST_PORT:-25433} ;;
  all) port= ;;
  *) echo "pg.sh: unknown instance '$instance' (use run or test)" >&2; exit 2 ;;
esac

say() { echo "pg.sh: $*" >&2; }

is_root() { [ "$(id -u)" = 0 ]; }

# Run a server-side command as the user that owns the cluster.
as_owner() {
  if is_root; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

find_bindir() {
  if [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/initdb" ]; then
    echo "$PG_BIN"; return 0
  fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
    echo "$dir"; return 0
  fi
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"; return 0
  fi
  return 1
}

ensure_server_binaries() {
  if BIN=$(find_bindir); then
    return 0
  fi
  if is_root && command -v apt-get >/dev/null 2>&1; then
    say "PostgreSQL server binaries not found: installing Debian's postgresql package"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    BIN=$(find_bindir) && return 0
  fi
  say "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found."
  say "Install them, e.g. 'sudo apt-get install postgresql' on Debian/Ubuntu,"
  say "or point PG_BIN at the folder that holds initdb and pg_ctl."
  exit 1
}

ensure_postgres_user() {
  if is_root && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
}

# Where the cluster of this instance lives. Deterministic, so every call finds the same folder.
data_dir() {
  local inst=$1 base="${PG_DATA_ROOT:-$PROJECT_DIR/.pgdata}"
  if is_root; then
    mkdir -p "$base" && chmod 755 "$base"
    if ! runuser -u postgres -- test -x "$base" 2>/dev/null; then
      local hash
      hash=$(printf '%s' "$base" | sha1sum | cut -c1-12)
      base="/tmp/configurator-pg-$hash"
      mkdir -p "$base" && chmod 755 "$base"
    fi
  else
    mkdir -p "$base"
  fi
  echo "$base/$inst"
}

port_of() { if [ "$1" = test ]; then echo "${PG_TEST_PORT:-25433}"; else echo "${PG_PORT:-25432}"; fi; }

url_of() {
  local role=$APP_ROLE
  if [ "${2:-app}" = owner ]; then role=$OWNER_ROLE; fi
  echo "postgres://$role@127.0.0.1:$(port_of "$1")/$DB_NAME"
}

is_running() {
  local dir=$1
  [ -f "$dir/PG_VERSION" ] || return 1
  as_owner "$BIN/pg_ctl" -D "$dir" status >/dev/null 2>&1
}

init_cluster() {
  local inst=$1 dir=$2
  say "creating the $inst cluster in $dir"
  mkdir -p "$dir"
  if is_root; then chown postgres: "$dir"; fi
  chmod 700 "$dir"
  as_owner "$BIN/initdb" -D "$dir" -U "$ADMIN_ROLE" --auth=trust --encoding=UTF8 --locale=C >/dev/null
  {
    echo "# written by scripts/pg.sh"
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $(port_of "$inst")"
    echo "unix_socket_directories = ''"
    echo "max_connections = 100"
    echo "shared_buffers = 128MB"
    echo "logging_collector = off"
    echo "# roles: owner and app (see scripts/pg.sh)"
    if [ "$inst" = test ]; then
      echo "# throwaway cluster for the test suite: speed over durability"
      echo "fsync = off"
      echo "synchronous_commit = off"
      echo "full_page_writes = off"
    fi
  } | as_owner tee -a "$dir/postgresql.conf" >/dev/null
}

# The cluster's superuser answers; a cluster made before the two roles existed (its superuser was the app's
# role) is moved aside, not deleted, and a new one is made.
has_admin_role() {
  "$PSQL" -h 127.0.0.1 -p "$(port_of "$1")" -U "$ADMIN_ROLE" -d postgres -tAc "SELECT 1" >/dev/null 2>&1
}

sql() {  # sql INSTANCE DATABASE STATEMENTS: run as the cluster's superuser
  "$PSQL" -h 127.0.0.1 -p "$(port_of "$1")" -U "$ADMIN_ROLE" -d "$2" -v ON_ERROR_STOP=1 -qc "$3" >/dev/null
}

# The roles, the database and the app role's rights. Idempotent: every start runs it.
ensure_roles() {
  local inst=$1 grants
  sql "$inst" postgres "
    DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$OWNER_ROLE') THEN CREATE ROLE $OWNER_ROLE LOGIN CREATEDB; END IF;
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$APP_ROLE') THEN CREATE ROLE $APP_ROLE LOGIN; END IF;
    END \$\$;
    ALTER ROLE $APP_ROLE NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;"
  # Tables the owner creates are readable and writable by the app, in this database and in every database made
  # from template1 afterwards (the test suite's); no TRUNCATE, no ownership.
  grants="
    ALTER DEFAULT PRIVILEGES FOR ROLE $OWNER_ROLE IN SCHEMA public
      GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO $APP_ROLE;
    ALTER DEFAULT PRIVILEGES FOR ROLE $OWNER_ROLE IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO $APP_ROLE;"
  sql "$inst" template1 "$grants"
  local exists
  exists=$("$PSQL" -h 127.0.0.1 -p "$(port_of "$inst")" -U "$ADMIN_ROLE" -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")
  if [ "$exists" != 1 ]; then
    sql "$inst" postgres "CREATE DATABASE $DB_NAME OWNER $OWNER_ROLE"
    say "created database $DB_NAME"
  fi
  sql "$inst" "$DB_NAME" "$grants"
}

start() {
  local inst=$1 dir
  ensure_server_binaries
  ensure_postgres_user
  PSQL="$BIN/psql"
  [ -x "$PSQL" ] || PSQL=psql
  dir=$(data_dir "$inst")
  if is_running "$dir" && ! has_admin_role "$inst"; then
    as_owner "$BIN/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
  fi
  if [ -f "$dir/PG_VERSION" ] && ! is_running "$dir" && ! grep -q "^# roles: owner and app" "$dir/postgresql.conf"; then
    local aside
    aside="$dir.before-roles-$(date +%Y%m%d%H%M%S)"
    mv "$dir" "$aside"
    say "the $inst cluster predates the owner and app roles: moved it to $aside and making a new one"
  fi
  if is_running "$dir"; then
    say "the $inst cluster already runs (port $(port_of "$inst"))"
  else
    [ -f "$dir/PG_VERSION" ] || init_cluster "$inst" "$dir"
    if ! as_owner "$BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -o "-p $(port_of "$inst")" -w -t 60 start >/dev/null; then
      say "the $inst cluster did not start; the end of its log ($dir/server.log):"
      tail -n 20 "$dir/server.log" >&2 || true
      if grep -q "Address already in use" "$dir/server.log" 2>/dev/null; then
        say "port $(port_of "$inst") is taken (another checkout's cluster?): stop it, or choose another port with"
        say "PG_PORT=... (run) or PG_TEST_PORT=... (test)"
      fi
      exit 1
    fi
    say "started the $inst cluster on 127.0.0.1:$(port_of "$inst")"
  fi
  ensure_roles "$inst"
  url_of "$inst"
}

stop() {
  local inst=$1 dir
  BIN=$(find_bindir) || { say "no PostgreSQL binaries: nothing to stop"; return 0; }
  dir=$(data_dir "$inst")
  if is_running "$dir"; then
    as_owner "$BIN/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
    say "stopped the $inst cluster"
  else
    say "the $inst cluster is not running"
  fi
}

case "$command" in
  start)
    [ "$instance" != all ] || { say "start takes run or test"; exit 2; }
    start "$instance" ;;
  stop)
    if [ "$instance" = all ]; then stop run; stop test; else stop "$instance"; fi ;;
  status)
    BIN=$(find_bindir) || { say "no PostgreSQL binaries"; exit 1; }
    dir=$(data_dir "$instance")
    if is_running "$dir"; then say "the $instance cluster runs on 127.0.0.1:$port ($dir)"; else say "the $instance cluster is not running"; exit 1; fi ;;
  url)
    url_of "$instance" "${3:-app}" ;;
  *)
    echo "usage: scripts/pg.sh start|stop|status|url [run|test|all]" >&2; exit 2 ;;
esac
