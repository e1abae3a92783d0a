#!/usr/bin/env bash
# Read replica benchmark: req/s and latency of Q1 (a project page) and Q2 (a trace tree) with every
# read on the primary, then with a streaming replica answering them (TRACEGQL_READ_DATASOURCE_URL),
# both servers on this machine. Not part of ./mvnw verify; see bench/README.md.
#
#   bash bench/replica.sh                               # SCALE=1 (200,000 runs), 15 s per measurement, 4 connections
#   TRACES=2000 DURATION=5 WARMUP=2 bash bench/replica.sh   # a smoke run of the script itself
#
# It makes a primary and its replica of its own with initdb and pg_basebackup (PG_BIN, default
# /usr/lib/postgresql/15/bin; as root they run as the user postgres) on PRIMARY_PORT and
# REPLICA_PORT (55432, 55433), loads the data set of queries.sh into the primary, copies it to the
# replica, and removes both when it ends. The shared server on 5432 is not touched.
# Other settings: SEED (42), CONNECTIONS (4), JAVA_OPTS (-Xmx128m -XX:+UseSerialGC), NOTE (a line for
# the results file). Needs psql, curl and Java 17; installs wrk and jq when missing.
# Writes bench/RESULTS-replica.md.
set -euo pipefail

cd "$(dirname "$0")/.."

DURATION=${DURATION:-15}
WARMUP=${WARMUP:-5}
CONNECTIONS=${CONNECTIONS:-4}
SCALE=${SCALE:-1}
SEED=${SEED:-42}
JAVA_OPTS=${JAVA_OPTS:--Xmx128m -XX:+UseSerialGC}
NOTE=${NOTE:-}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PRIMARY_PORT=${PRIMARY_PORT:-55432}
REPLICA_PORT=${REPLICA_PORT:-55433}

PORT=8093
URL=http://127.0.0.1:$PORT
DB=tracegql_bench_replica
PG=(-h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres)
APP=target/quarkus-app
RESULTS=bench/RESULTS-replica.md

SCRIPT=replica.sh
# shellcheck source=bench/lib.sh
. bench/lib.sh

TRACES=${TRACES:-$((20000 * SCALE))}
require_counts DURATION WARMUP CONNECTIONS SCALE TRACES PRIMARY_PORT REPLICA_PORT
[[ $SEED =~ ^[0-9]+$ ]] || die "SEED must be a whole number, got '$SEED'"

