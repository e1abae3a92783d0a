-- Q5 filtered search, the page after a keyset cursor (latency :lat, id :cid): the same condition as
-- the gateway's cursor, so a page deep in the list costs what the first one does.
select id, name, status, start_time, latency_seconds, total_tokens, total_cost, inputs_preview
from runs
where tenant_id = :tenant and project_id = :project and run_type = 'llm' and error is null
  and tags @> '{web}' and extra -> 'metadata' @> '{"env": "prod"}'
  and ((latency_seconds, id) < (:lat, :cid) or latency_seconds is null)
order by latency_seconds desc nulls last, id desc
limit 21;
