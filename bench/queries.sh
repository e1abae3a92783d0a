#!/usr/bin/env bash
# Query benchmark: req/s, latency, CPU split and SQL statements per request of five GraphQL queries
# over a generated data set, next to what PostgreSQL itself does with the equivalent SQL (pgbench at
# the same concurrency). Not part of ./mvnw verify; see bench/README.md.
#
#   bash bench/queries.sh                               # SCALE=1 (200,000 runs), 15 s per measurement, 4 connections
#   SCALE=10 DURATION=60 CONNECTIONS=8 bash bench/queries.sh
#
# Other settings: SEED (data set, 42), WARMUP (seconds, 10), JIT_WARMUP (seconds of the first round, 40), JAVA_OPTS (-Xmx128m -XX:+UseSerialGC), NOTE (a line for
# the results file), KEEP_DB=1 (keep the tracegql_bench_queries database), PG_LOG (the server's log
# file, found by itself on Debian layouts; used to count statements), PATHS (both: each query is also
# measured and counted asking for the gateway's general path, X-Tracegql-Plan: general; default: only as
# the gateway answers it), TRACES and DEEP_PAGE (20000 x SCALE traces, Q5's deep page 100: smaller for a
# smoke run of the script itself).
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, a superuser, no password), psql, pgbench,
# curl and Java 17; installs wrk, sysstat (pidstat) and jq when missing. Writes bench/RESULTS.md.
set -euo pipefail

cd "$(dirname "$0")/.."

DURATION=${DURATION:-15}
WARMUP=${WARMUP:-10}
# The first round of every query, on a freshly started gateway: about 40 s of load per query until
# the JIT has compiled its path and throughput is stable.
JIT_WARMUP=${JIT_WARMUP:-40}
CONNECTIONS=${CONNECTIONS:-4}
SCALE=${SCALE:-1}
SEED=${SEED:-42}
# The heap the gateway needs (its live set is about 15 MB) and the collector with the least memory
# and CPU overhead on two cores; see bench/PROFILE.md.
JAVA_OPTS=${JAVA_OPTS:--Xmx128m -XX:+UseSerialGC}
NOTE=${NOTE:-}
KEEP_DB=${KEEP_DB:-0}
PG_LOG=${PG_LOG:-}
PATHS=${PATHS:-both}

PORT=8092
URL=http://127.0.0.1:$PORT
DB=tracegql_bench_queries
TENANT=00000000-0000-0000-0000-000000000001
PG=(-h 127.0.0.1 -p 5432 -U postgres)
# The packaged gateway, with the class-data sharing archive that Quarkus writes beside the jar.
APP=target/quarkus-app
RESULTS=bench/RESULTS.md
# Q5 page-1-versus-page-100 needs this many pages of 20 runs.
DEEP_PAGE=${DEEP_PAGE:-100}
# Requests per query whose statements are counted.
COUNTED=5

SCRIPT=queries.sh
# shellcheck source=bench/lib.sh
. bench/lib.sh

TRACES=${TRACES:-$((20000 * SCALE))}
require_counts DURATION WARMUP JIT_WARMUP CONNECTIONS SCALE TRACES DEEP_PAGE
[[ $SEED =~ ^[0-9]+$ ]] || die "SEED must be a whole number, got '$SEED'"
[ "$PATHS" = both ] || [ "$PATHS" = default ] || die "PATHS must be both or default, got '$PATHS'"

# --- programs it needs -----------------------------------------------------------------------
install_missing wrk:wrk pidstat:sysstat jq:jq
require_commands psql pgbench java curl

# The gateway has PostgreSQL plan filtered pages and aggregates for their values at each execution
# (it does not keep them prepared; their text starts with this comment) and keeps every other statement
# prepared with its generic plan. A replay of its statements does the same: a script with a statement
# so marked runs with plan_cache_mode=force_custom_plan, and Q3's, whose child runs statement is not
# marked, plans that one too, a little more work than the gateway does.
PLANNED_FOR_VALUES='/* planned for its values */'
own_pgoptions() { # the replay script
  if grep -qF "$PLANNED_FOR_VALUES" "$1"; then
    echo "$PGOPTIONS -c plan_cache_mode=force_custom_plan"
  else
    echo "$PGOPTIONS"
  fi
}

# --- clean-up: everything this script starts is stopped on any exit ----------------------------
work=$(mktemp -d /tmp/tracegql-bench-queries.XXXXXX)
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
  else
    psql_admin -c "alter database $DB reset log_statement" 2>/dev/null
  fi
  if [ "$rc" -ne 0 ]; then
    echo "queries.sh failed; logs are in $work" >&2
  elif [ "$gateway_problems" != 0 ]; then
    echo "the gateway logged $gateway_problems errors or warnings: its logs are $work/gateway-*.log"
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

# The gateway creates this key for the default tenant at start; the wrk script sends it as x-api-key.
BENCH_API_KEY=$(new_api_key)
export BENCH_API_KEY

declare -A startup_ms quarkus_started
# Starts the gateway in prod mode and measures the time from launching java to the first 200 from
# /q/health/ready. Argument: a name for this start.
start_gateway() {
  local name=$1 t0 t1
  echo "starting the gateway on port $PORT ($name)"
  t0=$(date +%s%N)
  # The archive only matches the class path it was written for: java runs in the application's
  # directory with the jar's relative path, as Quarkus wrote it.
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
  launch_gateway "$work/gateway-$name.log" "$BENCH_API_KEY" "$APP" $JAVA_OPTS -XX:SharedArchiveFile=app-cds.jsa -jar quarkus-run.jar
  await_ready "$work/gateway-$name.log"
  t1=$(date +%s%N)
  startup_ms[$name]=$(((t1 - t0) / 1000000))
  quarkus_started[$name]=$(sed -n 's/.* started in \([0-9.]*\)s\..*/\1/p' "$work/gateway-$name.log" | head -n 1)
  echo "  ready after ${startup_ms[$name]} ms (Quarkus reports ${quarkus_started[$name]:-?} s)"
}

# First start: empty database, Flyway creates the schema.
start_gateway first

