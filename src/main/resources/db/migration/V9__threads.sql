-- Threads (conversations): the root runs of a project that share a thread_id, newest turn first.
create index runs_project_thread on runs (tenant_id, project_id, thread_id, start_time desc)
    where parent_run_id is null and thread_id is not null;

-- Runs stored before thread ids were read from metadata (thread_id, session_id, conversation_id, as
-- LangSmith SDKs send them). No subscriber needs to hear of this one-time fill: one notification per
-- run of a large store would flood the change feed.
alter table runs disable trigger runs_notify_update;
update runs
   set thread_id = coalesce(nullif(btrim(extra -> 'metadata' ->> 'thread_id'), ''),
                            nullif(btrim(extra -> 'metadata' ->> 'session_id'), ''),
                            nullif(btrim(extra -> 'metadata' ->> 'conversation_id'), ''))
 where thread_id is null
   and extra -> 'metadata' ?| array['thread_id', 'session_id', 'conversation_id'];
alter table runs enable trigger runs_notify_update;
