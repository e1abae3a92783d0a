-- Rollups of runs per project: counts, token and cost sums, and log-bucketed histograms of latency and
-- first-token time, per UTC hour and for the project's whole life, so that project stats, runStats
-- without a filter and timeSeries read a bounded number of rows instead of every run
-- (store/RunRollups, docs/data-model.md "Rollups").
--
-- Writes: a row trigger on runs appends each change of a run to run_rollup_changes, as the run's
-- contribution after the change (+1) and before it (-1). Appending takes no lock that another writer
-- waits for, so concurrent ingest into one project never queues on a shared project-hour row and
-- cannot deadlock on one. run_rollups_compact() (called by the gateway every
-- tracegql.rollups.compact-interval) moves the changes into run_rollups and run_rollup_histograms in
-- one statement; readers read the compacted rows and the pending changes together (the views below),
-- so every answer is exact whatever has been compacted. Every write of runs goes through the trigger:
-- ingest, patches applied late, cost estimates and repricing, trace deletion and retention, project
-- deletion (cascading to runs), truncation.
--
-- Quantiles: a value x > 0 falls in bucket ceil(ln x / ln g), g = (1 + a) / (1 - a), and bucket i is
-- read back as 2 g^i / (g + 1), within the relative error a of every value in it (DDSketch); values at
-- or below 0 count as 0. a is rollup_relative_error(), the one place it is written.

create function rollup_relative_error() returns float8
    language sql immutable parallel safe
    return 0.01;

create function rollup_gamma() returns float8
    language sql immutable parallel safe
    return (1 + rollup_relative_error()) / (1 - rollup_relative_error());

-- The bucket that stands for zero and anything below it.
create function rollup_zero_bucket() returns integer
    language sql immutable parallel safe
    return -2147483648;

create function rollup_bucket(x float8) returns integer
    language sql immutable parallel safe
    return case when x is null then null
                when x <= 0 then rollup_zero_bucket()
                else ceil(ln(x) / ln(rollup_gamma()))::integer end;

create function rollup_bucket_value(bucket integer) returns float8
    language sql immutable parallel safe
    return case when bucket = rollup_zero_bucket() then 0
                else 2 * power(rollup_gamma(), bucket) / (rollup_gamma() + 1) end;

-- The hour a run counts in: its start, truncated in UTC as timeSeries buckets are.
create function rollup_hour(t timestamptz) returns timestamptz
    language sql immutable parallel safe
    return date_trunc('hour', t at time zone 'UTC') at time zone 'UTC';

-- Quantiles of a histogram (buckets ascending, their counts) with percentile_cont's semantics: the
-- value at rank p * (n - 1), interpolated between the two values around it. Each value is read back
-- within the relative error, so the interpolation is too. Nulls when the histogram is empty.
create function rollup_quantiles(buckets integer[], counts bigint[], probabilities float8[]) returns float8[]
    language plpgsql immutable parallel safe as $$
declare
    total bigint := 0;
    result float8[] := '{}';
    p float8;
    rank float8;
    k bigint;
    below float8;
    above float8;
    seen bigint;
    i integer;
begin
    for i in 1 .. coalesce(cardinality(counts), 0) loop
        total := total + counts[i];
    end loop;
    if total <= 0 then
        return array_fill(null::float8, array[cardinality(probabilities)]);
    end if;
    foreach p in array probabilities loop
        rank := p * (total - 1);
        k := floor(rank);
        below := null;
        above := null;
        seen := 0;
        for i in 1 .. cardinality(buckets) loop
            seen := seen + counts[i];
            if below is null and seen > k then
                below := rollup_bucket_value(buckets[i]);
            end if;
            if seen > k + 1 then
                above := rollup_bucket_value(buckets[i]);
                exit;
            end if;
        end loop;
        result := result || (below + (rank - k) * (coalesce(above, below) - below));
    end loop;
    return result;
end
$$;

