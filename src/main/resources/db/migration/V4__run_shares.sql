-- Public share links, one per shared trace. The link's token is HMAC(server secret, nonce): the
-- database holds the nonce and the token's SHA-256 (for lookups), never the token itself.
create table run_shares (
    tenant_id  uuid        not null references tenants (id),
    trace_id   uuid        not null,
    nonce      bytea       not null,
    token_hash bytea       not null unique,
    created_at timestamptz not null default now(),
    primary key (tenant_id, trace_id)
);

-- Share state lives in run_shares.
alter table runs drop column share_token_hash;
