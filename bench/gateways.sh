#!/usr/bin/env bash
# Many gateways benchmark: ingest runs/s (POST /runs/batch) and read req/s (Q1, a project page),
# each alone and both at once, through nginx configured by docs/nginx.conf in front of one gateway,
# then two (ingest and reads split as the example does, then round robin), next to one gateway
# without nginx. Every ingest measurement counts the runs stored against those acknowledged.
# Not part of ./mvnw verify; see bench/README.md.
#
#   bash bench/gateways.sh                               # 10 s per measurement after a 3 s warm-up, 4 connections
#   DURATION=5 WARMUP=2 TRACES=1000 bash bench/gateways.sh  # a small run
#
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, no password), psql, curl, Java 17, nginx
# (Debian's, /usr/sbin/nginx: apt-get install nginx) and the ports GATEWAY_PORTS ("8094 8095") and
# NGINX_PORT (8096) free; installs wrk and jq when missing. Other settings: TRACES (2,000 traces of
# queries.sh's data set for the reads), SEED (42), JAVA_OPTS (-Xmx256m -XX:+UseSerialGC, per gateway),
# NOTE (a line for the results file), KEEP_DB=1 (keep the database tracegql_bench_gateways).
# Writes bench/RESULTS-gateways.md.
set -euo pipefail

cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
CONNECTIONS=${CONNECTIONS:-4}
TRACES=${TRACES:-2000}
SEED=${SEED:-42}
JAVA_OPTS=${JAVA_OPTS:--Xmx256m -XX:+UseSerialGC}
NOTE=${NOTE:-}
KEEP_DB=${KEEP_DB:-0}
read -r -a GATEWAY_PORTS <<<"${GATEWAY_PORTS:-8094 8095}"
NGINX_PORT=${NGINX_PORT:-8096}

NGINX=/usr/sbin/nginx
NGINX_EXAMPLE=docs/nginx.conf
NGINX_MAIN=src/test/resources/io/tracegql/support/nginx-main.conf
DB=tracegql_bench_gateways
PG=(-h 127.0.0.1 -p 5432 -U postgres)
APP=target/quarkus-app
RESULTS=bench/RESULTS-gateways.md
RUNS_PER_REQUEST=100

SCRIPT=gateways.sh
# shellcheck source=bench/lib.sh
. bench/lib.sh

require_counts DURATION WARMUP CONNECTIONS TRACES NGINX_PORT
[ "${#GATEWAY_PORTS[@]}" = 2 ] || die "GATEWAY_PORTS must name two ports, got '${GATEWAY_PORTS[*]}'"
[[ $SEED =~ ^[0-9]+$ ]] || die "SEED must be a whole number, got '$SEED'"
[ -x "$NGINX" ] || die "$NGINX is required (Debian: apt-get install nginx)"
install_missing wrk:wrk jq:jq
require_commands psql java curl
for PORT in "${GATEWAY_PORTS[@]}" "$NGINX_PORT"; do require_free_port; done

