package io.tracegql.graphql;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import io.tracegql.domain.FilterLanguage;
import io.tracegql.domain.RunFilter;
import io.tracegql.domain.RunFilter.Compare;
import io.tracegql.domain.RunFilter.Op;
import io.tracegql.domain.RunFilterField;
import io.tracegql.domain.RunFilterRules;
import io.tracegql.graphql.errors.InvalidInputException;
import io.tracegql.graphql.inputs.RunFilterInput;

/**
 * Turns a GraphQL run filter into the filter tree and holds it to {@link RunFilterRules}, naming
 * every condition by its path in the input ({@code filter.or[0].search}). An input object is the
 * and of its conditions, as {@code and(...)} is in the filter language: its {@code and} items join
 * them, its {@code or} items are one alternative group among them; an object with a single condition
 * and no {@code and} list is that condition.
 */
public final class RunFilters {

    private RunFilters() {}

    static RunFilter toDomain(RunFilterInput input) {
        if (input == null) {
            return RunFilter.none();
        }
        Translation translation = new Translation();
        RunFilter filter = translation.object(input, "filter", 0);
        try {
            return RunFilterRules.check(filter, translation.paths::get);
        } catch (RunFilterRules.InvalidRunFilterException e) {
            throw new InvalidInputException(e.getMessage());
        }
    }

    /** The typed filter and a filter-language expression, both of which must match. */
    public static RunFilter toDomain(RunFilterInput input, String expression) {
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
        return input == null ? parsed : new RunFilter.All(List.of(typed, parsed));
    }

    /** One input's tree, with the path of every node in it. */
    private static final class Translation {
        private final Map<RunFilter, String> paths = new IdentityHashMap<>();

