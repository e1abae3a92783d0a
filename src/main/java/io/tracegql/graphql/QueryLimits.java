package io.tracegql.graphql;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import graphql.ErrorType;
import graphql.ExecutionResult;
import graphql.execution.AbortExecutionException;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.language.Argument;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.IntValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.VariableReference;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.graphql.errors.QueryLimitException;

/**
 * Refuses operations over the configured limits before any of their fields is fetched: graphql-java
 * asks it once per operation (query, mutation or subscription, over HTTP or WebSocket), after the
 * document was parsed and validated and before it is executed. It measures the operation that is to
 * run: size, depth, aliases ({@code __typename} included), directives, and a cost in which list fields
 * weigh as much as the items they may return. An operation over a limit answers one {@code
 * QUERY_LIMIT_EXCEEDED} error and no data.
 *
 * <p>Introspection ({@code __schema}, {@code __type}) counts as one field: what is below it is bounded by
 * the schema and by graphql-java's good-faith introspection check, and the introspection query of
 * GraphiQL is deeper than the depth limit.
 */
public final class QueryLimits extends SimplePerformantInstrumentation {

    /**
     * List fields without a page size: the number of items they are assumed to return. A field of the same
     * name that returns one object (Run.trace, beside the list Query.trace) weighs 1.
     */
    private static final Map<String, Integer> FAN_OUT =
            Map.of("childRuns", 10, "trace", 100, "childRunIds", 10, "runs", 100);
    /** Connection fields: they return at most `first` items (the default page size without it). */
    private static final Set<String> PAGED = Set.of("runs", "projects", "threads", "traces");
    /** Every connection field takes a page size. */
    private static final String PAGE_SIZE = "first";
    /** Introspection fields: not measured below themselves. */
    private static final Set<String> INTROSPECTION = Set.of("__schema", "__type");

    private final TracegqlConfig.Limits limits;
    private final int defaultPageSize;

    public QueryLimits(TracegqlConfig config) {
        this.limits = config.limits();
        this.defaultPageSize = config.page().defaultSize();
    }

    @Override
    public InstrumentationContext<ExecutionResult> beginExecuteOperation(
            InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
        QueryLimitException exceeded = measure(parameters.getExecutionContext());
        if (exceeded != null) {
            throw new AbortExecutionException(
                    List.of(ErrorReporting.toGraphQLError(exceeded, ErrorType.ExecutionAborted)));
        }
        return super.beginExecuteOperation(parameters, state);
    }

    private QueryLimitException measure(ExecutionContext execution) {
        return measure(
                execution.getGraphQLSchema(),
                execution.getExecutionInput().getQuery(),
                execution.getOperationDefinition(),
                execution.getFragmentsByName(),
                execution.getCoercedVariables().toMap());
    }

    /**
     * The first limit an operation of this document is over, or null when it is within all of them:
     * what every path that answers an operation checks before it reads anything.
     */
    public QueryLimitException measure(
            GraphQLSchema schema,
            String query,
            OperationDefinition operation,
            Map<String, FragmentDefinition> fragments,
            Map<String, Object> coercedVariables) {
        if (query != null && query.length() > limits.maxCharacters()) {
            return exceeded("characters", query.length(), limits.maxCharacters(), "max-characters");
        }
        Measure measure = new Measure(schema, fragments, coercedVariables);
        GraphQLObjectType root =
                switch (operation.getOperation()) {
                    case MUTATION -> schema.getMutationType();
                    case SUBSCRIPTION -> schema.getSubscriptionType();
                    default -> schema.getQueryType();
                };
        Totals totals = measure.of(operation.getSelectionSet(), root, 0);
        if (totals.depth() > limits.maxDepth()) {
            return exceeded("depth", totals.depth(), limits.maxDepth(), "max-depth");
        }
        if (totals.aliases() > limits.maxAliases()) {
            return exceeded("aliases", totals.aliases(), limits.maxAliases(), "max-aliases");
        }
        long directives =
                saturatedAdd(totals.directives(), operation.getDirectives().size());
        if (directives > limits.maxDirectives()) {
            return exceeded("directives", directives, limits.maxDirectives(), "max-directives");
        }
        if (totals.cost() > limits.maxCost()) {
            return exceeded("cost", totals.cost(), limits.maxCost(), "max-cost");
        }
        return null;
    }

    private static QueryLimitException exceeded(String what, long value, long limit, String property) {
        return new QueryLimitException("the query's " + what + " is " + value + ", over the limit of " + limit
                + " (tracegql.limits." + property + ")");
    }

    /**
     * What a selection set weighs where it starts: the depth of its deepest field (a field without
     * subfields is 1 deep), its aliases and directives, and its cost, the number of fields it may answer
     * (each field once for each item of the lists above it). Placed under lists of n items, its cost
     * is n times as much, and the rest stays the same.
     */
    private record Totals(long depth, long aliases, long directives, long cost) {
        static final Totals NONE = new Totals(0, 0, 0, 0);

