package io.tracegql.support;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** A run as the LangSmith SDK posts it to /runs/batch; a root run or a child of another. */
public record TestRun(
        UUID id, UUID traceId, UUID parentId, String dottedOrder, String name, String runType, String question) {

    private static final DateTimeFormatter ORDER_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSSSSS'Z'").withZone(ZoneOffset.UTC);
    public static final Instant START = Instant.parse("2024-06-01T12:00:00Z");

    public static TestRun root(String name, String runType) {
        UUID id = UUID.randomUUID();
        return new TestRun(id, id, null, ORDER_TIME.format(START) + id, name, runType, "q-" + name);
    }

    /** The same run asking a different question (its inputs). */
    public TestRun asking(String text) {
        return new TestRun(id, traceId, parentId, dottedOrder, name, runType, text);
    }

    /** A child that starts this many seconds after the trace. */
    public TestRun child(String name, String runType, int second) {
        UUID id = UUID.randomUUID();
        String order = dottedOrder + "." + ORDER_TIME.format(START.plusSeconds(second)) + id;
        return new TestRun(id, traceId, this.id, order, name, runType, "q-" + name);
    }

    public String json(String project) {
        return """
                {"id": "%s", "trace_id": "%s", %s "dotted_order": "%s", "name": "%s", "run_type": "%s",
                 "session_name": "%s", "start_time": "%s", "inputs": {"question": "%s"}}""".formatted(
                        id,
                        traceId,
                        parentId == null ? "" : "\"parent_run_id\": \"" + parentId + "\",",
                        dottedOrder,
                        name,
                        runType,
                        project,
                        START,
                        question);
    }

    /** Posts runs in one /runs/batch request with this request specification (key, port...). */
    public static void post(RequestSpecification request, String project, TestRun... runs) {
        List<String> posts = new ArrayList<>();
        for (TestRun run : runs) {
            posts.add(run.json(project));
        }
        request.contentType(ContentType.JSON)
                .body("{\"post\": [" + String.join(",", posts) + "]}")
                .when()
                .post("/runs/batch")
                .then()
                .statusCode(202);
    }
}
