package io.tracegql.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import jakarta.inject.Inject;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.tracegql.security.RequestBodies;
import io.tracegql.support.Api;
import io.tracegql.support.GzipBomb;
import io.tracegql.support.LogCapture;
import io.tracegql.support.TraceFixture;

import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.data;
import static io.tracegql.support.GraphQL.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bodies are bounded after decompression as well as before: a gzip body that would inflate to 10 GiB
 * is refused once it passes the limit, and the heap does not grow with it.
 */
@QuarkusTest
class BoundedBodiesTest {

    private static final long TEN_GIB = 10L << 30;
    private static final String TOO_LARGE = "the request body is larger than 20971520 bytes once decompressed";
    private static final String TOO_LARGE_AS_SENT =
            "the request body is larger than 20971520 bytes: split it into smaller requests";
    private static final long OVER_THE_LIMIT = RequestBodies.MAX_BYTES + 1;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final String BOUNDARY = "lying-lengths";
    private static final UUID RUN = UUID.fromString("0191e5a0-0000-7000-8000-0000000000b1");

    @Inject
    TraceFixture fixture;

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void reset() {
        fixture.reset();
    }

    @Test
    void shouldCountBodiesBeforeTheHttpLayerStopsReadingThem() {
        // The HTTP layer's limit is a backstop: were it the lower, it would answer first, with an empty 413.
        assertTrue(RequestBodies.MAX_BYTES
                < ConfigProvider.getConfig()
                        .getValue("quarkus.http.limits.max-body-size", MemorySize.class)
                        .asLongValue());
    }

    @ParameterizedTest
    @CsvSource({
        "/runs/batch, application/json",
        "/runs/multipart, multipart/form-data; boundary=xyz",
        "/v1/traces, application/x-protobuf",
        "/api/v2/runs/query, application/json",
        "/runs/query, application/json"
    })
    void shouldAnswerAGzipBombWith413AndAJsonBodyWithoutGrowingTheHeap(String path, String type) throws Exception {
        long before = usedHeapAfterGc();
        long start = System.nanoTime();
        Response response = send(path, type, new GzipBomb(TEN_GIB));
        long millis = (System.nanoTime() - start) / 1_000_000;
        long grown = usedHeapAfterGc() - before;
        System.out.printf("gzip bomb %s: %d ms, heap %+d MiB%n", path, millis, grown >> 20);

        assertEquals(413, response.status(), response::toString);
        assertJson("{\"error\": \"payload_too_large\", \"message\": \"" + TOO_LARGE + "\"}", read(response.body()));
        // A bounded reader keeps at most a limit's worth; one that inflated everything would need 10 GiB.
        assertTrue(grown < 64L << 20, "the heap grew by " + (grown >> 20) + " MiB");
    }

    @Test
    void shouldAnswerAGzipBombToGraphQLWith413AndAGraphQLError() throws Exception {
        long before = usedHeapAfterGc();
        Response response = send("/graphql", "application/json", new GzipBomb(TEN_GIB));
        long grown = usedHeapAfterGc() - before;

        assertEquals(413, response.status(), response::toString);
        assertJson(
                "{\"errors\": [{\"message\": \"" + TOO_LARGE
                        + "\", \"extensions\": {\"code\": \"PAYLOAD_TOO_LARGE\"}}]}",
                read(response.body()));
        assertTrue(grown < 64L << 20, "the heap grew by " + (grown >> 20) + " MiB");
    }

    /** A REST endpoint of each body format, and the content type it reads. */
    static Stream<Arguments> restBodies() {
        return Stream.of(
                Arguments.of("/runs/batch", "application/json"),
                Arguments.of("/runs/multipart", "multipart/form-data; boundary=xyz"),
                Arguments.of("/v1/traces", "application/x-protobuf"),
                Arguments.of("/api/v2/runs/query", "application/json"));
    }

    @ParameterizedTest
    @MethodSource("restBodies")
    void shouldAnswerABodyDeclaredOverTheLimitWith413AndAJsonBodyBeforeReadingIt(String path, String type)
            throws Exception {
        Response response = exchange(path, type, null, OVER_THE_LIMIT, new Filler(OVER_THE_LIMIT));

        assertEquals(413, response.status(), response::toString);
        assertJson(
                "{\"error\": \"payload_too_large\", \"message\": \"" + TOO_LARGE_AS_SENT + "\"}",
                read(response.body()));
    }

    @ParameterizedTest
    @MethodSource("restBodies")
    void shouldAnswerAChunkedBodyThatGrowsOverTheLimitWith413AndAJsonBody(String path, String type) throws Exception {
        Response response;
        try (LogCapture log = LogCapture.start()) {
            response = exchange(path, type, null, -1, new Filler(OVER_THE_LIMIT));
            assertEquals(List.of(), log.errors());
        }

        assertEquals(413, response.status(), response::toString);
        assertJson(
                "{\"error\": \"payload_too_large\", \"message\": \"" + TOO_LARGE_AS_SENT + "\"}",
                read(response.body()));
    }

    @Test
    void shouldAnswerAClientThatAsksBeforeSendingABodyOverTheLimitWith413WithoutAskingForTheBody() throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream()
                    .write(("POST /runs/batch HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                                    + "x-api-key: " + Api.KEY + "\r\nContent-Length: " + OVER_THE_LIMIT
                                    + "\r\nExpect: 100-continue\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            // No body follows: the answer is final, and the connection closes after it.
            String raw = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertTrue(raw.startsWith("HTTP/1.1 413 "), raw);
            assertJson(
                    "{\"error\": \"payload_too_large\", \"message\": \"" + TOO_LARGE_AS_SENT + "\"}",
                    read(raw.substring(raw.indexOf("\r\n\r\n") + 4)));
        }
    }

