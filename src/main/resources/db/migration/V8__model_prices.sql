-- Model prices: what a tenant pays per million tokens of a model, from a start date on. Ingest
-- estimates the costs of llm runs that carry token counts but no costs from the best matching price
-- (store/RunPricing). Every tenant has its own rows: the built-in ones are copied from
-- src/main/resources/prices/model-prices.json (builtin_key names the entry), the others the tenant
-- created; either kind may be changed or deleted by the tenant.
create table model_prices (
    id                       uuid primary key,
    tenant_id                uuid        not null references tenants (id) on delete cascade,
    -- What the price is for, as shown to people (e.g. gpt-4o-mini).
    model_name               text        not null,
    -- A PostgreSQL regular expression that the whole model name of a run must match, ignoring case
    -- (the statement that prices runs tests name ~* ('^(?:' || match_pattern || ')$')).
    match_pattern            text        not null,
    -- The run's ls_provider must equal it (ignoring case); null matches any provider.
    provider                 text,
    -- The price applies to runs that started at or after it; null: since always.
    start_date               timestamptz,
    -- USD per million tokens.
    prompt_price             numeric     not null check (prompt_price >= 0),
    completion_price         numeric     not null check (completion_price >= 0),
    -- Detail name (a key of prompt_token_details / completion_token_details, e.g. cache_read,
    -- reasoning) to USD per million of those tokens; tokens of other details cost the base price.
    prompt_detail_prices     jsonb,
    completion_detail_prices jsonb,
    -- The entry of the built-in price file this row was copied from; null for a tenant's own price.
    builtin_key              text,
    created_at               timestamptz not null default now(),
    updated_at               timestamptz not null default now()
);

-- One price per pattern, provider and start date in a tenant, so that which price applies is never
-- a tie between equals.
create unique index model_prices_identity on model_prices
    (tenant_id, match_pattern, coalesce(provider, ''), coalesce(start_date, '-infinity'));
create unique index model_prices_builtin on model_prices (tenant_id, builtin_key) where builtin_key is not null;

-- The built-in entries each tenant has been given, so that seeding at start is idempotent and never
-- brings back a built-in price the tenant deleted (nor overwrites one it changed).
create table model_price_seeds (
    tenant_id   uuid        not null references tenants (id) on delete cascade,
    builtin_key text        not null,
    seeded_at   timestamptz not null default now(),
    primary key (tenant_id, builtin_key)
);

-- Whether the run's costs were estimated by the gateway from a price (price_model_id) rather than
-- sent by the client. Estimates follow later token counts; a write that carries costs makes them the
-- client's, which are never estimated over.
alter table runs add column costs_estimated boolean not null default false;
