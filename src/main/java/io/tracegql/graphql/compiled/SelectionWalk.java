package io.tracegql.graphql.compiled;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.normalized.ExecutableNormalizedField;
import graphql.normalized.ExecutableNormalizedOperation;

import io.tracegql.domain.RunField;
import io.tracegql.graphql.Ids;
import io.tracegql.graphql.Paging;
import io.tracegql.graphql.RunPageArguments;
import io.tracegql.graphql.Selections;
import io.tracegql.graphql.errors.InvalidInputException;
import io.tracegql.graphql.inputs.RunFilterInput;
import io.tracegql.graphql.inputs.RunOrderInput;
import io.tracegql.store.JsonProjection;
import io.tracegql.store.JsonRead;
import io.tracegql.store.JsonRead.Kind;
import io.tracegql.store.JsonRead.Member;
import io.tracegql.store.ProjectAggregate;
import io.tracegql.store.RunStore;

/**
 * Walks the normalized operation of a query (fragments spread, aliases resolved, {@code @skip} and
 * {@code @include} applied, arguments coerced) into a {@link JsonRead}, or finds a field without a
 * compiled form. Arguments are read and checked by the same code as the resolvers' ({@link Ids}, {@link
 * RunPageArguments}, {@link Selections#checkPath}); a refused one throws as it does there.
 *
 * <p>Run fields come from the run field catalogue ({@link Selections#runField}); the other fields with
 * a compiled form are the relations and objects named here, project fields from the stored fields
 * and the aggregates of the store. What is not named (a run's shareUrl, a project's url, feedback stats,
 * facets and runStats, every other root field) makes the query one for the general path.
 */
final class SelectionWalk {

    /** Thrown when a field has no compiled form: the query goes the general way. */
    static final class NotCompilable extends RuntimeException {
        NotCompilable(String field) {
            super(field, null, false, false);
        }
    }

    private static final Map<String, JsonRead.ProjectField> PROJECT_FIELDS = Arrays.stream(
                    JsonRead.ProjectField.values())
            .collect(Collectors.toUnmodifiableMap(JsonRead.ProjectField::graphqlName, Function.identity()));
    private static final Map<String, ProjectAggregate> PROJECT_AGGREGATES = Arrays.stream(ProjectAggregate.values())
            .collect(Collectors.toUnmodifiableMap(ProjectAggregate::graphqlName, Function.identity()));

    private final Paging paging;
    private final ObjectMapper json;

    SelectionWalk(Paging paging, ObjectMapper json) {
        this.paging = paging;
        this.json = json;
    }

    List<JsonRead.Root> roots(ExecutableNormalizedOperation operation) {
        List<JsonRead.Root> roots = new ArrayList<>();
        for (ExecutableNormalizedField field : operation.getTopLevelFields()) {
            Map<String, Object> arguments = field.getResolvedArguments();
            String key = field.getResultKey();
            switch (field.getName()) {
                case "run" ->
                    roots.add(new JsonRead.RunById(
                            key, Ids.parse((String) arguments.get("id"), "id"), runMembers(field)));
                case "trace" ->
                    roots.add(new JsonRead.Trace(
                            key, Ids.parse((String) arguments.get("traceId"), "traceId"), runMembers(field)));
                case "runs" -> roots.add(runPage(field, arguments));
                case "project" -> {
                    String id = (String) arguments.get("id");
                    String name = (String) arguments.get("name");
                    if ((id == null) == (name == null)) {
                        throw new InvalidInputException("project: give either id or name, not both and not neither");
                    }
                    roots.add(new JsonRead.ProjectByKey(key, Ids.parse(id, "id"), name, projectMembers(field)));
                }
                case "projects" ->
                    roots.add(new JsonRead.ProjectPage(
                            key,
                            (String) arguments.get("nameContains"),
                            paging.pageSize((Integer) arguments.get("first")),
                            (String) arguments.get("after"),
                            connectionMembers(field, this::projectMembers)));
                case "__typename" -> {
                    Member typename = typename(field);
                    roots.add(new JsonRead.Text(key, typename.text()));
                }
                default -> throw new NotCompilable(field.getName());
            }
        }
        return roots;
    }

