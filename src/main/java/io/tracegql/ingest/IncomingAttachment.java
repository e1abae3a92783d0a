package io.tracegql.ingest;

import java.util.UUID;

/** A file attached to a run, sent as the multipart part {@code attachment.<run id>.<name>}. */
public record IncomingAttachment(String part, UUID runId, String name, String contentType, byte[] data) {}
