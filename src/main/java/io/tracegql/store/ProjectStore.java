package io.tracegql.store;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads projects and their aggregates; each batched method answers many projects with one statement. */
@ApplicationScoped
public class ProjectStore {

    /** How many values of each facet {@link #runFacetsByProjectIds} returns (and runFacets by default). */
    public static final int FACET_VALUES = 10;

    private final Sql sql;
    private final RunRollups rollups;

    public ProjectStore(Sql sql, RunRollups rollups) {
        this.sql = sql;
        this.rollups = rollups;
    }

    /** Projects by id in the order of the ids; null where a project does not exist. */
    public Uni<List<ProjectRecord>> projectsByIds(UUID tenantId, List<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String query = "select " + ProjectRecord.COLUMNS
                + " from projects p where p.tenant_id = $1 and p.id = any($2::uuid[])";
        return sql.read(query, Tuple.of(tenantId, RunStore.distinct(ids))).map(rows -> {
            Map<UUID, ProjectRecord> byId = new HashMap<>();
            rows.forEach(row -> byId.put(row.getUUID("id"), ProjectRecord.read(row)));
            List<ProjectRecord> ordered = new ArrayList<>(ids.size());
            ids.forEach(id -> ordered.add(byId.get(id)));
            return ordered;
        });
    }

    public Uni<ProjectRecord> projectByName(UUID tenantId, String name) {
        String query = "select " + ProjectRecord.COLUMNS + " from projects p where p.tenant_id = $1 and p.name = $2";
        return sql.read(query, Tuple.of(tenantId, name)).map(rows -> {
            var iterator = rows.iterator();
            return iterator.hasNext() ? ProjectRecord.read(iterator.next()) : null;
        });
    }

    /** Newest projects first, keyset-paged on (start_time, id); optionally those whose name contains a text. */
    public Uni<ProjectPage> page(UUID tenantId, String nameContains, int first, String after) {
        SqlBuilder query = pageQuery(
                new SqlBuilder(), select -> select.append(ProjectRecord.COLUMNS), tenantId, nameContains, first, after);
        return sql.read(query.sql(), query.tuple()).map(rows -> {
            List<ProjectRecord> projects = new ArrayList<>();
            rows.forEach(row -> projects.add(ProjectRecord.read(row)));
            boolean hasNext = projects.size() > first;
            return new ProjectPage(hasNext ? projects.subList(0, first) : projects, hasNext);
        });
    }

    /**
     * Newest projects first after a cursor, first + 1 of them (to know whether more follow), with this
     * select list over the projects {@code p}, appended to a statement.
     */
    static SqlBuilder pageQuery(
            SqlBuilder query,
            Consumer<SqlBuilder> selectList,
            UUID tenantId,
            String nameContains,
            int first,
            String after) {
        query.append("select ");
        selectList.accept(query);
        query.append(" from projects p where p.tenant_id = ").param(tenantId, "uuid");
        if (nameContains != null) {
            query.append(" and strpos(lower(p.name), lower(")
                    .param(nameContains, "text")
                    .append(")) > 0");
        }
        if (after != null) {
            ProjectCursor cursor = ProjectCursor.decode(after);
            query.append(" and (p.start_time, p.id) < (")
                    .param(cursor.startTime(), "timestamptz")
                    .append(", ")
                    .param(cursor.id(), "uuid")
                    .append(")");
        }
        return query.append(" order by p.start_time desc, p.id desc limit ").param(first + 1, "int4");
    }

    /** Aggregates of each project, in the order of the ids, computed in one pass over their runs. */
    public Uni<List<ProjectStats>> statsByProjectIds(UUID tenantId, List<UUID> projectIds) {
        return statsByProjectIds(tenantId, projectIds, false);
    }

