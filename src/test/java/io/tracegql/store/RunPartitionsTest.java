package io.tracegql.store;

import java.time.DayOfWeek;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import jakarta.inject.Inject;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.support.Api;
import io.tracegql.support.TraceFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The weekly partitions of runs: the coming weeks exist before their runs arrive, a run lands in the
 * partition of its v7 id's week or, for any other id, in runs_default, and a lookup by id reads one
 * partition through its primary key.
 */
@QuarkusTest
class RunPartitionsTest {

    @Inject
    RunPartitions partitions;

    @Inject
    PartitionJob job;

    @Inject
    Sql sql;

    @Inject
    TracegqlConfig config;

    @Inject
    TraceFixture fixture;

    @Test
    void shouldCreateThePartitionsOfTheComingWeeksAhead() {
        job.maintain().await().indefinitely();
        assertEquals(
                0,
                partitions.createAhead(config.partitions().weeksAhead()).await().indefinitely());
        partitions.createAhead(config.partitions().weeksAhead() + 2).await().indefinitely();
        OffsetDateTime thisWeek = OffsetDateTime.now(ZoneOffset.UTC)
                .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                .truncatedTo(ChronoUnit.DAYS);
        List<OffsetDateTime> weeks = partitions.weeks().await().indefinitely();
        IntStream.rangeClosed(0, config.partitions().weeksAhead() + 2)
                .mapToObj(n -> thisWeek.plusWeeks(n))
                .forEach(week -> assertTrue(
                        weeks.stream().anyMatch(w -> w.isEqual(week)), () -> week + " has no partition: " + weeks));
    }

    @Test
    void shouldStoreARunInThePartitionOfItsV7IdsWeekAndOtherIdsInTheDefaultPartition() {
        fixture.load();
        job.maintain().await().indefinitely();
        UUID v7 = v7(OffsetDateTime.now(ZoneOffset.UTC));
        UUID v4 = UUID.randomUUID();
        UUID farFuture = v7(OffsetDateTime.now(ZoneOffset.UTC).plusYears(3));
        Api.postBatch("{\"post\": [" + post(v7) + ", " + post(v4) + ", " + post(farFuture) + "]}");
        assertEquals(partitionName(v7), partitionOf(v7));
        assertEquals("runs_default", partitionOf(v4));
        assertEquals("runs_default", partitionOf(farFuture));
    }

    @Test
    void shouldLookUpARunByIdInOnePartitionThroughItsPrimaryKey() throws Throwable {
        fixture.load();
        job.maintain().await().indefinitely();
        // A week's partition with runs in it (an empty one is read any way at all).
        sql.query(
                        "insert into runs (tenant_id, id, project_id, trace_id, dotted_order, name, run_type, status,"
                                + " start_time) select $1, id, $2, id, 'a', 'this week', 'chain', 'success', now()"
                                + " from (select (substr(run_partition_bound(now() - i * interval '1 s')::text, 1, 14)"
                                + " || '7' || substr(gen_random_uuid()::text, 16))::uuid as id"
                                + " from generate_series(1, 2000) as i) as ids",
                        Tuple.of(config.defaultTenantId(), TraceFixture.ALPHA))
                .await()
                .indefinitely();
        UUID v7 = sql.query("select id from runs where name = 'this week' order by id limit 1", Tuple.tuple())
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getUUID("id");
        String lookup = "select r.name from runs r where r.tenant_id = $1 and r.id = $2";
        String part = partitionName(v7);
        // Planned for these values: pruned when planning, one index scan of one partition (the
        // partitions are nearly empty here, so sequential scans are off as in the other plan tests).
        String custom = Plans.explain(
                sql, lookup, Tuple.of(config.defaultTenantId(), v7), "analyze runs", "set local enable_seqscan = off");
        assertTrue(custom.contains("Index Scan using " + part + "_pkey on " + part), () -> "plan:\n" + custom);
        assertFalse(custom.contains("Append"), () -> "plan:\n" + custom);
        assertEquals(1, custom.split(" on runs_", -1).length - 1, () -> "plan:\n" + custom);
        // A generic plan (a prepared statement run many times) prunes when it runs: every partition but
        // one is removed before reading, and each is read through its primary key.
        String prepared = "run_lookup_" + UUID.randomUUID().toString().replace("-", "");
        String generic = Plans.explain(
                sql,
                "execute " + prepared + "('" + config.defaultTenantId() + "', '" + v7 + "')",
                Tuple.tuple(),
                "set local enable_seqscan = off",
                "set local plan_cache_mode = force_generic_plan",
                "prepare " + prepared + " (uuid, uuid) as " + lookup);
        assertTrue(generic.contains("Subplans Removed"), () -> "plan:\n" + generic);
        assertTrue(generic.matches("(?s).*Index Scan using runs_\\w+_pkey on runs_.*"), () -> "plan:\n" + generic);
        assertFalse(generic.contains("Seq Scan"), () -> "plan:\n" + generic);
    }

    /** A v7 id of this moment, with random bits after the time as the SDKs make them. */
    private static UUID v7(OffsetDateTime at) {
        long ms = at.toInstant().toEpochMilli();
        UUID random = UUID.randomUUID();
        long high = (ms << 16) | 0x7000L | (random.getMostSignificantBits() & 0x0fffL);
        return new UUID(high, random.getLeastSignificantBits());
    }

    private String partitionName(UUID id) {
        return sql.query("select run_partition_name(run_id_week($1)) as name", Tuple.of(id))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getString("name");
    }

    private String partitionOf(UUID id) {
        return sql.query("select tableoid::regclass::text as part from runs where id = $1", Tuple.of(id))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getString("part");
    }

    private static String post(UUID id) {
        return """
                {"id": "%s", "trace_id": "%s", "dotted_order": "20240501T100000000000Z%s", "name": "weekly",
                 "run_type": "chain", "start_time": "2024-05-01T10:00:00Z", "session_name": "alpha"}""".formatted(id, id, id);
    }
}
