-- Updates (patches) that arrived before the run they update: kept until the run is created, then
-- merged into it in the same transaction, so no accepted update is lost whatever the order.
create table run_patches (
    tenant_id   uuid        not null references tenants (id),
    run_id      uuid        not null,
    received_at timestamptz not null default clock_timestamp(),
    patch       jsonb       not null
);

create index run_patches_run on run_patches (tenant_id, run_id, received_at);

-- Files attached to runs (multipart parts attachment.<run id>.<name>), served back at
-- /runs/<run id>/attachments/<name>.
create table run_attachments (
    tenant_id    uuid  not null references tenants (id),
    run_id       uuid  not null,
    name         text  not null,
    content_type text  not null,
    data         bytea not null,
    primary key (tenant_id, run_id, name)
);
