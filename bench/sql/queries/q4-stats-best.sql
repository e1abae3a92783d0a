-- Q4 project stats: every number of the GraphQL query in one statement, as fast as this schema
-- allows. Trace figures cover roots, token and cost totals llm runs, first-token percentiles every
-- run with a first token, feedback every run of the project (docs/data-model.md). All of them need
-- one pass over the project's runs; the feedback comes from its own index.
with s as (
    select count(*) filter (where parent_run_id is null) as run_count,
           percentile_cont(array[0.5, 0.99]) within group (order by latency_seconds)
               filter (where parent_run_id is null) as latency,
           percentile_cont(array[0.5, 0.99]) within group (order by extract(epoch from first_token_time - start_time))
               as first_token,
           sum(total_tokens) filter (where run_type = 'llm') as total_tokens,
           sum(prompt_tokens) filter (where run_type = 'llm') as prompt_tokens,
           sum(completion_tokens) filter (where run_type = 'llm') as completion_tokens,
           sum(total_cost) filter (where run_type = 'llm') as total_cost,
           sum(prompt_cost) filter (where run_type = 'llm') as prompt_cost,
           sum(completion_cost) filter (where run_type = 'llm') as completion_cost,
           avg(case when status = 'error' then 1.0 else 0.0 end) filter (where parent_run_id is null) as error_rate,
           max(start_time) filter (where parent_run_id is null) as last_run_start_time
    from runs
    where tenant_id = :tenant and project_id = :project
),
f as (
    select key, score, value #>> '{}' as value
    from feedback
    where tenant_id = :tenant and project_id = :project and run_id is not null
),
per_key as (select key, count(*) as n, avg(score) as mean from f group by key),
per_value as (select key, value, count(*) as n from f where value is not null group by key, value)
select s.*,
       (select jsonb_agg(jsonb_build_object(
                   'key', k.key, 'count', k.n, 'meanScore', k.mean,
                   'values', (select coalesce(jsonb_agg(jsonb_build_object('value', v.value, 'count', v.n)
                                                        order by v.n desc, v.value), '[]')
                              from per_value as v where v.key = k.key))
                   order by k.key)
        from per_key as k) as feedback_stats
from s;
