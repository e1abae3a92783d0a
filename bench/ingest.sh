#!/usr/bin/env bash
# Ingest throughput benchmark: runs/s, latency and CPU split of POST /runs/batch,
# POST /runs/multipart and POST /v1/traces (OTLP protobuf), next to what PostgreSQL itself does
# with the same rows (pgbench, one multi-row INSERT of 100 runs). Not part of ./mvnw verify; see bench/README.md.
#
#   bash bench/ingest.sh                                # 20 s per path after a 5 s warm-up, 4 connections
#   DURATION=60 CONNECTIONS=8 bash bench/ingest.sh
#
# Other settings: WARMUP (seconds, 5), JAVA_OPTS (-Xmx512m), NOTE (a line for the results file),
# KEEP_DB=1 (keep the tracegql_bench database afterwards).
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, no password), psql, pgbench and Java 17;
# installs wrk and sysstat (pidstat) when missing. Writes bench/RESULTS-ingest.md.
set -euo pipefail

cd "$(dirname "$0")/.."

DURATION=${DURATION:-20}
WARMUP=${WARMUP:-5}
CONNECTIONS=${CONNECTIONS:-4}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m}
NOTE=${NOTE:-}
KEEP_DB=${KEEP_DB:-0}

PORT=8091
URL=http://127.0.0.1:$PORT
DB=tracegql_bench
RUNS_PER_REQUEST=100
PG=(-h 127.0.0.1 -p 5432 -U postgres)
JAR=target/quarkus-app/quarkus-run.jar
RESULTS=bench/RESULTS-ingest.md

SCRIPT=ingest.sh
# shellcheck source=bench/lib.sh
. bench/lib.sh

require_counts DURATION WARMUP CONNECTIONS
install_missing wrk:wrk pidstat:sysstat
require_commands psql pgbench java curl

