package io.tracegql.domain;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The hierarchical ordering key of a run: one segment {@code <start time><run id>} per ancestor, root
 * first, joined by dots, e.g. {@code 20230914T223155647Z1b64098b-...}. Sorting a trace's runs by it
 * gives execution order.
 */
public final class DottedOrder {

    private static final DateTimeFormatter SEGMENT_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSSSSS'Z'");
    /** Characters of the run id that ends every segment. */
    public static final int UUID_LENGTH = 36;

    private DottedOrder() {}

    /** The segment a run adds to its parent's dotted order. */
    public static String segment(OffsetDateTime startTime, UUID runId) {
        return SEGMENT_TIME.format(startTime.withOffsetSameInstant(ZoneOffset.UTC)) + runId;
    }

    /** The dotted order of a run, given its parent's (null for a root). */
    public static String of(String parentDottedOrder, OffsetDateTime startTime, UUID runId) {
        String own = segment(startTime, runId);
        return parentDottedOrder == null ? own : parentDottedOrder + "." + own;
    }

    /** Run ids of every segment, root first. */
    public static List<UUID> runIds(String dottedOrder) {
        String[] segments = dottedOrder.split("\\.");
        List<UUID> ids = new ArrayList<>(segments.length);
        for (String segment : segments) {
            if (segment.length() <= UUID_LENGTH) {
                throw new IllegalArgumentException("dotted_order segment '" + segment + "' has no run id");
            }
            ids.add(UUID.fromString(segment.substring(segment.length() - UUID_LENGTH)));
        }
        return ids;
    }

    /** Ancestor run ids from the trace root down to the direct parent; empty for a root. */
    public static List<UUID> ancestorIds(String dottedOrder) {
        List<UUID> ids = runIds(dottedOrder);
        return ids.subList(0, ids.size() - 1);
    }

    /** Checks that every segment is a time followed by a run id; returns a message, or null when valid. */
    public static String problem(String dottedOrder) {
        for (String segment : dottedOrder.split("\\.", -1)) {
            if (segment.length() <= UUID_LENGTH) {
                return "segment '" + segment + "' is not <time><run id>";
            }
            try {
                UUID.fromString(segment.substring(segment.length() - UUID_LENGTH));
            } catch (IllegalArgumentException e) {
                return "segment '" + segment + "' does not end in a run id";
            }
            String time = segment.substring(0, segment.length() - UUID_LENGTH);
            if (!time.matches("\\d{8}T\\d{6,12}Z")) {
                return "segment '" + segment + "' does not start with a time like 20230914T223155647Z";
            }
        }
        return null;
    }
}
