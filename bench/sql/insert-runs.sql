-- One pgbench transaction: 100 runs in one multi-row INSERT, the database's own limit for what
-- POST /runs/batch writes. Same table, same columns as the gateway fills, same trace shape as
-- bench/lua/runs.lua (10 traces of 10 runs: chain root, retriever, agent chain with prompt, llm and
-- tool calls, final llm, parser), payloads of 1-2 KB from bench_text, usage on llm runs.
-- A plain INSERT: the gateway does INSERT ... ON CONFLICT DO UPDATE (an upsert, so that a run sent
-- twice is merged), one execution per run in a pipelined batch, plus its project and patch look-ups.
with shape (p, parent, name, run_type) as (
    values (0, null::int, 'support-agent', 'chain'), (1, 0, 'vector-search', 'retriever'),
           (2, 0, 'agent-step', 'chain'), (3, 2, 'ChatPromptTemplate', 'prompt'), (4, 2, 'ChatOpenAI', 'llm'),
           (5, 2, 'web_search', 'tool'), (6, 2, 'ChatOpenAI', 'llm'), (7, 2, 'lookup_ticket', 'tool'),
           (8, 0, 'ChatOpenAI', 'llm'), (9, 0, 'StrOutputParser', 'parser')
),
r as (
    -- Volatile functions make this materialised once: every reference below sees the same ids.
    select g / 10 as t, s.p, s.parent, s.name, s.run_type, gen_random_uuid() as id,
           clock_timestamp() - interval '30 s' + s.p * interval '150 ms' as start_time,
           (20 + random() * 1500) * interval '1 ms' as duration,
           1 + floor(random() * 1000)::int as text_in, 1 + floor(random() * 1000)::int as text_out
    from generate_series(0, 99) as g
    join shape as s on s.p = g % 10
),
seg as (
    select r.*, to_char(start_time at time zone 'UTC', 'YYYYMMDD"T"HH24MISSUS"Z"') || id as seg from r
)
insert into runs (tenant_id, id, project_id, trace_id, parent_run_id, dotted_order, name, run_type, status,
                  start_time, end_time, inputs, outputs, inputs_preview, outputs_preview, extra, events, tags,
                  prompt_tokens, completion_tokens, total_tokens, prompt_token_details, completion_token_details,
                  in_dataset)
select '00000000-0000-0000-0000-000000000001', c.id, '00000000-0000-0000-0000-00000000b001', root.id,
       case c.parent when 0 then root.id when 2 then agent.id end,
       case c.parent when 0 then root.seg || '.' || c.seg when 2 then root.seg || '.' || agent.seg || '.' || c.seg
                     else c.seg end,
       c.name, c.run_type, 'success', c.start_time, c.start_time + c.duration,
       case c.run_type
           when 'llm' then jsonb_build_object('messages', jsonb_build_array(jsonb_build_array(
               jsonb_build_object('type', 'system', 'content', 'Answer customer support questions briefly.'),
               jsonb_build_object('type', 'human', 'content', ti.body))))
           when 'retriever' then jsonb_build_object('query', ti.body)
           when 'chain' then jsonb_build_object('question', ti.body)
           when 'prompt' then jsonb_build_object('question', ti.body)
           else jsonb_build_object('input', ti.body)
       end,
       case c.run_type
           when 'llm' then jsonb_build_object(
               'generations', jsonb_build_array(jsonb_build_array(jsonb_build_object(
                   'text', tout.body, 'type', 'ChatGeneration', 'generation_info', '{"finish_reason": "stop"}'::jsonb))),
               'llm_output', '{"model_name": "gpt-4o-mini", "system_fingerprint": "fp_3c0f"}'::jsonb,
               'usage_metadata', jsonb_build_object(
                   'input_tokens', length(ti.body) / 4 + 40, 'output_tokens', length(tout.body) / 4,
                   'total_tokens', length(ti.body) / 4 + 40 + length(tout.body) / 4,
                   'input_token_details', jsonb_build_object('cache_read', length(ti.body) / 8),
                   'output_token_details', '{"reasoning": 0}'::jsonb))
           when 'retriever' then jsonb_build_object('documents', jsonb_build_array(
               jsonb_build_object('page_content', left(tout.body, length(tout.body) / 2), 'type', 'Document',
                                  'metadata', jsonb_build_object('source', 'kb/article-' || c.text_in || '.md')),
               jsonb_build_object('page_content', substr(tout.body, length(tout.body) / 2 + 1), 'type', 'Document',
                                  'metadata', jsonb_build_object('source', 'kb/article-' || c.text_out || '.md'))))
           when 'chain' then jsonb_build_object('answer', tout.body)
           when 'prompt' then jsonb_build_object('messages', jsonb_build_array(
               jsonb_build_object('type', 'system', 'content', 'Answer customer support questions.'),
               jsonb_build_object('type', 'human', 'content', tout.body)))
           else jsonb_build_object('output', tout.body)
       end,
       -- Previews as the gateway derives them: the first 200 characters of the main text.
       left(ti.body, 199) || '…', left(tout.body, 199) || '…',
       jsonb_build_object(
           'metadata', jsonb_build_object('bench_thread', :client_id::int, 'bench_request', 0,
                                          'ls_run_depth', case c.parent when 0 then 1 when 2 then 2 else 0 end,
                                          'revision_id', 'v1.4.2')
                       || case when c.run_type = 'llm' then '{"ls_provider": "openai", "ls_model_name": "gpt-4o-mini",
                              "ls_model_type": "chat", "ls_temperature": 0.2}'::jsonb else '{}'::jsonb end,
           'runtime', '{"sdk": "langsmith-py", "sdk_version": "0.3.45", "library": "langsmith",
                        "platform": "Linux-6.1-x86_64", "runtime": "python", "runtime_version": "3.12.3"}'::jsonb),
       case when c.run_type = 'llm' then jsonb_build_array(
           jsonb_build_object('name', 'start', 'time', c.start_time),
           jsonb_build_object('name', 'end', 'time', c.start_time + c.duration)) end,
       '{}',
       case when c.run_type = 'llm' then length(ti.body) / 4 + 40 end,
       case when c.run_type = 'llm' then length(tout.body) / 4 end,
       case when c.run_type = 'llm' then length(ti.body) / 4 + 40 + length(tout.body) / 4 end,
       case when c.run_type = 'llm' then jsonb_build_object('cache_read', length(ti.body) / 8) end,
       case when c.run_type = 'llm' then '{"reasoning": 0}'::jsonb end,
       false
from seg as c
join seg as root on root.t = c.t and root.p = 0
left join seg as agent on agent.t = c.t and agent.p = 2
join bench_text as ti on ti.id = c.text_in
join bench_text as tout on tout.id = c.text_out;
