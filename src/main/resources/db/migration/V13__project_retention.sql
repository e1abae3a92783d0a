-- How long a project keeps its traces: by age (of the trace's start) and by count (the newest N).
-- Null keeps them; store/TraceDeletes applies both on a schedule, a bounded batch of traces at a time.
alter table projects
    add column retention_max_age_days integer check (retention_max_age_days > 0),
    add column retention_max_traces   integer check (retention_max_traces > 0);
