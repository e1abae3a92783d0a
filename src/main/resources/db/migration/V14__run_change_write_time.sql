-- Run change notifications also say when the change was written, so that the gateway can measure how
-- long a change takes from its write to its subscribers (tracegql_change_feed_lag_seconds). The time
-- is the clock of the database server at the write, in microseconds since the epoch, appended as a
-- sixth field; readers of the five-field form (V7) keep working with it.
--   <kind>,<tenant id>,<project id>,<trace id>,<run id>,<written at>

create or replace function notify_run_change() returns trigger
    language plpgsql as $$
begin
    perform pg_notify('tracegql_run_changes',
        case tg_op when 'INSERT' then 'c' else 'u' end || ',' || new.tenant_id || ',' || new.project_id
            || ',' || new.trace_id || ',' || new.id
            || ',' || (extract(epoch from clock_timestamp()) * 1000000)::bigint);
    return null;
end
$$;

create or replace function notify_feedback_change() returns trigger
    language plpgsql as $$
declare
    changed feedback%rowtype;
    run record;
begin
    changed := case tg_op when 'DELETE' then old else new end;
    if changed.run_id is null then
        return null;
    end if;
    select r.project_id, r.trace_id into run
      from runs r where r.tenant_id = changed.tenant_id and r.id = changed.run_id;
    if found then
        perform pg_notify('tracegql_run_changes',
            'f,' || changed.tenant_id || ',' || run.project_id || ',' || run.trace_id || ',' || changed.run_id
                || ',' || (extract(epoch from clock_timestamp()) * 1000000)::bigint);
    end if;
    return null;
end
$$;
