package io.tracegql.store;

import java.time.OffsetDateTime;
import java.util.UUID;

/** One piece of feedback as stored; JSON values are plain Java values. */
public record FeedbackRecord(
        UUID id,
        UUID runId,
        UUID traceId,
        UUID projectId,
        String key,
        Double score,
        Object value,
        String comment,
        Object correction,
        Object feedbackSource,
        OffsetDateTime createdAt,
        OffsetDateTime modifiedAt) {}
