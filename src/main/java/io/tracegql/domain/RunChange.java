package io.tracegql.domain;

import java.util.UUID;

/**
 * A committed change to a run, as announced by the database: which run, in which trace, project and
 * tenant, and what happened to it. Carries ids only; subscribers read the current data themselves.
 */
public record RunChange(Kind kind, UUID tenantId, UUID projectId, UUID traceId, UUID runId) {

    public enum Kind {
        /** The run was written for the first time. */
        CREATED,
        /** A stored run changed (end time, outputs, error, a later post or patch...). */
        UPDATED,
        /** Feedback on the run was created, changed or deleted. */
        FEEDBACK
    }

    /**
     * Reads a notification payload, {@code <kind>,<tenant>,<project>,<trace>,<run>} with kind c, u or
     * f; null when the payload is not one (a foreign or future format is ignored, not fatal).
     */
    public static RunChange parse(String payload) {
        String[] parts = payload == null ? new String[0] : payload.split(",", -1);
        if (parts.length != 5) {
            return null;
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
        return new RunChange(kind, tenant, project, trace, run);
    }
}
