package io.tracegql.ingest;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import io.tracegql.domain.RunFilter;
import io.tracegql.domain.RunFilterRules;

/**
 * The typed conditions of a read request's body, each remembered with the body field it came from,
 * so that a condition that breaks a rule of every run filter is refused naming that field.
 */
final class ReadConditions {

    private final Map<RunFilter, String> parts = new IdentityHashMap<>();
    private final List<RunFilter> conditions = new ArrayList<>();

    /** Adds a condition that came from {@code part}, as do the alternatives of an {@link RunFilter.Any}. */
    ReadConditions add(String part, RunFilter condition) {
        parts.put(condition, part);
        if (condition instanceof RunFilter.Any any) {
            any.filters().forEach(alternative -> parts.put(alternative, part));
        }
        conditions.add(condition);
        return this;
    }

    /** All the conditions, checked; a broken rule is a 400 naming the field. */
    List<RunFilter> checked() {
        try {
            RunFilterRules.check(new RunFilter.All(conditions), parts::get);
        } catch (RunFilterRules.InvalidRunFilterException e) {
            throw IngestException.malformed(parts.getOrDefault(e.node(), "body"), e.getMessage());
        }
        return List.copyOf(conditions);
    }
}
