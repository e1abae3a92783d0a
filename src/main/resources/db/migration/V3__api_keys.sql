-- API keys: random secrets shown once at creation; only their SHA-256 is stored.
create table api_keys (
    id         uuid primary key,
    tenant_id  uuid        not null references tenants (id) on delete cascade,
    name       text        not null,
    key_hash   bytea       not null unique,
    created_at timestamptz not null default now(),
    revoked_at timestamptz
);

create index api_keys_tenant on api_keys (tenant_id);
