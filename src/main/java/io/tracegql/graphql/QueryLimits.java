package io.tracegql.graphql;

import java.util.Map;
import java.util.Set;
import jakarta.enterprise.context.ApplicationScoped;

import graphql.GraphQLContext;
import graphql.language.Argument;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.IntValue;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.VariableReference;
import graphql.schema.DataFetchingEnvironment;
import io.smallrye.graphql.api.Context;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.graphql.errors.QueryLimitException;

/**
 * Refuses queries over the configured limits before any of their data is fetched: every root field
 * calls {@link #check}, which measures the document once per request (size, depth, aliases,
 * directives, and a cost in which list fields weigh as much as the items they may return).
 */
@ApplicationScoped
public class QueryLimits {

    private static final String VERDICT = "tracegql.queryLimits";
    /** List fields without a page size: the number of items they are assumed to return. */
    private static final Map<String, Integer> FAN_OUT = Map.of("childRuns", 10, "trace", 100, "childRunIds", 10);
    /** Connection fields: they return at most `first` items (the default page size without it). */
    private static final Set<String> PAGED = Set.of("runs", "projects");

    private final TracegqlConfig.Limits limits;
    private final int defaultPageSize;
    private final Context context;

    public QueryLimits(TracegqlConfig config, Context context) {
        this.limits = config.limits();
        this.defaultPageSize = config.page().defaultSize();
        this.context = context;
    }

    /** Fails with a {@link QueryLimitException} when the current request is over a limit. */
    public void check() {
        DataFetchingEnvironment env = context.unwrap(DataFetchingEnvironment.class);
        GraphQLContext graphQLContext = env.getGraphQlContext();
        Object verdict = graphQLContext.get(VERDICT);
        if (verdict == null) {
            verdict = measure(env);
            graphQLContext.put(VERDICT, verdict);
        }
        if (verdict instanceof QueryLimitException exceeded) {
            throw new QueryLimitException(exceeded.getMessage());
        }
    }

    private Object measure(DataFetchingEnvironment env) {
        String query = context.getQuery();
        if (query != null && query.length() > limits.maxCharacters()) {
            return exceeded("characters", query.length(), limits.maxCharacters(), "max-characters");
        }
        Measure measure = new Measure(env.getFragmentsByName(), env.getVariables());
        measure.operationDirectives =
                env.getOperationDefinition().getDirectives().size();
        measure.walk(env.getOperationDefinition().getSelectionSet(), 1, 1, 0);
        if (measure.depth > limits.maxDepth()) {
            return exceeded("depth", measure.depth, limits.maxDepth(), "max-depth");
        }
        if (measure.aliases > limits.maxAliases()) {
            return exceeded("aliases", measure.aliases, limits.maxAliases(), "max-aliases");
        }
        int directives = measure.directives + measure.operationDirectives;
        if (directives > limits.maxDirectives()) {
            return exceeded("directives", directives, limits.maxDirectives(), "max-directives");
        }
        if (measure.cost > limits.maxCost()) {
            return exceeded("cost", measure.cost, limits.maxCost(), "max-cost");
        }
        return Boolean.TRUE;
    }

    private static QueryLimitException exceeded(String what, long value, long limit, String property) {
        return new QueryLimitException("the query's " + what + " is " + value + ", over the limit of " + limit
                + " (tracegql.limits." + property + ")");
    }

    /** Walks the selection sets of one operation, following fragments. */
    private final class Measure {
        private final Map<String, FragmentDefinition> fragments;
        private final Map<String, Object> variables;
        int depth;
        int aliases;
        int directives;
        int operationDirectives;
        long cost;

        Measure(Map<String, FragmentDefinition> fragments, Map<String, Object> variables) {
            this.fragments = fragments;
            this.variables = variables;
        }

        void walk(SelectionSet selectionSet, int level, long multiplier, int fragmentDepth) {
            if (selectionSet == null || fragmentDepth > 20) {
                return;
            }
            for (Selection<?> selection : selectionSet.getSelections()) {
                if (selection instanceof Field field) {
                    depth = Math.max(depth, level);
                    if (field.getAlias() != null) {
                        aliases++;
                    }
                    directives += field.getDirectives().size();
                    long items = items(field);
                    cost = saturatedAdd(cost, multiplier);
                    walk(field.getSelectionSet(), level + 1, saturatedMultiply(multiplier, items), fragmentDepth);
                } else if (selection instanceof InlineFragment inline) {
                    directives += inline.getDirectives().size();
                    walk(inline.getSelectionSet(), level, multiplier, fragmentDepth + 1);
                } else if (selection instanceof FragmentSpread spread) {
                    directives += spread.getDirectives().size();
                    FragmentDefinition fragment = fragments.get(spread.getName());
                    if (fragment != null) {
                        walk(fragment.getSelectionSet(), level, multiplier, fragmentDepth + 1);
                    }
                }
            }
        }

        private long items(Field field) {
            String name = field.getName();
            if (PAGED.contains(name)) {
                for (Argument argument : field.getArguments()) {
                    if (argument.getName().equals("first")) {
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
            return FAN_OUT.getOrDefault(name, 1);
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
}
