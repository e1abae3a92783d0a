package io.tracegql.ingest;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import io.tracegql.store.FeedbackRecord;

/** Feedback as LangSmith clients read it (snake_case JSON, ISO-8601 times). */
final class FeedbackView {

    private FeedbackView() {}

    static Map<String, Object> of(FeedbackRecord f) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", f.id());
        json.put("run_id", f.runId());
        json.put("trace_id", f.traceId());
        json.put("session_id", f.projectId());
        json.put("key", f.key());
        json.put("score", f.score());
        json.put("value", f.value());
        json.put("comment", f.comment());
        json.put("correction", f.correction());
        json.put("feedback_source", f.feedbackSource());
        json.put("created_at", f.createdAt().toString());
        json.put("modified_at", f.modifiedAt().toString());
        return json;
    }

    /** What was just accepted, before it is read back: times are the answer's, not the database's. */
    static Map<String, Object> of(IncomingFeedback f) {
        OffsetDateTime created = f.createdAt() != null ? f.createdAt() : OffsetDateTime.now(ZoneOffset.UTC);
        return of(new FeedbackRecord(
                f.id(),
                f.runId(),
                null,
                f.sessionId(),
                f.key(),
                f.score(),
                f.value(),
                f.comment(),
                f.correction(),
                f.feedbackSource(),
                created,
                created));
    }
}