# --- clean-up: everything this script starts is stopped on any exit ----------------------------
work=$(mktemp -d /tmp/tracegql-bench-gateways.XXXXXX)
gateway_pids=("" "")
nginx_pid=""
cleanup() {
  local rc=$?
  set +e
  stop_nginx
  for i in 1 0; do stop_gateway_number "$i"; done
  if [ "$KEEP_DB" != 1 ]; then
    psql_admin -c "drop database if exists $DB with (force)" 2>/dev/null
  fi
  if [ "$rc" -ne 0 ]; then echo "gateways.sh failed; logs are in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- gateways and nginx --------------------------------------------------------------------------
# Starts gateway number i (0 or 1) on its port; waits until it is ready.
start_gateway_number() {
  local i=$1
  PORT=${GATEWAY_PORTS[$i]}
  echo "starting gateway $((i + 1)) on port $PORT"
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
  launch_gateway "$work/gateway-$i.log" "$BENCH_API_KEY" "$APP" $JAVA_OPTS -XX:SharedArchiveFile=app-cds.jsa -jar quarkus-run.jar
  gateway_pids[i]=$gateway_pid
  await_ready "$work/gateway-$i.log"
}

stop_gateway_number() {
  gateway_pid=${gateway_pids[$1]}
  stop_gateway
  gateway_pids[$1]=""
}

# Starts nginx with the example configuration: layout "one" (every upstream entry is gateway 1),
# "split" (the example as it is) or "round-robin" (the example without its backups).
start_nginx() {
  local layout=$1 dir=$work/nginx-$1 second=${GATEWAY_PORTS[1]}
  [ "$layout" != one ] || second=${GATEWAY_PORTS[0]}
  mkdir -p "$dir"
  local edits=(-e "s/127\.0\.0\.1:8081/127.0.0.1:${GATEWAY_PORTS[0]}/g" -e "s/127\.0\.0\.1:8082/127.0.0.1:$second/g"
    -e "s/^\([[:space:]]*\)listen 80;/\1listen 127.0.0.1:$NGINX_PORT;/")
  [ "$layout" != round-robin ] || edits+=(-e "s/ backup;/;/")
  sed "${edits[@]}" "$NGINX_EXAMPLE" >"$dir/tracegql.conf"
  grep -q "listen 127.0.0.1:$NGINX_PORT;" "$dir/tracegql.conf" || die "$NGINX_EXAMPLE has no line 'listen 80;'"
  grep -q "127.0.0.1:${GATEWAY_PORTS[0]}" "$dir/tracegql.conf" || die "$NGINX_EXAMPLE no longer names 127.0.0.1:8081"
  sed "s|@DIR@|$dir|g" "$NGINX_MAIN" >"$dir/nginx.conf"
  "$NGINX" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >"$dir/nginx.out" 2>&1 &
  nginx_pid=$!
  nginx_log=$dir/access.log
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$NGINX_PORT/" && return 0
    kill -0 "$nginx_pid" 2>/dev/null || { cat "$dir/nginx.out" "$dir/error.log" >&2; die "nginx exited at start"; }
    sleep 0.1
  done
  die "nginx does not listen on $NGINX_PORT after 10 s"
}

stop_nginx() {
  [ -n "$nginx_pid" ] || return 0
  kill "$nginx_pid" 2>/dev/null || true
  wait "$nginx_pid" 2>/dev/null || true
  nginx_pid=""
}

# --- measurements --------------------------------------------------------------------------------
seed_base=$(date +%s)
seed_count=0

# wrk of /runs/batch (100 runs a request, lua/batch.lua) into a project of its own; BENCH line in
# the file. Arguments: base URL, seconds, project, output file.
ingest_wrk() {
  seed_count=$((seed_count + 1))
  # One connection per thread: batch.lua relies on it to know which request an answer belongs to.
  BENCH_PROJECT=$3 wrk -t "$CONNECTIONS" -c "$CONNECTIONS" -d "${2}s" --timeout 120s --latency \
    -s bench/lua/batch.lua "$1/runs/batch" -- $((seed_base * 100 + seed_count)) >"$4" 2>&1
}

# wrk of Q1 (lua/graphql.lua); BENCH line in the file. Arguments: base URL, seconds, output file.
read_wrk() {
  wrk -t 2 -c "$CONNECTIONS" -d "${2}s" --timeout 120s -s bench/lua/graphql.lua "$1/graphql" -- "$work/q1.json" >"$3" 2>&1
}

bench_line() { grep '^BENCH ' "$1" || { cat "$1" >&2; die "wrk printed no summary ($1)"; }; }
ms() { awk -v us="$1" 'BEGIN { printf "%.1f", us / 1000 }'; }
per_s() { awk -v n="$1" -v us="$2" 'BEGIN { printf "%.0f", us ? n / (us / 1e6) : 0 }'; }

failed=0
checks=()
# Holds the runs stored of one ingest measurement against its acknowledged requests; sets
# ingest_rps (acknowledged runs a second). Arguments: label, project, wrk output file.
check_ingest() {
  local label=$1 project=$2 line
  line=$(bench_line "$3")
  local accepted non2xx socket_errors unanswered total in_flight partial
  accepted=$(field accepted "$line")
  non2xx=$(field non2xx "$line")
  socket_errors=$(field socket_errors "$line")
  unanswered=$(field unanswered "$line")
  settle
  read -r total in_flight partial <<<"$(stored_runs "$unanswered" "$RUNS_PER_REQUEST" "$project")"
  local expected=$((accepted * RUNS_PER_REQUEST)) stored=$((total - in_flight)) verdict=PASS
  if [ "$non2xx" != 0 ] || [ "$socket_errors" != 0 ] || [ "$stored" != "$expected" ] || [ "$partial" != 0 ]; then
    verdict=FAIL
    failed=1
    echo "$label: COUNT CHECK FAILED: $expected runs acknowledged, $stored stored, $non2xx non-2xx," \
      "$socket_errors socket errors, $partial requests stored in part; first error: $(field first_error "$line")" >&2
  fi
  checks+=("| $label | $accepted | $non2xx | $socket_errors | $expected | $stored | $in_flight | $partial | **$verdict** |")
  ingest_rps=$(per_s "$expected" "$(field duration_us "$line")")
  ingest_p99=$(ms "$(field p99_us "$line")")
}

# Sets reads_rps and reads_p99 from a read_wrk output; a failed answer fails the run.
check_reads() {
  local label=$1 line
  line=$(bench_line "$2")
  [ "$(field failed "$line")" = 0 ] && [ "$(field socket_errors "$line")" = 0 ] ||
    die "$label: reads failed: $line"
  reads_rps=$(per_s "$(field requests "$line")" "$(field duration_us "$line")")
  reads_p99=$(ms "$(field p99_us "$line")")
}

# Which gateway answered the ingest and the read requests of nginx's log since line $1.
served_by() {
  tail -n +"$(($1 + 1))" "$nginx_log" | awk -v g1="127.0.0.1:${GATEWAY_PORTS[0]}" -v g2="127.0.0.1:${GATEWAY_PORTS[1]}" '
    { kind = $2 == "/graphql" ? "reads" : "ingest"; upstream = $NF; total[kind]++
      if (upstream == g1) one[kind]++; else if (upstream == g2) two[kind]++ }
    END {
      split("ingest reads", kinds, " ")
      for (i = 1; i <= 2; i++) {
        k = kinds[i]
        if (k in total) printf "%s%s %.0f%% / %.0f%%", n++ ? ", " : "", k, 100 * one[k] / total[k], 100 * two[k] / total[k]
      }
    }'
}

rows=()
# One setup: ingest alone, reads alone, both at once. Arguments: key, label, base URL.
measure() {
  local key=$1 label=$2 url=$3 logged=0
  [ -z "$nginx_pid" ] || logged=$(wc -l <"$nginx_log")
  echo "$label: warm-up ${WARMUP}s"
  ingest_wrk "$url" "$WARMUP" "bench-$key-warmup" "$work/$key-warmup-ingest.wrk"
  read_wrk "$url" "$WARMUP" "$work/$key-warmup-reads.wrk"
  settle

  echo "$label: ingest ${DURATION}s"
  ingest_wrk "$url" "$DURATION" "bench-$key-ingest" "$work/$key-ingest.wrk"
  check_ingest "$label, ingest alone" "bench-$key-ingest" "$work/$key-ingest.wrk"
  local alone_ingest=$ingest_rps alone_ingest_p99=$ingest_p99

  echo "$label: reads ${DURATION}s"
  read_wrk "$url" "$DURATION" "$work/$key-reads.wrk"
  check_reads "$label, reads alone" "$work/$key-reads.wrk"
  local alone_reads=$reads_rps alone_reads_p99=$reads_p99

  echo "$label: ingest and reads at once ${DURATION}s"
  ingest_wrk "$url" "$DURATION" "bench-$key-mixed" "$work/$key-mixed-ingest.wrk" &
  local ingest_pid=$!
  read_wrk "$url" "$DURATION" "$work/$key-mixed-reads.wrk"
  wait "$ingest_pid" || die "$label: wrk failed"
  check_ingest "$label, ingest with reads" "bench-$key-mixed" "$work/$key-mixed-ingest.wrk"
  check_reads "$label, reads with ingest" "$work/$key-mixed-reads.wrk"

  local served="-"
  [ -z "$nginx_pid" ] || served=$(served_by "$logged")
  rows+=("| $label | $alone_ingest | $alone_ingest_p99 | $alone_reads | $alone_reads_p99 | $ingest_rps | $ingest_p99 | $reads_rps | $reads_p99 | ${served:--} |")
  echo "$label: ingest $alone_ingest runs/s, reads $alone_reads req/s; at once $ingest_rps runs/s and $reads_rps req/s (p99 $reads_p99 ms)"
}

# --- database, data set, gateways ----------------------------------------------------------------
echo "creating database $DB"
psql_admin -c "drop database if exists $DB with (force)" -c "create database $DB"
build_gateway
BENCH_API_KEY=$(new_api_key)
export BENCH_API_KEY

# The first start creates the schema (Flyway); the data set goes in straight after.
start_gateway_number 0
echo "loading the data set: SEED=$SEED ($TRACES traces)"
psql_db -v seed="$SEED" -v traces="$TRACES" -f bench/sql/queries/data.sql
psql_db -c "vacuum analyze"
read -r PROJECT n_runs <<<"$(psql_db -F ' ' -c "
  select project_id, count(*) from runs group by project_id order by count(*) desc limit 1")"
jq -n --rawfile q bench/graphql/q1-project-page.graphql --argjson v "{\"projectId\": \"$PROJECT\"}" \
  '{query: $q, variables: $v}' >"$work/q1.json"

started=$(date -u '+%Y-%m-%d %H:%M UTC')
measure direct "1 gateway, no nginx" "http://127.0.0.1:${GATEWAY_PORTS[0]}"
start_nginx one
measure one "nginx, 1 gateway" "http://127.0.0.1:$NGINX_PORT"
stop_nginx
start_gateway_number 1
# The first gateway has served every measurement so far: give the second as much warm-up as it had.
echo "warming up gateway 2: $((2 * WARMUP))s"
for _ in 1 2; do
  ingest_wrk "http://127.0.0.1:${GATEWAY_PORTS[1]}" "$WARMUP" bench-second-warmup "$work/second-warmup-ingest.wrk"
  read_wrk "http://127.0.0.1:${GATEWAY_PORTS[1]}" "$WARMUP" "$work/second-warmup-reads.wrk"
done
settle
start_nginx split
measure split "nginx, 2 gateways: ingest to 1, reads to 2 (the example)" "http://127.0.0.1:$NGINX_PORT"
stop_nginx
start_nginx round-robin
measure round-robin "nginx, 2 gateways round robin" "http://127.0.0.1:$NGINX_PORT"
stop_nginx

problems=$(cat "$work"/gateway-*.log | grep -c -E ' (ERROR|WARN) ' || true)

# --- results -------------------------------------------------------------------------------------
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || commit="$commit (work tree has changes)"
{
  echo "# Many gateways behind nginx"
  echo
  echo "Written by \`bash bench/gateways.sh\` (see [README.md](README.md#many-gateways-gatewayssh)); rerun the script instead of editing this file."
  echo
  [ -z "$NOTE" ] || { echo "> **Note:** $NOTE"; echo; }
  echo "- Date: $started; commit $commit"
  echo "- Machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB; $("$NGINX" -v 2>&1 | sed 's/.*: //'),"
  echo "  PostgreSQL $(psql_admin -c 'show server_version'), Java flags \`$JAVA_OPTS\` per gateway"
  echo "- Parameters: DURATION=$DURATION s measured after WARMUP=$WARMUP s, CONNECTIONS=$CONNECTIONS per load"
  echo "  generator; ingest $RUNS_PER_REQUEST runs a request (\`lua/batch.lua\`); reads Q1, the project page of the"
  echo "  largest project ($n_runs runs) of queries.sh's data set, $TRACES traces (SEED=$SEED)"
  echo
  echo "Everything runs on this one machine: PostgreSQL, the gateways, nginx and wrk share its cores, so a"
  echo "second gateway adds no CPU, only a second process to spread the same CPU over. The figures show"
  echo "what nginx costs and where requests go, and that the counts are exact; not what a second"
  echo "machine adds. The setups run in the order of the table; each had a warm-up of WARMUP s of ingest and of"
  echo "reads, and the second gateway, started for the last two, twice that of each before them, so the first"
  echo "rows ran on the least warmed-up JIT."
  echo
  echo "| setup | ingest runs/s | ingest p99 ms | reads req/s | reads p99 ms | at once: ingest runs/s | ingest p99 ms | reads req/s | reads p99 ms | served by gateway 1 / 2 |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
  printf '%s\n' "${rows[@]}"
  echo
  echo "## Counts"
  echo
  echo "After each ingest measurement the runs stored in its project are counted per request (every run carries"
  echo "its wrk thread and request number): every run of an acknowledged request must be stored, and no"
  echo "request in part. Runs of requests that wrk left without an answer when it stopped may or may not be stored."
  echo
  echo "| measurement | requests acknowledged | non-2xx | socket errors | runs acknowledged | runs of them stored | runs of unanswered requests stored | requests stored in part | result |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
  printf '%s\n' "${checks[@]}"
  echo
  if [ "$failed" = 0 ]; then echo "Result: **counts exact**."; else echo "Result: **COUNTS WRONG** (see the table)."; fi
  echo
  echo "Gateway logs: $problems ERROR/WARN lines."
  if [ "$problems" != 0 ]; then
    echo
    echo '```'
    cat "$work"/gateway-*.log | grep -E ' (ERROR|WARN) ' | head -n 5 | cut -c 1-300
    echo '```'
  fi
} >"$RESULTS"
echo "wrote $RESULTS"
[ "$failed" = 0 ] || die "the count check failed"
