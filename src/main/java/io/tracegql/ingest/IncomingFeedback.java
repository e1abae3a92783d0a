package io.tracegql.ingest;

import java.time.OffsetDateTime;
import java.util.UUID;

/** One piece of feedback as a client sent it; JSON values are plain Java values. */
public record IncomingFeedback(
        String part,
        UUID id,
        UUID runId,
        UUID sessionId,
        String key,
        Double score,
        Object value,
        String comment,
        Object correction,
        Object feedbackSource,
        OffsetDateTime createdAt) {}
