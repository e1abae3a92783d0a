-- Q2 trace tree: every run of one trace with its payloads, in execution order. The trace rotates
-- over the same ids as the wrk script (bench_traces is filled by queries.sh).
\set n random(1, :traces)
select id, parent_run_id, name, run_type, status, start_time, end_time, latency_seconds, inputs, outputs, error,
       total_tokens, total_cost
from runs
where tenant_id = :tenant and trace_id = (select trace_id from bench_traces where n = :n)
order by dotted_order;
