-- Q1 project page: the 50 newest traces of a project, the columns the GraphQL query asks for.
select id, name, status, start_time, latency_seconds, total_tokens, total_cost, inputs_preview
from runs
where tenant_id = :tenant and project_id = :project and parent_run_id is null
order by start_time desc, id desc
limit 50;
