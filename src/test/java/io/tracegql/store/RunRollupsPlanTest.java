package io.tracegql.store;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jakarta.inject.Inject;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

import io.tracegql.config.TracegqlConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stats of a page of 50 projects are one statement over the rollups: no scan of runs, whose only
 * use is the newest root of each project, the first entry of an index.
 */
@QuarkusTest
class RunRollupsPlanTest {

    @Inject
    Sql sql;

    @Inject
    TracegqlConfig config;

    @Test
    void shouldReadFiftyProjectsStatsFromTheRollupsWithoutScanningRuns() throws Throwable {
        UUID[] projects = new UUID[50];
        for (int i = 0; i < projects.length; i++) {
            projects[i] = UUID.randomUUID();
        }
        String plan = Plans.explain(
                sql,
                RunRollups.PROJECT_STATS,
                Tuple.of(config.defaultTenantId(), projects),
                "set local enable_seqscan = off");
        assertTrue(plan.contains("run_rollups"), () -> "plan:\n" + plan);
        assertTrue(plan.contains("run_rollup_histograms"), () -> "plan:\n" + plan);
        assertTrue(plan.contains("run_rollup_changes"), () -> "plan:\n" + plan);
        // Every node that reads runs: the newest root of a project, one row of runs_project_roots_start
        // per partition (runs_default_project_roots_start...), merged. An empty partition may be read
        // through its project_start index instead, ordered the same: still one probe, no scan.
        List<String> runsNodes = new ArrayList<>();
        Matcher nodes =
                Pattern.compile("(?m)^.*\\bon runs_(default|p\\d{8})\\b.*$").matcher(plan);
        while (nodes.find()) {
            runsNodes.add(nodes.group().trim());
        }
        long partitions = sql.query(
                        "select count(*) as n from pg_inherits where inhparent = 'runs'::regclass", Tuple.tuple())
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong("n");
        assertEquals(partitions, runsNodes.size(), () -> "plan:\n" + plan);
        for (String node : runsNodes) {
            assertTrue(
                    node.matches(
                            "->  Index (Only )?Scan using runs_(default|p\\d{8})_project_(roots_)?start on runs_.*"),
                    () -> "plan:\n" + plan);
        }
        assertTrue(
                plan.matches("(?s).*Limit.*Index Only Scan using runs_default_project_roots_start.*"),
                () -> "plan:\n" + plan);
    }
}