        Totals plus(Totals other) {
            return new Totals(
                    Math.max(depth, other.depth),
                    saturatedAdd(aliases, other.aliases),
                    saturatedAdd(directives, other.directives),
                    saturatedAdd(cost, other.cost));
        }
    }

    /**
     * Measures the selection sets of one operation, following fragments. A fragment is measured once
     * however often it is spread: a short document may spread fragments that spread others ten times
     * over, 10^12 fields in all.
     */
    private final class Measure {
        private final GraphQLSchema schema;
        private final Map<String, FragmentDefinition> fragments;
        private final Map<String, Object> variables;
        private final Map<String, Totals> measuredFragments = new HashMap<>();

        Measure(GraphQLSchema schema, Map<String, FragmentDefinition> fragments, Map<String, Object> variables) {
            this.schema = schema;
            this.fragments = fragments;
            this.variables = variables;
        }

        /** The selection set's totals; {@code type} is the type it selects from, null where unknown. */
        Totals of(SelectionSet selectionSet, GraphQLType type, int fragmentDepth) {
            if (selectionSet == null || fragmentDepth > 20) {
                return Totals.NONE;
            }
            Totals totals = Totals.NONE;
            for (Selection<?> selection : selectionSet.getSelections()) {
                if (selection instanceof Field field) {
                    GraphQLFieldDefinition definition = definition(type, field.getName());
                    // Below introspection, the schema bounds the answer (see the class comment).
                    Totals below = INTROSPECTION.contains(field.getName())
                            ? Totals.NONE
                            : of(
                                    field.getSelectionSet(),
                                    definition == null ? null : GraphQLTypeUtil.unwrapAll(definition.getType()),
                                    fragmentDepth);
                    totals = totals.plus(new Totals(
                            below.depth() + 1,
                            saturatedAdd(below.aliases(), field.getAlias() == null ? 0 : 1),
                            saturatedAdd(
                                    below.directives(), field.getDirectives().size()),
                            saturatedAdd(1, saturatedMultiply(items(field, definition), below.cost()))));
                } else if (selection instanceof InlineFragment inline) {
                    GraphQLType inner = inline.getTypeCondition() == null
                            ? type
                            : schema.getType(inline.getTypeCondition().getName());
                    Totals inside = of(inline.getSelectionSet(), inner, fragmentDepth + 1);
                    totals = totals.plus(inside)
                            .plus(directives(inline.getDirectives().size()));
                } else if (selection instanceof FragmentSpread spread) {
                    totals = totals.plus(fragment(spread.getName(), fragmentDepth + 1))
                            .plus(directives(spread.getDirectives().size()));
                }
            }
            return totals;
        }

        private Totals fragment(String name, int fragmentDepth) {
            Totals measured = measuredFragments.get(name);
            if (measured == null) {
                FragmentDefinition fragment = fragments.get(name);
                measured = fragment == null
                        ? Totals.NONE
                        : of(
                                fragment.getSelectionSet(),
                                schema.getType(fragment.getTypeCondition().getName()),
                                fragmentDepth);
                measuredFragments.put(name, measured);
            }
            return measured;
        }

        private static Totals directives(int count) {
            return new Totals(0, 0, count, 0);
        }

        /** A field's definition in the type it is selected from; null for an unknown type or field. */
        private static GraphQLFieldDefinition definition(GraphQLType type, String name) {
            return type instanceof GraphQLFieldsContainer container ? container.getFieldDefinition(name) : null;
        }

        /** How many items the field may return: its page size, its assumed fan-out as a list, else 1. */
        private long items(Field field, GraphQLFieldDefinition definition) {
            String name = field.getName();
            boolean list =
                    definition == null || GraphQLTypeUtil.isList(GraphQLTypeUtil.unwrapNonNull(definition.getType()));
            boolean paged = definition == null
                    ? PAGED.contains(name)
                    : PAGED.contains(name) && definition.getArgument(PAGE_SIZE) != null;
            if (paged) {
                for (Argument argument : field.getArguments()) {
                    if (argument.getName().equals(PAGE_SIZE)) {
                        if (argument.getValue() instanceof IntValue value) {
                            return Math.max(1, value.getValue().longValue());
                        }
                        if (argument.getValue() instanceof VariableReference ref
                                && variables.get(ref.getName()) instanceof Number number) {
                            return Math.max(1, number.longValue());
                        }
                    }
                }
                return defaultPageSize;
            }
            return list ? FAN_OUT.getOrDefault(name, 1) : 1;
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private static long saturatedMultiply(long a, long b) {
        long product = a * b;
        return a != 0 && product / a != b ? Long.MAX_VALUE : product;
    }
}
