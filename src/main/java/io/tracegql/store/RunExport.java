package io.tracegql.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;

import io.tracegql.domain.RunField;
import io.tracegql.domain.RunFilter;
import io.tracegql.domain.RunFilterField;
import io.tracegql.domain.RunSortField;
import io.tracegql.domain.SortDirection;

/**
 * Every run that matches a filter, as a stream of chunks, in the export order: project by project
 * (by project id), and within a project newest first, ties broken by id ({@code start_time desc, id
 * desc}). Each chunk is one keyset page of {@link RunStore#page} within one project, so every
 * statement seeks the (tenant, project, start_time, id) index to where the previous chunk ended: a
 * chunk deep into an export costs what the first costs, and the export holds nothing between chunks
 * but its position. Across projects there is no index in that order, and a page over several
 * projects at once would sort all their remaining runs again for every chunk.
 */
@ApplicationScoped
public class RunExport {

    /** The order of the runs within a project. */
    static final RunSortField ORDER = RunSortField.START_TIME;

    static final SortDirection DIRECTION = SortDirection.DESC;

    /**
     * Projects in the order of their ids as PostgreSQL orders uuids (byte by byte, unsigned), which is
     * the order of their text; {@link UUID#compareTo} compares signed halves and would differ.
     */
    private static final Comparator<UUID> PROJECT_ORDER = Comparator.comparing(UUID::toString);

    private final RunStore runs;
    private final Sql sql;

    public RunExport(RunStore runs, Sql sql) {
        this.runs = runs;
        this.sql = sql;
    }

    /** Where an export stands: after this cursor in this project (and before every later project). */
    public record Position(UUID projectId, RunCursor after) {}

    /**
     * The position just after a run, to resume an export after the last run a client received; null
     * when the tenant has no such run.
     */
    public Uni<Position> positionAfter(UUID tenantId, UUID runId) {
        return runs.runsByIds(tenantId, List.of(runId), RunSelection.of(Set.of(ORDER.field())))
                .map(found -> {
                    RunRecord run = found.get(0);
                    return run == null
                            ? null
                            : new Position(run.get(RunField.PROJECT_ID), RunCursor.after(run, ORDER, DIRECTION));
                });
    }

    /**
     * The runs of these projects (every project of the tenant when the list is empty) that match the
     * filter, after a position if one is given, in chunks of at most {@code chunkSize} runs. A chunk
     * is read when the subscriber asks for it, so a subscriber that stops asking, or cancels, stops
     * the reads.
     */
    public Multi<List<RunRecord>> chunks(
            UUID tenantId,
            List<UUID> projects,
            RunFilter filter,
            Position after,
            int chunkSize,
            RunSelection selection) {
        Uni<List<UUID>> projectIds =
                projects.isEmpty() ? projectsOf(tenantId) : Uni.createFrom().item(projects);
        return projectIds.onItem().transformToMulti(ids -> {
            Walk walk = new Walk(ids.stream().distinct().sorted(PROJECT_ORDER).toList(), after);
            return Multi.createBy()
                    .repeating()
                    .uni(() -> walk, state -> next(tenantId, state, filter, chunkSize, selection))
                    .whilst(chunk -> !chunk.last())
                    .filter(chunk -> !chunk.runs().isEmpty())
                    .map(Chunk::runs);
        });
    }

    private Uni<Chunk> next(UUID tenantId, Walk walk, RunFilter filter, int chunkSize, RunSelection selection) {
        if (walk.done()) {
            return Uni.createFrom().item(new Chunk(List.of(), true));
        }
        return runs.page(
                        tenantId,
                        inProject(walk.project(), filter),
                        ORDER,
                        DIRECTION,
                        chunkSize,
                        walk.cursor,
                        selection)
                .map(page -> {
                    if (page.hasNextPage()) {
                        walk.cursor =
                                RunCursor.after(page.runs().get(page.runs().size() - 1), ORDER, DIRECTION);
                    } else {
                        walk.nextProject();
                    }
                    return new Chunk(page.runs(), walk.done());
                });
    }

    /** The condition of a chunk: the export's filter within one project. */
    static RunFilter inProject(UUID projectId, RunFilter filter) {
        return new RunFilter.All(
                List.of(new RunFilter.Compare(RunFilterField.PROJECT_ID, RunFilter.Op.EQ, projectId), filter));
    }

    /** The tenant's project ids. */
    private Uni<List<UUID>> projectsOf(UUID tenantId) {
        return sql.query("select id from projects where tenant_id = $1", Tuple.of(tenantId))
                .map(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getUUID("id")));
                    return ids;
                });
    }

    private record Chunk(List<RunRecord> runs, boolean last) {}

    /** The projects of an export and where it stands in them; used by one export at a time. */
    private static final class Walk {
        private final List<UUID> projects;
        private int index;
        private RunCursor cursor;

        Walk(List<UUID> projects, Position after) {
            this.projects = projects;
            if (after != null) {
                // Projects before the position's are done; so is its own up to the position's cursor.
                while (index < projects.size() && PROJECT_ORDER.compare(projects.get(index), after.projectId()) < 0) {
                    index++;
                }
                if (index < projects.size() && projects.get(index).equals(after.projectId())) {
                    cursor = after.after();
                }
            }
        }

        boolean done() {
            return index >= projects.size();
        }

        UUID project() {
            return projects.get(index);
        }

        void nextProject() {
            index++;
            cursor = null;
        }
    }
}