        RunFilter object(RunFilterInput input, String path, int depth) {
            if (depth > RunFilterRules.MAX_TREE_DEPTH) {
                throw new InvalidInputException(RunFilterRules.tooDeep(path));
            }
            List<RunFilter> conditions = new ArrayList<>();
            if (input.ids != null) {
                conditions.add(
                        at(compare(RunFilterField.ID, Op.IN, Ids.parseAll(input.ids, path + ".ids")), path + ".ids"));
            }
            if (input.projectId != null) {
                conditions.add(at(
                        compare(RunFilterField.PROJECT_ID, Op.EQ, Ids.parse(input.projectId, path + ".projectId")),
                        path + ".projectId"));
            }
            if (input.traceId != null) {
                conditions.add(at(
                        compare(RunFilterField.TRACE_ID, Op.EQ, Ids.parse(input.traceId, path + ".traceId")),
                        path + ".traceId"));
            }
            if (input.parentRunId != null) {
                conditions.add(at(
                        compare(
                                RunFilterField.PARENT_RUN_ID,
                                Op.EQ,
                                Ids.parse(input.parentRunId, path + ".parentRunId")),
                        path + ".parentRunId"));
            }
            if (input.isRoot != null) {
                conditions.add(at(compare(RunFilterField.IS_ROOT, Op.EQ, input.isRoot), path + ".isRoot"));
            }
            if (input.runTypes != null) {
                conditions.add(at(compare(RunFilterField.RUN_TYPE, Op.IN, input.runTypes), path + ".runTypes"));
            }
            if (input.statuses != null) {
                conditions.add(at(compare(RunFilterField.STATUS, Op.IN, input.statuses), path + ".statuses"));
            }
            if (input.hasError != null) {
                conditions.add(at(compare(RunFilterField.ERROR, Op.EQ, input.hasError), path + ".hasError"));
            }
            if (input.name != null) {
                conditions.add(at(compare(RunFilterField.NAME, Op.EQ, input.name), path + ".name"));
            }
            if (input.threadId != null) {
                conditions.add(at(compare(RunFilterField.THREAD_ID, Op.EQ, input.threadId), path + ".threadId"));
            }
            if (input.tagsAny != null) {
                conditions.add(at(compare(RunFilterField.TAGS, Op.IN, input.tagsAny), path + ".tagsAny"));
            }
            if (input.tagsAll != null) {
                for (int i = 0; i < input.tagsAll.size(); i++) {
                    conditions.add(at(
                            compare(RunFilterField.TAGS, Op.HAS, input.tagsAll.get(i)), path + ".tagsAll[" + i + "]"));
                }
            }
            if (input.startTime != null) {
                String window = path + ".startTime";
                bound(conditions, RunFilterField.START_TIME, Op.GTE, input.startTime.from, window + ".from");
                bound(conditions, RunFilterField.START_TIME, Op.LT, input.startTime.to, window + ".to");
            }
            if (input.latencySeconds != null) {
                range(
                        conditions,
                        RunFilterField.LATENCY,
                        input.latencySeconds.min,
                        input.latencySeconds.max,
                        path + ".latencySeconds");
            }
            if (input.totalTokens != null) {
                range(
                        conditions,
                        RunFilterField.TOTAL_TOKENS,
                        input.totalTokens.min,
                        input.totalTokens.max,
                        path + ".totalTokens");
            }
            if (input.totalCost != null) {
                range(
                        conditions,
                        RunFilterField.TOTAL_COST,
                        input.totalCost.min,
                        input.totalCost.max,
                        path + ".totalCost");
            }
            if (input.metadata != null) {
                for (int i = 0; i < input.metadata.size(); i++) {
                    RunFilterInput.MetadataMatch match = input.metadata.get(i);
                    conditions.add(at(
                            new RunFilter.Metadata(match.key, match.value),
                            path + ".metadata[" + i + "] (" + match.key + " = " + match.value + ")"));
                }
            }
            if (input.feedback != null) {
                conditions.add(feedback(input.feedback, path + ".feedback"));
            }
            if (input.search != null) {
                conditions.add(at(new RunFilter.Search(input.search), path + ".search"));
            }
            if (input.and != null) {
                for (int i = 0; i < input.and.size(); i++) {
                    conditions.add(object(input.and.get(i), path + ".and[" + i + "]", depth + 1));
                }
            }
            if (input.or != null && !input.or.isEmpty()) {
                List<RunFilter> alternatives = new ArrayList<>(input.or.size());
                for (int i = 0; i < input.or.size(); i++) {
                    alternatives.add(object(input.or.get(i), path + ".or[" + i + "]", depth + 1));
                }
                conditions.add(at(new RunFilter.Any(alternatives), path + ".or"));
            }
            // An and list makes the object a group even with one item, as and(...) does in the language.
            boolean group = input.and != null && !input.and.isEmpty();
            return conditions.size() == 1 && !group ? conditions.get(0) : at(new RunFilter.All(conditions), path);
        }

        private RunFilter feedback(RunFilterInput.FeedbackMatch feedback, String path) {
            List<Compare> score = new ArrayList<>(2);
            if (feedback.minScore != null) {
                score.add(at(
                        compare(RunFilterField.FEEDBACK_SCORE, Op.GTE, feedback.minScore),
                        path + ".minScore (" + feedback.minScore + ")"));
            }
            if (feedback.maxScore != null) {
                score.add(at(
                        compare(RunFilterField.FEEDBACK_SCORE, Op.LTE, feedback.maxScore),
                        path + ".maxScore (" + feedback.maxScore + ")"));
            }
            return at(new RunFilter.Feedback(feedback.key, score), path);
        }

        private void range(List<RunFilter> conditions, RunFilterField field, Object min, Object max, String path) {
            bound(conditions, field, Op.GTE, min, path + ".min");
            bound(conditions, field, Op.LTE, max, path + ".max");
        }

        /** A bound is named with its value, so that a message about two bounds shows both. */
        private void bound(List<RunFilter> conditions, RunFilterField field, Op op, Object value, String path) {
            if (value != null) {
                conditions.add(at(compare(field, op, value), path + " (" + value + ")"));
            }
        }

        private static Compare compare(RunFilterField field, Op op, Object value) {
            return new Compare(field, op, value);
        }

        private <T extends RunFilter> T at(T node, String path) {
            paths.put(node, path);
            return node;
        }
    }
}
