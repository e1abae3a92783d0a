package io.tracegql.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tracegql.security.RequestBodies;
import io.tracegql.support.Fuzzing;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The readers of ingest bodies and of REST read bodies take any bytes: what they do not accept is an
 * {@link IngestException} with a client status (400, 413, 415, 422) and a message, the answer the
 * client gets; never another exception, which the client would see as a 500.
 */
class IngestParsersFuzzTest {

    private static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules();
    private static final IngestRequests REQUESTS = new IngestRequests(MAPPER);
    private static final OtlpSpans SPANS = new OtlpSpans(MAPPER);
    private static final UUID RUN = UUID.fromString("0191e5a0-0000-7000-8000-000000000001");

    /** The same bytes as every JSON body of the LangSmith write API. */
    @FuzzTest(maxDuration = Fuzzing.LONG_RUN)
    void runAndFeedbackJson(byte[] data) {
        refusedOnlyAsClientErrors(() -> REQUESTS.batch(data));
        refusedOnlyAsClientErrors(() -> REQUESTS.post(data));
        refusedOnlyAsClientErrors(() -> REQUESTS.patch(RUN, data));
        refusedOnlyAsClientErrors(() -> REQUESTS.feedback(data));
    }

    /**
     * A multipart request: its first line is the Content-Type (which names the boundary), the rest its
     * body; parsed, then read as runs, feedback and attachments.
     */
    @FuzzTest(maxDuration = Fuzzing.LONG_RUN)
    void multipart(byte[] data) {
        int newline = indexOf(data, (byte) '\n');
        String contentType = newline < 0 ? null : new String(data, 0, newline, StandardCharsets.UTF_8);
        byte[] body = newline < 0 ? data : Arrays.copyOfRange(data, newline + 1, data.length);
        refusedOnlyAsClientErrors(() -> REQUESTS.multipart(Multipart.parse(body, contentType)));
    }

    /** An OTLP/HTTP body in either encoding, gzip or not, decoded and turned into runs. */
    @FuzzTest(maxDuration = Fuzzing.LONG_RUN)
    void otlp(byte[] data) {
        for (OtlpCodec codec : OtlpCodec.values()) {
            refusedOnlyAsClientErrors(() -> SPANS.read(codec.read(data), null));
        }
    }

    /** A body sent with Content-Encoding gzip: inflated within the limit, or refused as the client's. */
    @FuzzTest(maxDuration = Fuzzing.LONG_RUN)
    void gzipBody(byte[] data) {
        try {
            assertTrue(RequestBodies.decoded(data, "gzip").length <= RequestBodies.MAX_BYTES);
        } catch (RequestBodies.BodyException e) {
            Fuzzing.assertClearMessage(e);
        }
    }

    /** The body of /runs/query and the v2 queries, with its filter, trace_filter and tree_filter. */
    @FuzzTest(maxDuration = Fuzzing.LONG_RUN)
    void readQuery(byte[] data) {
        refusedOnlyAsClientErrors(() -> {
            JsonNode json = ReadRequests.body(MAPPER, data);
            ReadRequests.expressions(json);
            ReadRequests.uuids(json, "session");
            ReadRequests.time(json, "start_time");
            ReadRequests.text(json, "cursor");
        });
    }

    private static void refusedOnlyAsClientErrors(Runnable read) {
        try {
            read.run();
        } catch (IngestException e) {
            Fuzzing.assertClearMessage(e);
            assertTrue(
                    e.status() == 400 || e.status() == 413 || e.status() == 415 || e.status() == 422,
                    () -> "status " + e.status() + ": " + e.getMessage());
        }
    }

    private static int indexOf(byte[] data, byte value) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
