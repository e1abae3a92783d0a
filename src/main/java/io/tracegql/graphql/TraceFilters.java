package io.tracegql.graphql;

import java.util.ArrayList;
import java.util.List;

import io.tracegql.domain.TraceTotal;
import io.tracegql.domain.TraceTotalsFilter;
import io.tracegql.domain.TraceTotalsFilter.Bound;
import io.tracegql.graphql.errors.InvalidInputException;
import io.tracegql.graphql.inputs.RunFilterInput;
import io.tracegql.graphql.inputs.TraceTotalsFilterInput;

/** Turns a GraphQL totals filter into {@link TraceTotalsFilter}, naming each bound by its path in the input. */
final class TraceFilters {

    private static final String PATH = "totals";

    private TraceFilters() {}

    static TraceTotalsFilter toDomain(TraceTotalsFilterInput input) {
        if (input == null) {
            return TraceTotalsFilter.none();
        }
        List<Bound> bounds = new ArrayList<>();
        range(bounds, TraceTotal.RUN_COUNT, input.runCount);
        range(bounds, TraceTotal.ERROR_COUNT, input.errorCount);
        if (input.hasErrors != null) {
            String path = PATH + ".hasErrors (" + input.hasErrors + ")";
            bounds.add(new Bound(TraceTotal.ERROR_COUNT, input.hasErrors, input.hasErrors ? 1L : 0L, path));
        }
        range(bounds, TraceTotal.TOTAL_TOKENS, input.totalTokens);
        if (input.totalCost != null) {
            bound(bounds, TraceTotal.TOTAL_COST, true, input.totalCost.min, ".min");
            bound(bounds, TraceTotal.TOTAL_COST, false, input.totalCost.max, ".max");
        }
        try {
            return new TraceTotalsFilter(bounds);
        } catch (TraceTotalsFilter.InvalidTraceTotalsFilterException e) {
            throw new InvalidInputException(e.getMessage());
        }
    }

    private static void range(List<Bound> bounds, TraceTotal total, RunFilterInput.IntRange range) {
        if (range != null) {
            bound(bounds, total, true, range.min, ".min");
            bound(bounds, total, false, range.max, ".max");
        }
    }

    /** A bound is named with its value, so that a message about two bounds shows both. */
    private static void bound(List<Bound> bounds, TraceTotal total, boolean atLeast, Number value, String end) {
        if (value != null) {
            String path = PATH + "." + total.graphqlName() + end + " (" + value + ")";
            bounds.add(new Bound(total, atLeast, value, path));
        }
    }
}
