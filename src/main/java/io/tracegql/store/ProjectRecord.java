package io.tracegql.store;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.vertx.mutiny.sqlclient.Row;

/** A project (tracer session) as stored. {@code extra} is a plain Java JSON value. */
public record ProjectRecord(
        UUID id,
        UUID tenantId,
        String name,
        String description,
        OffsetDateTime startTime,
        OffsetDateTime endTime,
        Object extra,
        UUID referenceDatasetId) {

    static final String COLUMNS =
            "p.id, p.tenant_id, p.name, p.description, p.start_time, p.end_time, p.extra, p.reference_dataset_id";

    static ProjectRecord read(Row row) {
        return new ProjectRecord(
                row.getUUID("id"),
                row.getUUID("tenant_id"),
                row.getString("name"),
                row.getString("description"),
                row.getOffsetDateTime("start_time"),
                row.getOffsetDateTime("end_time"),
                JsonValues.toPlain(row.getValue("extra")),
                row.getUUID("reference_dataset_id"));
    }
}