    private JsonRead.RunPage runPage(ExecutableNormalizedField field, Map<String, Object> arguments) {
        RunPageArguments page = RunPageArguments.of(
                paging,
                input(arguments.get("filter"), RunFilterInput.class),
                (String) arguments.get("filterExpression"),
                input(arguments.get("orderBy"), RunOrderInput.class),
                (Integer) arguments.get("first"),
                (String) arguments.get("after"));
        if (RunStore.planDependsOnValues(page.filter())) {
            // PostgreSQL plans such a statement at every request, and the compiled one is the larger:
            // measured slower than the general path (bench/PROFILE.md, fifth round).
            throw new NotCompilable(field.getName());
        }
        List<Member> members = connectionMembers(field, this::runMembers);
        return new JsonRead.RunPage(
                field.getResultKey(),
                page.filter(),
                page.sortField(),
                page.direction(),
                page.first(),
                page.after(),
                members);
    }

    /** The members of a connection whose items have these members. */
    private static List<Member> connectionMembers(
            ExecutableNormalizedField connection, Function<ExecutableNormalizedField, List<Member>> items) {
        List<Member> members = new ArrayList<>();
        for (ExecutableNormalizedField child : connection.getChildren()) {
            String key = child.getResultKey();
            members.add(
                    switch (child.getName()) {
                        case "nodes" -> Member.object(key, Kind.NODES, items.apply(child));
                        case "edges" -> Member.object(key, Kind.EDGES, edgeMembers(child, items));
                        case "pageInfo" -> Member.object(key, Kind.PAGE_INFO, pageInfoMembers(child));
                        case "__typename" -> typename(child);
                        default -> throw new NotCompilable(child.getName());
                    });
        }
        return members;
    }

    private static List<Member> edgeMembers(
            ExecutableNormalizedField edges, Function<ExecutableNormalizedField, List<Member>> items) {
        List<Member> members = new ArrayList<>();
        for (ExecutableNormalizedField child : edges.getChildren()) {
            String key = child.getResultKey();
            members.add(
                    switch (child.getName()) {
                        case "cursor" -> Member.of(key, Kind.CURSOR);
                        case "node" -> Member.object(key, Kind.NODE, items.apply(child));
                        case "__typename" -> typename(child);
                        default -> throw new NotCompilable(child.getName());
                    });
        }
        return members;
    }

    private static List<Member> pageInfoMembers(ExecutableNormalizedField pageInfo) {
        List<Member> members = new ArrayList<>();
        for (ExecutableNormalizedField child : pageInfo.getChildren()) {
            String key = child.getResultKey();
            members.add(
                    switch (child.getName()) {
                        case "hasNextPage" -> Member.of(key, Kind.HAS_NEXT_PAGE);
                        case "hasPreviousPage" -> Member.of(key, Kind.HAS_PREVIOUS_PAGE);
                        case "startCursor" -> Member.of(key, Kind.START_CURSOR);
                        case "endCursor" -> Member.of(key, Kind.END_CURSOR);
                        case "__typename" -> typename(child);
                        default -> throw new NotCompilable(child.getName());
                    });
        }
        return members;
    }

