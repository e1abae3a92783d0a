package io.tracegql.store;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.Json;
import org.hibernate.reactive.mutiny.Mutiny;

import io.tracegql.store.entity.FeedbackEntity;

/**
 * Creates, changes and deletes feedback through Hibernate Reactive, one transaction per call ({@link
 * HibernateTransactions}: a lost database is {@link DatabaseUnavailableException}). Feedback
 * on a run takes its project from the run, so project feedback stats always agree with the runs.
 */
@ApplicationScoped
public class FeedbackWrites {

    private static final String RUN = "select project_id, trace_id from runs where tenant_id = :tenant and id = :run";

    private final HibernateTransactions transactions;

    public FeedbackWrites(HibernateTransactions transactions) {
        this.transactions = transactions;
    }

    /**
     * Feedback to create: on a run ({@code runId}), or on a whole project ({@code projectId} alone).
     * {@code value} is any plain Java JSON value.
     */
    public record NewFeedback(
            UUID runId,
            UUID projectId,
            String key,
            Double score,
            Object value,
            String comment,
            Map<String, Object> correction,
            Map<String, Object> feedbackSource) {}

    /** Changes to feedback: null leaves a field as it is. */
    public record FeedbackChanges(Double score, Object value, String comment, Map<String, Object> correction) {}

    /** Where feedback belongs: its project, and the trace of its run (null for project feedback). */
    private record Owner(UUID projectId, UUID traceId) {}

    /** Creates feedback now; fails with {@link RejectedWriteException} when its run or project does not exist. */
    public Uni<FeedbackRecord> create(UUID tenantId, NewFeedback feedback) {
        return transactions.inTransaction(
                session -> owner(session, tenantId, feedback).flatMap(owner -> {
                    OffsetDateTime now = now();
                    FeedbackEntity entity = new FeedbackEntity();
                    entity.id = UUID.randomUUID();
                    entity.tenantId = tenantId;
                    entity.runId = feedback.runId();
                    entity.projectId = owner.projectId();
                    entity.key = feedback.key();
                    entity.score = feedback.score();
                    entity.valueJson = feedback.value() == null ? null : Json.encode(feedback.value());
                    entity.comment = feedback.comment();
                    entity.correction = feedback.correction();
                    entity.feedbackSource = feedback.feedbackSource();
                    entity.createdAt = now;
                    entity.modifiedAt = now;
                    return session.persist(entity).replaceWith(() -> record(entity, owner.traceId()));
                }));
    }

    /** Applies the changes; null when the tenant has no such feedback. */
    public Uni<FeedbackRecord> update(UUID tenantId, UUID id, FeedbackChanges changes) {
        return transactions.inTransaction(session -> session.createSelectionQuery(
                        "from FeedbackEntity f where f.tenantId = :tenant and f.id = :id", FeedbackEntity.class)
                .setParameter("tenant", tenantId)
                .setParameter("id", id)
                // Locked, so that a concurrent change (here or by ingest) is not overwritten.
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getSingleResultOrNull()
                .flatMap(entity -> {
                    if (entity == null) {
                        return Uni.createFrom().nullItem();
                    }
                    apply(entity, changes);
                    Uni<Owner> owner = entity.runId == null
                            ? Uni.createFrom().item(new Owner(entity.projectId, null))
                            : run(session, tenantId, entity.runId);
                    return owner.map(found -> record(entity, found == null ? null : found.traceId()));
                }));
    }

    /** Deletes the feedback; false when the tenant has no such feedback. */
    public Uni<Boolean> delete(UUID tenantId, UUID id) {
        return transactions
                .inTransaction(session -> session.createMutationQuery(
                                "delete from FeedbackEntity f where f.tenantId = :tenant and f.id = :id")
                        .setParameter("tenant", tenantId)
                        .setParameter("id", id)
                        .executeUpdate())
                .map(deleted -> deleted > 0);
    }

    private static Uni<Owner> owner(Mutiny.Session session, UUID tenantId, NewFeedback feedback) {
        if (feedback.runId() == null) {
            return session.createSelectionQuery(
                            "select count(p) from ProjectEntity p where p.tenantId = :tenant and p.id = :id",
                            Long.class)
                    .setParameter("tenant", tenantId)
                    .setParameter("id", feedback.projectId())
                    .getSingleResult()
                    .map(count -> {
                        if (count == 0) {
                            throw new RejectedWriteException("project " + feedback.projectId() + " does not exist");
                        }
                        return new Owner(feedback.projectId(), null);
                    });
        }
        return run(session, tenantId, feedback.runId()).map(run -> {
            if (run == null) {
                throw new RejectedWriteException("run " + feedback.runId() + " does not exist");
            }
            if (feedback.projectId() != null && !feedback.projectId().equals(run.projectId())) {
                throw new RejectedWriteException("run " + feedback.runId() + " belongs to project " + run.projectId()
                        + ", not " + feedback.projectId() + "; leave projectId out for feedback on a run");
            }
            return run;
        });
    }

    /** The project and trace of a run; null when the tenant has no such run. */
    private static Uni<Owner> run(Mutiny.Session session, UUID tenantId, UUID runId) {
        return session.createNativeQuery(RUN, Object[].class)
                .setParameter("tenant", tenantId)
                .setParameter("run", runId)
                .getSingleResultOrNull()
                .map(row -> row == null ? null : new Owner((UUID) row[0], (UUID) row[1]));
    }

    private static void apply(FeedbackEntity feedback, FeedbackChanges changes) {
        if (changes.score() != null) {
            feedback.score = changes.score();
        }
        if (changes.value() != null) {
            feedback.valueJson = Json.encode(changes.value());
        }
        if (changes.comment() != null) {
            feedback.comment = changes.comment();
        }
        if (changes.correction() != null) {
            feedback.correction = changes.correction();
        }
        feedback.modifiedAt = now();
    }

    private static FeedbackRecord record(FeedbackEntity feedback, UUID traceId) {
        return new FeedbackRecord(
                feedback.id,
                feedback.runId,
                traceId,
                feedback.projectId,
                feedback.key,
                feedback.score,
                feedback.valueJson == null ? null : JsonValues.toPlain(Json.decodeValue(feedback.valueJson)),
                feedback.comment,
                JsonValues.toPlain(feedback.correction),
                JsonValues.toPlain(feedback.feedbackSource),
                feedback.createdAt,
                feedback.modifiedAt);
    }

    /** Now, at the database's precision, so that what a mutation returns equals what a query reads later. */
    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
