package io.tracegql.graphql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.normalized.ExecutableNormalizedField;
import graphql.normalized.ExecutableNormalizedOperation;
import graphql.normalized.ExecutableNormalizedOperationFactory;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.DataFetchingFieldSelectionSet;
import graphql.schema.FieldCoordinates;
import graphql.schema.SelectedField;
import io.smallrye.graphql.api.Context;
import io.smallrye.mutiny.Uni;

import io.tracegql.domain.RunField;
import io.tracegql.domain.TraceTotal;
import io.tracegql.graphql.errors.InvalidInputException;
import io.tracegql.store.InvalidJsonPathException;
import io.tracegql.store.JsonProjection;
import io.tracegql.store.RunSelection;

/**
 * Reads what a query selected, so that the store reads only those columns and computes project
 * aggregates only when they are asked for.
 */
public final class Selections {

    /** Each GraphQL field of Run that shows a catalogue field, by name (synonyms too). */
    private static final Map<String, RunField> RUN_FIELDS = runFieldsByGraphqlName();

    private static final Set<String> PROJECT_STATS_FIELDS = Set.of(
            "runCount",
            "latencyP50",
            "latencyP99",
            "firstTokenP50",
            "firstTokenP99",
            "totalTokens",
            "promptTokens",
            "completionTokens",
            "totalCost",
            "promptCost",
            "completionCost",
            "errorRate",
            "lastRunStartTime",
            "unpricedRunCount");

    /** Fields of Thread that need the totals over the llm runs of its traces. */
    private static final Set<String> THREAD_TOTALS_FIELDS =
            Set.of("promptTokens", "completionTokens", "totalTokens", "promptCost", "completionCost", "totalCost");

    /** Fields of Trace that show a field of its root run, by the root's GraphQL name. */
    private static final Set<String> TRACE_ROOT_FIELDS = Stream.of(
                    RunField.START_TIME, RunField.END_TIME, RunField.LATENCY_SECONDS, RunField.STATUS, RunField.ERROR)
            .map(field -> field.graphqlNames().get(0))
            .collect(Collectors.toUnmodifiableSet());

    /** Fields of Trace that show its totals. */
    private static final Set<String> TRACE_TOTALS_FIELDS =
            Arrays.stream(TraceTotal.values()).map(TraceTotal::graphqlName).collect(Collectors.toUnmodifiableSet());

    /** Where a request keeps its normalized operation once a batched resolver needed it. */
    private static final String NORMALIZED_OPERATION = "tracegql.normalizedOperation";

    /** Longest jsonpath accepted. */
    static final int MAX_PATH_LENGTH = 1000;

    private Selections() {}

    /** The selection set of the field being resolved. */
    static DataFetchingFieldSelectionSet current(Context context) {
        return context.unwrap(DataFetchingEnvironment.class).getSelectionSet();
    }

    /**
     * Columns and JSON projections for the Run fields selected under these paths (e.g. "" for a Run,
     * "edges/node/" for a page). A JSON field with a path (inputs, outputs, extra, events) reads only
     * what the path selects, each alias with its own path; without one it reads the whole column.
     */
    static RunSelection runSelection(DataFetchingFieldSelectionSet selection, String... paths) {
        return runSelection(fields(selection, paths));
    }

    /** Columns and JSON projections for what every occurrence of the batched field being resolved selects. */
    static RunSelection batchedRunSelection(Context context) {
        return runSelection(everyOccurrence(context));
    }

    /**
     * The same for a batched field that returns a page: the Run fields under these paths ("edges/node/",
     * "nodes/") of every occurrence.
     */
    static RunSelection batchedRunSelection(Context context, String... paths) {
        List<Selected> fields = new ArrayList<>();
        for (ExecutableNormalizedField occurrence : occurrences(context)) {
            for (String path : paths) {
                List<ExecutableNormalizedField> level = List.of(occurrence);
                for (String name : path.split("/")) {
                    if (name.isEmpty()) {
                        continue;
                    }
                    List<ExecutableNormalizedField> next = new ArrayList<>();
                    level.forEach(field -> field.getChildren().stream()
                            .filter(child -> child.getName().equals(name))
                            .forEach(next::add));
                    level = next;
                }
                level.forEach(field -> field.getChildren()
                        .forEach(child -> fields.add(new Selected(child.getName(), child.getResolvedArguments()))));
            }
        }
        return runSelection(fields);
    }

