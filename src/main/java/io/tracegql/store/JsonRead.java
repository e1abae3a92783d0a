package io.tracegql.store;

import java.util.List;
import java.util.UUID;

import io.tracegql.domain.RunField;
import io.tracegql.domain.RunFilter;
import io.tracegql.domain.RunSortField;
import io.tracegql.domain.SortDirection;

/**
 * A read whose answer PostgreSQL writes as JSON: the root fields of a query and, under each, the
 * members of every object in the order and under the names the answer has them. Built from a GraphQL
 * selection by the compiled path, turned into one statement by {@link CompiledReads}.
 */
public final class JsonRead {

    private JsonRead() {}

    /** A root field: one run by id, the runs of a trace, or a page of runs. */
    public sealed interface Root {
        String key();
    }

    /** {@code run(id)}: the run, or null. */
    public record RunById(String key, UUID id, List<Member> members) implements Root {}

    /** {@code trace(traceId)}: the runs of a trace in execution order; empty when there is none. */
    public record Trace(String key, UUID traceId, List<Member> members) implements Root {}

    /** {@code runs(...)}: a keyset page of the runs that match a filter, as a connection. */
    public record RunPage(
            String key,
            RunFilter filter,
            RunSortField sortField,
            SortDirection direction,
            int first,
            RunCursor after,
            List<Member> members)
            implements Root {}

    /** {@code project(id)} or {@code project(name)}: the project, or null. */
    public record ProjectByKey(String key, UUID id, String name, List<Member> members) implements Root {}

    /** {@code projects(...)}: a keyset page of projects, newest first, as a connection. */
    public record ProjectPage(String key, String nameContains, int first, String after, List<Member> members)
            implements Root {}

    /** The stored fields of a project, each shown by the field of Project of its camelCase name. */
    public enum ProjectField {
        ID("p.id"),
        TENANT_ID("p.tenant_id"),
        NAME("p.name"),
        DESCRIPTION("p.description"),
        START_TIME("p.start_time"),
        END_TIME("p.end_time"),
        EXTRA("p.extra"),
        /** extra.metadata, when extra is an object. */
        METADATA("case when jsonb_typeof(p.extra) = 'object' then p.extra -> 'metadata' end"),
        /** extra.tags, when a list; [] otherwise. */
        TAGS("p.extra -> 'tags'"),
        REFERENCE_DATASET_ID("p.reference_dataset_id");

        private final String sql;

        ProjectField(String sql) {
            this.sql = sql;
        }

        /** Its SQL over the project {@code p}. */
        String sql(String project) {
            return sql.replace("p.", project + ".");
        }

        /** The field of Project that shows it. */
        public String graphqlName() {
            StringBuilder out = new StringBuilder();
            boolean upper = false;
            for (char c : name().toLowerCase(java.util.Locale.ROOT).toCharArray()) {
                if (c == '_') {
                    upper = true;
                } else {
                    out.append(upper ? Character.toUpperCase(c) : c);
                    upper = false;
                }
            }
            return out.toString();
        }
    }

    /** A fixed string, such as {@code __typename}. */
    public record Text(String key, String text) implements Root {}

    /** What a member of an object shows. */
    public enum Kind {
        /** A catalogue field of the run, as its kind is written ({@link #field}). */
        RUN_FIELD,
        /** What a jsonpath ({@link #path}) selects of a JSON field ({@link #field}) of the run. */
        JSON_PATH,
        /** Whether the run is a trace root. */
        IS_ROOT,
        /** A fixed string ({@link #text}), such as {@code __typename}. */
        TEXT,
        /** The ids of the run's ancestors, root first, read from its dotted order. */
        PARENT_RUN_IDS,
        /** The ids of the run's children in execution order. */
        CHILD_RUN_IDS,
        /** The run's children in execution order, each an object of {@link #members}. */
        CHILD_RUNS,
        /** The run's parent (an object of {@link #members}) or null. */
        PARENT_RUN,
        /** The run's feedback per key in key order, each an object of {@link #members}. */
        FEEDBACK_STATS,
        FEEDBACK_KEY,
        FEEDBACK_COUNT,
        FEEDBACK_MEAN_SCORE,
        /** The counts of a key's values, the most given first, each an object of {@link #members}. */
        FEEDBACK_VALUES,
        VALUE,
        VALUE_COUNT,
        /** The run's project, an object of {@link #members}. */
        PROJECT,
        /** A stored field of a project ({@link #projectField}). */
        PROJECT_FIELD,
        /** An aggregate of a project's runs ({@link #aggregate}). */
        PROJECT_AGGREGATE,
        /** The page's items, each an object of {@link #members}. */
        NODES,
        /** The page's runs with their cursors, each an object of {@link #members}. */
        EDGES,
        CURSOR,
        /** The run of an edge, an object of {@link #members}. */
        NODE,
        /** Where the page sits, an object of {@link #members}. */
        PAGE_INFO,
        HAS_NEXT_PAGE,
        HAS_PREVIOUS_PAGE,
        START_CURSOR,
        END_CURSOR
    }

    /** A member of an object: its name in the answer (the alias, if any) and what it shows. */
    public record Member(
            String key,
            Kind kind,
            RunField field,
            String path,
            String text,
            ProjectField projectField,
            ProjectAggregate aggregate,
            List<Member> members) {

        public static Member of(String key, Kind kind) {
            return new Member(key, kind, null, null, null, null, null, List.of());
        }

        public static Member field(String key, RunField field) {
            return new Member(key, Kind.RUN_FIELD, field, null, null, null, null, List.of());
        }

        public static Member path(String key, RunField field, String path) {
            return new Member(key, Kind.JSON_PATH, field, path, null, null, null, List.of());
        }

        public static Member text(String key, String text) {
            return new Member(key, Kind.TEXT, null, null, text, null, null, List.of());
        }

        public static Member project(String key, ProjectField field) {
            return new Member(key, Kind.PROJECT_FIELD, null, null, null, field, null, List.of());
        }

        public static Member aggregate(String key, ProjectAggregate aggregate) {
            return new Member(key, Kind.PROJECT_AGGREGATE, null, null, null, null, aggregate, List.of());
        }

        public static Member object(String key, Kind kind, List<Member> members) {
            return new Member(key, kind, null, null, null, null, null, List.copyOf(members));
        }
    }
}