-- Changes not yet compacted: one row per run per side of a change, its contribution signed (runs is
-- +1 or -1, the sums carry the same sign).
create table run_rollup_changes (
    id                 bigint generated always as identity primary key,
    tenant_id          uuid        not null,
    project_id         uuid        not null,
    hour               timestamptz not null,
    run_type           text        not null,
    is_root            boolean     not null,
    status             text        not null,
    runs               integer     not null,
    prompt_tokens      bigint,
    completion_tokens  bigint,
    total_tokens       bigint,
    prompt_cost        numeric,
    completion_cost    numeric,
    total_cost         numeric,
    -- an llm run with tokens and no cost (store/RunAnalytics.UNPRICED): runs, else 0
    unpriced           integer     not null,
    latency_bucket     integer,
    first_token_bucket integer
);

create index run_rollup_changes_project on run_rollup_changes (tenant_id, project_id);

-- Compacted counts and sums. bucket_start is an hour, or -infinity for the project's whole life. A sum
-- keeps how many runs contribute to it (*_runs), so that a sum over no values reads as null, as the
-- runs' own sum() does.
create table run_rollups (
    tenant_id              uuid        not null,
    project_id             uuid        not null,
    bucket_start           timestamptz not null,
    run_type               text        not null,
    is_root                boolean     not null,
    status                 text        not null,
    runs                   bigint      not null,
    prompt_tokens          bigint      not null,
    completion_tokens      bigint      not null,
    total_tokens           bigint      not null,
    prompt_cost            numeric     not null,
    completion_cost        numeric     not null,
    total_cost             numeric     not null,
    prompt_tokens_runs     bigint      not null,
    completion_tokens_runs bigint      not null,
    total_tokens_runs      bigint      not null,
    prompt_cost_runs       bigint      not null,
    completion_cost_runs   bigint      not null,
    total_cost_runs        bigint      not null,
    unpriced_runs          bigint      not null,
    primary key (tenant_id, project_id, bucket_start, run_type, is_root, status)
);

-- Rows whose runs were all deleted, removed after each compaction.
create index run_rollups_empty on run_rollups (tenant_id) where runs = 0;

-- Compacted histograms: how many runs of a project (roots or not) fall in each bucket of a measure.
create table run_rollup_histograms (
    tenant_id    uuid        not null,
    project_id   uuid        not null,
    bucket_start timestamptz not null,
    measure      text        not null check (measure in ('latency', 'first_token')),
    is_root      boolean     not null,
    bucket       integer     not null,
    runs         bigint      not null,
    primary key (tenant_id, project_id, bucket_start, measure, is_root, bucket)
);

create index run_rollup_histograms_empty on run_rollup_histograms (tenant_id) where runs = 0;

create function run_rollups_apply() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE'
       and (old.tenant_id, old.project_id, old.run_type, old.parent_run_id is null, old.status, old.start_time,
            old.end_time, old.first_token_time, old.prompt_tokens, old.completion_tokens, old.total_tokens,
            old.prompt_cost, old.completion_cost, old.total_cost)
           is not distinct from
           (new.tenant_id, new.project_id, new.run_type, new.parent_run_id is null, new.status, new.start_time,
            new.end_time, new.first_token_time, new.prompt_tokens, new.completion_tokens, new.total_tokens,
            new.prompt_cost, new.completion_cost, new.total_cost) then
        return null;
    end if;
    if tg_op <> 'INSERT' then
        insert into run_rollup_changes (tenant_id, project_id, hour, run_type, is_root, status, runs,
                                        prompt_tokens, completion_tokens, total_tokens,
                                        prompt_cost, completion_cost, total_cost, unpriced,
                                        latency_bucket, first_token_bucket)
        values (old.tenant_id, old.project_id, rollup_hour(old.start_time), old.run_type, old.parent_run_id is null,
                old.status, -1, -old.prompt_tokens, -old.completion_tokens, -old.total_tokens,
                -old.prompt_cost, -old.completion_cost, -old.total_cost,
                -(old.run_type = 'llm' and old.total_cost is null and (old.prompt_tokens is not null
                  or old.completion_tokens is not null or old.total_tokens is not null))::int,
                rollup_bucket(old.latency_seconds),
                rollup_bucket(extract(epoch from (old.first_token_time - old.start_time))::float8));
    end if;
    if tg_op <> 'DELETE' then
        insert into run_rollup_changes (tenant_id, project_id, hour, run_type, is_root, status, runs,
                                        prompt_tokens, completion_tokens, total_tokens,
                                        prompt_cost, completion_cost, total_cost, unpriced,
                                        latency_bucket, first_token_bucket)
        values (new.tenant_id, new.project_id, rollup_hour(new.start_time), new.run_type, new.parent_run_id is null,
                new.status, 1, new.prompt_tokens, new.completion_tokens, new.total_tokens,
                new.prompt_cost, new.completion_cost, new.total_cost,
                (new.run_type = 'llm' and new.total_cost is null and (new.prompt_tokens is not null
                  or new.completion_tokens is not null or new.total_tokens is not null))::int,
                rollup_bucket(new.latency_seconds),
                rollup_bucket(extract(epoch from (new.first_token_time - new.start_time))::float8));
    end if;
    return null;
