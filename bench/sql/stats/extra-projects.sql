-- More projects for bench/stats.sh's page of 50: :extra projects, each holding copies of 1/400 of the
-- query benchmark's traces (new ids, the same times, types, statuses, tokens and costs, no payloads),
-- so that they grow with the scale as the data set's own projects do.
\set ON_ERROR_STOP 1
set synchronous_commit = off;

create function pg_temp.copy_id(id uuid, k int) returns uuid
    language sql immutable parallel safe
    as $$ select md5(k || ':' || id)::uuid $$;

insert into projects (id, tenant_id, name, description, start_time)
select md5('extra-project:' || k)::uuid, '00000000-0000-0000-0000-000000000001', 'extra-' || k,
       'stats benchmark project ' || k, timestamptz '2025-09-29 00:00:00+00'
from generate_series(1, :extra) as k;

insert into runs (tenant_id, id, project_id, trace_id, parent_run_id, dotted_order, name, run_type, status,
                  start_time, end_time, first_token_time, prompt_tokens, completion_tokens, total_tokens,
                  prompt_cost, completion_cost, total_cost, tags)
select r.tenant_id, pg_temp.copy_id(r.id, r.k), md5('extra-project:' || r.k)::uuid, pg_temp.copy_id(r.trace_id, r.k),
       pg_temp.copy_id(r.parent_run_id, r.k), r.dotted_order, r.name, r.run_type, r.status,
       r.start_time, r.end_time, r.first_token_time, r.prompt_tokens, r.completion_tokens, r.total_tokens,
       r.prompt_cost, r.completion_cost, r.total_cost, r.tags
from (select r.*, 1 + abs(hashtext(r.trace_id::text)) % 400 as k from runs r) as r
where r.k <= :extra;
