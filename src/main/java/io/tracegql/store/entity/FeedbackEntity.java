package io.tracegql.store.entity;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One piece of feedback on a run, or on a whole project when {@code runId} is null. Column
 * definitions name the migrations' types (text, jsonb), which dev mode checks the entities against.
 */
@Entity
@Table(name = "feedback")
public class FeedbackEntity {

    @Id
    public UUID id;

    @Column(name = "tenant_id", nullable = false)
    public UUID tenantId;

    @Column(name = "run_id")
    public UUID runId;

    @Column(name = "project_id")
    public UUID projectId;

    @Column(nullable = false, columnDefinition = "text")
    public String key;

    public Double score;

    /** A categorical value (usually a string) as JSON text; any JSON value, stored as jsonb. */
    @Column(name = "value", columnDefinition = "jsonb")
    @ColumnTransformer(read = "value::text", write = "cast(cast(? as text) as jsonb)")
    public String valueJson;

    @Column(columnDefinition = "text")
    public String comment;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> correction;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "feedback_source")
    public Map<String, Object> feedbackSource;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "modified_at", nullable = false)
    public OffsetDateTime modifiedAt;
}