    /** The members of a Run object: catalogue fields by their GraphQL names, then the relations. */
    private List<Member> runMembers(ExecutableNormalizedField run) {
        List<Member> members = new ArrayList<>();
        for (ExecutableNormalizedField child : run.getChildren()) {
            String key = child.getResultKey();
            String name = child.getName();
            members.add(
                    switch (name) {
                        case "__typename" -> typename(child);
                        case "isRoot" -> Member.of(key, Kind.IS_ROOT);
                        case "parentRunIds" -> Member.of(key, Kind.PARENT_RUN_IDS);
                        case "childRunIds" -> Member.of(key, Kind.CHILD_RUN_IDS);
                        case "childRuns" -> Member.object(key, Kind.CHILD_RUNS, runMembers(child));
                        case "parentRun" -> Member.object(key, Kind.PARENT_RUN, runMembers(child));
                        case "feedbackStats" -> Member.object(key, Kind.FEEDBACK_STATS, feedbackMembers(child));
                        case "project" -> Member.object(key, Kind.PROJECT, projectMembers(child));
                        default -> runField(child);
                    });
        }
        return members;
    }

    /**
     * The members of a Project object: its stored fields and the aggregates of its runs, by their
     * names; the others (url, feedback stats, facets, runStats) have no compiled form.
     */
    private List<Member> projectMembers(ExecutableNormalizedField project) {
        List<Member> members = new ArrayList<>();
        for (ExecutableNormalizedField child : project.getChildren()) {
            String key = child.getResultKey();
            String name = child.getName();
            if (name.equals("__typename")) {
                members.add(typename(child));
            } else if (PROJECT_FIELDS.containsKey(name)) {
                members.add(Member.project(key, PROJECT_FIELDS.get(name)));
            } else if (PROJECT_AGGREGATES.containsKey(name)) {
                members.add(Member.aggregate(key, PROJECT_AGGREGATES.get(name)));
            } else {
                throw new NotCompilable(name);
            }
        }
        return members;
    }

    private static Member runField(ExecutableNormalizedField child) {
        RunField field = Selections.runField(child.getName());
        if (field == null || field == RunField.FEEDBACK_STATS) {
            throw new NotCompilable(child.getName());
        }
        Object path = JsonProjection.COLUMNS.contains(field)
                ? child.getResolvedArguments().get("path")
                : null;
        if (path == null) {
            return Member.field(child.getResultKey(), field);
        }
        return Member.path(child.getResultKey(), field, Selections.checkPath(child.getName(), (String) path));
    }

    private static List<Member> feedbackMembers(ExecutableNormalizedField stats) {
        List<Member> members = new ArrayList<>();
        for (ExecutableNormalizedField child : stats.getChildren()) {
            String key = child.getResultKey();
            members.add(
                    switch (child.getName()) {
                        case "key" -> Member.of(key, Kind.FEEDBACK_KEY);
                        case "count" -> Member.of(key, Kind.FEEDBACK_COUNT);
                        case "meanScore" -> Member.of(key, Kind.FEEDBACK_MEAN_SCORE);
                        case "values" -> Member.object(key, Kind.FEEDBACK_VALUES, valueMembers(child));
                        case "__typename" -> typename(child);
                        default -> throw new NotCompilable(child.getName());
                    });
        }
        return members;
    }

    private static List<Member> valueMembers(ExecutableNormalizedField values) {
        List<Member> members = new ArrayList<>();
        for (ExecutableNormalizedField child : values.getChildren()) {
            String key = child.getResultKey();
            members.add(
                    switch (child.getName()) {
                        case "value" -> Member.of(key, Kind.VALUE);
                        case "count" -> Member.of(key, Kind.VALUE_COUNT);
                        case "__typename" -> typename(child);
                        default -> throw new NotCompilable(child.getName());
                    });
        }
        return members;
    }

    /** {@code __typename}: the one object type the field is selected on. */
    private static Member typename(ExecutableNormalizedField field) {
        if (field.getObjectTypeNames().size() != 1) {
            throw new NotCompilable("__typename");
        }
        return Member.text(
                field.getResultKey(), field.getObjectTypeNames().iterator().next());
    }

    /** An input object's coerced value as its Java input class, as SmallRye hands it to a resolver. */
    private <T> T input(Object value, Class<T> type) {
        return value == null ? null : json.convertValue(value, type);
    }
}
