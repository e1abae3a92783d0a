package io.tracegql.store.entity;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A project (tracer session) as written through Hibernate Reactive. Column definitions name the
 * migrations' types, which dev mode checks the entities against.
 */
@Entity
@Table(name = "projects")
public class ProjectEntity {

    @Id
    public UUID id;

    @Column(name = "tenant_id", nullable = false)
    public UUID tenantId;

    @Column(nullable = false, columnDefinition = "text")
    public String name;

    @Column(columnDefinition = "text")
    public String description;

    @Column(name = "start_time", nullable = false)
    public OffsetDateTime startTime;

    @Column(name = "end_time")
    public OffsetDateTime endTime;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> extra;

    @Column(name = "reference_dataset_id")
    public UUID referenceDatasetId;
}
