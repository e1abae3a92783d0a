package io.tracegql.ingest;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.OffsetDateTime;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.store.Sql;
import io.tracegql.support.BulkRuns;
import io.tracegql.support.StreamReader;
import io.tracegql.support.TraceFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An export of 100,000 runs (about 250 MB of NDJSON) read by a slow client that stops halfway, hangs
 * up, and resumes. The gateway runs in this JVM, so its heap is this test's heap.
 */
@QuarkusTest
class RunExportSizeTest {

    private static final int RUNS = 100_000;
    private static final int HALF = RUNS / 2;

    /**
     * What the export may add to the heap while it streams: one chunk of 1,000 runs as records, as
     * views and as JSON (about 2.5 KB each, so some 10 MB), with room for what the rest of the
     * gateway allocates meanwhile. Holding the export would take its whole 250 MB of text, and
     * several times that as objects.
     */
    private static final long HEAP_BOUND_BYTES = 64L * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TraceFixture fixture;

    @Inject
    Sql sql;

    @Inject
    TracegqlConfig config;

    @Inject
    MeterRegistry metrics;

    @AfterEach
    void reset() {
        fixture.reset();
    }

    @Test
    void shouldStreamAHundredThousandRunsInBoundedMemoryAndResumeAfterTheClientHungUp() throws Exception {
        fixture.load();
        BulkRuns.insert(sql, config.defaultTenantId(), TraceFixture.EMPTY, RUNS, 1_500);
        long before = heapAfterGc();
        double exportedBefore = exported();

        long started = System.nanoTime();
        OrderedRuns first = new OrderedRuns("/runs/export?session=" + TraceFixture.EMPTY, null);
        first.read(HALF);
        long halfRead = System.nanoTime() - started;
        // The client reads no more: the gateway waits on a full socket with one chunk in hand.
        long halfway = heapAfterGc();
        System.out.printf(
                "export of %d runs: %d MB read by the client halfway in %d ms, heap %+d MB after GC%n",
                RUNS, first.stream.bytes() >> 20, halfRead / 1_000_000, (halfway - before) >> 20);
        assertTrue(
                first.stream.bytes() > 100L * 1024 * 1024,
                () -> "only " + first.stream.bytes() + " bytes in half the export");
        assertTrue(
                halfway - before < HEAP_BOUND_BYTES,
                () -> "the heap grew by " + ((halfway - before) >> 20) + " MB while the export streamed");

        first.stream.hangUp();
        awaitNoExportOpen();
        // The export stopped with the connection: it got at most a few chunks past what was read.
        double sent = exported() - exportedBefore;
        assertTrue(sent < HALF + 10_000, () -> sent + " runs were exported for a client that read " + HALF);

        OrderedRuns rest =
                new OrderedRuns("/runs/export?session=" + TraceFixture.EMPTY + "&after=" + first.previousId, first);
        rest.read(Integer.MAX_VALUE);
        assertEquals(RUNS - HALF, rest.lines, "the runs after the last one received");
    }

    /**
     * Reads an export line by line and checks that each run comes after the previous in the export
     * order (start time descending, then id descending): no run twice, none out of order. It keeps
     * only the last run, so that what it reads does not count against the heap.
     */
    private static final class OrderedRuns {
        private final StreamReader stream;
        private int lines;
        private OffsetDateTime previousStart;
        private String previousId;

        OrderedRuns(String path, OrderedRuns after) throws IOException {
            stream = new StreamReader(path);
            if (after != null) {
                previousStart = after.previousStart;
                previousId = after.previousId;
            }
        }

        /** Reads lines until this many have been read in all, or the export ends. */
        void read(int upTo) throws IOException {
            String line;
            while (lines < upTo && (line = stream.next()) != null) {
                lines++;
                JsonNode run = JSON.readTree(line);
                OffsetDateTime start =
                        OffsetDateTime.parse(run.get("start_time").asText());
                String id = run.get("id").asText();
                if (previousStart != null) {
                    int byTime = start.compareTo(previousStart);
                    assertTrue(
                            byTime < 0 || byTime == 0 && id.compareTo(previousId) < 0,
                            "run " + id + " at " + start + " after " + previousId + " at " + previousStart);
                }
                previousStart = start;
                previousId = id;
            }
        }
    }

    /** Runs exported since start; the counter exists once the first export has started. */
    private double exported() {
        var counter = metrics.find("tracegql.export.runs").counter();
        return counter == null ? 0 : counter.count();
    }

    private void awaitNoExportOpen() throws InterruptedException {
        for (int i = 0; i < 600 && metrics.get("tracegql.exports.open").gauge().value() > 0; i++) {
            Thread.sleep(50);
        }
        assertEquals(0.0, metrics.get("tracegql.exports.open").gauge().value(), "exports still open");
    }

    private static long heapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
