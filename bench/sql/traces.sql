-- Pages of 50 traces of one project with their totals (bench/RESULTS-traces.md), on the query benchmark's
-- data set (sql/queries/data.sql) after migration V10. psql variables: project (a project id).
-- M*: what TraceStore runs, totals read from trace_totals; R*: the same answer computed at read time
-- from the runs of each trace (a lateral aggregate per root, through the runs_trace_order index).
\set tenant '''00000000-0000-0000-0000-000000000001'''
\set totals 'count(*) as run_count, count(*) filter (where tr.status = ''error'') as error_count, sum(tr.prompt_tokens) filter (where tr.run_type = ''llm'') as prompt_tokens, sum(tr.completion_tokens) filter (where tr.run_type = ''llm'') as completion_tokens, sum(tr.total_tokens) filter (where tr.run_type = ''llm'') as total_tokens, sum(tr.prompt_cost) filter (where tr.run_type = ''llm'') as prompt_cost, sum(tr.completion_cost) filter (where tr.run_type = ''llm'') as completion_cost, sum(tr.total_cost) filter (where tr.run_type = ''llm'') as total_cost, min(tr.first_token_time) as first_token_time'

\echo M1 start time
explain (analyze, timing off, summary on)
select r.id, r.name, r.start_time, r.latency_seconds, t.*
from runs r join trace_totals t on t.tenant_id = r.tenant_id and t.trace_id = r.trace_id and t.project_id = :'project'
where r.tenant_id = :tenant and r.project_id = :'project' and r.parent_run_id is null
order by r.start_time desc, r.id desc limit 51;

\echo M2 total tokens
explain (analyze, timing off, summary on)
select r.id, r.name, r.start_time, r.latency_seconds, t.*
from runs r join trace_totals t on t.tenant_id = r.tenant_id and t.trace_id = r.trace_id and t.project_id = :'project'
where r.tenant_id = :tenant and r.project_id = :'project' and r.parent_run_id is null
order by t.total_tokens desc nulls last, t.trace_id desc limit 51;

\echo M3 total tokens, page 2 by cursor
select t.total_tokens as v, t.trace_id as id from trace_totals t where t.tenant_id = :tenant and t.project_id = :'project'
order by t.total_tokens desc nulls last, t.trace_id desc offset 49 limit 1 \gset
explain (analyze, timing off, summary on)
select r.id, r.name, r.start_time, r.latency_seconds, t.*
from runs r join trace_totals t on t.tenant_id = r.tenant_id and t.trace_id = r.trace_id and t.project_id = :'project'
where r.tenant_id = :tenant and r.project_id = :'project' and r.parent_run_id is null
  and ((t.total_tokens, t.trace_id) < (:v, :'id') or t.total_tokens is null)
order by t.total_tokens desc nulls last, t.trace_id desc limit 51;

\echo R1 start time, computed at read
explain (analyze, timing off, summary on)
select r.id, r.name, r.start_time, r.latency_seconds, t.*
from runs r cross join lateral (select :totals from runs tr where tr.tenant_id = r.tenant_id and tr.trace_id = r.trace_id) t
where r.tenant_id = :tenant and r.project_id = :'project' and r.parent_run_id is null
order by r.start_time desc, r.id desc limit 51;

\echo R2 total tokens, computed at read
explain (analyze, timing off, summary on)
select r.id, r.name, r.start_time, r.latency_seconds, t.*
from runs r cross join lateral (select :totals from runs tr where tr.tenant_id = r.tenant_id and tr.trace_id = r.trace_id) t
where r.tenant_id = :tenant and r.project_id = :'project' and r.parent_run_id is null
order by t.total_tokens desc nulls last, r.id desc limit 51;
