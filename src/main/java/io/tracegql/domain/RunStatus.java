package io.tracegql.domain;

import java.time.OffsetDateTime;
import java.util.Locale;

/** Completion status of a run. */
public enum RunStatus {
    SUCCESS,
    ERROR,
    PENDING;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunStatus fromWireName(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** The status a run has when its client did not say: an error wins, then an end time. */
    public static RunStatus derive(String error, OffsetDateTime endTime) {
        if (error != null) {
            return ERROR;
        }
        return endTime != null ? SUCCESS : PENDING;
    }
}