install_missing wrk:wrk jq:jq
require_commands psql java curl
[ -x "$PG_BIN/initdb" ] || die "no initdb in $PG_BIN: set PG_BIN to PostgreSQL 15's bin directory"
require_free_port
for port in "$PRIMARY_PORT" "$REPLICA_PORT"; do
  (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && die "port $port is in use: choose PRIMARY_PORT and REPLICA_PORT"
done

work=$(mktemp -d)
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  # PostgreSQL does not run as root.
  chown postgres "$work"
  as_owner=(runuser -u postgres --)
fi
pg() { "${as_owner[@]}" "$PG_BIN/$1" "${@:2}"; }
pg_start() { # name, port
  pg pg_ctl -D "$work/$1" -l "$work/$1.log" -w -o "-p $2 -k $work -c listen_addresses=127.0.0.1" start >/dev/null
}
cleanup() {
  stop_gateway
  for name in replica primary; do
    [ -f "$work/$name/postmaster.pid" ] && pg pg_ctl -D "$work/$name" -m fast -w stop >/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT

echo "making a primary on port $PRIMARY_PORT"
pg initdb -D "$work/primary" -U postgres --auth=trust -E UTF8 >/dev/null
pg_start primary "$PRIMARY_PORT"
psql_admin -c "create database $DB"

build_gateway
BENCH_API_KEY=$(new_api_key)
export BENCH_API_KEY

# Starts the gateway in prod mode on the primary, with the replica's URL when one is given.
start_gateway() { # name, replica URL (optional)
  echo "starting the gateway ($1)"
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
  DB_PORT=$PRIMARY_PORT TRACEGQL_READ_DATASOURCE_URL="${2:-}" \
    launch_gateway "$work/gateway-$1.log" "$BENCH_API_KEY" "$APP" $JAVA_OPTS -XX:SharedArchiveFile=app-cds.jsa -jar quarkus-run.jar
  await_ready "$work/gateway-$1.log"
}

# First start: Flyway creates the schema on the primary.
start_gateway schema
stop_gateway

echo "loading the data set: SEED=$SEED ($TRACES traces)"
psql_db -v seed="$SEED" -v traces="$TRACES" -f bench/sql/queries/data.sql
psql_db -c "vacuum analyze"
psql_db -c "checkpoint"

echo "making its streaming replica on port $REPLICA_PORT"
pg pg_basebackup -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$work/replica" --write-recovery-conf --wal-method=stream
pg_start replica "$REPLICA_PORT"
replica_url="postgresql://127.0.0.1:$REPLICA_PORT/$DB"
target=$(psql_db -c "select pg_current_wal_lsn()")
for _ in $(seq 1 600); do
  [ "$(psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d "$DB" -qAtX \
    -c "select pg_last_wal_replay_lsn() >= '$target'::pg_lsn")" = t ] && break
  sleep 0.1
done

read -r PROJECT n_runs <<<"$(psql_db -F ' ' -c "
  select project_id, count(*) from runs group by project_id order by count(*) desc limit 1")"
psql_db -c "select id from runs where parent_run_id is null order by md5(id::text) limit 1000" >"$work/trace-ids.txt"
body() { # name, graphql file, variables (JSON)
  jq -n --rawfile q "bench/graphql/$2" --argjson v "$3" '{query: $q, variables: $v}' >"$work/$1.json"
}
body q1 q1-project-page.graphql "{\"projectId\": \"$PROJECT\"}"
body q2 q2-trace.graphql '{"traceId": "@ID@"}'

declare -A rps p50 p99 served
measure() { # mode, query
  local args=("$work/$2.json")
  [ "$2" != q2 ] || args+=("$work/trace-ids.txt")
  BENCH_API_KEY=$BENCH_API_KEY wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -s bench/lua/graphql.lua "$URL/graphql" -- "${args[@]}" >/dev/null
  local line
  line=$(BENCH_API_KEY=$BENCH_API_KEY wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s bench/lua/graphql.lua \
    "$URL/graphql" -- "${args[@]}" | grep '^BENCH ')
  local requests duration p50_us p99_us failed
  requests=$(sed 's/.* requests=\([0-9]*\).*/\1/' <<<"$line")
  duration=$(sed 's/.* duration_us=\([0-9]*\).*/\1/' <<<"$line")
  p50_us=$(sed 's/.* p50_us=\([0-9]*\).*/\1/' <<<"$line")
  p99_us=$(sed 's/.* p99_us=\([0-9]*\).*/\1/' <<<"$line")
  failed=$(sed 's/.* failed=\([0-9]*\).*/\1/' <<<"$line")
  [ "$failed" = 0 ] || die "$2 ($1): $failed answers failed: $line"
  rps[$1.$2]=$(awk -v r="$requests" -v d="$duration" 'BEGIN { printf "%.0f", r / (d / 1e6) }')
  p50[$1.$2]=$(awk -v u="$p50_us" 'BEGIN { printf "%.2f", u / 1000 }')
  p99[$1.$2]=$(awk -v u="$p99_us" 'BEGIN { printf "%.2f", u / 1000 }')
  echo "  $2: ${rps[$1.$2]} req/s, p50 ${p50[$1.$2]} ms, p99 ${p99[$1.$2]} ms"
}
reads_by() { # server -> reads counted by the gateway
  curl -s "$URL/q/metrics" | awk -v s="server=\"$1\"" 'index($0, "tracegql_reads_total{") == 1 && index($0, s) { v = $NF } END { printf "%.0f", v }'
}

for mode in primary replica; do
  if [ "$mode" = replica ]; then start_gateway "$mode" "$replica_url"; else start_gateway "$mode"; fi
  for q in q1 q2; do measure "$mode" "$q"; done
  served[$mode]="$(reads_by replica) by the replica, $(reads_by primary) by the primary"
  echo "  reads: ${served[$mode]}"
  stop_gateway
done

{
  echo "# Read replica: Q1 and Q2 with and without the replica"
  echo
  echo "Written by \`bench/replica.sh\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB)."
  [ -z "$NOTE" ] || { echo; echo "$NOTE"; }
  echo
  echo "$TRACES traces, $n_runs runs in the largest project (SEED=$SEED); $CONNECTIONS connections,"
  echo "${WARMUP} s warm-up and ${DURATION} s measured per row. Primary and replica are PostgreSQL 15 on this"
  echo "machine (loopback), so they share its cores with the gateway and wrk: the figures show what routing"
  echo "costs and where reads go, not the capacity that a replica on its own machine adds."
  echo
  echo "| query | reads on | req/s | p50 ms | p99 ms |"
  echo "| --- | --- | ---: | ---: | ---: |"
  for q in q1 q2; do
    for mode in primary replica; do
      echo "| $q | $mode | ${rps[$mode.$q]} | ${p50[$mode.$q]} | ${p99[$mode.$q]} |"
    done
  done
  echo
  echo "Reads counted by the gateway (\`tracegql_reads_total\`): without the replica ${served[primary]};"
  echo "with it ${served[replica]}."
} >"$RESULTS"
echo "wrote $RESULTS"
