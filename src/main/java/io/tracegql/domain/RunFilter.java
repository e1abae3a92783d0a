package io.tracegql.domain;

import java.util.List;
import java.util.Objects;

import io.tracegql.domain.RunFilterField.ValueType;

/**
 * Which runs a query wants, as a tree: {@link All} and {@link Any} of filters, and conditions on
 * the fields of {@link RunFilterField}, metadata, feedback and the text of a run. Both front-ends
 * build it (the typed GraphQL filter and LangSmith's filter language), {@link RunFilterRules}
 * validates it the same way whichever built it, and the store compiles it to SQL in one walk.
 *
 * <p>The nodes hold only valid shapes (a constructor refuses a value of the wrong type for its field
 * and comparison); the rules that depend on what a client wrote, such as lengths, list sizes, ranges
 * and nesting, are {@link RunFilterRules}'s.
 */
public sealed interface RunFilter {

    /** The filter that every run matches. */
    static RunFilter none() {
        return new All(List.of());
    }

    /** Every filter must match; no filters match every run. */
    record All(List<RunFilter> filters) implements RunFilter {
        public All {
            filters = List.copyOf(filters);
        }
    }

    /** At least one filter must match; no filters match no run. */
    record Any(List<RunFilter> filters) implements RunFilter {
        public Any {
            filters = List.copyOf(filters);
        }
    }

    /** How a {@link Compare} compares the field with its value. */
    enum Op {
        /** Equal to the value; for a boolean field, the condition holds (true) or does not (false). */
        EQ,
        /** Equal to one of a list of values; on tags, the run carries at least one of them. */
        IN,
        /** On tags: the run carries the value. */
        HAS,
        /** At least the value. */
        GTE,
        /** Below the value. */
        LT,
        /** At most the value. */
        LTE;

        public boolean isLowerBound() {
            return this == GTE;
        }

        public boolean isUpperBound() {
            return this == LT || this == LTE;
        }
    }

    /**
     * A field compared with a value: one value of the field's type, or for {@link Op#IN} a list of
     * them. Fields that only work in pairs (metadata, feedback) are {@link Metadata} and {@link
     * Feedback}; {@link RunFilterField#FEEDBACK_SCORE} only appears inside a {@link Feedback}.
     */
    record Compare(RunFilterField field, Op op, Object value) implements RunFilter {
        public Compare {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(value, "value");
            if (op == Op.IN) {
                value = List.copyOf((List<?>) value);
            }
            if (!accepts(field, op, value)) {
                throw new IllegalArgumentException(field + " " + op + " cannot take " + value);
            }
        }

        private static boolean accepts(RunFilterField field, Op op, Object value) {
            ValueType type = field.type();
            if (field == RunFilterField.METADATA_KEY
                    || field == RunFilterField.METADATA_VALUE
                    || field == RunFilterField.FEEDBACK_KEY) {
                return false;
            }
            return switch (op) {
                case EQ -> type != ValueType.TAGS && type.javaType().isInstance(value);
                case IN ->
                    type != ValueType.BOOLEAN
                            && !type.ordered()
                            && ((List<?>) value).stream().allMatch(type.javaType()::isInstance);
                case HAS -> type == ValueType.TAGS && value instanceof String;
                case GTE, LT, LTE -> type.ordered() && type.javaType().isInstance(value);
            };
        }
    }

    /**
     * Web-search style text (words, "quoted phrases", -excluded words, or) that a run's inputs,
     * outputs or error must contain.
     */
    record Search(String text) implements RunFilter {
        public Search {
            Objects.requireNonNull(text, "text");
        }
    }

    /** The run's metadata has this key with this value (compared as text). */
    record Metadata(String key, String value) implements RunFilter {
        public Metadata {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * The root run of the run's trace matches {@code filter} (LangSmith's {@code trace_filter}); the
     * run itself need not. A root run's trace root is itself.
     */
    record TraceRoot(RunFilter filter) implements RunFilter {
        public TraceRoot {
            Objects.requireNonNull(filter, "filter");
        }
    }

    /**
     * Some run of the run's trace, the run itself or any other, matches {@code filter} (LangSmith's
     * {@code tree_filter}).
     */
    record SomeRunOfTrace(RunFilter filter) implements RunFilter {
        public SomeRunOfTrace {
            Objects.requireNonNull(filter, "filter");
        }
    }

    /**
     * The run has feedback with this key, and one piece of it has a score within every bound in
     * {@code score} (comparisons on {@link RunFilterField#FEEDBACK_SCORE}; none: any score or none).
     */
    record Feedback(String key, List<Compare> score) implements RunFilter {
        public Feedback {
            Objects.requireNonNull(key, "key");
            score = List.copyOf(score);
            for (Compare bound : score) {
                if (bound.field() != RunFilterField.FEEDBACK_SCORE || bound.op() == Op.EQ) {
                    throw new IllegalArgumentException("a feedback score bound must bound feedback_score: " + bound);
                }
            }
        }
    }
}
