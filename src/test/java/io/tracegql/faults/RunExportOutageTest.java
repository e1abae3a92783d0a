package io.tracegql.faults;

import java.util.HashSet;
import java.util.Set;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.store.Sql;
import io.tracegql.support.BulkRuns;
import io.tracegql.support.LogCapture;
import io.tracegql.support.StreamReader;
import io.tracegql.support.TraceFixture;

import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database goes away in the middle of an export: the status (200) was sent with the first line,
 * so the export ends with an error line that says where to resume, and resuming there once the
 * database is back gives the rest.
 */
@QuarkusTest
@TestProfile(FaultyDatabaseProfile.class)
class RunExportOutageTest {

    /**
     * Runs of about 3 KB of JSON each: 60 MB in all, far more than the sockets between the gateway
     * and the client hold, so that the gateway is still reading chunks when the database goes away.
     */
    private static final int RUNS = 20_000;

    @Inject
    TraceFixture fixture;

    @Inject
    Sql sql;

    @Inject
    TracegqlConfig config;

    @AfterEach
    void restore() {
        FaultyDatabaseProfile.proxy.restore();
        fixture.reset();
    }

    @Test
    void shouldEndTheStreamWithAnErrorLineThatSaysWhereToResume() throws Exception {
        fixture.load();
        BulkRuns.insert(sql, config.defaultTenantId(), TraceFixture.EMPTY, RUNS, 2_000);
        Set<String> received = new HashSet<>();
        JsonNode errorLine;
        try (LogCapture log = LogCapture.start()) {
            StreamReader stream = new StreamReader("/runs/export?session=" + TraceFixture.EMPTY);
            received.add(read(stream.next()).get("id").asText());
            FaultyDatabaseProfile.proxy.cut();
            JsonNode last = null;
            for (String line = stream.next(); line != null; line = stream.next()) {
                JsonNode json = read(line);
                if (json.has("export_error")) {
                    last = json;
                    assertEquals(null, stream.next(), "the error line is the last line");
                    break;
                }
                assertTrue(received.add(json.get("id").asText()), () -> "twice: " + json);
            }
            errorLine = last;
            assertTrue(errorLine != null, "no error line after " + received.size() + " runs");
            assertTrue(received.size() < RUNS, () -> received.size() + " runs");
            assertEquals(
                    1,
                    log.lines().stream()
                            .filter(l -> l.contains("export ended after"))
                            .count(),
                    () -> "logged: " + log.lines());
        }
        String after = errorLine.at("/export_error/after").asText();
        assertJson("""
                {"export_error": {"error": "unavailable",
                                  "message": "the database is unavailable; resume later with after=%s",
                                  "runs": %d, "after": "%s"}}""".formatted(after, received.size(), after), errorLine);

        FaultyDatabaseProfile.proxy.restore();
        StreamReader rest = awaitExport("/runs/export?session=" + TraceFixture.EMPTY + "&select=name&after=" + after);
        for (String line = rest.next(); line != null; line = rest.next()) {
            String id = read(line).get("id").asText();
            assertTrue(received.add(id), () -> "twice: " + id);
        }
        assertEquals(RUNS, received.size());
    }

    /** The pool reconnects on its own after the outage; the first request may still find it down. */
    private static StreamReader awaitExport(String path) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                return new StreamReader(path);
            } catch (AssertionError unavailable) {
                if (attempt == 50) {
                    throw unavailable;
                }
                Thread.sleep(100);
            }
        }
    }
}
