-- Pages sorted by latency put unfinished runs (null latency) last: the index must order them the
-- same way to serve the sort, newest-slowest first being the common case.
drop index runs_project_latency;
create index runs_project_latency on runs (tenant_id, project_id, latency_seconds desc nulls last, id desc);