end
$$;

create trigger runs_rollups after insert or update or delete on runs
    for each row execute function run_rollups_apply();

create function run_rollups_truncate() returns trigger language plpgsql as $$
begin
    truncate run_rollup_changes, run_rollups, run_rollup_histograms;
    return null;
end
$$;

create trigger runs_rollups_truncate after truncate on runs
    for each statement execute function run_rollups_truncate();

-- Pending changes at both grains: their hour and the project's whole life (-infinity).
create view run_rollup_pending as
select c.*, g.bucket_start
from run_rollup_changes c
cross join lateral (values (c.hour), ('-infinity'::timestamptz)) as g (bucket_start);

-- What the rollups hold now: compacted rows and pending changes, in the compacted rows' shape. Summed
-- by whatever a reader groups on, every figure is exact.
create view run_rollup_counts as
select tenant_id, project_id, bucket_start, run_type, is_root, status, runs,
       prompt_tokens, completion_tokens, total_tokens, prompt_cost, completion_cost, total_cost,
       prompt_tokens_runs, completion_tokens_runs, total_tokens_runs,
       prompt_cost_runs, completion_cost_runs, total_cost_runs, unpriced_runs
from run_rollups
union all
select tenant_id, project_id, bucket_start, run_type, is_root, status, runs::bigint,
       coalesce(prompt_tokens, 0), coalesce(completion_tokens, 0), coalesce(total_tokens, 0),
       coalesce(prompt_cost, 0), coalesce(completion_cost, 0), coalesce(total_cost, 0),
       case when prompt_tokens is not null then runs else 0 end::bigint,
       case when completion_tokens is not null then runs else 0 end::bigint,
       case when total_tokens is not null then runs else 0 end::bigint,
       case when prompt_cost is not null then runs else 0 end::bigint,
       case when completion_cost is not null then runs else 0 end::bigint,
       case when total_cost is not null then runs else 0 end::bigint,
       unpriced::bigint
from run_rollup_pending;

create view run_rollup_buckets as
select tenant_id, project_id, bucket_start, measure, is_root, bucket, runs
from run_rollup_histograms
union all
select p.tenant_id, p.project_id, p.bucket_start, h.measure, p.is_root, h.bucket, p.runs::bigint
from run_rollup_pending p
cross join lateral (values ('latency', p.latency_bucket), ('first_token', p.first_token_bucket)) as h (measure, bucket)
where h.bucket is not null;

-- Moves up to max_changes pending changes (oldest first) into the compacted tables; returns how many.
-- Compactions take turns (an advisory lock) instead of waiting on the changes another one is moving; a
-- caller that finds another compaction running moves nothing. Additions commute, so any order of
-- compaction gives the same figures.
create function run_rollups_compact(max_changes integer) returns integer language plpgsql as $$
declare
    moved integer;
