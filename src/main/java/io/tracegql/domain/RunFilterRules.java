package io.tracegql.domain;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tracegql.domain.RunFilter.All;
import io.tracegql.domain.RunFilter.Any;
import io.tracegql.domain.RunFilter.Compare;
import io.tracegql.domain.RunFilter.Feedback;
import io.tracegql.domain.RunFilter.Metadata;
import io.tracegql.domain.RunFilter.Search;

/**
 * The rules every run filter must follow, whichever front-end built it, checked in one walk of the
 * tree before it reaches SQL. They bound what a request may cost (nesting, text lengths, list
 * sizes) and refuse what can only be a mistake (blank search text, an empty list, bounds that no
 * value satisfies, a metadata key asked to have two values).
 *
 * <p>Messages name the condition as the client wrote it, through the front-end's {@link Where}: a
 * path such as {@code filter.or[0].search} for the typed filter, the condition and its position for
 * the filter language.
 */
public final class RunFilterRules {

    /**
     * How deeply groups may nest inside the outermost group. Every {@code and}/{@code or} inside
     * another is one level, except an {@code and} that is one alternative of an {@code or}: that is
     * what an item of the typed filter's {@code or} list is, and it counts with its {@code or}.
     */
    public static final int MAX_NESTING = 4;

    /**
     * How deeply a front-end follows nested groups while it builds a tree, before the rules are
     * checked: a bound on its recursion. A tree this deep breaks {@link #MAX_NESTING} (at most every
     * other level is an {@code and} that does not count), so it refuses nothing the rules accept.
     */
    public static final int MAX_TREE_DEPTH = 2 * MAX_NESTING + 2;

    /**
     * The longest filter-language expression accepted, checked before it is read: room for a list of
     * {@link #MAX_VALUES} ids, and a bound on what reading one may cost.
     */
    public static final int MAX_EXPRESSION_LENGTH = 100_000;

    /** The longest text accepted: the search text and every value compared as text. */
    public static final int MAX_TEXT_LENGTH = 1000;

    /** The most values one list may hold. */
    public static final int MAX_VALUES = 1000;

    private RunFilterRules() {}

    /** How a front-end names a node of the tree it built, for messages. */
    @FunctionalInterface
    public interface Where {
        String of(RunFilter node);
    }

    /** A filter that breaks a rule; {@link #node()} is the condition the message is about. */
    public static final class InvalidRunFilterException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        private final transient RunFilter node;

        public InvalidRunFilterException(String message, RunFilter node) {
            super(message);
            this.node = node;
        }

