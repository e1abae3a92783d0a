package io.tracegql.ingest;

import java.util.List;

/**
 * Everything one ingest request carries. It is validated as a whole before anything is written,
 * and written in one transaction.
 */
public record IngestBatch(
        List<IncomingRun> posts,
        List<IncomingRun> patches,
        List<IncomingFeedback> feedback,
        List<IncomingAttachment> attachments) {

    public int size() {
        return posts.size() + patches.size() + feedback.size() + attachments.size();
    }
}