begin
    if not pg_try_advisory_xact_lock(hashtext('run_rollups_compact')) then
        return 0;
    end if;
    with taken as (
        delete from run_rollup_changes
         where id in (select id from run_rollup_changes order by id limit max_changes)
        returning *
    ), grains as (
        select t.*, g.bucket_start
        from taken t cross join lateral (values (t.hour), ('-infinity'::timestamptz)) as g (bucket_start)
    ), counts as (
        insert into run_rollups as r (tenant_id, project_id, bucket_start, run_type, is_root, status, runs,
                                      prompt_tokens, completion_tokens, total_tokens,
                                      prompt_cost, completion_cost, total_cost,
                                      prompt_tokens_runs, completion_tokens_runs, total_tokens_runs,
                                      prompt_cost_runs, completion_cost_runs, total_cost_runs, unpriced_runs)
        select tenant_id, project_id, bucket_start, run_type, is_root, status, sum(runs),
               coalesce(sum(prompt_tokens), 0), coalesce(sum(completion_tokens), 0), coalesce(sum(total_tokens), 0),
               coalesce(sum(prompt_cost), 0), coalesce(sum(completion_cost), 0), coalesce(sum(total_cost), 0),
               coalesce(sum(runs) filter (where prompt_tokens is not null), 0),
               coalesce(sum(runs) filter (where completion_tokens is not null), 0),
               coalesce(sum(runs) filter (where total_tokens is not null), 0),
               coalesce(sum(runs) filter (where prompt_cost is not null), 0),
               coalesce(sum(runs) filter (where completion_cost is not null), 0),
               coalesce(sum(runs) filter (where total_cost is not null), 0),
               sum(unpriced)
        from grains
        group by tenant_id, project_id, bucket_start, run_type, is_root, status
        on conflict (tenant_id, project_id, bucket_start, run_type, is_root, status) do update set
            runs = r.runs + excluded.runs,
            prompt_tokens = r.prompt_tokens + excluded.prompt_tokens,
            completion_tokens = r.completion_tokens + excluded.completion_tokens,
            total_tokens = r.total_tokens + excluded.total_tokens,
            prompt_cost = r.prompt_cost + excluded.prompt_cost,
            completion_cost = r.completion_cost + excluded.completion_cost,
            total_cost = r.total_cost + excluded.total_cost,
            prompt_tokens_runs = r.prompt_tokens_runs + excluded.prompt_tokens_runs,
            completion_tokens_runs = r.completion_tokens_runs + excluded.completion_tokens_runs,
            total_tokens_runs = r.total_tokens_runs + excluded.total_tokens_runs,
            prompt_cost_runs = r.prompt_cost_runs + excluded.prompt_cost_runs,
            completion_cost_runs = r.completion_cost_runs + excluded.completion_cost_runs,
            total_cost_runs = r.total_cost_runs + excluded.total_cost_runs,
            unpriced_runs = r.unpriced_runs + excluded.unpriced_runs
    ), histograms as (
        insert into run_rollup_histograms as r (tenant_id, project_id, bucket_start, measure, is_root, bucket, runs)
        select g.tenant_id, g.project_id, g.bucket_start, h.measure, g.is_root, h.bucket, sum(g.runs)
        from grains g
        cross join lateral (values ('latency', g.latency_bucket), ('first_token', g.first_token_bucket)) as h (measure, bucket)
        where h.bucket is not null
        group by g.tenant_id, g.project_id, g.bucket_start, h.measure, g.is_root, h.bucket
        on conflict (tenant_id, project_id, bucket_start, measure, is_root, bucket) do update set
            runs = r.runs + excluded.runs
    )
    select count(*) into moved from taken;
    -- Rows back to nothing (every run in them deleted or moved) hold no information: removed.
    delete from run_rollups
     where runs = 0 and prompt_tokens = 0 and completion_tokens = 0 and total_tokens = 0
       and prompt_cost = 0 and completion_cost = 0 and total_cost = 0
       and prompt_tokens_runs = 0 and completion_tokens_runs = 0 and total_tokens_runs = 0
       and prompt_cost_runs = 0 and completion_cost_runs = 0 and total_cost_runs = 0 and unpriced_runs = 0;
    delete from run_rollup_histograms where runs = 0;
    return moved;
end
$$;

-- Backfill: the runs stored before this migration, as changes compacted at once.
insert into run_rollup_changes (tenant_id, project_id, hour, run_type, is_root, status, runs,
                                prompt_tokens, completion_tokens, total_tokens,
                                prompt_cost, completion_cost, total_cost, unpriced,
                                latency_bucket, first_token_bucket)
select r.tenant_id, r.project_id, rollup_hour(r.start_time), r.run_type, r.parent_run_id is null, r.status, 1,
       r.prompt_tokens, r.completion_tokens, r.total_tokens, r.prompt_cost, r.completion_cost, r.total_cost,
       (r.run_type = 'llm' and r.total_cost is null and (r.prompt_tokens is not null
         or r.completion_tokens is not null or r.total_tokens is not null))::int,
       rollup_bucket(r.latency_seconds),
       rollup_bucket(extract(epoch from (r.first_token_time - r.start_time))::float8)
