package io.tracegql.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.support.TestDatabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * V16 converts a database that has runs: on a database migrated to V15 and filled with runs (weekly v7
 * ids of the last weeks, v7 ids years old, ids of another version), feedback and a grant, migrating to
 * V16 keeps every read the same (the runs, trace totals, rollups, project stats) and leaves runs with
 * the same indexes, triggers, constraints, foreign keys, views and grants it had, read from the catalog
 * (a deployment's own table referencing runs and view over runs included).
 */
class RunPartitionsMigrationTest {

    private static final String DATABASE = "runs_migration_partitions";
    private static final int RUNS = 20_000;

    /** What is attached to runs, each kind as a sorted list of definitions. */
    private static final Map<String, String> CATALOG = Map.of(
            "indexes",
            "select replace(pg_get_indexdef(indexrelid), ' ON ONLY ', ' ON ') from pg_index"
                    + " where indrelid = 'runs'::regclass",
            "triggers",
            "select pg_get_triggerdef(oid) from pg_trigger where tgrelid = 'runs'::regclass and not tgisinternal",
            "trigger states",
            "select tgname || ' ' || tgenabled::text from pg_trigger where tgrelid = 'runs'::regclass and not tgisinternal",
            "constraints",
            "select conname || ' ' || pg_get_constraintdef(oid) from pg_constraint where conrelid = 'runs'::regclass",
            "foreign keys to runs",
            "select conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) from pg_constraint"
                    + " where confrelid = 'runs'::regclass and conrelid <> 'runs'::regclass"
                    + " and conparentid = 0",
            "views",
            "select distinct v.oid::regclass::text from pg_depend d join pg_rewrite w on w.oid = d.objid"
                    + " join pg_class v on v.oid = w.ev_class where d.refobjid = 'runs'::regclass"
                    + " and v.oid <> 'runs'::regclass",
            "grants",
            "select a.grantee || ' ' || a.privilege_type from pg_class c, aclexplode(c.relacl) a"
                    + " where c.oid = 'runs'::regclass and a.grantee <> c.relowner");

    /** Reads whose answers must not change, each as one text. */
    private static final Map<String, String> READS = Map.of(
            "runs",
            "select count(*) || ' ' || md5(string_agg(r::text, ',' order by r.tenant_id, r.id)) from runs r",
            "trace totals",
            "select count(*) || ' ' || md5(string_agg(t::text, ',' order by t.tenant_id, t.trace_id)) from trace_totals t",
            "trace totals computed",
            "select md5(string_agg(t::text, ',' order by t.tenant_id, t.trace_id)) from trace_totals_computed t",
            "rollups",
            "select md5(string_agg(k::text, ',' order by k::text)) from (select tenant_id, project_id, bucket_start,"
                    + " run_type, is_root, status, sum(runs), sum(total_tokens), sum(total_cost)"
                    + " from run_rollup_counts group by 1, 2, 3, 4, 5, 6) as k",
            "project stats",
            "select string_agg(s::text, ',' order by p.id) from projects p,"
                    + " lateral project_rollup_stats(p.tenant_id, p.id) as s",
            "feedback",
            "select count(*) from feedback f join runs r on r.tenant_id = f.tenant_id and r.id = f.run_id",
            "a view over runs",
            "select count(*) || ' ' || md5(string_agg(v::text, ',' order by v.id)) from run_names v",
            "rows referencing runs",
            "select count(*) from run_notes n join runs r on r.tenant_id = n.tenant_id and r.id = n.run_id");

    private String url;

    @BeforeEach
    void createDatabase() throws SQLException {
        String testUrl = TestDatabase.jdbcUrl();
        url = testUrl.substring(0, testUrl.lastIndexOf('/') + 1) + DATABASE;
        try (Connection admin = DriverManager.getConnection(testUrl, "postgres", "");
                Statement statement = admin.createStatement()) {
            statement.execute("drop database if exists " + DATABASE);
            statement.execute("create database " + DATABASE);
        }
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        try (Connection admin = DriverManager.getConnection(TestDatabase.jdbcUrl(), "postgres", "");
                Statement statement = admin.createStatement()) {
            statement.execute("drop database if exists " + DATABASE + " with (force)");
        }
    }

    @Test
    void shouldKeepEveryReadAndEverythingAttachedToRunsWhenConvertingADatabaseWithRuns() throws SQLException {
        flyway("15").migrate();
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement()) {
            fill(statement);
            Map<String, List<String>> catalogBefore = read(statement, CATALOG);
            Map<String, List<String>> readsBefore = read(statement, READS);
            assertTrue(catalogBefore.get("triggers").size() >= 6, () -> "triggers: " + catalogBefore);

            long started = System.nanoTime();
            flyway("16").migrate();
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("V16 converted %d runs in %d ms%n", RUNS + 2, tookMs);

            assertEquals(catalogBefore, read(statement, CATALOG));
            assertEquals(readsBefore, read(statement, READS));
            // The runs went where their ids say: recent v7 ids into weekly partitions, the rest default.
            assertEquals(List.of("2"), rows(statement, "select count(*) from runs_default"));
            assertEquals(
                    List.of("0"),
                    rows(
                            statement,
                            "select count(*) from runs r where r.tableoid <> 'runs_default'::regclass"
                                    + " and r.tableoid::regclass::text <> run_partition_name(run_id_week(r.id))"));
            assertTrue(Integer.parseInt(
                            rows(statement, "select count(*) from pg_inherits" + " where inhparent = 'runs'::regclass")
                                    .get(0))
                    >= 4);
            // The triggers work on the partitioned table: a new run counts in its trace's totals.
            statement.execute("insert into runs (tenant_id, id, project_id, trace_id, dotted_order, name, run_type,"
                    + " status, start_time) select tenant_id, run_partition_bound(now()), project_id, trace_id, 'z',"
                    + " 'late', 'tool', 'error', now() from runs order by id limit 1");
            assertEquals(
                    List.of("0"),
                    rows(
                            statement,
                            "select count(*) from (select * from trace_totals except select * from trace_totals_computed"
                                    + " union all (select * from trace_totals_computed except select * from trace_totals))"
                                    + " as d"));
        }
    }

    private Flyway flyway(String target) {
        return Flyway.configure()
                .dataSource(url, "postgres", "")
                .locations("classpath:db/migration")
                .target(target)
                .load();
    }

    /**
     * Runs in traces of 5 (a root and 4 children), v7 ids spread over the last three weeks, a trace of
     * v7 ids from 2019 and one of random (v4) ids; feedback on some runs; a grant to everyone.
     */
    private static void fill(Statement statement) throws SQLException {
        statement.execute("insert into projects (id, tenant_id, name) values"
                + " ('d0000000-0000-4000-8000-000000000001', '00000000-0000-0000-0000-000000000001', 'migrated'),"
                + " ('d0000000-0000-4000-8000-000000000002', '00000000-0000-0000-0000-000000000001', 'other')");
        statement.execute("create function pg_temp.v7(t timestamptz) returns uuid language sql as"
                + " $$ select (lpad(to_hex(floor(extract(epoch from t) * 1000)::bigint), 12, '0') || '7'"
                + " || substr(replace(gen_random_uuid()::text, '-', ''), 14))::uuid $$");
        statement.execute(
                "with runs_to_be as (select i, now() - (i % 21) * interval '1 day' - (i % 1000) * interval '1 s' as t"
                        + " from generate_series(0, " + (RUNS - 1) + ") as i),"
                        + " with_ids as (select i, t, pg_temp.v7(t) as id from runs_to_be)"
                        + " insert into runs (tenant_id, id, project_id, trace_id, parent_run_id, dotted_order, name, run_type,"
                        + " status, start_time, end_time, first_token_time, prompt_tokens, completion_tokens, total_tokens,"
                        + " total_cost, inputs, outputs, tags, extra)"
                        + " select '00000000-0000-0000-0000-000000000001', c.id,"
                        + " case when c.i % 2 = 0 then 'd0000000-0000-4000-8000-000000000001'"
                        + " else 'd0000000-0000-4000-8000-000000000002' end::uuid, p.id,"
                        + " case when c.i % 5 = 0 then null else p.id end, 'a' || (c.i % 5),"
                        + " 'run ' || c.i, case when c.i % 3 = 0 then 'llm' else 'chain' end,"
                        + " case when c.i % 11 = 0 then 'error' else 'success' end, c.t, c.t + (c.i % 17) * interval '1 s',"
                        + " c.t + (c.i % 7) * interval '10 ms', c.i % 100, c.i % 50, c.i % 150,"
                        + " case when c.i % 4 = 0 then null else (c.i % 9) * 0.001 end,"
                        + " jsonb_build_object('question', 'what is ' || c.i), jsonb_build_object('answer', 'it is ' || c.i),"
                        + " array['t' || (c.i % 3)], jsonb_build_object('metadata', jsonb_build_object('thread_id', 'th' || (c.i % 40)))"
                        + " from with_ids c join with_ids p on p.i = c.i - c.i % 5");
        statement.execute("insert into runs (tenant_id, id, project_id, trace_id, dotted_order, name, run_type, status,"
                + " start_time) values"
                + " ('00000000-0000-0000-0000-000000000001', pg_temp.v7('2019-03-01T00:00:00Z'),"
                + " 'd0000000-0000-4000-8000-000000000001', '20190301-0000-4000-8000-000000000000', 'a', 'old', 'tool',"
                + " 'success', '2019-03-01T00:00:00Z'),"
                + " ('00000000-0000-0000-0000-000000000001', 'e0000000-0000-4000-8000-000000000001',"
                + " 'd0000000-0000-4000-8000-000000000001', 'e0000000-0000-4000-8000-000000000001', 'a', 'v4', 'tool',"
                + " 'error', now())");
        statement.execute(
                "insert into feedback (id, tenant_id, run_id, key, score) select gen_random_uuid(), tenant_id,"
                        + " id, 'quality', 0.5 from runs where name like 'run %0'");
        statement.execute("grant select on runs to public");
        // What a deployment may have added: a table with a foreign key to runs, a view over runs.
        statement.execute("create table run_notes (tenant_id uuid not null, run_id uuid not null, note text,"
                + " foreign key (tenant_id, run_id) references runs on delete cascade)");
        statement.execute("insert into run_notes select tenant_id, id, 'noted' from runs where name like 'run %7'");
        statement.execute("create view run_names as select r.id, r.name from runs r where r.parent_run_id is null");
    }

    private static Map<String, List<String>> read(Statement statement, Map<String, String> queries)
            throws SQLException {
        Map<String, List<String>> answers = new TreeMap<>();
        for (Map.Entry<String, String> query : queries.entrySet()) {
            List<String> rows = rows(statement, query.getValue());
            rows.sort(null);
            answers.put(query.getKey(), rows);
        }
        return answers;
    }

    private static List<String> rows(Statement statement, String query) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet result = statement.executeQuery(query)) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }
}