    private static RunSelection runSelection(List<Selected> fields) {
        EnumSet<RunField> columns = EnumSet.noneOf(RunField.class);
        Set<JsonProjection> projections = new LinkedHashSet<>();
        for (Selected field : fields) {
            RunField column = RUN_FIELDS.get(field.name());
            if (column == null) {
                continue;
            }
            Object jsonPath =
                    JsonProjection.COLUMNS.contains(column) ? field.arguments().get("path") : null;
            if (jsonPath == null) {
                columns.add(column);
            } else {
                projections.add(new JsonProjection(column, checkPath(field.name(), (String) jsonPath)));
            }
        }
        return RunSelection.of(columns, projections);
    }

    /** The fields selected under these paths of a selection set. */
    private static List<Selected> fields(DataFetchingFieldSelectionSet selection, String... paths) {
        List<Selected> fields = new ArrayList<>();
        for (String path : paths) {
            for (SelectedField field : fieldsUnder(selection, path)) {
                fields.add(new Selected(field.getName(), field.getArguments()));
            }
        }
        return fields;
    }

    /**
     * The fields directly under a path ("" or "edges/node/"), walked by name through immediate fields:
     * getFields with a glob compiles a pattern on every call.
     */
    private static List<SelectedField> fieldsUnder(DataFetchingFieldSelectionSet selection, String path) {
        List<SelectedField> level = selection.getImmediateFields();
        for (String name : path.split("/")) {
            if (name.isEmpty()) {
                continue;
            }
            List<SelectedField> next = new ArrayList<>();
            for (SelectedField field : level) {
                if (field.getName().equals(name)) {
                    next.addAll(field.getSelectionSet().getImmediateFields());
                }
            }
            level = next;
        }
        return level;
    }

    /**
     * The fields selected under every occurrence in the operation of the field being resolved. A
     * batched field is loaded once for all its occurrences on a level, also those under another alias
     * ({@code a: childRuns { name } b: childRuns { runType }}), with the environment of the first of
     * them: what they select together is what the one statement must read.
     */
    private static List<Selected> everyOccurrence(Context context) {
        List<Selected> fields = new ArrayList<>();
        for (ExecutableNormalizedField occurrence : occurrences(context)) {
            for (ExecutableNormalizedField child : occurrence.getChildren()) {
                fields.add(new Selected(child.getName(), child.getResolvedArguments()));
            }
        }
        return fields;
    }

    /** Every occurrence in the operation of the field being resolved, from its normalized operation. */
    private static List<ExecutableNormalizedField> occurrences(Context context) {
        DataFetchingEnvironment env = context.unwrap(DataFetchingEnvironment.class);
        GraphQLContext request = env.getGraphQlContext();
        ExecutableNormalizedOperation operation = request.get(NORMALIZED_OPERATION);
        if (operation == null) {
            operation = ExecutableNormalizedOperationFactory.createExecutableNormalizedOperation(
                    env.getGraphQLSchema(),
                    env.getOperationDefinition(),
                    env.getFragmentsByName(),
                    CoercedVariables.of(env.getVariables()));
            request.put(NORMALIZED_OPERATION, operation);
        }
        FieldCoordinates coordinates = FieldCoordinates.coordinates(
                env.getExecutionStepInfo().getObjectType().getName(),
                env.getField().getName());
        return operation.getCoordinatesToNormalizedFields().get(coordinates);
    }

    /** A JSON field's path argument, refused when blank or too long. */
    public static String checkPath(String field, String path) {
        if (path.isBlank()) {
            throw new InvalidInputException(field + "(path: " + quoted(path) + "): give a jsonpath such as"
                    + " $.messages[last], or leave path out for the whole " + field);
        }
        if (path.length() > MAX_PATH_LENGTH) {
            throw new InvalidInputException(field + "(path: ...): the path is " + path.length()
                    + " characters long; at most " + MAX_PATH_LENGTH + " are accepted");
        }
        return path;
    }

    /** The error a client gets for a path that PostgreSQL refused: the field, the path, and why. */
    static InvalidInputException invalidPath(InvalidJsonPathException e) {
        String field = e.projection().column().graphqlNames().get(0);
        return new InvalidInputException(field + "(path: "
                + quoted(e.projection().path()) + "): not a valid PostgreSQL jsonpath: " + e.reason());
    }