from runs r;

select run_rollups_compact(2147483647);

-- A project's stats (the TracerSession figures of store/ProjectAggregate, under the same column names)
-- from the rollups: trace-level figures over root runs, first-token time over every run, tokens and
-- costs over llm runs. The one definition that project pages and compiled reads select; a plain SQL
-- function, so PostgreSQL inlines it into the statement that calls it.
create function project_rollup_stats(p_tenant uuid, p_project uuid)
    returns table (run_count bigint, latency_p50 float8, latency_p99 float8, first_token_p50 float8,
                   first_token_p99 float8, total_tokens bigint, prompt_tokens bigint, completion_tokens bigint,
                   total_cost numeric, prompt_cost numeric, completion_cost numeric, error_rate float8,
                   last_run_start_time timestamptz, unpriced_run_count bigint)
    language sql stable parallel safe as $$
select coalesce(c.roots, 0)::bigint, l.q[1], l.q[2], f.q[1], f.q[2],
       c.llm_total_tokens::bigint, c.llm_prompt_tokens::bigint, c.llm_completion_tokens::bigint,
       c.llm_total_cost, c.llm_prompt_cost, c.llm_completion_cost,
       -- avg() of 1.0 and 0.0 over the roots, as the runs' aggregate computes it
       case when c.roots > 0 then (coalesce(c.root_errors, 0) * 1.0 / c.roots)::float8 end,
       -- A maximum cannot be kept as differences (a delete would need the runner-up): the newest root
       -- is the first entry of the index runs_project_roots_start, one probe.
       (select max(r.start_time) from runs r
         where r.tenant_id = p_tenant and r.project_id = p_project and r.parent_run_id is null),
       coalesce(c.unpriced, 0)::bigint
from (select sum(k.runs) filter (where k.is_root) as roots,
             sum(k.runs) filter (where k.is_root and k.status = 'error') as root_errors,
             case when sum(k.total_tokens_runs) filter (where k.run_type = 'llm') > 0
                  then sum(k.total_tokens) filter (where k.run_type = 'llm') end as llm_total_tokens,
             case when sum(k.prompt_tokens_runs) filter (where k.run_type = 'llm') > 0
                  then sum(k.prompt_tokens) filter (where k.run_type = 'llm') end as llm_prompt_tokens,
             case when sum(k.completion_tokens_runs) filter (where k.run_type = 'llm') > 0
                  then sum(k.completion_tokens) filter (where k.run_type = 'llm') end as llm_completion_tokens,
             case when sum(k.total_cost_runs) filter (where k.run_type = 'llm') > 0
                  then sum(k.total_cost) filter (where k.run_type = 'llm') end as llm_total_cost,
             case when sum(k.prompt_cost_runs) filter (where k.run_type = 'llm') > 0
                  then sum(k.prompt_cost) filter (where k.run_type = 'llm') end as llm_prompt_cost,
             case when sum(k.completion_cost_runs) filter (where k.run_type = 'llm') > 0
                  then sum(k.completion_cost) filter (where k.run_type = 'llm') end as llm_completion_cost,
             sum(k.unpriced_runs) filter (where k.run_type = 'llm') as unpriced
        from run_rollup_counts k
       where k.tenant_id = p_tenant and k.project_id = p_project and k.bucket_start = '-infinity') as c,
     lateral (select rollup_quantiles(array_agg(b.bucket order by b.bucket), array_agg(b.n order by b.bucket),
                                      '{0.5,0.99}') as q
                from (select h.bucket, sum(h.runs)::bigint as n from run_rollup_buckets h
                       where h.tenant_id = p_tenant and h.project_id = p_project and h.bucket_start = '-infinity'
                         and h.measure = 'latency' and h.is_root
                       group by h.bucket having sum(h.runs) > 0) as b) as l,
     lateral (select rollup_quantiles(array_agg(b.bucket order by b.bucket), array_agg(b.n order by b.bucket),
                                      '{0.5,0.99}') as q
                from (select h.bucket, sum(h.runs)::bigint as n from run_rollup_buckets h
                       where h.tenant_id = p_tenant and h.project_id = p_project and h.bucket_start = '-infinity'
                         and h.measure = 'first_token'
                       group by h.bucket having sum(h.runs) > 0) as b) as f
$$;
