#!/usr/bin/env bash
# Project stats benchmark: the time of one Q4 request (every aggregate of the largest project) and of a
# page of 50 projects with their stats, read from the rollups, at each scale of the query benchmark's
# data set, one request at a time. Not part of ./mvnw verify; see bench/README.md.
#
#   bash bench/stats.sh                          # SCALES="1 10", 200 requests per measurement
#   SCALES=1 TRACES_PER_SCALE=2000 bash bench/stats.sh   # a smoke run of the script itself
#
# Other settings: SEED (42), REQUESTS (200, after 20 warm-up requests), JAVA_OPTS (-Xmx128m
# -XX:+UseSerialGC), NOTE (a line for the results file), KEEP_DB=1 (keep the last database).
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, no password), psql, curl, jq and Java 17.
# Writes bench/RESULTS-stats.md.
set -euo pipefail

cd "$(dirname "$0")/.."

SCALES=${SCALES:-1 10}
SEED=${SEED:-42}
REQUESTS=${REQUESTS:-200}
WARMUP_REQUESTS=20
TRACES_PER_SCALE=${TRACES_PER_SCALE:-20000}
JAVA_OPTS=${JAVA_OPTS:--Xmx128m -XX:+UseSerialGC}
NOTE=${NOTE:-}
KEEP_DB=${KEEP_DB:-0}

PORT=8093
URL=http://127.0.0.1:$PORT
DB=tracegql_bench_stats
PG=(-h 127.0.0.1 -p 5432 -U postgres)
APP=target/quarkus-app
RESULTS=bench/RESULTS-stats.md
# Projects added beside the data set's 10, so that a page holds 50.
EXTRA_PROJECTS=40

SCRIPT=stats.sh
# shellcheck source=bench/lib.sh
. bench/lib.sh

require_counts REQUESTS TRACES_PER_SCALE SEED
for s in $SCALES; do [[ $s =~ ^[1-9][0-9]*$ ]] || die "SCALES must be whole numbers, got '$s'"; done
install_missing jq:jq
require_commands psql java curl

work=$(mktemp -d /tmp/tracegql-bench-stats.XXXXXX)
cleanup() {
  local rc=$?
  set +e
  stop_gateway
  [ "$KEEP_DB" = 1 ] || psql_admin -c "drop database if exists $DB with (force)" 2>/dev/null
  if [ "$rc" -ne 0 ]; then echo "stats.sh failed; logs are in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

require_free_port
build_gateway
BENCH_API_KEY=$(new_api_key)

body() { # name, query, variables (JSON)
  jq -n --arg q "$2" --argjson v "$3" '{query: $q, variables: $v}' >"$work/$1.json"
}
gql() { # body file -> answer; fails on GraphQL errors
  local answer
  answer=$(curl -sS --fail-with-body -H "x-api-key: $BENCH_API_KEY" -H 'content-type: application/json' \
    -H 'X-Tracegql-Plan: general' --data-binary @"$1" "$URL/graphql") || die "request $1 failed: ${answer:0:300}"
  [ "$(jq 'has("errors")' <<<"$answer")" = false ] || die "request $1 answered errors: ${answer:0:300}"
  printf '%s' "$answer"
}
# One request at a time: prints mean, p50 and p99 in ms.
measure() { # body file
  local i
  for i in $(seq 1 "$WARMUP_REQUESTS"); do gql "$1" >/dev/null; done
  for i in $(seq 1 "$REQUESTS"); do
    curl -sS -o /dev/null -w '%{time_total}\n' -H "x-api-key: $BENCH_API_KEY" -H 'content-type: application/json' \
      -H 'X-Tracegql-Plan: general' --data-binary @"$1" "$URL/graphql"
  done | sort -n | awk '{ v[NR] = $1 * 1000; s += v[NR] }
    END { printf "%.2f %.2f %.2f\n", s / NR, v[int(NR * 0.5 + 0.5)], v[int(NR * 0.99 + 0.5)] }'
}

declare -A runs traces q4 page rollup_rows load_s
for scale in $SCALES; do
  echo "SCALE=$scale: creating $DB and starting the gateway"
  psql_admin -c "drop database if exists $DB with (force)" -c "create database $DB"
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
  launch_gateway "$work/gateway-$scale.log" "$BENCH_API_KEY" "$APP" $JAVA_OPTS -XX:SharedArchiveFile=app-cds.jsa -jar quarkus-run.jar
  await_ready "$work/gateway-$scale.log"
  n_traces=$((TRACES_PER_SCALE * scale))
  echo "  loading $n_traces traces and $EXTRA_PROJECTS more projects"
  t0=$(date +%s%N)
  psql_db -v seed="$SEED" -v traces="$n_traces" -f bench/sql/queries/data.sql
  # 40 more projects, each with copies (new ids, no payloads) of 1/400 of the traces, so that they
  # grow with the scale too.
  psql_db -v extra="$EXTRA_PROJECTS" -f bench/sql/stats/extra-projects.sql
  # Everything the load wrote is compacted before measuring, as the gateway's job does within a second
  # of a write at ingest rates.
  until [ "$(psql_db -c 'select run_rollups_compact(200000)')" = 0 ]; do :; done
  psql_db -c "vacuum analyze"
  t1=$(date +%s%N)
  load_s[$scale]=$(awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.0f", ns / 1e9 }')
  read -r runs[$scale] traces[$scale] <<<"$(psql_db -F ' ' -c "select count(*), count(*) filter (where parent_run_id is null) from runs")"
  read -r project rollup_rows[$scale] <<<"$(psql_db -F ' ' -c "
    select (select project_id from runs where parent_run_id is null group by project_id order by count(*) desc limit 1),
           (select count(*) from run_rollups) + (select count(*) from run_rollup_histograms)")"
  body q4 "$(cat bench/graphql/q4-project-stats.graphql)" "{\"projectId\": \"$project\"}"
  body page 'query { projects(first: 50) { nodes { name runCount latencyP50 latencyP99 firstTokenP50 firstTokenP99
    totalTokens promptTokens completionTokens totalCost promptCost completionCost errorRate lastRunStartTime } } }' '{}'
  [ "$(gql "$work/page.json" | jq '.data.projects.nodes | length')" = 50 ] || die "the page does not hold 50 projects"
  echo "  Q4, $REQUESTS requests"
  q4[$scale]=$(measure "$work/q4.json")
  echo "  50-project page, $REQUESTS requests"
  page[$scale]=$(measure "$work/page.json")
  stop_gateway