    /** A path as a GraphQL string literal, as the client would have written it. */
    private static String quoted(String path) {
        return "\"" + path.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Reports a refused path as bad input. */
    static <T> Uni<T> reportingPaths(Uni<T> read) {
        return read.onFailure(InvalidJsonPathException.class).transform(e -> invalidPath((InvalidJsonPathException) e));
    }

    /** Which of a project's computed parts are selected under these paths. */
    static ProjectParts projectParts(DataFetchingFieldSelectionSet selection, String... paths) {
        return projectParts(fields(selection, paths));
    }

    /** Which of a project's computed parts every occurrence of the batched field being resolved selects. */
    static ProjectParts batchedProjectParts(Context context) {
        return projectParts(everyOccurrence(context));
    }

    private static ProjectParts projectParts(List<Selected> fields) {
        boolean stats = false;
        boolean facets = false;
        boolean feedback = false;
        boolean sessionFeedback = false;
        boolean unpriced = false;
        for (Selected field : fields) {
            String name = field.name();
            stats |= PROJECT_STATS_FIELDS.contains(name);
            unpriced |= name.equals("unpricedRunCount");
            facets |= name.equals("runFacets");
            feedback |= name.equals("feedbackStats");
            sessionFeedback |= name.equals("sessionFeedbackStats");
        }
        return new ProjectParts(stats, unpriced, facets, feedback, sessionFeedback);
    }

    /** The catalogue field that a GraphQL field of Run shows (by its name or a synonym), or null. */
    public static RunField runField(String graphqlName) {
        return RUN_FIELDS.get(graphqlName);
    }

    private static Map<String, RunField> runFieldsByGraphqlName() {
        Map<String, RunField> byName = new HashMap<>();
        for (RunField field : RunField.values()) {
            field.graphqlNames().forEach(name -> byName.put(name, field));
        }
        return Map.copyOf(byName);
    }

    /** Whether a thread's token and cost totals are selected under these paths. */
    static boolean threadTotals(DataFetchingFieldSelectionSet selection, String... paths) {
        return fields(selection, paths).stream().anyMatch(field -> THREAD_TOTALS_FIELDS.contains(field.name()));
    }

    /**
     * What a Trace under these paths needs read: the columns of its root run (what {@code root}
     * selects, and the root's fields that Trace shows itself) and whether its totals are selected.
     */
    static TraceParts traceParts(DataFetchingFieldSelectionSet selection, String... paths) {
        String[] rootPaths = Arrays.stream(paths).map(path -> path + "root/").toArray(String[]::new);
        return traceParts(fields(selection, paths), fields(selection, rootPaths));
    }

    /** The same for every occurrence of the batched field being resolved (Run.trace). */
    static TraceParts batchedTraceParts(Context context) {
        List<Selected> fields = new ArrayList<>();
        List<Selected> rootFields = new ArrayList<>();
        for (ExecutableNormalizedField occurrence : occurrences(context)) {
            for (ExecutableNormalizedField child : occurrence.getChildren()) {
                fields.add(new Selected(child.getName(), child.getResolvedArguments()));
                if (child.getName().equals("root")) {
                    child.getChildren()
                            .forEach(field ->
                                    rootFields.add(new Selected(field.getName(), field.getResolvedArguments())));
                }
            }
        }
        return traceParts(fields, rootFields);
    }

    private static TraceParts traceParts(List<Selected> fields, List<Selected> rootFields) {
        List<Selected> root = new ArrayList<>(rootFields);
        boolean totals = false;
        for (Selected field : fields) {
            if (TRACE_ROOT_FIELDS.contains(field.name())) {
                root.add(new Selected(field.name(), Map.of()));
            }
            totals |= TRACE_TOTALS_FIELDS.contains(field.name());
        }
        return new TraceParts(runSelection(root), totals);
    }

    /** What a trace query reads: these columns of the root run, and the totals or not. */
    record TraceParts(RunSelection root, boolean totals) {}

    /** A selected field: its name and its arguments, variables resolved. */
    private record Selected(String name, Map<String, Object> arguments) {}

    /** Which computed parts are selected; {@code unpricedRunCount} is one more aggregate of the stats. */
    record ProjectParts(
            boolean stats,
            boolean unpricedRunCount,
            boolean facets,
            boolean feedbackStats,
            boolean sessionFeedbackStats) {}
}
