package io.tracegql.domain;

import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Conditions on the totals of a trace, all of which must hold: each a bound (at least, at most) on one
 * {@link TraceTotal}. Which runs' traces are wanted is a {@link RunFilter} on the root run; this adds
 * only what a run filter cannot say. The constructor refuses a negative bound and bounds on one total
 * that leave no value, naming them by the paths the client wrote.
 */
public record TraceTotalsFilter(List<Bound> bounds) {

    /** {@code total >= value} ({@code atLeast}) or {@code total <= value}, as the client wrote it at {@code path}. */
    public record Bound(TraceTotal total, boolean atLeast, Number value, String path) {
        public Bound {
            if (total == TraceTotal.FIRST_TOKEN_TIME || !total.javaType().isInstance(value)) {
                throw new IllegalArgumentException(total + " takes no bound " + value);
            }
        }

        private int compareTo(Bound other) {
            return decimal(value).compareTo(decimal(other.value));
        }

        private static BigDecimal decimal(Number value) {
            return value instanceof BigDecimal d ? d : BigDecimal.valueOf(value.longValue());
        }
    }

    /** A bound a client cannot have meant; its message names the bound and says why. */
    public static final class InvalidTraceTotalsFilterException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public InvalidTraceTotalsFilterException(String message) {
            super(message);
        }
    }

    public TraceTotalsFilter {
        bounds = List.copyOf(bounds);
        Map<TraceTotal, Bound> lowest = new EnumMap<>(TraceTotal.class);
        Map<TraceTotal, Bound> highest = new EnumMap<>(TraceTotal.class);
        for (Bound bound : bounds) {
            if (Bound.decimal(bound.value()).signum() < 0) {
                throw new InvalidTraceTotalsFilterException(
                        bound.path() + ": negative bound, but " + bound.total().graphqlName() + " is never below 0");
            }
            Bound opposite = (bound.atLeast() ? highest : lowest).get(bound.total());
            if (opposite != null && (bound.atLeast() ? bound.compareTo(opposite) > 0 : bound.compareTo(opposite) < 0)) {
                throw new InvalidTraceTotalsFilterException("conditions " + opposite.path() + " and " + bound.path()
                        + " cannot both hold, so the filter would match nothing; check the bounds");
            }
            (bound.atLeast() ? lowest : highest)
                    .merge(bound.total(), bound, (a, b) -> (a.compareTo(b) > 0) == bound.atLeast() ? a : b);
        }
    }

    /** No condition: every trace. */
    public static TraceTotalsFilter none() {
        return new TraceTotalsFilter(List.of());
    }
}
