# shellcheck shell=bash
# What the benchmark scripts share: messages, tool checks, psql, and starting and stopping the
# gateway. Sourced by the scripts of bench/ after they set SCRIPT (their name, for
# messages), PG (psql's connection options), DB (their database) and PORT (the gateway's).

die() {
  echo "$SCRIPT: $*" >&2
  exit 1
}

# Each named variable must hold a whole number of 1 or more.
require_counts() {
  local name
  for name in "$@"; do
    [[ ${!name} =~ ^[1-9][0-9]*$ ]] || die "$name must be a whole number of 1 or more, got '${!name}'"
  done
}

# Arguments: command:package pairs; installs with apt-get the packages whose command is missing.
install_missing() {
  local pair missing=() as_root=()
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
  done
  ((${#missing[@]})) || return 0
  echo "installing ${missing[*]}"
  [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  # A fresh machine may have no package lists yet: update only when the first try fails.
  "${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null ||
    { "${as_root[@]}" apt-get update -qq && "${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null; }
}

require_commands() {
  local cmd
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null || die "$cmd is required"
  done
}

# Quiet psql: values only, no notices ("database does not exist, skipping").
export PGOPTIONS="-c client_min_messages=warning"
psql_db() { psql "${PG[@]}" -d "$DB" -v ON_ERROR_STOP=1 -qAtX "$@"; }
psql_admin() { psql "${PG[@]}" -d postgres -v ON_ERROR_STOP=1 -qAtX "$@"; }

# Waits until the database has finished whatever the gateway still had in hand when wrk stopped.
settle() {
  sleep 2
  for _ in $(seq 1 60); do
    [ "$(psql_db -c "select count(*) from pg_stat_activity where datname = '$DB'
        and backend_type = 'client backend' and state <> 'idle' and pid <> pg_backend_pid()")" = 0 ] && return
    sleep 0.5
  done
  die "the database is still busy 30 s after the load stopped"
}

# The value of name=value in a BENCH line of the wrk scripts. Arguments: name, line.
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }

# Counts what a wrk ingest run stored, per request (runs.lua tags every run with its wrk thread and
# request number): prints "stored in_flight partial", the runs stored, those of them that belong to
# requests without an answer, and how many requests are stored only in part.
# Arguments: the requests without an answer (thread:request,... as the BENCH line gives them, or
# -), runs per request, and the project the runs went to (all projects when left out).
stored_runs() {
  local list="{}" where=""
  [ "$1" = "-" ] || list="{$1}"
  [ -z "${3:-}" ] || where="where project_id in (select id from projects where name = '$3')"
  psql_db -F ' ' -c "
    with per_request as (
        select (extra -> 'metadata' ->> 'bench_thread') || ':' || (extra -> 'metadata' ->> 'bench_request') as request,
               count(*) as n
        from runs $where group by 1)
    select coalesce(sum(n), 0), coalesce(sum(n) filter (where request = any('$list'::text[])), 0),
           count(*) filter (where n <> $2)
    from per_request"
}

# A key for the default tenant, which the gateway creates at start; load generators send it as x-api-key.
new_api_key() {
  echo "bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
}

require_free_port() {
  (exec 3<>/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && die "port $PORT is in use: stop whatever listens there first"
  return 0
}

# Packages the gateway (target/quarkus-app) with its class-data sharing archive when the jar or the
# archive is missing or older than the sources, so that a measurement never runs yesterday's code.
build_gateway() {
  local jar=target/quarkus-app/quarkus-run.jar cds=target/quarkus-app/app-cds.jsa
  if [ -f "$jar" ] && [ -f "$cds" ] && [ -z "$(find src pom.xml -newer "$jar" -print -quit)" ]; then
    return 0
  fi
  echo "building $jar with its class-data sharing archive"
  # No formatting check: unformatted work in progress should not stop a measurement.
  ./mvnw -B -q -DskipTests -Dspotless.check.skip -Dquarkus.package.jar.appcds.enabled=true package
}

gateway_pid=""

# Starts the gateway in prod mode against $DB on $PORT in the background and sets gateway_pid.
# The benchmarks measure the gateway's own limits with one key, far over its default request quota:
# quotas are off unless TRACEGQL_QUOTAS_ENABLED is set.
# The database is $DB on 127.0.0.1, port DB_PORT (5432).
# Arguments: log file, API key, directory to run java in, java's arguments. The directory matters for
# an application class-data sharing archive, which only matches the class path it was written for.
launch_gateway() {
  local log=$1 key=$2 dir=$3
  shift 3
  QUARKUS_PROFILE=prod \
    QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:${DB_PORT:-5432}/$DB" \
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:${DB_PORT:-5432}/$DB" \
    QUARKUS_DATASOURCE_USERNAME=postgres \
    QUARKUS_HTTP_PORT=$PORT \
    TRACEGQL_DEFAULT_TENANT_KEY="$key" \
    TRACEGQL_QUOTAS_ENABLED="${TRACEGQL_QUOTAS_ENABLED:-false}" \
    bash -c 'cd "$0" && exec java "$@"' "$dir" "$@" >"$log" 2>&1 &
  gateway_pid=$!
}

# Waits until /q/health/ready answers 200 (polled every 50 ms); dies when the gateway exits or is
# not ready after 120 s. Argument: the gateway's log, shown when it fails.
await_ready() {
  local log=$1 t0
  t0=$(date +%s%N)
  until curl -sf -o /dev/null "http://127.0.0.1:$PORT/q/health/ready"; do
    kill -0 "$gateway_pid" 2>/dev/null || { tail -n 40 "$log" >&2; die "the gateway exited at start"; }
    (($(date +%s%N) - t0 < 120000000000)) || { tail -n 40 "$log" >&2; die "the gateway is not ready after 120 s"; }
    sleep 0.05
  done
}

# Stops the gateway (20 s to shut down, then SIGKILL); nothing when none runs.
stop_gateway() {
  [ -n "$gateway_pid" ] || return 0
  if kill -0 "$gateway_pid" 2>/dev/null; then
    kill "$gateway_pid"
    for _ in $(seq 1 40); do kill -0 "$gateway_pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$gateway_pid" 2>/dev/null || true
  fi
  wait "$gateway_pid" 2>/dev/null || true
  gateway_pid=""
}