    /**
     * The same, with the count of unpriced llm runs ({@link RunAnalytics#UNPRICED}) when {@code
     * withUnpriced}, read from the rollups ({@link RunRollups}): counts and sums exact, quantiles within
     * their relative error.
     */
    public Uni<List<ProjectStats>> statsByProjectIds(UUID tenantId, List<UUID> projectIds, boolean withUnpriced) {
        if (projectIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return rollups.projectStats(tenantId, projectIds, withUnpriced);
    }

    /**
     * The same figures computed from the runs themselves ({@link ProjectAggregate}), quantiles exact:
     * what the rollups are checked against.
     */
    public Uni<List<ProjectStats>> statsFromRuns(UUID tenantId, List<UUID> projectIds, boolean withUnpriced) {
        if (projectIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        StringBuilder selected = new StringBuilder();
        for (ProjectAggregate aggregate : ProjectAggregate.values()) {
            if (aggregate != ProjectAggregate.UNPRICED_RUN_COUNT || withUnpriced) {
                selected.append(selected.isEmpty() ? " " : ", ")
                        .append(aggregate.sql())
                        .append(" as ")
                        .append(aggregate.column());
            }
        }
        String aggregates = selected.toString();
        UUID[] ids = RunStore.distinct(projectIds);
        // One project, the usual case (a project page): a plain aggregate, without the sort of every
        // run by project that grouping needs (a fifth of this statement's time on 67,000 runs).
        String query;
        Tuple parameters;
        if (ids.length == 1) {
            query = "select $2::uuid as project_id," + aggregates
                    + " from runs r where r.tenant_id = $1 and r.project_id = $2::uuid having count(*) > 0";
            parameters = Tuple.of(tenantId, ids[0]);
        } else {
            query = "select r.project_id," + aggregates
                    + " from runs r where r.tenant_id = $1 and r.project_id = any($2::uuid[]) group by r.project_id";
            parameters = Tuple.of(tenantId, ids);
        }
        return sql.read(query, parameters).map(rows -> {
            Map<UUID, ProjectStats> byId = new HashMap<>();
            for (Row row : rows) {
                byId.put(row.getUUID("project_id"), readStats(row, withUnpriced));
            }
            List<ProjectStats> ordered = new ArrayList<>(projectIds.size());
            projectIds.forEach(id -> ordered.add(byId.getOrDefault(id, ProjectStats.EMPTY)));
            return ordered;
        });
    }

    /**
     * The most frequent values of each run facet per project (see {@link RunFacetSql}), at most
     * {@link #FACET_VALUES} values each, in one statement for all the projects.
     */
    public Uni<List<List<RunFacet>>> runFacetsByProjectIds(UUID tenantId, List<UUID> projectIds) {
        if (projectIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        SqlBuilder query = RunFacetSql.query(
                tenantId,
                "r.project_id",
                q -> q.append("r.project_id = any(")
                        .param(RunStore.distinct(projectIds), "uuid[]")
                        .append(")"),
                FACET_VALUES);
        return sql.read(query.sql(), query.tuple()).map(rows -> {
            Map<UUID, List<RunFacet>> byProject = new HashMap<>();
            for (Row row : rows) {
                byProject
                        .computeIfAbsent(row.getUUID("grp"), k -> new ArrayList<>())
                        .add(RunFacetSql.read(row));
            }
            List<List<RunFacet>> ordered = new ArrayList<>(projectIds.size());
            projectIds.forEach(id -> ordered.add(byProject.getOrDefault(id, List.of())));
            return ordered;
        });
    }

    static ProjectStats readStats(Row row, boolean withUnpriced) {
        return new ProjectStats(
                row.getLong("run_count"),
                row.getDouble("latency_p50"),
                row.getDouble("latency_p99"),
                row.getDouble("first_token_p50"),
                row.getDouble("first_token_p99"),
                row.getLong("total_tokens"),
                row.getLong("prompt_tokens"),
                row.getLong("completion_tokens"),
                row.getBigDecimal("total_cost"),
                row.getBigDecimal("prompt_cost"),
                row.getBigDecimal("completion_cost"),
                row.getDouble("error_rate"),
                row.getOffsetDateTime("last_run_start_time"),
                withUnpriced ? row.getLong("unpriced_run_count") : null);
    }

    /** One page of projects and whether more follow. */
    public record ProjectPage(List<ProjectRecord> projects, boolean hasNextPage) {}

    /** Keyset cursor of the project list: start time and id of the last project on a page. */
    public record ProjectCursor(OffsetDateTime startTime, UUID id) {

        private static final String PREFIX = "project1";

        public static ProjectCursor after(ProjectRecord project) {
            return new ProjectCursor(project.startTime(), project.id());
        }

        /** {@link #encode} as an SQL expression over the project {@code project}: the same text. */
        static String encodeSql(String project) {
            String raw = "'" + PREFIX + "|' || " + JavaText.offsetDateTimeToString(project + ".start_time")
                    + " || '|' || " + project + ".id::text";
            return "rtrim(translate(encode(convert_to(" + raw + ", 'UTF8'), 'base64'), E'+/\\n', '-_'), '=')";
        }

        public String encode() {
            String raw = PREFIX + "|" + startTime + "|" + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        /** Decodes a cursor; throws IllegalArgumentException when it is not one of ours. */
        public static ProjectCursor decode(String cursor) {
            try {
                String[] parts =
                        new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", -1);
                if (parts.length != 3 || !PREFIX.equals(parts[0])) {
                    throw new IllegalArgumentException("wrong shape");
                }
                return new ProjectCursor(OffsetDateTime.parse(parts[1]), UUID.fromString(parts[2]));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("it is not a cursor returned by this API");
            }
        }
    }
}