# --- data set ------------------------------------------------------------------------------------
echo "loading the data set: SEED=$SEED SCALE=$SCALE ($TRACES traces)"
t0=$(date +%s%N)
psql_db -v seed="$SEED" -v traces="$TRACES" -f bench/sql/queries/data.sql
t1=$(date +%s%N)
load_s=$(awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.1f", ns / 1e9 }')
echo "  loaded in $load_s s; VACUUM ANALYZE"
t0=$(date +%s%N)
psql_db -c "vacuum analyze"
t1=$(date +%s%N)
vacuum_s=$(awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.1f", ns / 1e9 }')
# Nothing of the load left to write out during the measurements.
psql_db -c "checkpoint"

read -r n_runs n_traces n_errors n_llm n_first_token <<<"$(psql_db -F ' ' -c "
  select count(*), count(*) filter (where parent_run_id is null), count(*) filter (where status = 'error'),
         count(*) filter (where run_type = 'llm'), count(first_token_time) from runs")"
read -r n_feedback n_feedback_roots <<<"$(psql_db -F ' ' -c "select count(*), count(distinct run_id) from feedback")"
read -r avg_inputs avg_outputs <<<"$(psql_db -F ' ' -c "
  select round(avg(octet_length(inputs::text))), round(avg(octet_length(outputs::text))) from runs")"
IFS='|' read -r size_heap size_toast size_indexes size_db <<<"$(psql_db -F '|' -c "
  select pg_size_pretty(sum(pg_relation_size(relid))), pg_size_pretty(sum(pg_table_size(relid) - pg_relation_size(relid))),
         pg_size_pretty(sum(pg_indexes_size(relid))), pg_size_pretty(pg_database_size(current_database()))
    from pg_partition_tree('runs') where isleaf")"
# The largest project: the one Q1, Q3, Q4 and Q5 read.
read -r PROJECT project_name project_traces project_runs <<<"$(psql_db -F ' ' -c "
  select p.id, p.name, count(*) filter (where r.parent_run_id is null), count(*)
  from runs r join projects p on p.id = r.project_id
  group by p.id, p.name order by 3 desc limit 1")"
project_sizes=$(psql_db -F ' ' -c "
  select string_agg(n::text, ', ' order by n desc) from (select count(*) as n from runs
  where parent_run_id is null group by project_id) as x")

# Q2's traces: 1,000 of all projects, the same for the wrk script (a file) and pgbench (a table).
psql_db -c "create table bench_traces (n int primary key, trace_id uuid not null)" \
  -c "insert into bench_traces select row_number() over (order by md5(id::text)), id
      from (select id from runs where parent_run_id is null order by md5(id::text) limit 1000) as x" \
  -c "analyze bench_traces"
psql_db -c "select trace_id from bench_traces order by n" >"$work/trace-ids.txt"
n_trace_ids=$(wc -l <"$work/trace-ids.txt")
first_trace=$(head -n 1 "$work/trace-ids.txt")

# --- request bodies ------------------------------------------------------------------------------
body() { # name, graphql file, variables (JSON)
  jq -n --rawfile q "bench/graphql/$2" --argjson v "$3" '{query: $q, variables: $v}' >"$work/$1.json"
}
body q1 q1-project-page.graphql "{\"projectId\": \"$PROJECT\"}"
body q2 q2-trace.graphql '{"traceId": "@ID@"}'
body q3 q3-nested.graphql "{\"projectId\": \"$PROJECT\"}"
body q4 q4-project-stats.graphql "{\"projectId\": \"$PROJECT\"}"
body q5-page1 q5-search.graphql "{\"projectId\": \"$PROJECT\", \"after\": null}"
sed "s/@ID@/$first_trace/" "$work/q2.json" >"$work/q2-one.json"

gql() { # body file, plan (optional: general) -> answer on stdout
  local plan=()
  [ "${2:-}" != general ] || plan=(-H 'X-Tracegql-Plan: general')
  curl -sS --fail-with-body -H "x-api-key: $BENCH_API_KEY" -H 'content-type: application/json' "${plan[@]}" \
    --data-binary @"$1" "$URL/graphql"
}
# Fails when an answer carries GraphQL errors, so that a refused query is never measured.
gql_ok() {
  local answer
  answer=$(gql "$1" "${2:-}") || die "request $1 failed: ${answer:0:300}"
  [ "$(jq 'has("errors")' <<<"$answer")" = false ] || die "request $1 answered errors: $(jq -c .errors <<<"$answer" | cut -c 1-300)"
  printf '%s' "$answer"
}

# Q5: walk the pages once, keep the cursors of pages 2 and 100.
echo "walking Q5 to page $DEEP_PAGE"
after=null
for page in $(seq 1 $((DEEP_PAGE - 1))); do
  body q5-walk q5-search.graphql "{\"projectId\": \"$PROJECT\", \"after\": $after}"
  answer=$(gql_ok "$work/q5-walk.json")
  [ "$(jq .data.runs.pageInfo.hasNextPage <<<"$answer")" = true ] ||
    die "Q5 matches fewer than $DEEP_PAGE pages (page $page is the last): use a larger SCALE"
  after=$(jq .data.runs.pageInfo.endCursor <<<"$answer")
  [ "$page" != 1 ] || cursor_page2=$after
done
cursor_page100=$after
body q5-page2 q5-search.graphql "{\"projectId\": \"$PROJECT\", \"after\": $cursor_page2}"
body q5-page100 q5-search.graphql "{\"projectId\": \"$PROJECT\", \"after\": $cursor_page100}"
q5_matches=$(psql_db -c "select count(*) from runs where tenant_id = '$TENANT' and project_id = '$PROJECT'
  and run_type = 'llm' and error is null and tags @> '{web}' and extra -> 'metadata' @> '{\"env\": \"prod\"}'")

# A cursor is base64url of run1|LATENCY|DESC|<latency>|<id>: pgbench needs its latency and id.
cursor_fields() { # cursor (JSON string) -> "latency id"
  local raw
  raw=$(jq -r . <<<"$1" | tr '_-' '/+')
  while ((${#raw} % 4)); do raw="$raw="; done
  base64 -d <<<"$raw" | awk -F'|' '{ print $4, $5 }'
}
read -r page2_lat page2_id <<<"$(cursor_fields "$cursor_page2")"
read -r page100_lat page100_id <<<"$(cursor_fields "$cursor_page100")"

# --- the SQL returns what the gateway returns ----------------------------------------------------
echo "checking that the SQL of each query returns the gateway's rows"
# psql interpolates :name as is, pgbench as a parameter: psql gets quoted literals. Columns are
# separated by | (times have spaces).
sql_file() { # file, extra psql -v settings...
  local file=$1
  shift
  psql_db -F '|' -v tenant="'$TENANT'" -v project="'$PROJECT'" "$@" -f "bench/sql/queries/$file"
}
checks=()
failed=0
check() { # label, gateway's list, SQL's list, what is compared
  local verdict=PASS
  if [ -z "$2" ] || [ "$2" != "$3" ]; then
    verdict=FAIL
    failed=1
    diff <(echo "$2") <(echo "$3") | head -n 10 >&2 || true
    echo "$1: the gateway and the SQL disagree" >&2
  fi
  checks+=("| $1 | $4 | $(grep -c . <<<"$2") | **$verdict** |")
}
check "Q1 project page" "$(gql_ok "$work/q1.json" | jq -r '.data.runs.nodes[].id')" \
  "$(sql_file q1-project-page.sql | cut -d'|' -f1)" "run ids in order"
check "Q2 trace tree" "$(gql_ok "$work/q2-one.json" | jq -r '.data.trace[].id')" \
  "$(psql_db -c "select id from runs where tenant_id = '$TENANT' and trace_id = '$first_trace' order by dotted_order")" \
  "run ids in order (trace $first_trace)"
# One line per child run: root id, child id, then the child's feedback keys when it has any.
check "Q3 nested" "$(gql_ok "$work/q3.json" | jq -r '.data.runs.nodes[] | .id as $root | .childRuns[] |
    "\($root) \(.id)" + (if (.feedbackStats | length) > 0 then " " + ([.feedbackStats[].key] | join(",")) else "" end)')" \
  "$(sql_file q3-nested-flat.sql | awk -F'|' '{ id = $1 " " $5
      if (id != last) { if (last != "") print last (keys == "" ? "" : " " keys); last = id; keys = $10 }
      else keys = keys "," $10 }
      END { print last (keys == "" ? "" : " " keys) }')" \
  "root id, child id, the child's feedback keys"
# Numbers to 9 significant digits, the time to the microsecond, feedback stats per key.
q4_gateway=$(gql_ok "$work/q4.json")
q4_gateway_lines=$(jq -r '.data.project | (
      [.runCount, .latencyP50, .latencyP99, .firstTokenP50, .firstTokenP99, .totalTokens, .promptTokens,
       .completionTokens, .totalCost, .promptCost, .completionCost, .errorRate] | .[] | tostring),
      .lastRunStartTime,
      (.feedbackStats[] | "\(.key) \(.count) \(.meanScore) \([.values[] | "\(.value)=\(.count)"] | join(","))")' \
    <<<"$q4_gateway" |
  awk 'NR <= 12 { printf "%.9g\n", $1; next }
       NR == 13 { cmd = "date -u -d " $1 " +%Y-%m-%dT%H:%M:%S.%6N"; cmd | getline t; close(cmd); print t; next }
       { $3 = ($3 == "null" ? "null" : sprintf("%.9g", $3)); print }' | sed 's/ $//')
q4_sql_lines=$({
  echo "select run_count, latency[1], latency[2], first_token[1], first_token[2], total_tokens, prompt_tokens,"
  echo "  completion_tokens, total_cost, prompt_cost, completion_cost, error_rate,"
  echo "  to_char(last_run_start_time at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), feedback_stats"
  echo "from ("
  grep -v '^--' bench/sql/queries/q4-stats-best.sql | sed 's/;$//'
  echo ") as q;"
} | psql_db -F '|' -v tenant="'$TENANT'" -v project="'$PROJECT'" |
  jq -rR 'split("|") | (.[0:12][]), .[12], (.[13] | fromjson | .[] |
      "\(.key) \(.count) \(.meanScore) \([.values[] | "\(.value)=\(.count)"] | join(","))")' |
  awk 'NR <= 12 { printf "%.9g\n", $1; next } NR == 13 { print; next }
       { $3 = ($3 == "null" ? "null" : sprintf("%.9g", $3)); print }' | sed 's/ $//')
# The four quantiles come from the rollups, within 1% of the exact value (README): each is compared
# with that tolerance, and shown as "within 1%" on both sides when it holds.
quantiles_within() { # the other side's lines: lines 2-5 of stdin become "within 1%" when close to them
  awk -v other="$1" 'BEGIN { n = split(other, o, "\n") }
    NR >= 2 && NR <= 5 { d = $1 - o[NR]; if (d < 0) d = -d; a = o[NR] < 0 ? -o[NR] : o[NR]
                         if (d <= 0.01 * a) { print "quantile within 1%"; next } }
    { print }'
}
check "Q4 project stats" "$(quantiles_within "$q4_sql_lines" <<<"$q4_gateway_lines")" \
  "$(quantiles_within "$q4_gateway_lines" <<<"$q4_sql_lines")" "every number and feedback stat, quantiles within 1%"
check "Q5 filtered search, page 1" "$(gql_ok "$work/q5-page1.json" | jq -r '.data.runs.nodes[].id')" \
  "$(sql_file q5-search.sql | head -n 20 | cut -d'|' -f1)" "run ids in order"
check "Q5 filtered search, page 2" "$(gql_ok "$work/q5-page2.json" | jq -r '.data.runs.nodes[].id')" \
  "$(sql_file q5-search-after.sql -v lat="$page2_lat" -v cid="'$page2_id'" | head -n 20 | cut -d'|' -f1)" \
  "run ids in order"
check "Q5 filtered search, page $DEEP_PAGE" "$(gql_ok "$work/q5-page100.json" | jq -r '.data.runs.nodes[].id')" \
  "$(sql_file q5-search-after.sql -v lat="$page100_lat" -v cid="'$page100_id'" | head -n 20 | cut -d'|' -f1)" \
  "run ids in order"

# --- SQL statements per request ------------------------------------------------------------------
# The gateway exposes no statement counter, so PostgreSQL counts: the bench database alone logs every
# statement (log_statement = all, set on the database, so only connections opened after it log), and the
# lines between two markers are one request's. This needs a restart of the gateway, and the server's
# log file readable through pg_read_file (superuser).
find_log() {
  [ -z "$PG_LOG" ] || { echo "$PG_LOG"; return; }
  local current data
  current=$(psql_admin -c "select coalesce(pg_current_logfile(), '')")
  if [ -n "$current" ]; then
    data=$(psql_admin -c "show data_directory")
    case $current in /*) echo "$current" ;; *) echo "$data/$current" ;; esac
    return
  fi
  # Debian's pg_ctlcluster sends the server's stderr to /var/log/postgresql/postgresql-<version>-<cluster>.log.
  data=$(psql_admin -c "show data_directory")
  [[ $data =~ /([0-9]+)/([^/]+)/?$ ]] && echo "/var/log/postgresql/postgresql-${BASH_REMATCH[1]}-${BASH_REMATCH[2]}.log"
}
log_size() { psql_admin -c "select size from pg_stat_file('$server_log')"; }
mark() { psql_db -c "select 'bench-mark $1'" >/dev/null; }

declare -A statements statement_text
stop_gateway
server_log=$(find_log || true)
count_method=""
if [ -n "$server_log" ] && log_size >/dev/null 2>&1 &&
  psql_admin -c "show log_line_prefix" | grep -q '%d' &&
  psql_admin -c "alter database $DB set log_statement = 'all'" 2>/dev/null; then
  count_method=log
fi
if [ "$count_method" = log ]; then
  start_gateway restart-counting
  echo "counting SQL statements per request ($COUNTED requests per query, server log $server_log)"
  count_statements() { # key, body file, plan (optional: general)
    local key=$1 file=$2 plan=${3:-} offset
    gql_ok "$file" "$plan" >/dev/null # prepares the statements and caches the API key
    offset=$(log_size)
    for i in $(seq 1 "$COUNTED"); do
      mark "$key-$i"
      gql_ok "$file" "$plan" >/dev/null
    done
    mark "$key-end"
    psql_admin -c "select pg_read_file('$server_log', $offset, $(log_size) - $offset)" >"$work/$key.sqllog"
    # Statement counts per request, e.g. 3 or 3/4.
    local counts
    counts=$(awk -v db="@$DB " '
      index($0, db) && / LOG:  (execute [^:]*|statement): / {
        if (index($0, "bench-mark ")) { if (started) print n; started = 1; n = 0; next }
        n++
      }' "$work/$key.sqllog" | sort -n | uniq | paste -sd/ -)
    statements[$key]=${counts:-?}
    # The statements of a request with the fewest (not one that also looked up the API key), each
    # with its parameters written in as literals: a pgbench script of what the gateway sends.
    awk -v db="@$DB " '
      function flush() { if (started && (best == "" || n <= best)) { best = n; out = buf } buf = ""; n = 0 }
      index($0, db) && / LOG:  (execute [^:]*|statement): / {
        if (index($0, "bench-mark ")) { flush(); started = 1; next }
        sql = $0; sub(/.* LOG:  (execute [^:]*|statement): /, "", sql); buf = buf "S\t" sql "\n"; n++; next
      }
      index($0, db) && / DETAIL:  parameters: / { p = $0; sub(/.* DETAIL:  parameters: /, "", p); buf = buf "P\t" p "\n" }
      END { printf "%s", out }' "$work/$key.sqllog" >"$work/$key.statements"
    awk -F'\t' -v vars="$work/$key.gateway.vars" '
      # Parameters as logged: $1 = '"'"'text'"'"', $2 = NULL, ... (quotes inside doubled). Each
      # becomes a pgbench variable s<statement>p<number>, sent as a parameter of the prepared
      # statement as the gateway sends it, so that PostgreSQL plans it the same way.
      function parse(p,   n, i, c, v) {
        delete val
        while (match(p, /^\$[0-9]+ = /)) {
          n = substr(p, 2, RLENGTH - 4) + 0
          p = substr(p, RLENGTH + 1)
          if (substr(p, 1, 4) == "NULL") { val[n] = "NULL"; p = substr(p, 5) }
          else {
            v = ""; i = 2
            while (i <= length(p)) {
              c = substr(p, i, 1)
              if (c == "'"'"'") { if (substr(p, i + 1, 1) == "'"'"'") { v = v c; i += 2; continue } i++; break }
              v = v c; i++
            }
            val[n] = ":s" k "p" n; print "s" k "p" n "=" v >vars; p = substr(p, i)
          }
          sub(/^, /, "", p)
        }
      }
      function emit(   out, rest, n) {
        if (sql == "") return
        # $12 before $1: replace the highest numbers first.
        for (n = 99; n >= 1; n--) {
          if (!(n in val)) continue
          out = ""; rest = sql
          while (match(rest, "\\$" n "([^0-9]|$)")) {
            out = out substr(rest, 1, RSTART - 1) val[n]
            rest = substr(rest, RSTART + length(n) + 1)
          }
          sql = out rest
        }
        print sql ";"
        sql = ""; delete val
      }
      $1 == "S" { emit(); k++; sql = $2; next }
      $1 == "P" { parse($2) }
      END { emit() }' "$work/$key.statements" >"$work/$key.gateway.sql"
    touch "$work/$key.gateway.vars"
    statement_text[$key]=$(awk -F'\t' '$1 == "S" { print $2 }' "$work/$key.statements" |
      sed -E 's/^select .* from (runs r|projects p|feedback f) where/select … from \1 where/; s/^with f as \(select .* from feedback f where/with f as (select … from feedback f where/' |
      cut -c 1-400)
  }
  count_statements q1 "$work/q1.json"
  count_statements q2 "$work/q2-one.json"
  count_statements q3 "$work/q3.json"
  count_statements q4 "$work/q4.json"
  count_statements q5-page2 "$work/q5-page2.json"
  count_statements q5-page1 "$work/q5-page1.json"
  count_statements q5-page100 "$work/q5-page100.json"
  if [ "$PATHS" = both ]; then
    for key in q1 q3 q4 q5-page2 q5-page1 q5-page100; do
      count_statements "$key-general" "$work/$key.json" general
    done
    count_statements q2-general "$work/q2-one.json" general
  fi
  stop_gateway
  psql_admin -c "alter database $DB reset log_statement"
else
  echo "statements per request: the server log is not readable here, not measured"
fi
start_gateway restart

# --- measurement helpers -------------------------------------------------------------------------
# Busy and total jiffies of the whole machine, to show how much CPU went to other processes.
machine_cpu() { awk '/^cpu / { printf "%.0f %.0f\n", $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }

cpu_start() {
  local name=$1
  # Line-buffered: pidstat's output must be complete in the file when it is stopped. -l shows
  # command lines, which tell PostgreSQL's processes apart (backends name their database, parallel
  # workers their leader), however short they live.
  stdbuf -oL pidstat -l -u -h -C '(^|/)(java|postgres|wrk|pgbench)( |:|$)' 1 >"$work/$name.pidstat" 2>&1 &
  pidstat_pid=$!
  # The gateway's resident memory every second, until cpu_stop removes the flag file.
  touch "$work/sampling"
  (while [ -e "$work/sampling" ]; do ps -o rss= -p "$gateway_pid"; sleep 1; done) >"$work/$name.rss" 2>/dev/null &
  rss_pid=$!
  helper_pids+=("$pidstat_pid" "$rss_pid")
  machine_cpu >"$work/$name.machine0"
}

# Sets cpu_split to "gateway postgres loadgen other" (average % of one core over the phase) and
# rss_mb to the gateway's largest resident set in MB. PostgreSQL's share is its backends of the
# benchmark database, their parallel workers and the shared writers.
cpu_stop() {
  local name=$1 loadgen_pid=$2
  machine_cpu >"$work/$name.machine1"
  rm -f "$work/sampling"
  kill "$pidstat_pid" 2>/dev/null || true
  wait "$pidstat_pid" "$rss_pid" 2>/dev/null || true
  read -r busy0 total0 <"$work/$name.machine0"
  read -r busy1 total1 <"$work/$name.machine1"
  local machine
  machine=$(awk -v b=$((busy1 - busy0)) -v t=$((total1 - total0)) -v n="$(nproc)" 'BEGIN { printf "%.1f", t ? 100 * n * b / t : 0 }')
  cpu_split=$(awk -v gw="$gateway_pid" -v lg="$loadgen_pid" -v machine="$machine" -v db=" $DB " '
    /^#/ { for (i = 2; i <= NF; i++) col[$i] = i - 1; next }
    NF > 3 && ("Command" in col) {
      if (!($1 in seen)) { seen[$1] = 1; n++ }
      pid = $col["PID"]; cpu = $col["%CPU"]
      cmd = ""; for (i = col["Command"]; i <= NF; i++) cmd = cmd " " $i
      if (pid == gw) g += cpu
      else if (pid == lg) l += cpu
      else if (index(cmd " ", db) || cmd ~ /: (checkpointer|background writer|walwriter) *$/) { p += cpu; ours[pid] = 1 }
      else if (match(cmd, /parallel worker for PID [0-9]+/)) { leader[pid] = substr(cmd, RSTART + 24, RLENGTH - 24); wcpu[pid] += cpu }
    }
    END {
      for (w in leader) if (leader[w] in ours) p += wcpu[w]
      if (n == 0) n = 1
      g /= n; p /= n; l /= n; o = machine - g - p - l; if (o < 0) o = 0
      printf "%.0f %.0f %.0f %.0f\n", g, p, l, o
    }' "$work/$name.pidstat")
  rss_mb=$(sort -n "$work/$name.rss" | tail -n 1 | awk '{ printf "%.0f", $1 / 1024 }')
}

ms() { awk -v us="$1" 'BEGIN { printf (us < 10000 ? "%.2f ms" : "%.1f ms"), us / 1000 }'; }

declare -A rps p50 p99 cpu other rss mean_us answered cold_rps cpu_ms
rss_max=0

# One wrk run; leaves its BENCH line in $line. Arguments: name, seconds, connections, body file, id file.
run_wrk() {
  local name=$1 seconds=$2 connections=$3
  shift 3
  # One connection per thread, as in ingest.sh.
  BENCH_PLAN=${bench_plan:-} wrk -t "$connections" -c "$connections" -d "${seconds}s" --timeout 60s --latency \
    -s bench/lua/graphql.lua "$URL/graphql" -- "$@" >"$work/$name.wrk" 2>&1 &
  loadgen_pid=$!
  wait "$loadgen_pid" || { cat "$work/$name.wrk" >&2; die "wrk failed ($name)"; }
  line=$(grep '^BENCH ' "$work/$name.wrk") || { cat "$work/$name.wrk" >&2; die "wrk printed no summary ($name)"; }
  [ "$(field failed "$line")" = 0 ] && [ "$(field socket_errors "$line")" = 0 ] ||
    die "$name: $(field failed "$line") failed answers, $(field socket_errors "$line") socket errors; first: $(field first_error "$line")"
}

# Answered requests per second of the last wrk run (its BENCH line, $line).
answers_per_second() {
  awk -v r="$(field ok "$line")" -v d="$(field duration_us "$line")" 'BEGIN { printf "%.1f", r / (d / 1e6) }'
}

# Warm-up and measurement of one GraphQL query. Arguments: key, body file, id file (optional).
measure_gateway() {
  local key=$1
  shift
  echo "$key gateway: warm-up ${WARMUP}s, measuring ${DURATION}s"
  run_wrk "$key-warmup" "$WARMUP" "$CONNECTIONS" "$@"
  settle
  cpu_start "$key"
  run_wrk "$key" "$DURATION" "$CONNECTIONS" "$@"
  cpu_stop "$key" "$loadgen_pid"
  settle
  rps[$key]=$(answers_per_second)
  # Which path answered, from each answer's X-Tracegql-Plan header.
  local answered_compiled
  answered_compiled=$(field compiled "$line")
  if [ "$answered_compiled" = "$(field ok "$line")" ]; then
    answered[$key]=compiled
  elif [ "$answered_compiled" = 0 ]; then
    answered[$key]=general
  else
    answered[$key]="mixed ($answered_compiled compiled)"
  fi
  p50[$key]=$(field p50_us "$line")
  p99[$key]=$(field p99_us "$line")
  mean_us[$key]=$(field mean_us "$line")
  read -r c_gw c_pg c_lg c_other <<<"$cpu_split"
  cpu[$key]="${c_gw}% / ${c_pg}% / ${c_lg}%"
  other[$key]="${c_other}%"
  # Milliseconds of the gateway's CPU per answered request.
  cpu_ms[$key]=$(awk -v c="$c_gw" -v r="${rps[$key]}" 'BEGIN { printf "%.3f", (r > 0 ? c * 10 / r : 0) }')
  rss[$key]=$rss_mb
  ((rss_mb <= rss_max)) || rss_max=$rss_mb
  echo "  ${rps[$key]} req/s, p50 $(ms "${p50[$key]}"), p99 $(ms "${p99[$key]}"), CPU ${cpu[$key]}, RSS $rss_mb MB"
}

# Warm-up and measurement of a pgbench script. Arguments: key, script, pgbench options.
measure_pgbench() {
  local key=$1 file=$2
  shift 2
  local args=(-M prepared -n -c "$CONNECTIONS" -f "$file" -D tenant="$TENANT" -D project="$PROJECT" "$@")
  echo "$key pgbench: warm-up ${WARMUP}s, measuring ${DURATION}s"
  pgbench "${PG[@]}" "${args[@]}" -T "$WARMUP" "$DB" >"$work/$key-warmup.pgbench" 2>&1 ||
    { cat "$work/$key-warmup.pgbench" >&2; die "pgbench failed ($key)"; }
  settle
  cpu_start "$key"
  pgbench "${PG[@]}" "${args[@]}" -T "$DURATION" -l --log-prefix="$work/$key-tx" "$DB" >"$work/$key.pgbench" 2>&1 &
  loadgen_pid=$!
  wait "$loadgen_pid" || { cat "$work/$key.pgbench" >&2; die "pgbench failed ($key)"; }
  cpu_stop "$key" "$loadgen_pid"
  settle
  local failed_tx
  failed_tx=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$work/$key.pgbench")
  [ "${failed_tx:-0}" = 0 ] || die "$key: $failed_tx pgbench transactions failed"
  rps[$key]=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' "$work/$key.pgbench" | awk '{ printf "%.1f", $1 }')
  # Per-transaction log lines: client, transaction, latency in microseconds, ...
  local t50 t99
  read -r t50 t99 <<<"$(cat "$work/$key-tx".* | awk '{ print $3 }' | sort -n |
    awk '{ v[NR] = $1 } END { i50 = int(NR * 0.5); i99 = int(NR * 0.99); if (i50 < 1) i50 = 1; if (i99 < 1) i99 = 1; print v[i50], v[i99] }')"
  p50[$key]=$t50
  p99[$key]=$t99
  mean_us[$key]=$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' "$work/$key.pgbench" | awk '{ printf "%.0f", $1 * 1000 }')
  read -r c_gw c_pg c_lg c_other <<<"$cpu_split"
  cpu[$key]="- / ${c_pg}% / ${c_lg}%"
  other[$key]="${c_other}%"
  echo "  ${rps[$key]} tx/s, p50 $(ms "${p50[$key]}"), p99 $(ms "${p99[$key]}"), CPU ${cpu[$key]}"
}

# --- the measurements ----------------------------------------------------------------------------
started=$(date -u '+%Y-%m-%d %H:%M UTC')
# Per query: the gateway, the equivalent SQL, and (when the statements were counted) the gateway's
# own statements replayed by pgbench, which splits the gap into the gateway's cost and its SQL's.
QUERIES=(q1 q2 q3 q4 q5-page2 q5-page1 q5-page100)
declare -A sql_of=([q1]=q1-project-page.sql [q2]=q2-trace.sql [q3]=q3-nested-flat.sql [q4]=q4-stats-best.sql
  [q5-page2]=q5-search-after.sql [q5-page1]=q5-search.sql [q5-page100]=q5-search-after.sql)
declare -A sql_args=([q2]="-D traces=$n_trace_ids" [q5-page2]="-D lat=$page2_lat -D cid=$page2_id"
  [q5-page100]="-D lat=$page100_lat -D cid=$page100_id")
if [ "$count_method" = log ]; then
  # Q2's statement rotates over the same traces as the wrk script.
  trace_var=$(sed -n "s/^\([a-z0-9]*\)=$first_trace\$/\1/p" "$work/q2.gateway.vars")
  [ -n "$trace_var" ] || die "the gateway's trace statement has no parameter with the trace id"
  { echo '\set n random(1, :traces)'; sed "s/:$trace_var\b/(select trace_id from bench_traces where n = :n)/g" "$work/q2.gateway.sql"; } \
    >"$work/q2.gateway.rotating.sql"
  mv "$work/q2.gateway.rotating.sql" "$work/q2.gateway.sql"
fi
# The JIT compiles the code every query shares (HTTP, GraphQL execution, JSON) while it serves them:
# one round of every query first, so that the first query measured does not also pay for that, as a
# gateway that has served a mix of queries would not.
echo "warming the gateway up: every query for ${JIT_WARMUP}s"
for key in "${QUERIES[@]}"; do
  ids=()
  [ "$key" != q2 ] || ids=("$work/trace-ids.txt")
  run_wrk "$key-jit-warmup" "$JIT_WARMUP" "$CONNECTIONS" "$work/$key.json" "${ids[@]}"
  # Its own figures are the cold gateway's, the JIT still compiling.
  cold_rps[$key]=$(answers_per_second)
done
for key in "${QUERIES[@]}"; do
  ids=()
  [ "$key" != q2 ] || ids=("$work/trace-ids.txt")
  measure_gateway "$key" "$work/$key.json" "${ids[@]}"
  if [ "$PATHS" = both ]; then
    bench_plan=general measure_gateway "$key-general" "$work/$key.json" "${ids[@]}"
  fi
  # shellcheck disable=SC2086 # sql_args holds options
  measure_pgbench "$key-sql" "bench/sql/queries/${sql_of[$key]}" ${sql_args[$key]:-}
  # shellcheck disable=SC2086
  if [ "$count_method" = log ]; then
    mapfile -t own_vars < <(sed 's/^/-D/' "$work/$key.gateway.vars")
    # shellcheck disable=SC2086
    PGOPTIONS=$(own_pgoptions "$work/$key.gateway.sql") measure_pgbench "$key-own" "$work/$key.gateway.sql" "${own_vars[@]}" ${sql_args[$key]:-}
  fi
done

# Q4 alone, one request at a time: the time of one request against the best single statement (and
# the gateway's own statements one after another).
echo "q4 one client: gateway ${DURATION}s"
run_wrk q4-one "$DURATION" 1 "$work/q4.json"
q4_one_gateway_us=$(field mean_us "$line")
q4_one_gateway_n=$(field ok "$line")
one_client() { # key, script, pgbench options -> sets one_us and one_n
  local key=$1 file=$2
  shift 2
  echo "q4 one client: $key ${DURATION}s"
  pgbench "${PG[@]}" -M prepared -n -c 1 -T "$DURATION" -f "$file" -D tenant="$TENANT" -D project="$PROJECT" "$@" "$DB" \
    >"$work/$key.pgbench" 2>&1 || { cat "$work/$key.pgbench" >&2; die "pgbench failed ($key)"; }
  one_us=$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' "$work/$key.pgbench" | awk '{ printf "%.0f", $1 * 1000 }')
  one_n=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$work/$key.pgbench")
}
one_client q4-one-sql bench/sql/queries/q4-stats-best.sql
q4_one_sql_us=$one_us q4_one_sql_n=$one_n
if [ "$count_method" = log ]; then
  mapfile -t own_vars < <(sed 's/^/-D/' "$work/q4.gateway.vars")
  PGOPTIONS=$(own_pgoptions "$work/q4.gateway.sql") one_client q4-one-own "$work/q4.gateway.sql" "${own_vars[@]}"
  q4_one_own_us=$one_us q4_one_own_n=$one_n
fi

stop_gateway
for f in "$work"/gateway-*.log; do
  gateway_problems=$((gateway_problems + $(grep -c -E ' (ERROR|WARN) ' "$f" || true)))
done

# --- results -------------------------------------------------------------------------------------
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
# Only the gateway's own sources matter here, not the benchmark's files.
git diff --quiet HEAD -- src pom.xml 2>/dev/null || commit="$commit (src has uncommitted changes)"
app_jar=$(find target/quarkus-app/app -name '*.jar' | head -n 1)
# Two significant digits at least, however small.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { r = b ? a / b : 0; printf (r >= 0.1 || r == 0 ? "%.2f" : "%.2g"), r }'; }
verdict() { if [ "$1" = 1 ]; then echo "**met**"; else echo "**not met**"; fi; }
is() { awk "BEGIN { exit !($1) }" && echo 1 || echo 0; }
statements_of() { [ "$count_method" = log ] && echo "${statements[$1]}" || echo "not measured"; }

# Every gateway measurement: p99 within 3 x p50.
worst_tail=0 worst_tail_key=""
for key in "${QUERIES[@]}"; do
  t=$(ratio "${p99[$key]}" "${p50[$key]}")
  if [ "$(is "$t > $worst_tail")" = 1 ]; then worst_tail=$t worst_tail_key=$key; fi
done
# The slower of the restarts on the loaded database.
restart_ms=${startup_ms[restart]}
[ "${startup_ms[restart-counting]:-0}" -le "$restart_ms" ] || restart_ms=${startup_ms[restart-counting]}
q4_factor=$(ratio "$q4_one_gateway_us" "$q4_one_sql_us")
page_factor=$(ratio "${rps[q5-page100]}" "${rps[q5-page1]}")

{
  echo "# Query benchmark results"
  echo
  echo "Written by \`bash bench/queries.sh\` (see [README.md](README.md)); rerun the script instead of editing this file."
  echo "Ingest throughput is measured apart by \`bench/ingest.sh\`: [RESULTS-ingest.md](RESULTS-ingest.md)."
  echo
  [ -z "$NOTE" ] || { echo "> **Note:** $NOTE"; echo; }
  [ "$DURATION" -ge 15 ] || { echo "> Short run (DURATION=$DURATION s): figures are indicative only."; echo; }
  echo "- Date: $started"
  echo "- Machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(free -g | awk '/^Mem:/ { print $2 }') GB memory"
  echo "- Java: $(java -version 2>&1 | head -n 1), flags \`$JAVA_OPTS\`, with the application's class-data sharing archive ($(grep -q 'Unable to use shared archive' "$work"/gateway-restart.log && echo "refused: see the gateway's log" || echo used))"
  echo "- PostgreSQL: $(psql_admin -c 'show server_version') (shared_buffers $(psql_admin -c 'show shared_buffers'), work_mem $(psql_admin -c 'show work_mem')); $(pgbench --version); $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)"
  echo "- Gateway: commit $commit, jar built $(date -u -r "$app_jar" '+%Y-%m-%d %H:%M UTC'), prod profile, default settings"
  echo "- Parameters: SEED=$SEED, SCALE=$SCALE, DURATION=$DURATION s measured after WARMUP=$WARMUP s, after a first round of JIT_WARMUP=$JIT_WARMUP s per query, CONNECTIONS=$CONNECTIONS" \
    "(wrk: one thread per connection; pgbench: -M prepared -c $CONNECTIONS)"
  echo
  echo "## Data set"
  echo
  echo "Generated in SQL by [\`sql/queries/data.sql\`](sql/queries/data.sql) into the schema the gateway's Flyway created."
  echo
  echo "| | |"
  echo "| --- | --- |"
  echo "| load (\`insert ... select\`) | $load_s s |"
  echo "| VACUUM ANALYZE | $vacuum_s s |"
  echo "| runs | $n_runs ($n_traces traces, $n_llm llm runs, $n_first_token with a first token, $n_errors with an error) |"
  echo "| traces per project | $project_sizes |"
  echo "| largest project | $project_name: $project_traces traces, $project_runs runs |"
  echo "| feedback | $n_feedback on $n_feedback_roots roots |"
  echo "| inputs / outputs JSON (avg) | $avg_inputs / $avg_outputs bytes |"
  echo "| runs: heap / TOAST / indexes | $size_heap / $size_toast / $size_indexes |"
  echo "| database | $size_db |"
  echo
  echo "## Throughput and latency"
  echo
  echo "Each query through the gateway: wrk + [\`lua/graphql.lua\`](lua/graphql.lua) POSTing to /graphql with the API key."
  echo
  echo "| query | req/s | p50 | p99 | p99/p50 | CPU gateway / postgres / wrk | gateway CPU per request | CPU other | JVM RSS | SQL statements per request | cold: req/s of the first round |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  label() {
    case $1 in
      q1) echo "Q1 project page: 50 newest traces, no payloads ([graphql](graphql/q1-project-page.graphql))" ;;
      q2) echo "Q2 trace tree with inputs and outputs, $n_trace_ids traces in turn ([graphql](graphql/q2-trace.graphql))" ;;
      q3) echo "Q3 20 traces, their child runs, each child's feedback stats ([graphql](graphql/q3-nested.graphql))" ;;
      q4) echo "Q4 project stats, every aggregate ([graphql](graphql/q4-project-stats.graphql))" ;;
      q5-page2) echo "Q5 filtered search, slowest first, page 2 by cursor ([graphql](graphql/q5-search.graphql))" ;;
      q5-page1) echo "Q5 page 1" ;;
      q5-page100) echo "Q5 page $DEEP_PAGE by cursor" ;;
    esac
  }
  for key in "${QUERIES[@]}"; do
    echo "| $(label "$key") | ${rps[$key]} | $(ms "${p50[$key]}") | $(ms "${p99[$key]}") | $(ratio "${p99[$key]}" "${p50[$key]}") | ${cpu[$key]} | ${cpu_ms[$key]} ms | ${other[$key]} | ${rss[$key]} MB | $(statements_of "$key") | ${cold_rps[$key]} |"
  done
  echo
  if [ "$PATHS" = both ]; then
    echo "## Compiled and general path"
    echo
    echo "Each query as the gateway answers it (the compiled path when every field of the query has a compiled form," \
      "see the README) and asking for the general path (\`X-Tracegql-Plan: general\`), same settings; \"answered by\" is" \
      "the X-Tracegql-Plan header of the answers."
    echo
    echo "| query | answered by | req/s | p50 | p99 | gateway CPU per request | SQL statements | general: req/s | p50 | p99 | gateway CPU per request | SQL statements | answered / general |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for key in "${QUERIES[@]}"; do
      echo "| ${key^^} | ${answered[$key]} | ${rps[$key]} | $(ms "${p50[$key]}") | $(ms "${p99[$key]}") | ${cpu_ms[$key]} ms | $(statements_of "$key") |" \
        "${rps[$key-general]} | $(ms "${p50[$key-general]}") | $(ms "${p99[$key-general]}") | ${cpu_ms[$key-general]} ms | $(statements_of "$key-general") |" \
        "$(ratio "${rps[$key]}" "${rps[$key-general]}") |"
    done
    echo
  fi
  echo "## Against the database's limit"
  echo
  echo "The same queries as pgbench scripts at the same concurrency (\`-M prepared -c $CONNECTIONS\`): the equivalent SQL," \
    "written by hand (the database's limit for what the query returns), and the gateway's own statements of one request," \
    "taken from the statement log below and sent with the same parameters as prepared statements (the gateway's SQL" \
    "without the gateway)."
  echo
  echo "| query | equivalent SQL | tx/s | p50 | CPU postgres / pgbench | gateway's statements: tx/s | p50 | CPU postgres / pgbench | gateway / limit | gateway / its statements | its statements / limit |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  sql_label() {
    case $1 in
      q3) echo "[one flat join](sql/queries/${sql_of[$1]})" ;;
      q4) echo "[best single statement](sql/queries/${sql_of[$1]})" ;;
      *) echo "[${sql_of[$1]}](sql/queries/${sql_of[$1]})" ;;
    esac
  }
  for key in "${QUERIES[@]}"; do
    if [ "$count_method" = log ]; then
      own="${rps[$key-own]} | $(ms "${p50[$key-own]}") | ${cpu[$key-own]#- / } | $(ratio "${rps[$key]}" "${rps[$key-sql]}") | $(ratio "${rps[$key]}" "${rps[$key-own]}") | $(ratio "${rps[$key-own]}" "${rps[$key-sql]}")"
    else
      own="- | - | - | $(ratio "${rps[$key]}" "${rps[$key-sql]}") | - | -"
    fi
    echo "| ${key^^} | $(sql_label "$key") | ${rps[$key-sql]} | $(ms "${p50[$key-sql]}") | ${cpu[$key-sql]#- / } | $own |"
  done
  echo
  echo "CPU is the average over the measurement in % of one core (the machine has $(($(nproc) * 100))%), from \`pidstat -u 1\`:" \
    "the gateway's java process, the PostgreSQL processes serving \`$DB\` (backends, their parallel workers, WAL writer," \
    "checkpointer, background writer), and wrk or pgbench. \"Other\" is the rest of the machine's busy time (from /proc/stat) during the" \
    "gateway's measurement; during the pgbench ones: $(for k in "${QUERIES[@]}"; do printf '%s %s, ' "${k^^}" "${other[$k-sql]}"; done | sed 's/, $//')." \
    "More than a few % means something else was running and the figures are disturbed, or that PostgreSQL ran" \
    "parallel workers: those that live less than a second escape pidstat and count as other."
  echo "JVM RSS is the largest resident set of the gateway's java process during the measurement (\`ps -o rss\`, every second)."
  echo
  echo "## Q4: one request at a time"
  echo
  echo "| | mean time | requests |"
  echo "| --- | ---: | ---: |"
  echo "| gateway, \`project(id) { every aggregate }\` (wrk, 1 connection, $DURATION s) | $(ms "$q4_one_gateway_us") | $q4_one_gateway_n |"
  echo "| best single SQL statement for the same numbers (pgbench -c 1, $DURATION s) | $(ms "$q4_one_sql_us") | $q4_one_sql_n |"
  [ "$count_method" != log ] ||
    echo "| the gateway's own $(grep -c . "$work/q4.gateway.sql") statements, one after another (pgbench -c 1, $DURATION s) | $(ms "$q4_one_own_us") | $q4_one_own_n |"
  echo "| gateway / SQL | $q4_factor x | |"
  echo
  echo "## Q5: page 1 against page $DEEP_PAGE"
  echo
  echo "The filter matches $q5_matches runs of the project; pages of 20. Page $DEEP_PAGE's cursor was taken by walking the pages once."
  echo
  echo "| | gateway req/s | gateway p50 | equivalent SQL tx/s | SQL p50 | gateway's statements tx/s | p50 |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  for key in q5-page1 q5-page100; do
    echo "| page ${key#q5-page} | ${rps[$key]} | $(ms "${p50[$key]}") | ${rps[$key-sql]} | $(ms "${p50[$key-sql]}") |" \
      "${rps[$key-own]:--} | $([ -z "${p50[$key-own]:-}" ] && echo - || ms "${p50[$key-own]}") |"
  done
  own_factor="-"
  [ "$count_method" != log ] || own_factor="$(ratio "${rps[q5-page100-own]}" "${rps[q5-page1-own]}") | $(ratio "${p50[q5-page100-own]}" "${p50[q5-page1-own]}")"
  echo "| page $DEEP_PAGE / page 1 | $page_factor | $(ratio "${p50[q5-page100]}" "${p50[q5-page1]}") | $(ratio "${rps[q5-page100-sql]}" "${rps[q5-page1-sql]}") | $(ratio "${p50[q5-page100-sql]}" "${p50[q5-page1-sql]}") | $own_factor |"
  echo
  echo "## Targets"
  echo
  echo "| target | measured | |"
  echo "| --- | --- | --- |"
  echo "| Q1 at least 50% of the pgbench limit | $(ratio "${rps[q1]}" "${rps[q1-sql]}") | $(verdict "$(is "${rps[q1]} >= 0.5 * ${rps[q1-sql]}")") |"
  echo "| Q2 at least 50% of the pgbench limit | $(ratio "${rps[q2]}" "${rps[q2-sql]}") | $(verdict "$(is "${rps[q2]} >= 0.5 * ${rps[q2-sql]}")") |"
  echo "| Q3 at least 40% of the flat-join limit | $(ratio "${rps[q3]}" "${rps[q3-sql]}") | $(verdict "$(is "${rps[q3]} >= 0.4 * ${rps[q3-sql]}")") |"
  echo "| Q4 within 1.5 x the best SQL (one request at a time) | $q4_factor x | $(verdict "$(is "$q4_factor <= 1.5")") |"
  echo "| Q5 page $DEEP_PAGE about as fast as page 1 (gateway req/s within 25%) | $page_factor | $(verdict "$(is "$page_factor >= 0.75 && $page_factor <= 1.25")") |"
  echo "| p99 at most 3 x p50, every gateway measurement | worst $worst_tail (${worst_tail_key^^}) | $(verdict "$(is "$worst_tail <= 3")") |"
  echo "| JVM RSS under load at most 300 MB | $rss_max MB | $(verdict "$(is "$rss_max <= 300")") |"
  echo "| start to ready under 3 s (restart on the loaded database) | $restart_ms ms | $(verdict "$(is "$restart_ms < 3000")") |"
  echo
  echo "Start to ready is the time from launching \`java -jar\` to the first 200 from \`/q/health/ready\` (polled every 50 ms):" \
    "$(for k in first restart-counting restart; do [ -z "${startup_ms[$k]:-}" ] || printf '%s %s ms (Quarkus: %s s), ' "$k" "${startup_ms[$k]}" "${quarkus_started[$k]:-?}"; done | sed 's/, $//')." \
    "\"first\" is on an empty database, where Flyway creates the schema."
  echo
  echo "## SQL statements per request"
  echo
  if [ "$count_method" = log ]; then
    echo "Counted by PostgreSQL: for this, the gateway ran once with \`log_statement = all\` set on \`$DB\` alone (\`alter database\`)," \
      "and the statements logged between two markers are one request's ($COUNTED requests per query, after one that" \
      "prepared the statements; a/b means some requests had a, some b, e.g. when the API key's 5-second cache expired)." \
      "The measurements above ran after a restart without it. The statements of one request, select lists left out:"
    echo
    for key in q1 q2 q3 q4 q5-page2 q5-page1 q5-page100; do
      echo "- ${key^^}: ${statements[$key]}"
      echo
      echo '  ```sql'
      sed 's/^/  /' <<<"${statement_text[$key]}"
      echo '  ```'
    done
  else
    echo "Not measured: the server's log could not be read (PG_LOG), or its log_line_prefix has no %d. The test suite's" \
      "StatementCountTest asserts 1 statement for a flat page and 11 for its nested query of 4 levels."
  fi
  echo
  echo "## The SQL returns what the gateway returns"
  echo
  echo "| query | compared | rows | result |"
  echo "| --- | --- | ---: | --- |"
  printf '%s\n' "${checks[@]}"
  echo
  echo "Gateway log: $gateway_problems ERROR/WARN lines over all starts."
  if [ "$gateway_problems" != 0 ]; then
    echo
    echo '```'
    cat "$work"/gateway-*.log | grep -E ' (ERROR|WARN) ' | head -n 5 | cut -c 1-300
    echo '```'
  fi
} >"$RESULTS"

echo "wrote $RESULTS"
[ "$failed" = 0 ] || die "the gateway and the SQL disagree on some query (see the checks in $RESULTS)"