        public RunFilter node() {
            return node;
        }
    }

    /**
     * Checks every rule.
     *
     * @return the filter itself
     * @throws InvalidRunFilterException on the first rule broken found
     */
    public static RunFilter check(RunFilter filter, Where where) {
        new Walk(where).visit(filter, null, 0);
        return filter;
    }

    /** The message for a group nested deeper than {@link #MAX_NESTING}; {@code where} names the group. */
    public static String tooDeep(String where) {
        return where + ": and/or filters may nest at most " + MAX_NESTING + " levels";
    }

    private static final class Walk {
        private final Where where;

        Walk(Where where) {
            this.where = where;
        }

        void visit(RunFilter node, RunFilter parent, int parentLevel) {
            if (node instanceof All all) {
                int level = level(node, parent, parentLevel);
                if (!(parent instanceof All)) {
                    // The widest group of conditions that must hold together.
                    conjuncts(conjunctsOf(all));
                }
                all.filters().forEach(child -> visit(child, node, level));
            } else if (node instanceof Any any) {
                int level = level(node, parent, parentLevel);
                any.filters().forEach(child -> visit(child, node, level));
            } else if (node instanceof Compare compare) {
                if (compare.field() == RunFilterField.FEEDBACK_SCORE) {
                    throw new IllegalArgumentException(
                            "feedback_score may only be bounded inside a Feedback node: " + node);
                }
                compare(compare);
            } else if (node instanceof Search search) {
                search(search);
            } else if (node instanceof Metadata metadata) {
                text(metadata, metadata.key());
                text(metadata, metadata.value());
            } else if (node instanceof RunFilter.TraceRoot traceRoot) {
                // A filter on other runs than this one: its conditions are checked on their own.
                new Walk(where).visit(traceRoot.filter(), null, 0);
            } else if (node instanceof RunFilter.SomeRunOfTrace someRun) {
                new Walk(where).visit(someRun.filter(), null, 0);
            } else if (node instanceof Feedback feedback) {
                if (feedback.key().isBlank()) {
                    throw invalid(
                            feedback,
                            where.of(feedback)
                                    + ": the feedback key must not be empty; name the feedback, e.g. \"correctness\"");
                }
                text(feedback, feedback.key());
                feedback.score().forEach(this::compare);
                conjuncts(new ArrayList<>(feedback.score()));
            }
        }

        /** The nesting level of a group; the outermost group is level 0. */
        private int level(RunFilter node, RunFilter parent, int parentLevel) {
            if (parent == null) {
                return 0;
            }
            int level = node instanceof All && parent instanceof Any ? parentLevel : parentLevel + 1;
            if (level > MAX_NESTING) {
                throw invalid(node, tooDeep(where.of(node)));
            }
            return level;
        }

        private void search(Search search) {
            String text = search.text();
            if (text.isBlank()) {
                throw invalid(
                        search, where.of(search) + " must contain at least one word; leave it out to match every run");
            }
            if (text.length() > MAX_TEXT_LENGTH) {
                throw invalid(
                        search,
                        where.of(search) + " is " + text.length() + " characters long; at most " + MAX_TEXT_LENGTH
                                + " are accepted");
            }
        }

        private void compare(Compare compare) {
            Object value = compare.value();
            if (value instanceof List<?> list) {
                if (list.isEmpty()) {
                    throw invalid(
                            compare,
                            where.of(compare)
                                    + ": the list is empty, so no run could match; give at least one value or leave"
                                    + " the condition out");
                }
                if (list.size() > MAX_VALUES) {
                    throw invalid(
                            compare,
                            where.of(compare) + ": the list has " + list.size() + " values; at most " + MAX_VALUES
                                    + " are accepted");
                }
                list.forEach(item -> text(compare, item));
            } else {
                text(compare, value);
            }
            if (compare.field().type().nonNegative() && signum(value) < 0) {
                throw invalid(
                        compare,
                        where.of(compare) + ": negative bound, but "
                                + compare.field().langSmithName() + " is never below 0");
            }
        }

        private void text(RunFilter node, Object value) {
            if (value instanceof String text && text.length() > MAX_TEXT_LENGTH) {
                throw invalid(
                        node,
                        where.of(node) + " holds a text of " + text.length() + " characters; at most " + MAX_TEXT_LENGTH
                                + " are accepted");
            }
        }

        /**
         * Conditions that must hold together: no lower and upper bound on one field may leave an empty
         * range, and no metadata key may be asked for two values. Each condition is compared with the
         * tightest opposite bound so far, so the check is linear in the number of conditions.
         */
        private void conjuncts(List<RunFilter> conditions) {
            Map<RunFilterField, Compare> lowest = new EnumMap<>(RunFilterField.class);
            Map<RunFilterField, Compare> highest = new EnumMap<>(RunFilterField.class);
            Map<String, Metadata> metadataByKey = new HashMap<>();
            for (RunFilter condition : conditions) {
                if (condition instanceof Compare bound
                        && (bound.op().isLowerBound() || bound.op().isUpperBound())) {
                    boolean isLower = bound.op().isLowerBound();
                    Compare opposite = (isLower ? highest : lowest).get(bound.field());
                    if (opposite != null && emptyRange(isLower ? bound : opposite, isLower ? opposite : bound)) {
                        throw invalid(
                                bound,
                                "conditions " + where.of(opposite) + " and " + where.of(bound)
                                        + " cannot both hold, so the filter would match nothing; check the bounds");
                    }
                    (isLower ? lowest : highest).merge(bound.field(), bound, (a, b) -> tighter(a, b, isLower));
                } else if (condition instanceof Metadata metadata) {
                    Metadata earlier = metadataByKey.putIfAbsent(metadata.key(), metadata);
                    if (earlier != null && !earlier.value().equals(metadata.value())) {
                        throw invalid(
                                metadata,
                                "conditions " + where.of(earlier) + " and " + where.of(metadata)
                                        + " cannot both hold, so the filter would match nothing: metadata key '"
                                        + metadata.key() + "' has one value");
                    }
                }
            }
        }

        /** Whether no value is at least the lower bound and below (or at most) the upper one. */
        private static boolean emptyRange(Compare lower, Compare upper) {
            int order = compareValues(lower.value(), upper.value());
            return order > 0 || (order == 0 && upper.op() == RunFilter.Op.LT);
        }

        /** Of two bounds on the same side, the one that lets fewer values through. */
        private static Compare tighter(Compare a, Compare b, boolean lower) {
            int order = compareValues(a.value(), b.value());
            if (order == 0) {
                return lower || a.op() == RunFilter.Op.LT ? a : b;
            }
            return lower == order > 0 ? a : b;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private static int compareValues(Object a, Object b) {
            if (a instanceof OffsetDateTime x && b instanceof OffsetDateTime y) {
                return x.toInstant().compareTo(y.toInstant());
            }
            return ((Comparable) a).compareTo(b);
        }

        private static int signum(Object value) {
            if (value instanceof BigDecimal decimal) {
                return decimal.signum();
            }
            if (value instanceof Long count) {
                return Long.signum(count);
            }
            if (value instanceof Double number) {
                return (int) Math.signum(number);
            }
            return 0;
        }

        private static List<RunFilter> conjunctsOf(All all) {
            List<RunFilter> conditions = new ArrayList<>();
            for (RunFilter child : all.filters()) {
                if (child instanceof All nested) {
                    conditions.addAll(conjunctsOf(nested));
                } else {
                    conditions.add(child);
                }
            }
            return conditions;
        }

        private static InvalidRunFilterException invalid(RunFilter node, String message) {
            return new InvalidRunFilterException(message, node);
        }
    }
}
