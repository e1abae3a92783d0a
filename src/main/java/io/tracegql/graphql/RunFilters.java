package io.tracegql.graphql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tracegql.domain.FilterLanguage;
import io.tracegql.domain.RunFilter;
import io.tracegql.graphql.errors.InvalidInputException;
import io.tracegql.graphql.inputs.RunFilterInput;

/** Validates a GraphQL run filter and turns it into the store's filter model. */
final class RunFilters {

    /** How deeply and/or filters may nest. */
    static final int MAX_NESTING = 4;

    /** Longest search text accepted; longer ones are documents, not queries. */
    static final int MAX_SEARCH_LENGTH = 1000;

    private RunFilters() {}

    static RunFilter toDomain(RunFilterInput input) {
        return input == null ? RunFilter.none() : toDomain(input, "filter", 0);
    }

    /** The typed filter and a filter-language expression, both of which must match. */
    static RunFilter toDomain(RunFilterInput input, String expression) {
        RunFilter typed = toDomain(input);
        if (expression == null) {
            return typed;
        }
        RunFilter parsed;
        try {
            parsed = FilterLanguage.parse(expression);
        } catch (FilterLanguage.InvalidFilterException e) {
            throw new InvalidInputException("filterExpression: " + e.getMessage());
        }
        return RunFilter.builder().and(List.of(typed, parsed)).build();
    }

    private static RunFilter toDomain(RunFilterInput input, String path, int depth) {
        if (depth > MAX_NESTING) {
            throw new InvalidInputException(path + ": and/or filters may nest at most " + MAX_NESTING + " levels");
        }
        RunFilter.Builder filter = RunFilter.builder()
                .ids(Ids.parseAll(input.ids, path + ".ids"))
                .projectId(Ids.parse(input.projectId, path + ".projectId"))
                .traceId(Ids.parse(input.traceId, path + ".traceId"))
                .parentRunId(Ids.parse(input.parentRunId, path + ".parentRunId"))
                .isRoot(input.isRoot)
                .runTypes(input.runTypes)
                .statuses(input.statuses)
                .hasError(input.hasError)
                .name(input.name)
                .tagsAny(input.tagsAny)
                .tagsAll(input.tagsAll);
        if (input.startTime != null) {
            RunFilterInput.TimeRange window = input.startTime;
            if (window.from != null && window.to != null && !window.from.isBefore(window.to)) {
                throw new InvalidInputException(
                        path + ".startTime: from (" + window.from + ") must be before to (" + window.to + ")");
            }
            filter.startedAfter(window.from).startedBefore(window.to);
        }
        if (input.latencySeconds != null) {
            checkRange(input.latencySeconds.min, input.latencySeconds.max, path + ".latencySeconds");
            filter.latencySeconds(input.latencySeconds.min, input.latencySeconds.max);
        }
        if (input.totalTokens != null) {
            checkRange(input.totalTokens.min, input.totalTokens.max, path + ".totalTokens");
            filter.totalTokens(input.totalTokens.min, input.totalTokens.max);
        }
        if (input.totalCost != null) {
            checkRange(input.totalCost.min, input.totalCost.max, path + ".totalCost");
            filter.totalCost(input.totalCost.min, input.totalCost.max);
        }
        if (input.metadata != null) {
            Map<String, String> metadata = new LinkedHashMap<>();
            for (RunFilterInput.MetadataMatch match : input.metadata) {
                String previous = metadata.put(match.key, match.value);
                if (previous != null && !previous.equals(match.value)) {
                    throw new InvalidInputException(
                            path + ".metadata: key '" + match.key + "' is given twice with different values");
                }
            }
            filter.metadata(metadata);
        }
        if (input.feedback != null) {
            RunFilterInput.FeedbackMatch feedback = input.feedback;
            if (feedback.key.isBlank()) {
                throw new InvalidInputException(path + ".feedback.key must not be empty");
            }
            checkRange(feedback.minScore, feedback.maxScore, path + ".feedback score");
            filter.feedback(new RunFilter.FeedbackCondition(feedback.key, feedback.minScore, feedback.maxScore));
        }
        if (input.search != null) {
            filter.search(search(input.search, path + ".search"));
        }
        filter.and(nested(input.and, path + ".and", depth));
        filter.or(nested(input.or, path + ".or", depth));
        return filter.build();
    }

    private static String search(String text, String path) {
        if (text.isBlank()) {
            throw new InvalidInputException(path + " must contain at least one word; leave it out to match every run");
        }
        if (text.length() > MAX_SEARCH_LENGTH) {
            throw new InvalidInputException(
                    path + " is " + text.length() + " characters long; at most " + MAX_SEARCH_LENGTH + " are accepted");
        }
        return text;
    }

    private static List<RunFilter> nested(List<RunFilterInput> inputs, String path, int depth) {
        if (inputs == null) {
            return null;
        }
        List<RunFilter> filters = new java.util.ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            filters.add(toDomain(inputs.get(i), path + "[" + i + "]", depth + 1));
        }
        return filters;
    }

    private static <T extends Comparable<T>> void checkRange(T min, T max, String path) {
        if (min != null && max != null && min.compareTo(max) > 0) {
            throw new InvalidInputException(path + ": min (" + min + ") must not be greater than max (" + max + ")");
        }
    }
}
