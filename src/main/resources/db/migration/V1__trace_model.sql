-- Trace model: tenants own projects (tracer sessions); projects own runs; feedback scores runs or projects.
-- Every table carries tenant_id so that every query can be scoped to one tenant.

create table tenants (
    id         uuid primary key,
    name       text        not null unique,
    created_at timestamptz not null default now()
);

-- The tenant that owns everything until API keys select another one.
insert into tenants (id, name) values ('00000000-0000-0000-0000-000000000001', 'default');

create table projects (
    id                   uuid primary key,
    tenant_id            uuid        not null references tenants (id),
    name                 text        not null,
    description          text,
    start_time           timestamptz not null default now(),
    end_time             timestamptz,
    extra                jsonb,
    reference_dataset_id uuid,
    unique (tenant_id, name)
);

create index projects_tenant_start on projects (tenant_id, start_time desc, id desc);

create table runs (
    tenant_id                uuid        not null references tenants (id),
    id                       uuid        not null,
    project_id               uuid        not null references projects (id) on delete cascade,
    trace_id                 uuid        not null,
    parent_run_id            uuid,
    dotted_order             text        not null,
    name                     text        not null,
    run_type                 text        not null
        check (run_type in ('tool', 'chain', 'llm', 'retriever', 'embedding', 'prompt', 'parser')),
    status                   text        not null check (status in ('success', 'error', 'pending')),
    start_time               timestamptz not null,
    end_time                 timestamptz,
    first_token_time         timestamptz,
    -- Derived once at write time so that latency filters and sorts can use an index.
    latency_seconds          double precision generated always as (extract(epoch from (end_time - start_time))) stored,
    inputs                   jsonb,
    outputs                  jsonb,
    error                    text,
    inputs_preview           text,
    outputs_preview          text,
    error_preview            text,
    extra                    jsonb,
    events                   jsonb,
    tags                     text[]      not null default '{}',
    serialized               jsonb,
    manifest_id              uuid,
    prompt_tokens            integer,
    completion_tokens        integer,
    total_tokens             integer,
    prompt_token_details     jsonb,
    completion_token_details jsonb,
    prompt_cost              numeric,
    completion_cost          numeric,
    total_cost               numeric,
    prompt_cost_details      jsonb,
    completion_cost_details  jsonb,
    reference_example_id     uuid,
    reference_dataset_id     uuid,
    thread_id                text,
    thread_evaluation_time   timestamptz,
    app_path                 text,
    price_model_id           uuid,
    attachments              jsonb,
    inputs_s3_urls           jsonb,
    outputs_s3_urls          jsonb,
    in_dataset               boolean     not null default false,
    -- Share links arrive with API keys; only a hash of a share token is ever stored.
    share_token_hash         bytea,
    created_at               timestamptz not null default now(),
    updated_at               timestamptz not null default now(),
    primary key (tenant_id, id)
);

-- Project pages: newest runs first, keyset on (start_time, id); roots only is the common case.
create index runs_project_start on runs (tenant_id, project_id, start_time desc, id desc);
create index runs_project_roots_start on runs (tenant_id, project_id, start_time desc, id desc)
    where parent_run_id is null;
-- Trace view: all runs of a trace in execution order.
create index runs_trace_order on runs (tenant_id, trace_id, dotted_order);
-- Child runs of a page of parents.
create index runs_parent on runs (tenant_id, parent_run_id, dotted_order) where parent_run_id is not null;
-- Sort by latency within a project.
create index runs_project_latency on runs (tenant_id, project_id, latency_seconds desc, id desc);
-- Tag and metadata filters (array and jsonb containment).
create index runs_tags on runs using gin (tags);
create index runs_metadata on runs using gin ((extra -> 'metadata') jsonb_path_ops);

create table feedback (
    id              uuid primary key,
    tenant_id       uuid        not null references tenants (id),
    -- Null for feedback on a whole project (session feedback).
    run_id          uuid,
    project_id      uuid references projects (id) on delete cascade,
    key             text        not null,
    score           double precision,
    value           jsonb,
    comment         text,
    correction      jsonb,
    feedback_source jsonb,
    created_at      timestamptz not null default now(),
    modified_at     timestamptz not null default now()
);

create index feedback_run_key on feedback (tenant_id, run_id, key) where run_id is not null;
create index feedback_project_key on feedback (tenant_id, project_id, key);
