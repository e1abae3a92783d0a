package io.tracegql.store;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.smallrye.mutiny.Uni;
import org.hibernate.JDBCException;
import org.hibernate.reactive.mutiny.Mutiny;

import io.tracegql.store.entity.ProjectEntity;

/**
 * Creates, changes and deletes projects through Hibernate Reactive, one transaction per call ({@link
 * HibernateTransactions}: a lost database is {@link DatabaseUnavailableException}). Name
 * uniqueness is left to the database's unique key, so two concurrent writes of one name cannot both
 * succeed; its violation becomes a {@link RejectedWriteException}.
 */
@ApplicationScoped
public class ProjectWrites {

    private static final String UNIQUE_VIOLATION = "23505";

    /** Files of the project's runs: keyed by run id alone, so the cascade from projects does not reach them. */
    private static final String DELETE_RUN_ATTACHMENTS = "delete from run_attachments a using runs r"
            + " where a.tenant_id = :tenant and r.tenant_id = :tenant and r.project_id = :project and a.run_id = r.id";

    /**
     * Feedback on the project and on its runs. Feedback that reached a run before the run did has no
     * project_id yet, so the cascade from projects would leave it behind.
     */
    private static final String DELETE_FEEDBACK = "delete from feedback f where f.tenant_id = :tenant"
            + " and (f.project_id = :project or f.run_id in"
            + " (select r.id from runs r where r.tenant_id = :tenant and r.project_id = :project))";

    /** Share links of the project's traces: a link must not outlive the trace it opens. */
    private static final String DELETE_RUN_SHARES = "delete from run_shares s using runs r"
            + " where s.tenant_id = :tenant and r.tenant_id = :tenant and r.project_id = :project"
            + " and r.parent_run_id is null and s.trace_id = r.id";

    private final HibernateTransactions transactions;

    public ProjectWrites(HibernateTransactions transactions) {
        this.transactions = transactions;
    }

    /** A project to create; {@code metadata} and {@code tags} are stored in extra. */
    public record NewProject(
            String name,
            String description,
            Map<String, Object> metadata,
            List<String> tags,
            UUID referenceDatasetId) {}

    /** Changes to a project: null leaves a field as it is. */
    public record ProjectChanges(String name, String description, Map<String, Object> metadata) {}

    /** Creates a project started now and returns its id. */
    public Uni<UUID> create(UUID tenantId, NewProject project) {
        ProjectEntity entity = new ProjectEntity();
        entity.id = UUID.randomUUID();
        entity.tenantId = tenantId;
        entity.name = project.name();
        entity.description = project.description();
        entity.startTime = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        entity.referenceDatasetId = project.referenceDatasetId();
        Map<String, Object> extra = new LinkedHashMap<>();
        if (project.metadata() != null) {
            extra.put("metadata", project.metadata());
        }
        if (project.tags() != null) {
            extra.put("tags", project.tags());
        }
        entity.extra = extra.isEmpty() ? null : extra;
        return transactions
                .inTransaction(session -> session.persist(entity))
                .onFailure(ProjectWrites::isUniqueViolation)
                .transform(e -> nameTaken(project.name()))
                .replaceWith(entity.id);
    }

    /** Applies the changes; false when the tenant has no such project. */
    public Uni<Boolean> update(UUID tenantId, UUID id, ProjectChanges changes) {
        // Locked, so that concurrent changes of different fields do not undo each other.
        return transactions
                .inTransaction(session -> find(session, tenantId, id, LockModeType.PESSIMISTIC_WRITE)
                        .map(project -> {
                            if (project == null) {
                                return false;
                            }
                            apply(project, changes);
                            return true;
                        }))
                .onFailure(ProjectWrites::isUniqueViolation)
                .transform(e -> nameTaken(changes.name()));
    }

    /**
     * Deletes the project, its runs, their feedback, attachments and share links; false when the tenant has no such
     * project. The project row is locked first, so no run can be added to it while it is deleted.
     */
    public Uni<Boolean> delete(UUID tenantId, UUID id) {
        return transactions.inTransaction(session -> find(session, tenantId, id, LockModeType.PESSIMISTIC_WRITE)
                .flatMap(project -> {
                    if (project == null) {
                        return Uni.createFrom().item(false);
                    }
                    return execute(session, DELETE_RUN_ATTACHMENTS, tenantId, id)
                            .flatMap(ignored -> execute(session, DELETE_FEEDBACK, tenantId, id))
                            .flatMap(ignored -> execute(session, DELETE_RUN_SHARES, tenantId, id))
                            // Runs go with the project (on delete cascade).
                            .flatMap(ignored -> session.createMutationQuery(
                                            "delete from ProjectEntity p where p.tenantId = :tenant and p.id = :project")
                                    .setParameter("tenant", tenantId)
                                    .setParameter("project", id)
                                    .executeUpdate())
                            .map(deleted -> deleted > 0);
                }));
    }

    private static Uni<ProjectEntity> find(Mutiny.Session session, UUID tenantId, UUID id, LockModeType lock) {
        return session.createSelectionQuery(
                        "from ProjectEntity p where p.tenantId = :tenant and p.id = :id", ProjectEntity.class)
                .setParameter("tenant", tenantId)
                .setParameter("id", id)
                .setLockMode(lock)
                .getSingleResultOrNull();
    }

    private static Uni<Integer> execute(Mutiny.Session session, String statement, UUID tenantId, UUID projectId) {
        return session.createNativeQuery(statement)
                .setParameter("tenant", tenantId)
                .setParameter("project", projectId)
                .executeUpdate();
    }

    private static void apply(ProjectEntity project, ProjectChanges changes) {
        if (changes.name() != null) {
            project.name = changes.name();
        }
        if (changes.description() != null) {
            project.description = changes.description();
        }
        if (changes.metadata() != null) {
            // A new map, so that the change is seen when the transaction flushes.
            Map<String, Object> extra =
                    project.extra == null ? new LinkedHashMap<>() : new LinkedHashMap<>(project.extra);
            extra.put("metadata", changes.metadata());
            project.extra = extra;
        }
    }

    private static RejectedWriteException nameTaken(String name) {
        return new RejectedWriteException("a project named '" + name + "' already exists; choose another name");
    }

    private static boolean isUniqueViolation(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof JDBCException jdbc && UNIQUE_VIOLATION.equals(jdbc.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
