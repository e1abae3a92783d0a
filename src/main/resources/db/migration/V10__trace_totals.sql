-- Figures of whole traces (every run of the tree), kept up to date by a trigger in the transaction that
-- writes the runs, so that a page of traces sorted or filtered by a total reads an index instead of
-- aggregating every run of the project (bench/RESULTS-traces.md). Every write of runs goes through it:
-- ingest, patches applied late, cost estimates and repricing, project deletion, truncation.
--
-- What the figures cover (domain/TraceTotal names these columns):
-- - run_count: every run; error_count: runs whose status is error.
-- - token and cost sums: llm runs, as project and thread totals, so that usage a client rolled up onto a
--   parent chain is not counted twice. A sum is null while no llm run has a value (an unpriced trace has
--   no cost, not $0): each sum keeps how many runs contribute to it.
-- - first_token_time: the earliest first-token time of any run.
--
-- Changes are applied as differences (this run's contribution now minus before), so concurrent
-- transactions writing runs of the same trace add up instead of overwriting each other: the update
-- takes the row lock and adds to the latest committed version of the row.
create table trace_totals (
    tenant_id              uuid        not null references tenants (id),
    trace_id               uuid        not null,
    -- The project of the root run once it is stored (before that, of the first run written).
    project_id             uuid        not null,
    run_count              bigint      not null,
    error_count            bigint      not null,
    prompt_tokens          bigint,
    completion_tokens      bigint,
    total_tokens           bigint,
    prompt_cost            numeric,
    completion_cost        numeric,
    total_cost             numeric,
    first_token_time       timestamptz,
    prompt_tokens_runs     integer     not null,
    completion_tokens_runs integer     not null,
    total_tokens_runs      integer     not null,
    prompt_cost_runs       integer     not null,
    completion_cost_runs   integer     not null,
    total_cost_runs        integer     not null,
    primary key (tenant_id, trace_id)
);

-- A project's traces by each total they can be sorted by, largest first, traces without a value last.
create index trace_totals_tokens on trace_totals (tenant_id, project_id, total_tokens desc nulls last, trace_id desc);
create index trace_totals_cost on trace_totals (tenant_id, project_id, total_cost desc nulls last, trace_id desc);
create index trace_totals_runs on trace_totals (tenant_id, project_id, run_count desc, trace_id desc);
create index trace_totals_errors on trace_totals (tenant_id, project_id, error_count desc, trace_id desc);

create function trace_totals_apply() returns trigger language plpgsql as $$
declare
    -- Contributions of the row before (o_*) and after (n_*) the change; nothing for a missing side.
    o_llm boolean := tg_op <> 'INSERT' and old.run_type = 'llm';
    n_llm boolean := tg_op <> 'DELETE' and new.run_type = 'llm';
    w runs := case when tg_op = 'DELETE' then old else new end;
    d_runs int := (tg_op = 'INSERT')::int - (tg_op = 'DELETE')::int;
    d_errors int := (tg_op <> 'DELETE' and new.status = 'error')::int - (tg_op <> 'INSERT' and old.status = 'error')::int;
    o_pt bigint := case when o_llm then old.prompt_tokens end;
    n_pt bigint := case when n_llm then new.prompt_tokens end;
    o_ct bigint := case when o_llm then old.completion_tokens end;
    n_ct bigint := case when n_llm then new.completion_tokens end;
    o_tt bigint := case when o_llm then old.total_tokens end;
    n_tt bigint := case when n_llm then new.total_tokens end;
    o_pc numeric := case when o_llm then old.prompt_cost end;
    n_pc numeric := case when n_llm then new.prompt_cost end;
    o_cc numeric := case when o_llm then old.completion_cost end;
    n_cc numeric := case when n_llm then new.completion_cost end;
    o_tc numeric := case when o_llm then old.total_cost end;
    n_tc numeric := case when n_llm then new.total_cost end;
    o_ft timestamptz := case when tg_op <> 'INSERT' then old.first_token_time end;
    n_ft timestamptz := case when tg_op <> 'DELETE' then new.first_token_time end;
    stored_ft timestamptz;
begin
    if tg_op = 'UPDATE' and old.trace_id <> new.trace_id then
        -- Seen by an after trigger, the statement's every change is visible: both traces read again.
        perform trace_totals_recompute(old.tenant_id, old.trace_id);
        perform trace_totals_recompute(new.tenant_id, new.trace_id);
        return null;
    end if;
    if tg_op = 'UPDATE' and d_errors = 0 and o_llm = n_llm and old.project_id = new.project_id
       and old.parent_run_id is not distinct from new.parent_run_id
       and o_pt is not distinct from n_pt and o_ct is not distinct from n_ct and o_tt is not distinct from n_tt
       and o_pc is not distinct from n_pc and o_cc is not distinct from n_cc and o_tc is not distinct from n_tc
       and o_ft is not distinct from n_ft then
        return null;
    end if;
    -- The row to add to, created empty for a new trace; the update then adds to its latest version.
    insert into trace_totals (tenant_id, trace_id, project_id, run_count, error_count,
                              prompt_tokens_runs, completion_tokens_runs, total_tokens_runs,
                              prompt_cost_runs, completion_cost_runs, total_cost_runs)
    values (w.tenant_id, w.trace_id, w.project_id, 0, 0, 0, 0, 0, 0, 0, 0)
    on conflict (tenant_id, trace_id) do nothing;
    update trace_totals t set
        project_id = case when tg_op <> 'DELETE' and w.parent_run_id is null then w.project_id else t.project_id end,
        run_count = t.run_count + d_runs,
        error_count = t.error_count + d_errors,
        prompt_tokens_runs = t.prompt_tokens_runs + (n_pt is not null)::int - (o_pt is not null)::int,
        completion_tokens_runs = t.completion_tokens_runs + (n_ct is not null)::int - (o_ct is not null)::int,
        total_tokens_runs = t.total_tokens_runs + (n_tt is not null)::int - (o_tt is not null)::int,
        prompt_cost_runs = t.prompt_cost_runs + (n_pc is not null)::int - (o_pc is not null)::int,
        completion_cost_runs = t.completion_cost_runs + (n_cc is not null)::int - (o_cc is not null)::int,
        total_cost_runs = t.total_cost_runs + (n_tc is not null)::int - (o_tc is not null)::int,
        prompt_tokens = case when t.prompt_tokens_runs + (n_pt is not null)::int - (o_pt is not null)::int > 0
                             then coalesce(t.prompt_tokens, 0) + coalesce(n_pt, 0) - coalesce(o_pt, 0) end,
        completion_tokens = case when t.completion_tokens_runs + (n_ct is not null)::int - (o_ct is not null)::int > 0
                                 then coalesce(t.completion_tokens, 0) + coalesce(n_ct, 0) - coalesce(o_ct, 0) end,
        total_tokens = case when t.total_tokens_runs + (n_tt is not null)::int - (o_tt is not null)::int > 0
                            then coalesce(t.total_tokens, 0) + coalesce(n_tt, 0) - coalesce(o_tt, 0) end,
        prompt_cost = case when t.prompt_cost_runs + (n_pc is not null)::int - (o_pc is not null)::int > 0
                           then coalesce(t.prompt_cost, 0) + coalesce(n_pc, 0) - coalesce(o_pc, 0) end,
        completion_cost = case when t.completion_cost_runs + (n_cc is not null)::int - (o_cc is not null)::int > 0
                               then coalesce(t.completion_cost, 0) + coalesce(n_cc, 0) - coalesce(o_cc, 0) end,
        total_cost = case when t.total_cost_runs + (n_tc is not null)::int - (o_tc is not null)::int > 0
                          then coalesce(t.total_cost, 0) + coalesce(n_tc, 0) - coalesce(o_tc, 0) end,
        first_token_time = least(t.first_token_time, n_ft)
    where t.tenant_id = w.tenant_id and t.trace_id = w.trace_id
    returning t.first_token_time into stored_ft;
    -- A first-token time that was the earliest and is now later or gone: the earliest is read again,
    -- under the row lock the update took, so it sees every committed run of the trace.
    if o_ft is not null and o_ft = stored_ft and (n_ft is null or n_ft > o_ft) then
        update trace_totals t
           set first_token_time = (select min(r.first_token_time) from runs r
                                    where r.tenant_id = t.tenant_id and r.trace_id = t.trace_id)
         where t.tenant_id = w.tenant_id and t.trace_id = w.trace_id;
    end if;
    if tg_op = 'DELETE' then
        delete from trace_totals t where t.tenant_id = w.tenant_id and t.trace_id = w.trace_id and t.run_count = 0;
    end if;
    return null;
end
$$;

create trigger runs_trace_totals after insert or update or delete on runs
    for each row execute function trace_totals_apply();

create function trace_totals_truncate() returns trigger language plpgsql as $$
begin
    truncate trace_totals;
    return null;
end
$$;

create trigger runs_trace_totals_truncate after truncate on runs
    for each statement execute function trace_totals_truncate();

-- The totals of every trace computed from its runs: what the trigger keeps, read from scratch. Fills
-- the table for the traces stored before this migration, and a trace whose runs moved to another
-- trace (a child adopted by its parent, written after it) is read again from it.
create view trace_totals_computed as
select r.tenant_id, r.trace_id,
       -- the root's project, or any run's while the root is missing
       coalesce((array_agg(r.project_id) filter (where r.parent_run_id is null))[1],
                (array_agg(r.project_id))[1]) as project_id,
       count(*) as run_count,
       count(*) filter (where r.status = 'error') as error_count,
       sum(r.prompt_tokens) filter (where r.run_type = 'llm') as prompt_tokens,
       sum(r.completion_tokens) filter (where r.run_type = 'llm') as completion_tokens,
       sum(r.total_tokens) filter (where r.run_type = 'llm') as total_tokens,
       sum(r.prompt_cost) filter (where r.run_type = 'llm') as prompt_cost,
       sum(r.completion_cost) filter (where r.run_type = 'llm') as completion_cost,
       sum(r.total_cost) filter (where r.run_type = 'llm') as total_cost,
       min(r.first_token_time) as first_token_time,
       count(r.prompt_tokens) filter (where r.run_type = 'llm') as prompt_tokens_runs,
       count(r.completion_tokens) filter (where r.run_type = 'llm') as completion_tokens_runs,
       count(r.total_tokens) filter (where r.run_type = 'llm') as total_tokens_runs,
       count(r.prompt_cost) filter (where r.run_type = 'llm') as prompt_cost_runs,
       count(r.completion_cost) filter (where r.run_type = 'llm') as completion_cost_runs,
       count(r.total_cost) filter (where r.run_type = 'llm') as total_cost_runs
from runs r
group by r.tenant_id, r.trace_id;

create function trace_totals_recompute(p_tenant uuid, p_trace uuid) returns void language sql as $f$
    delete from trace_totals where tenant_id = p_tenant and trace_id = p_trace;
    insert into trace_totals (tenant_id, trace_id, project_id, run_count, error_count,
                          prompt_tokens, completion_tokens, total_tokens,
                          prompt_cost, completion_cost, total_cost, first_token_time,
                          prompt_tokens_runs, completion_tokens_runs, total_tokens_runs,
                          prompt_cost_runs, completion_cost_runs, total_cost_runs)
    select * from trace_totals_computed where tenant_id = p_tenant and trace_id = p_trace;
$f$;

insert into trace_totals (tenant_id, trace_id, project_id, run_count, error_count,
                          prompt_tokens, completion_tokens, total_tokens,
                          prompt_cost, completion_cost, total_cost, first_token_time,
                          prompt_tokens_runs, completion_tokens_runs, total_tokens_runs,
                          prompt_cost_runs, completion_cost_runs, total_cost_runs)
select * from trace_totals_computed;
