-- Q5 filtered search, the page after a keyset cursor (latency :lat, id :cid): the same conditions as
-- the gateway's cursor. The runs with a latency after the cursor and the runs without one are two
-- branches, each a seek into an index, so a page deep in the list costs what the first one does.
select * from (
  (select id, name, status, start_time, latency_seconds, total_tokens, total_cost, inputs_preview
   from runs
   where tenant_id = :tenant and project_id = :project and run_type = 'llm' and error is null
     and tags @> '{web}' and extra -> 'metadata' @> '{"env": "prod"}'
     and (latency_seconds, id) < (:lat, :cid)
   order by latency_seconds desc nulls last, id desc
   limit 21)
  union all
  (select id, name, status, start_time, latency_seconds, total_tokens, total_cost, inputs_preview
   from runs
   where tenant_id = :tenant and project_id = :project and run_type = 'llm' and error is null
     and tags @> '{web}' and extra -> 'metadata' @> '{"env": "prod"}'
     and latency_seconds is null
   order by id desc
   limit 21)
) as page
order by latency_seconds desc nulls last, id desc
limit 21;
