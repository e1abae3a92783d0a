-- Q5 filtered search, first page: a project's successful llm runs tagged "web" with metadata
-- env=prod, slowest first (runs without a latency last), 20 per page plus one to know whether more
-- follow, as the gateway asks.
select id, name, status, start_time, latency_seconds, total_tokens, total_cost, inputs_preview
from runs
where tenant_id = :tenant and project_id = :project and run_type = 'llm' and error is null
  and tags @> '{web}' and extra -> 'metadata' @> '{"env": "prod"}'
order by latency_seconds desc nulls last, id desc
limit 21;
