package io.tracegql.ingest;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/** Feedback as LangSmith clients read it back (snake_case JSON). */
final class FeedbackView {

    private FeedbackView() {}

    static Map<String, Object> of(IncomingFeedback f) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", f.id());
        json.put("run_id", f.runId());
        json.put("session_id", f.sessionId());
        json.put("key", f.key());
        json.put("score", f.score());
        json.put("value", f.value());
        json.put("comment", f.comment());
        json.put("correction", f.correction());
        json.put("feedback_source", f.feedbackSource());
        OffsetDateTime created = f.createdAt() != null ? f.createdAt() : OffsetDateTime.now(ZoneOffset.UTC);
        json.put("created_at", created.toString());
        json.put("modified_at", created.toString());
        return json;
    }
}
