package io.tracegql.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * A committed change to a run, as announced by the database: which run, in which trace, project and
 * tenant, what happened to it, and when the database wrote it ({@code writtenAt}, null when the
 * payload does not say). Carries ids only; subscribers read the current data themselves.
 */
public record RunChange(Kind kind, UUID tenantId, UUID projectId, UUID traceId, UUID runId, Instant writtenAt) {

    public RunChange(Kind kind, UUID tenantId, UUID projectId, UUID traceId, UUID runId) {
        this(kind, tenantId, projectId, traceId, runId, null);
    }

    public enum Kind {
        /** The run was written for the first time. */
        CREATED,
        /** A stored run changed (end time, outputs, error, a later post or patch...). */
        UPDATED,
        /** Feedback on the run was created, changed or deleted. */
        FEEDBACK
    }

    /**
     * Reads a notification payload, {@code <kind>,<tenant>,<project>,<trace>,<run>[,<written at>]} with
     * kind c, u or f and the write time in microseconds since the epoch; null when the payload is not
     * one (a foreign or future format is ignored, not fatal).
     */
    public static RunChange parse(String payload) {
        String[] parts = payload == null ? new String[0] : payload.split(",", -1);
        if (parts.length != 5 && parts.length != 6) {
            return null;
        }
        Instant writtenAt = null;
        if (parts.length == 6) {
            try {
                writtenAt = Instant.EPOCH.plus(Long.parseLong(parts[5]), ChronoUnit.MICROS);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        Kind kind =
                switch (parts[0]) {
                    case "c" -> Kind.CREATED;
                    case "u" -> Kind.UPDATED;
                    case "f" -> Kind.FEEDBACK;
                    default -> null;
                };
        UUID tenant = Uuids.parseOrNull(parts[1]);
        UUID project = Uuids.parseOrNull(parts[2]);
        UUID trace = Uuids.parseOrNull(parts[3]);
        UUID run = Uuids.parseOrNull(parts[4]);
        if (kind == null || tenant == null || project == null || trace == null || run == null) {
            return null;
        }
        return new RunChange(kind, tenant, project, trace, run, writtenAt);
    }
}
