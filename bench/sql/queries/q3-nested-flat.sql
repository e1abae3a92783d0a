-- Q3 nested, as one flat join: the 20 newest traces of a project, each child run, and the child's
-- feedback per key (count, mean score); the same rows the GraphQL query returns, in one statement.
with roots as (
    select id, name, start_time, latency_seconds
    from runs
    where tenant_id = :tenant and project_id = :project and parent_run_id is null
    order by start_time desc, id desc
    limit 20
)
select r.id, r.name, r.start_time, r.latency_seconds,
       c.id as child_id, c.name as child_name, c.run_type, c.status, c.latency_seconds as child_latency,
       f.key, f.n, f.mean
from roots as r
join runs as c on c.tenant_id = :tenant and c.parent_run_id = r.id
left join lateral (
    select key, count(*) as n, avg(score) as mean
    from feedback
    where tenant_id = :tenant and run_id = c.id
    group by key
) as f on true
order by r.start_time desc, r.id desc, c.dotted_order, f.key;
