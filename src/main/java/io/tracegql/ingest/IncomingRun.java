package io.tracegql.ingest;

import java.util.UUID;

import io.tracegql.store.RunRecord;

/**
 * One run as a client sent it: a create ({@code post}) or an update ({@code patch}). Fields the
 * client did not send are null in {@code run}; the project is named by id or by name.
 */
public record IncomingRun(String part, boolean patch, RunRecord run, UUID sessionId, String sessionName) {}