done

# --- results -------------------------------------------------------------------------------------
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src pom.xml 2>/dev/null || commit="$commit (src has uncommitted changes)"
scales=($SCALES)
first=${scales[0]} last=${scales[${#scales[@]} - 1]}
mean() { echo "$1" | cut -d' ' -f1; }
{
  echo "# Project stats from rollups"
  echo
  echo "Generated by \`bench/stats.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit. Do not edit by hand."
  [ -z "$NOTE" ] || { echo; echo "$NOTE"; }
  echo
  echo "- Machine: $(nproc) cores, load average at the end $(cut -d' ' -f1-3 /proc/loadavg), $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo) RAM"
  echo "- Parameters: SEED=$SEED, SCALES=$SCALES, TRACES_PER_SCALE=$TRACES_PER_SCALE, REQUESTS=$REQUESTS one at a time after $WARMUP_REQUESTS, JAVA_OPTS=$JAVA_OPTS"
  echo "- Requests on the general path (X-Tracegql-Plan: general), stats compacted before measuring"
  echo
  echo "| SCALE | runs | traces | rollup rows | load + compaction s | Q4 mean / p50 / p99 ms | 50-project page mean / p50 / p99 ms | page per project ms |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
  for scale in $SCALES; do
    read -r qm qp qt <<<"${q4[$scale]}"
    read -r pm pp pt <<<"${page[$scale]}"
    echo "| $scale | ${runs[$scale]} | ${traces[$scale]} | ${rollup_rows[$scale]} | ${load_s[$scale]} | $qm / $qp / $qt | $pm / $pp / $pt | $(awk -v m="$pm" 'BEGIN { printf "%.2f", m / 50 }') |"
  done
  echo
  echo "| goal | measured |"
  echo "| --- | --- |"
  if [ "$first" != "$last" ]; then
    echo "| Q4 at SCALE=$last within 1.5x of SCALE=$first | $(awk -v a="$(mean "${q4[$last]}")" -v b="$(mean "${q4[$first]}")" 'BEGIN { printf "%.2fx", a / b }') |"
    echo "| 50-project page at SCALE=$last within 1.5x of SCALE=$first | $(awk -v a="$(mean "${page[$last]}")" -v b="$(mean "${page[$first]}")" 'BEGIN { printf "%.2fx", a / b }') |"
  fi
  echo "| at most 10 ms per project (page mean / 50, SCALE=$last) | $(awk -v m="$(mean "${page[$last]}")" 'BEGIN { printf "%.2f ms", m / 50 }') |"
} >"$RESULTS"
echo "wrote $RESULTS"