# --- clean-up: everything this script starts is stopped on any exit ----------------------------
work=$(mktemp -d /tmp/tracegql-bench.XXXXXX)
gateway_problems=0
helper_pids=()
cleanup() {
  local rc=$?
  set +e
  rm -f "$work/sampling"
  for pid in "${helper_pids[@]}"; do kill "$pid" 2>/dev/null; done
  stop_gateway
  if [ "$KEEP_DB" != 1 ]; then
    psql_admin -c "drop database if exists $DB with (force)" 2>/dev/null
  fi
  if [ "$rc" -ne 0 ]; then
    echo "ingest.sh failed; logs are in $work" >&2
  elif [ "$gateway_problems" != 0 ]; then
    echo "the gateway logged $gateway_problems errors or warnings: its log is $work/gateway.log"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- database and gateway ------------------------------------------------------------------------
require_free_port

echo "creating database $DB"
psql_admin -c "drop database if exists $DB with (force)" -c "create database $DB"

build_gateway

# Gateways that require API keys create this one for the default tenant at start; the wrk scripts
# send it as x-api-key. Gateways without API keys ignore both.
BENCH_API_KEY=$(new_api_key)
export BENCH_API_KEY

echo "starting the gateway on port $PORT"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
launch_gateway "$work/gateway.log" "$BENCH_API_KEY" . $JAVA_OPTS -jar "$JAR"
await_ready "$work/gateway.log"

# The schema exists now (Flyway ran at start): add the pgbench texts and project.
psql_db -f bench/sql/setup.sql

# --- measurement helpers -------------------------------------------------------------------------
# Busy and total jiffies of the whole machine, to show how much CPU went to other processes.
machine_cpu() { awk '/^cpu / { printf "%.0f %.0f\n", $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }

# PostgreSQL processes that work for this benchmark: backends of its database and the shared
# writers (WAL writer, checkpointer...). Asked from the postgres database so that psql's own
# backend is not among them.
postgres_pids() {
  psql_admin -c "select pid from pg_stat_activity where datname = '$DB' or backend_type in
    ('checkpointer', 'background writer', 'walwriter', 'autovacuum launcher', 'logical replication launcher')"
}

cpu_start() {
  local name=$1
  # Line-buffered: pidstat's output must be complete in the file when it is stopped.
  stdbuf -oL pidstat -u -h -C '^(java|postgres|wrk|pgbench)$' 1 >"$work/$name.pidstat" 2>&1 &
  pidstat_pid=$!
  # Backends come and go (pgbench opens its own): sample the list during the whole phase, until
  # cpu_stop removes the flag file.
  touch "$work/sampling"
  (while [ -e "$work/sampling" ]; do postgres_pids; sleep 1; done) >"$work/$name.pgpids" 2>/dev/null &
  pgpids_pid=$!
  helper_pids+=("$pidstat_pid" "$pgpids_pid")
  machine_cpu >"$work/$name.machine0"
}

# Sets cpu_split to "gateway postgres loadgen other", average % of one core over the phase.
cpu_stop() {
  local name=$1 loadgen_pid=$2
  machine_cpu >"$work/$name.machine1"
  rm -f "$work/sampling"
  kill "$pidstat_pid" 2>/dev/null || true
  wait "$pidstat_pid" "$pgpids_pid" 2>/dev/null || true
  read -r busy0 total0 <"$work/$name.machine0"
  read -r busy1 total1 <"$work/$name.machine1"
  local machine
  machine=$(awk -v b=$((busy1 - busy0)) -v t=$((total1 - total0)) -v n="$(nproc)" 'BEGIN { printf "%.1f", t ? 100 * n * b / t : 0 }')
  cpu_split=$(awk -v gw="$gateway_pid" -v lg="$loadgen_pid" -v machine="$machine" '
    FILENAME ~ /pgpids$/ { pg[$1] = 1; next }
    /^#/ { for (i = 2; i <= NF; i++) col[$i] = i - 1; next }
    NF > 3 && ("%CPU" in col) {
      if (!($1 in seen)) { seen[$1] = 1; n++ }
      pid = $col["PID"]; cpu = $col["%CPU"]
      if (pid == gw) g += cpu; else if (pid == lg) l += cpu; else if (pid in pg) p += cpu
    }
    END {
      if (n == 0) n = 1
      g /= n; p /= n; l /= n; o = machine - g - p - l; if (o < 0) o = 0
      printf "%.0f %.0f %.0f %.0f\n", g, p, l, o
    }' "$work/$name.pgpids" "$work/$name.pidstat")
}

# Each measurement starts from an empty runs table and a fresh checkpoint, whatever ran before.
reset_runs() {
  psql_db -c "truncate runs, run_patches" -c "checkpoint"
}

row_sizes() {
  psql_db -F ' ' -c "select round(avg(pg_column_size(r.*))), round(avg(octet_length(inputs::text))),
    round(avg(octet_length(outputs::text))) from runs r"
}

seed_base=$(date +%s)
seed_count=0

# One wrk run; leaves its BENCH line in $line. Arguments: name, seconds, script, path, script args.
run_wrk() {
  local name=$1 seconds=$2 script=$3 path=$4
  shift 4
  seed_count=$((seed_count + 1))
  # One connection per thread: the scripts rely on it to know which request an answer belongs to.
  wrk -t "$CONNECTIONS" -c "$CONNECTIONS" -d "${seconds}s" --timeout 120s --latency \
    -s "bench/lua/$script" "$URL$path" -- $((seed_base * 100 + seed_count)) "$@" >"$work/$name.wrk" 2>&1 &
  loadgen_pid=$!
  wait "$loadgen_pid" || { cat "$work/$name.wrk" >&2; die "wrk failed ($name)"; }
  line=$(grep '^BENCH ' "$work/$name.wrk") || { cat "$work/$name.wrk" >&2; die "wrk printed no summary ($name)"; }
}

rows=()   # results table rows
checks=() # lost-runs table rows
sizes=()  # payload size rows
failed=0
declare -A runs_per_s

# Warm-up, measurement, CPU split and lost-runs check of one HTTP path.
measure_http() {
  local key=$1 label=$2 script=$3 path=$4
  shift 4
  echo "$label: warm-up ${WARMUP}s"
  reset_runs
  run_wrk "$key-warmup" "$WARMUP" "$script" "$path" "$@"
  [ "$(field non2xx "$line")" = 0 ] || die "$label: warm-up answers were not 2xx: $(field first_error "$line")"
  settle
  reset_runs

  echo "$label: measuring ${DURATION}s"
  cpu_start "$key"
  run_wrk "$key" "$DURATION" "$script" "$path" "$@"
  cpu_stop "$key" "$loadgen_pid"
  settle

  local requests duration_us p50 p99 accepted non2xx socket_errors unanswered built body_bytes
  requests=$(field requests "$line")
  duration_us=$(field duration_us "$line")
  p50=$(field p50_us "$line")
  p99=$(field p99_us "$line")
  accepted=$(field accepted "$line")
  non2xx=$(field non2xx "$line")
  socket_errors=$(field socket_errors "$line")
  unanswered=$(field unanswered "$line")
  built=$(field built "$line")
  body_bytes=$(field body_bytes "$line")

  # Runs of requests that got no answer (in flight when wrk stopped) may or may not be stored;
  # every other stored run must belong to an accepted request, and every request is all or nothing.
  local total in_flight partial
  read -r total in_flight partial <<<"$(stored_runs "$unanswered" "$RUNS_PER_REQUEST")"
  local expected=$((accepted * RUNS_PER_REQUEST)) stored=$((total - in_flight))
  local in_flight_requests=0
  [ "$unanswered" = "-" ] || in_flight_requests=$(tr ',' '\n' <<<"$unanswered" | wc -l)
  local verdict="PASS"
  if [ "$non2xx" != 0 ] || [ "$socket_errors" != 0 ] || [ "$stored" != "$expected" ] || [ "$partial" != 0 ]; then
    verdict="FAIL"
    failed=1
    echo "$label: LOST-RUNS CHECK FAILED: accepted $expected runs, stored $stored (plus $in_flight of requests" \
      "in flight), $non2xx non-2xx answers, $socket_errors socket errors, $partial partly stored requests;" \
      "first error: $(field first_error "$line")" >&2
  fi

  local rps
  rps=$(awk -v a="$accepted" -v d="$duration_us" -v n=$RUNS_PER_REQUEST 'BEGIN { printf "%.0f", a * n / (d / 1e6) }')
  runs_per_s[$key]=$rps
  read -r c_gw c_pg c_lg c_other <<<"$cpu_split"
  rows+=("$key|$label|$rps|$(ms "$p50")|$(ms "$p99")|${c_gw}% / ${c_pg}% / ${c_lg}%|${c_other}%")
  checks+=("| $label | $requests | $non2xx | $socket_errors | $expected | $stored | $in_flight_requests ($((in_flight / RUNS_PER_REQUEST)) stored) | $partial | **$verdict** |")
  local avg_body
  avg_body=$(awk -v b="$body_bytes" -v n="$built" 'BEGIN { printf "%.0f", n ? b / n / 1024 : 0 }')
  sizes+=("| $label | $avg_body KB | $(row_sizes | awk '{ printf "%s | %s | %s", $1, $2, $3 }') |")
  echo "$label: $rps runs/s, p50 $(ms "$p50"), p99 $(ms "$p99"), lost-runs check $verdict"
}

ms() { awk -v us="$1" 'BEGIN { printf "%.1f ms", us / 1000 }'; }

# The database's own limit: the same rows written by pgbench, one multi-row INSERT per transaction.
measure_pgbench() {
  local key=pgbench label="DB limit: pgbench multi-row INSERT"
  echo "$label: warm-up ${WARMUP}s"
  reset_runs
  pgbench "${PG[@]}" -M prepared -n -c "$CONNECTIONS" -T "$WARMUP" -f bench/sql/insert-runs.sql "$DB" \
    >"$work/$key-warmup.pgbench" 2>&1 || { cat "$work/$key-warmup.pgbench" >&2; die "pgbench failed"; }
  settle
  reset_runs

  echo "$label: measuring ${DURATION}s"
  cpu_start "$key"
  pgbench "${PG[@]}" -M prepared -n -c "$CONNECTIONS" -T "$DURATION" -f bench/sql/insert-runs.sql \
    -l --log-prefix="$work/$key-tx" "$DB" >"$work/$key.pgbench" 2>&1 &
  loadgen_pid=$!
  wait "$loadgen_pid" || { cat "$work/$key.pgbench" >&2; die "pgbench failed"; }
  cpu_stop "$key" "$loadgen_pid"
  settle

  local tx tps failed_tx p50 p99
  tx=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$work/$key.pgbench")
  tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' "$work/$key.pgbench")
  failed_tx=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$work/$key.pgbench")
  # Per-transaction log lines: client, transaction, latency in microseconds, ...
  read -r p50 p99 <<<"$(cat "$work/$key-tx".* | awk '{ print $3 }' | sort -n |
    awk '{ v[NR] = $1 } END { i50 = int(NR * 0.5); i99 = int(NR * 0.99); if (i50 < 1) i50 = 1; if (i99 < 1) i99 = 1; print v[i50], v[i99] }')"
  local total expected=$((tx * RUNS_PER_REQUEST)) verdict="PASS"
  total=$(psql_db -c "select count(*) from runs")
  if [ "$total" != "$expected" ] || [ "${failed_tx:-0}" != 0 ]; then
    verdict="FAIL"
    failed=1
    echo "$label: ROW CHECK FAILED: $tx transactions should have written $expected rows, found $total" >&2
  fi
  local rps
  rps=$(awk -v t="$tps" -v n=$RUNS_PER_REQUEST 'BEGIN { printf "%.0f", t * n }')
  runs_per_s[$key]=$rps
  read -r c_gw c_pg c_lg c_other <<<"$cpu_split"
  rows+=("$key|$label|$rps|$(ms "$p50")|$(ms "$p99")|${c_gw}% / ${c_pg}% / ${c_lg}%|${c_other}%")
  checks+=("| $label | $tx | ${failed_tx:-0} failed | - | $expected | $total | - | - | **$verdict** |")
  sizes+=("| $label | - | $(row_sizes | awk '{ printf "%s | %s | %s", $1, $2, $3 }') |")
  echo "$label: $rps runs/s, p50 $(ms "$p50"), p99 $(ms "$p99"), row check $verdict"
}

# --- the measurements ----------------------------------------------------------------------------
started=$(date -u '+%Y-%m-%d %H:%M UTC')
measure_http batch "I1a POST /runs/batch (JSON)" batch.lua /runs/batch
measure_http multipart-split "I1b POST /runs/multipart, payloads in own parts (as the SDKs send)" multipart.lua /runs/multipart split
measure_http multipart-inline "I1b POST /runs/multipart, payloads inline" multipart.lua /runs/multipart inline
measure_http otlp "I1c POST /v1/traces (OTLP protobuf, 100 spans)" otlp.lua /v1/traces
measure_pgbench

gateway_problems=$(grep -c -E ' (ERROR|WARN) ' "$work/gateway.log" || true)

# --- results -------------------------------------------------------------------------------------
limit=${runs_per_s[pgbench]}
# What was measured: the jar may be older than the sources, so both are named.
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || commit="$commit (work tree has changes)"
app_jar=$(find target/quarkus-app/app -name '*.jar' | head -n 1)
{
  echo "# Ingest throughput results"
  echo
  echo "Written by \`bash bench/ingest.sh\` (see [README.md](README.md)); rerun the script instead of editing this file."
  echo
  [ -z "$NOTE" ] || { echo "> **Note:** $NOTE"; echo; }
  [ "$DURATION" -ge 20 ] || { echo "> Short run (DURATION=$DURATION s): figures are indicative only."; echo; }
  echo "- Date: $started"
  echo "- Machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
  echo "- Java: $(java -version 2>&1 | head -n 1), flags \`$JAVA_OPTS\`"
  echo "- PostgreSQL: $(psql_admin -c 'show server_version'); $(pgbench --version); $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)"
  echo "- Gateway: commit $commit, jar built $(date -u -r "$app_jar" '+%Y-%m-%d %H:%M UTC')"
  echo "- Parameters: DURATION=$DURATION s measured after WARMUP=$WARMUP s, CONNECTIONS=$CONNECTIONS" \
    "(wrk: one thread per connection; pgbench: -c $CONNECTIONS), $RUNS_PER_REQUEST runs per request or transaction"
  echo
  echo "Memory (\`free -g\`):"
  echo
  echo '```'
  free -g
  echo '```'
  echo
  echo "| path | runs/s | p50 | p99 | ratio to pgbench INSERT limit | CPU gateway / postgres / loadgen | CPU other processes |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  for row in "${rows[@]}"; do
    IFS='|' read -r key label rps p50 p99 cpu other <<<"$row"
    ratio=$(awk -v a="$rps" -v b="$limit" 'BEGIN { printf "%.2f", b ? a / b : 0 }')
    echo "| $label | $rps | $p50 | $p99 | $ratio | $cpu | $other |"
  done
  echo
  echo "CPU is the average over the measurement in % of one core (the machine has $(($(nproc) * 100))%), from" \
    "\`pidstat -u 1\`: the gateway's java process, the PostgreSQL processes serving \`$DB\` (backends plus" \
    "WAL writer, checkpointer, background writer), and wrk or pgbench. \"Other\" is the rest of the machine's" \
    "busy time from /proc/stat (other processes, this script's sampling, kernel time charged to no process):" \
    "more than a few % means something else was running and the figures are disturbed."
  echo
  echo "## Lost-runs check"
  echo
  echo "After each measurement the rows in \`runs\` are counted per request (every run carries its wrk thread and" \
    "request number). Runs of accepted (2xx) requests must all be stored; a request is stored whole or not at all;" \
    "requests still in flight when wrk stopped (or built by wrk's start-up check of the script) have no answer," \
    "so their runs may or may not be stored and are counted apart. For pgbench, rows = transactions x 100."
  echo
  echo "| path | requests answered | non-2xx | socket errors | runs accepted | runs stored of accepted requests | requests without answer (stored) | partly stored requests | result |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
  printf '%s\n' "${checks[@]}"
  echo
  if [ "$failed" = 0 ]; then echo "Result: **no run lost**."; else echo "Result: **RUNS LOST OR REJECTED** (see the table)."; fi
  echo
  echo "Gateway log: $gateway_problems ERROR/WARN lines during the whole benchmark."
  if [ "$gateway_problems" != 0 ]; then
    echo
    echo '```'
    grep -E ' (ERROR|WARN) ' "$work/gateway.log" | head -n 5 | cut -c 1-300
    echo '```'
  fi
  echo
  echo "## Sizes"
  echo
  echo "| path | request body (avg) | stored row (avg bytes, pg_column_size) | inputs JSON (avg bytes) | outputs JSON (avg bytes) |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  printf '%s\n' "${sizes[@]}"
} >"$RESULTS"

echo "wrote $RESULTS"
[ "$failed" = 0 ] || die "the lost-runs check failed"