    @Test
    void shouldAnswerAGraphQLBodyDeclaredOverTheLimitWith413AndAGraphQLError() throws Exception {
        Response response = exchange("/graphql", "application/json", null, OVER_THE_LIMIT, new Filler(OVER_THE_LIMIT));

        assertEquals(413, response.status(), response::toString);
        assertJson(
                "{\"errors\": [{\"message\": \"" + TOO_LARGE_AS_SENT
                        + "\", \"extensions\": {\"code\": \"PAYLOAD_TOO_LARGE\"}}]}",
                read(response.body()));
    }

    @Test
    void shouldAnswerAChunkedGraphQLBodyThatGrowsOverTheLimitWith413AndAGraphQLError() throws Exception {
        Response response = exchange("/graphql", "application/json", null, -1, new Filler(OVER_THE_LIMIT));

        assertEquals(413, response.status(), response::toString);
        assertJson(
                "{\"errors\": [{\"message\": \"" + TOO_LARGE_AS_SENT
                        + "\", \"extensions\": {\"code\": \"PAYLOAD_TOO_LARGE\"}}]}",
                read(response.body()));
    }

    @Test
    void shouldReadMultipartPartsUpToTheirBoundaryWhateverLengthTheyDeclare() throws Exception {
        String run = """
                {"id": "%s", "trace_id": "%s", "dotted_order": "20240501T100000000000Z%s", "name": "lengths",
                 "run_type": "chain", "session_name": "lying", "start_time": "2024-05-01T10:00:00Z"}""".formatted(RUN, RUN, RUN);
        String inputs = "{\"question\": \"" + "q".repeat(100_000) + "\"}";
        String body = part("post." + RUN, "application/json; length=3", run)
                + part("post." + RUN + ".inputs", "application/json; length=99999999999", inputs)
                + "--" + BOUNDARY + "--\r\n";

        Response response = post("/runs/multipart", "multipart/form-data; boundary=" + BOUNDARY, body);

        assertEquals(202, response.status(), response::toString);
        assertEquals(
                "lengths",
                data("query ($id: ID!) { run(id: $id) { name } }", "id", RUN.toString())
                        .get("run")
                        .get("name")
                        .asText());
        assertEquals(
                100_000,
                data("query ($id: ID!) { run(id: $id) { inputs } }", "id", RUN.toString())
                        .get("run")
                        .get("inputs")
                        .get("question")
                        .asText()
                        .length());
    }

    @Test
    void shouldRefuseAMultipartBodyWithMorePartsThanTheLimit() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i <= Multipart.MAX_PARTS; i++) {
            body.append(part("feedback." + UUID.randomUUID(), "application/json", "{}"));
        }
        body.append("--" + BOUNDARY + "--\r\n");

        Response response = post("/runs/multipart", "multipart/form-data; boundary=" + BOUNDARY, body.toString());

        assertEquals(400, response.status(), response::toString);
        assertJson("""
                {"error": "malformed_request", "part": "body", "message":
                 "the request body could not be read: the multipart body has more than 10000 parts; send fewer runs per request"}""", read(response.body()));
    }

    private static String part(String name, String contentType, String content) {
        return "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\nContent-Type: "
                + contentType + "\r\n\r\n" + content + "\r\n";
    }

    private record Response(int status, String body) {}

    private Response post(String path, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return exchange(path, contentType, null, bytes.length, new java.io.ByteArrayInputStream(bytes));
    }

    private Response send(String path, String contentType, GzipBomb bomb) throws IOException {
        return exchange(path, contentType, "gzip", bomb.compressedSize(), bomb);
    }

    /**
     * Sends the body from another thread while this one waits for the answer, which may come before the
     * body is all sent: then the server stops reading, and so does the sender. A length of -1 sends the
     * body chunked, without a length.
     */
    private Response exchange(String path, String contentType, String encoding, long length, InputStream body)
            throws IOException {
        boolean chunked = length < 0;
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(120_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + contentType + "\r\n"
                            + (encoding == null ? "" : "Content-Encoding: " + encoding + "\r\n")
                            + "x-api-key: " + Api.KEY + "\r\n"
                            + (chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + length)
                            + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            Thread sender = new Thread(() -> {
                byte[] buffer = new byte[65536];
                int n;
                try (InputStream in = body) {
                    while ((n = in.read(buffer)) > 0) {
                        if (chunked) {
                            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        }
                        out.write(buffer, 0, n);
                        if (chunked) {
                            out.write(CRLF);
                        }
                    }
                    if (chunked) {
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.flush();
                } catch (IOException e) {
                    // The server closed the connection: it has answered.
                }
            });
            sender.start();
            String raw = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int split = raw.indexOf("\r\n\r\n");
            return new Response(Integer.parseInt(raw.substring(9, 12)), raw.substring(split + 4));
        }
    }

    /** So many bytes of spaces, made as they are read. */
    private static final class Filler extends InputStream {
        private long left;

        Filler(long size) {
            this.left = size;
        }

        @Override
        public int read() {
            return left-- > 0 ? ' ' : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(length, left);
            java.util.Arrays.fill(buffer, offset, offset + n, (byte) ' ');
            left -= n;
            return n;
        }
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
