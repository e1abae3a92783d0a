package io.tracegql.store;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.support.Api;
import io.tracegql.support.TraceFixture;

import static io.tracegql.support.GraphQL.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Stats read from the rollups equal the same stats computed from the runs (counts and sums exactly,
 * quantiles within the rollups' relative error) after every kind of write: ingest, patches that
 * change end times, runs moved between projects, trace deletion and retention, before and after
 * compaction. The runs-based answers come from the same GraphQL fields with a filter that matches
 * every run (a filter the rollups do not answer), and for project fields from the runs' aggregates.
 */
@QuarkusTest
class RunRollupsTest {

    /** Probabilities asked of runStats: the ends, the middle and the tails. */
    private static final String PROBABILITIES = "[0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1]";

    private static final String STATS_FIELDS = "runCount errorCount errorRate totalTokens promptTokens"
            + " completionTokens totalCost promptCost completionCost unpricedRunCount"
            + " latencyQuantiles { probability seconds } firstTokenQuantiles { probability seconds }";

    private static final String STATS = "query ($f: RunFilter) { runStats(filter: $f, probabilities: " + PROBABILITIES
            + ") { " + STATS_FIELDS + " } projects(first: 50) { nodes { name runStats(filter: $f, probabilities: "
            + PROBABILITIES + ") { " + STATS_FIELDS + " } } } }";

    private static final String SERIES = "query ($f: RunFilter!, $w: TimeRange!, $b: TimeBucket!) {"
            + " timeSeries(filter: $f, window: $w, bucket: $b) { start runCount errorCount latencyP50 latencyP99"
            + " firstTokenP50 totalTokens totalCost } }";

    /** A filter that every run matches but that the rollups do not answer: the runs are read. */
    private static final Map<String, Object> EVERY_RUN = Map.of("startTime", Map.of("from", "1970-01-01T00:00:00Z"));

    /** Fields whose values are quantiles, compared within the relative error. */
    private static final Set<String> QUANTILES =
            Set.of("seconds", "latencyP50", "latencyP99", "firstTokenP50", "firstTokenP99");

    @Inject
    TraceFixture fixture;

    @Inject
    Sql sql;

    @Inject
    ProjectStore projects;

    @Inject
    RollupCompactionJob compaction;

    @Inject
    RetentionJob retentionJob;

    @Inject
    TracegqlConfig config;

    @Inject
    RunPartitions partitions;

    private double relativeError;
    /** Quantiles compared that were not exactly the runs' value: proof that the rollups answered. */
    private int approximated;

    @BeforeEach
    void load() {
        fixture.load();
        fixture.loadDemo(25);
        relativeError = rows("select rollup_relative_error() as a", Tuple.tuple())
                .get(0)
                .getDouble("a");
    }

    @Test
    void shouldStateOnePercentAsTheRelativeErrorOfQuantiles() {
        // README and docs/data-model.md state this figure.
        assertEquals(0.01, relativeError);
    }

    @Test
    void shouldMatchTheRunsAfterIngestPatchesMovesAndDeletesCompactedOrNot() {
        assertTrue(count("select count(*) from run_rollup_changes") > 0, "ingest left pending changes");
        assertMatchesRuns("pending changes only");
        compaction.compactAll().await().indefinitely();
        assertEquals(0, count("select count(*) from run_rollup_changes"));
        assertTrue(count("select count(*) from run_rollup_histograms") > 0, "compaction filled the histograms");
        assertMatchesRuns("compacted");

        // Patches move end times (and so latencies) of finished and unfinished runs, and set errors.
        StringBuilder patches = new StringBuilder();
        for (Row run :
                rows("select id, trace_id, dotted_order, start_time from runs order by id limit 40", Tuple.tuple())) {
            patches.append(patches.isEmpty() ? "" : ",")
                    .append("{\"id\": \"%s\", \"trace_id\": \"%s\", \"dotted_order\": \"%s\", \"end_time\": \"%s\"%s}"
                            .formatted(
                                    run.getUUID("id"),
                                    run.getUUID("trace_id"),
                                    run.getString("dotted_order"),
                                    run.getOffsetDateTime("start_time").plusSeconds(37),
                                    patches.length() % 3 == 0 ? ", \"error\": \"late\"" : ""));
        }
        Api.postBatch("{\"patch\": [" + patches + "]}");
        assertMatchesRuns("after patches");

        // Runs moved to another project (the trigger subtracts them from one and adds them to the other).
        sql.query(
                        "update runs set project_id = $1 where project_id <> $1 and run_type = 'llm'"
                                + " and id in (select id from runs order by id desc limit 30)",
                        Tuple.of(TraceFixture.BETA))
                .await()
                .indefinitely();
        assertMatchesRuns("after moving runs");
        compaction.compactAll().await().indefinitely();
        assertMatchesRuns("after moving runs, compacted");

        // Traces deleted by the mutation, then by a project's retention.
        Row someProject = rows(
                        "select project_id, count(*) as n from runs where parent_run_id is null"
                                + " group by project_id order by n desc limit 1",
                        Tuple.tuple())
                .get(0);
        String project = someProject.getUUID("project_id").toString();
        List<String> traces = new ArrayList<>();
        rows(
                        "select trace_id from runs where project_id = $1 and parent_run_id is null order by id limit 5",
                        Tuple.of(someProject.getUUID("project_id")))
                .forEach(row -> traces.add(row.getUUID("trace_id").toString()));
        data(
                "mutation ($p: ID!, $t: [ID!]) { deleteTraces(input: {projectId: $p, traceIds: $t}) { traceCount } }",
                "p",
                project,
                "t",
                traces);
        assertMatchesRuns("after deleting traces");
        data("mutation ($p: ID!) { setProjectRetention(projectId: $p, maxTraces: 3) { maxTraces } }", "p", project);
        retentionJob.applyAll().await().indefinitely();
        assertEquals(
                3, count("select count(*) from runs where parent_run_id is null and project_id = '" + project + "'"));
        assertMatchesRuns("after retention");
        compaction.compactAll().await().indefinitely();
        assertMatchesRuns("after retention, compacted");
    }

    @Test
    void shouldKeepQuantilesWithinTheRelativeErrorOverSixOrdersOfMagnitude() {
        // 2,000 roots, latencies log-uniform from 1 ms to 1,000 s and some of exactly 0, first tokens a
        // random share of each latency.
        sql.query(
                        "insert into runs (tenant_id, id, project_id, trace_id, dotted_order, name, run_type, status,"
                                + " start_time, end_time, first_token_time)"
                                + " select $1, id, $2, id, 'x', 'wide', 'llm', 'success', t,"
                                + " t + case when i % 97 = 0 then 0 else power(10, -3 + 6 * random()) end * interval '1 s',"
                                + " t + random() * power(10, -3 + 6 * random()) * interval '1 s'"
                                + " from (select gen_random_uuid() as id, i,"
                                + " timestamptz '2024-05-02T00:00:00Z' + i * interval '1 minute' as t"
                                + " from generate_series(1, 2000) as i) as s",
                        Tuple.of(config.defaultTenantId(), TraceFixture.EMPTY))
                .await()
                .indefinitely();
        assertMatchesRuns("wide latencies");
        compaction.compactAll().await().indefinitely();
        assertMatchesRuns("wide latencies, compacted");
    }

    @Test
    void shouldReadAsIfItsRunsWereDeletedOneByOneAfterAPartitionIsDropped() {
        // A partition for the week of 2024-05-06, filled with traces whose runs are all in it and with
        // traces that also have runs elsewhere (an id of another version, in runs_default), some of the
        // dropped runs with feedback, attachments and patches waiting for them.
        String week = "2024-05-08T00:00:00Z";
        sql.query("select run_partition_create($1)", Tuple.of(java.time.OffsetDateTime.parse(week)))
                .await()
                .indefinitely();
        sql.query(
                        "with roots as (select i, timestamptz '2024-05-07T00:00:00Z' + i * interval '7 minute' as t,"
                                + " (substr(run_partition_bound(timestamptz '2024-05-07T00:00:00Z' + i * interval '7 minute')::text, 1, 14)"
                                + " || '7' || substr(gen_random_uuid()::text, 16))::uuid as id"
                                + " from generate_series(1, 300) as i)"
                                + " insert into runs (tenant_id, id, project_id, trace_id, parent_run_id, dotted_order, name,"
                                + " run_type, status, start_time, end_time, first_token_time, prompt_tokens, total_tokens,"
                                + " total_cost)"
                                + " select $1, id, case when i % 2 = 0 then $2 else $3 end::uuid, id, null, 'a', 'weekly',"
                                + " case when i % 3 = 0 then 'llm' else 'chain' end, case when i % 5 = 0 then 'error' else"
                                + " 'success' end, t, t + (i % 13) * interval '1 s', t + (i % 7) * interval '100 ms',"
                                + " i, 2 * i, case when i % 4 = 0 then null else i * 0.001 end from roots"
                                + " union all select $1, gen_random_uuid(), case when i % 2 = 0 then $2 else $3 end::uuid, id,"
                                + " id, 'a.b', 'kept child', 'llm', 'success', t, t + interval '2 s', null, 5, 7, 0.5"
                                + " from roots where i % 10 = 0",
                        Tuple.of(config.defaultTenantId(), TraceFixture.ALPHA, TraceFixture.BETA))
                .await()
                .indefinitely();
        String inWeek = " r.id >= run_partition_bound(run_partition_week('" + week + "'))"
                + " and r.id < run_partition_bound(run_partition_week('" + week + "') + interval '7 days')";
        sql.query(
                        "insert into feedback (id, tenant_id, run_id, key, score) select gen_random_uuid(), r.tenant_id,"
                                + " r.id, 'quality', 1 from runs r where" + inWeek + " and r.name = 'weekly'",
                        Tuple.tuple())
                .await()
                .indefinitely();
        sql.query(
                        "insert into run_attachments (tenant_id, run_id, name, content_type, data) select r.tenant_id,"
                                + " r.id, 'a.txt', 'text/plain', '\\x00' from runs r where" + inWeek
                                + " and r.name = 'weekly'",
                        Tuple.tuple())
                .await()
                .indefinitely();
        sql.query(
                        "insert into run_patches (tenant_id, run_id, patch) values ($1,"
                                + " run_partition_bound(timestamptz '2024-05-09T00:00:00Z'), '{}')",
                        Tuple.of(config.defaultTenantId()))
                .await()
                .indefinitely();
        compaction.compactAll().await().indefinitely();
        assertMatchesRuns("before the drop");

        assertTrue(partitions.drop(java.time.OffsetDateTime.parse(week)).await().indefinitely());
        assertEquals(0, count("select count(*) from pg_class where relname = 'runs_p20240506'"));
        assertEquals(0, count("select count(*) from runs where name = 'weekly'"));
        assertEquals(30, count("select count(*) from runs where name = 'kept child'"));
        assertEquals(
                0,
                count("select count(*) from feedback f where not exists (select from runs r where r.id = f.run_id)"
                        + " and f.run_id is not null"));
        assertEquals(
                0,
                count("select count(*) from run_attachments a where not exists"
                        + " (select from runs r where r.id = a.run_id)"));
        assertEquals(
                0,
                count("select count(*) from run_patches p where p.run_id"
                        + " = run_partition_bound(timestamptz '2024-05-09T00:00:00Z')"));
        assertTotalsMatchRuns();
        assertMatchesRuns("after the drop, pending");
        compaction.compactAll().await().indefinitely();
        assertMatchesRuns("after the drop, compacted");
    }

    /** The trace totals kept equal the totals computed from the runs, both ways. */
    private void assertTotalsMatchRuns() {
        assertEquals(
                0,
                count("select count(*) from (select * from trace_totals except select * from trace_totals_computed"
                        + " union all (select * from trace_totals_computed except select * from trace_totals)) as d"));
    }

    /** Every rollup-backed answer against the runs-based one. */
    private void assertMatchesRuns(String when) {
        UUID tenant = config.defaultTenantId();
        List<UUID> ids = new ArrayList<>();
        rows("select id from projects order by id", Tuple.tuple()).forEach(row -> ids.add(row.getUUID("id")));
        List<ProjectStats> fromRollups =
                projects.statsByProjectIds(tenant, ids, true).await().indefinitely();
        List<ProjectStats> fromRuns =
                projects.statsFromRuns(tenant, ids, true).await().indefinitely();
        for (int i = 0; i < ids.size(); i++) {
            assertStats(when + ", project " + ids.get(i), fromRuns.get(i), fromRollups.get(i));
        }
        assertWithin(when + ", runStats", data(STATS, "f", EVERY_RUN), data(STATS, "f", Map.of()));
        for (String bucket : List.of("HOUR", "DAY", "MONTH")) {
            Map<String, Object> window = Map.of("from", "2024-04-30T00:00:00Z", "to", "2024-06-02T00:00:00Z");
            assertWithin(
                    when + ", timeSeries by " + bucket,
                    data(SERIES, "f", EVERY_RUN, "w", window, "b", bucket),
                    data(SERIES, "f", Map.of(), "w", window, "b", bucket));
        }
    }

    private void assertStats(String what, ProjectStats exact, ProjectStats rolled) {
        assertEquals(exact.runCount(), rolled.runCount(), what + ": runCount");
        assertEquals(exact.totalTokens(), rolled.totalTokens(), what + ": totalTokens");
        assertEquals(exact.promptTokens(), rolled.promptTokens(), what + ": promptTokens");
        assertEquals(exact.completionTokens(), rolled.completionTokens(), what + ": completionTokens");
        assertSameAmount(what + ": totalCost", exact.totalCost(), rolled.totalCost());
        assertSameAmount(what + ": promptCost", exact.promptCost(), rolled.promptCost());
        assertSameAmount(what + ": completionCost", exact.completionCost(), rolled.completionCost());
        assertEquals(exact.errorRate(), rolled.errorRate(), what + ": errorRate");
        assertEquals(exact.lastRunStartTime(), rolled.lastRunStartTime(), what + ": lastRunStartTime");
        assertEquals(exact.unpricedRunCount(), rolled.unpricedRunCount(), what + ": unpricedRunCount");
        assertQuantile(what + ": latencyP50", exact.latencyP50(), rolled.latencyP50());
        assertQuantile(what + ": latencyP99", exact.latencyP99(), rolled.latencyP99());
        assertQuantile(what + ": firstTokenP50", exact.firstTokenP50(), rolled.firstTokenP50());
        assertQuantile(what + ": firstTokenP99", exact.firstTokenP99(), rolled.firstTokenP99());
    }

    private static void assertSameAmount(String what, BigDecimal exact, BigDecimal rolled) {
        if (exact == null || rolled == null) {
            assertEquals(exact, rolled, what);
        } else {
            assertEquals(0, exact.compareTo(rolled), () -> what + ": " + exact + " vs " + rolled);
        }
    }

    private void assertQuantile(String what, Double exact, Double rolled) {
        if (exact == null || rolled == null) {
            assertEquals(exact, rolled, what);
            return;
        }
        // The bound itself, plus the rounding of the logarithms and powers on the way.
        double bound = relativeError * Math.abs(exact) * (1 + 1e-9) + 1e-12;
        if (!exact.equals(rolled)) {
            approximated++;
        }
        assertTrue(Math.abs(rolled - exact) <= bound, () -> what + ": " + rolled + " vs exact " + exact);
    }

    /**
     * The whole answers, equal except for quantiles, which must be within the relative error, and some
     * of which differ from the exact ones (the rollups, not the runs, answered).
     */
    private void assertWithin(String what, JsonNode exact, JsonNode rolled) {
        approximated = 0;
        compare(what, "", exact, rolled);
        assertTrue(approximated > 0, what + ": every quantile exact, so the runs answered");
    }

    private void compare(String what, String path, JsonNode exact, JsonNode rolled) {
        if (exact.isObject() && rolled.isObject()) {
            assertEquals(fieldNames(exact), fieldNames(rolled), what + " at " + path);
            exact.fields().forEachRemaining(field -> {
                String at = path + "/" + field.getKey();
                JsonNode other = rolled.get(field.getKey());
                if (QUANTILES.contains(field.getKey())) {
                    assertQuantile(
                            what + " at " + at,
                            field.getValue().isNull() ? null : field.getValue().asDouble(),
                            other.isNull() ? null : other.asDouble());
                } else {
                    compare(what, at, field.getValue(), other);
                }
            });
        } else if (exact.isArray() && rolled.isArray()) {
            assertEquals(exact.size(), rolled.size(), what + " at " + path);
            for (int i = 0; i < exact.size(); i++) {
                compare(what, path + "/" + i, exact.get(i), rolled.get(i));
            }
        } else if (exact.isNumber() && rolled.isNumber()) {
            assertEquals(
                    0,
                    exact.decimalValue().compareTo(rolled.decimalValue()),
                    () -> what + " at " + path + ": " + exact + " vs " + rolled);
        } else if (!exact.equals(rolled)) {
            fail(what + " at " + path + ": " + exact + " vs " + rolled);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    private List<Row> rows(String statement, Tuple parameters) {
        List<Row> rows = new ArrayList<>();
        sql.query(statement, parameters).await().indefinitely().forEach(rows::add);
        return rows;
    }

    private long count(String statement) {
        return rows(statement, Tuple.tuple()).get(0).getLong(0);
    }
}
