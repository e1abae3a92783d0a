-- Live updates: every change to a run or to a run's feedback is announced on the channel
-- tracegql_run_changes when its transaction commits, so that every gateway instance listening to
-- the database (LISTEN) can tell its subscribers. Payloads carry ids only (NOTIFY payloads are
-- limited to 8,000 bytes; the data stays in the tables):
--   <kind>,<tenant id>,<project id>,<trace id>,<run id>
-- where kind is c (run created), u (run updated) or f (feedback on the run changed).

create function notify_run_change() returns trigger
    language plpgsql as $$
begin
    perform pg_notify('tracegql_run_changes',
        case tg_op when 'INSERT' then 'c' else 'u' end || ',' || new.tenant_id || ',' || new.project_id
            || ',' || new.trace_id || ',' || new.id);
    return null;
end
$$;

create trigger runs_notify_insert after insert on runs
    for each row execute function notify_run_change();

-- An upsert that changes nothing (a repeated post) is not a change.
create trigger runs_notify_update after update on runs
    for each row when (old.* is distinct from new.*) execute function notify_run_change();

create function notify_feedback_change() returns trigger
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
            'f,' || changed.tenant_id || ',' || run.project_id || ',' || run.trace_id || ',' || changed.run_id);
    end if;
    return null;
end
$$;

create trigger feedback_notify after insert or update or delete on feedback
    for each row execute function notify_feedback_change();
