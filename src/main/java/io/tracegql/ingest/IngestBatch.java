package io.tracegql.ingest;

import java.util.List;

/**
 * Everything one ingest request carries. It is validated as a whole before anything is written,
 * and written in one transaction.
 *
 * @param parents what becomes of a new child run whose parent is not there yet
 * @param writeLocks keys of transaction-level advisory locks the write takes first (in ascending
 *     order): requests that share a key are written one after the other, so that a child and its
 *     parent sent at the same time each see the other's commit, and one of them finds the other stored
 */
public record IngestBatch(
        List<IncomingRun> posts,
        List<IncomingRun> patches,
        List<IncomingFeedback> feedback,
        List<IncomingAttachment> attachments,
        Parents parents,
        List<Long> writeLocks) {

    /** What becomes of a new child run whose parent is neither stored nor in the same request. */
    public enum Parents {
        /**
         * It is refused: LangSmith clients send a run's dotted order, or its parent first, so an
         * unknown parent is a client error.
         */
        REQUIRED,
        /**
         * It is written as the top of a provisional trace of its own, and moved under its parent (trace
         * id and dotted order completed, with those of its descendants) when the parent is written. OTLP
         * exporters send spans as they end: children before their parents, often in an earlier request.
         */
        MAY_FOLLOW
    }

    public IngestBatch(
            List<IncomingRun> posts,
            List<IncomingRun> patches,
            List<IncomingFeedback> feedback,
            List<IncomingAttachment> attachments) {
        this(posts, patches, feedback, attachments, Parents.REQUIRED, List.of());
    }

    public int size() {
        return posts.size() + patches.size() + feedback.size() + attachments.size();
    }
}
