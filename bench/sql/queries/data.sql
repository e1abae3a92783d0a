-- Data set of the query benchmark (bench/queries.sh), written straight into the gateway's schema.
-- psql variables: seed (any integer: the same seed gives the same rows) and traces (20000 per SCALE).
--
-- 10 projects of skewed sizes (the largest holds about a third of the traces). Every trace is 10
-- runs, depth 3 at most, executed one after another:
--   support-agent (chain)
--   ├── vector-search (retriever)
--   ├── agent-step (chain): ChatPromptTemplate (prompt), ChatOpenAI (llm), lookup_ticket (tool), ChatOpenAI (llm)
--   ├── web_search (tool)
--   ├── ChatOpenAI (llm)
--   └── StrOutputParser (parser)
-- 3% of traces fail: the parser (the trace ends there) or the final llm call (the parser never runs),
-- and the root carries the error. Inputs and outputs are 1-2 KB of word salad each, shaped as chat
-- messages, documents, questions and answers; llm runs carry tokens, costs and, when streamed (60%),
-- a first-token time. Every run of a trace carries its tags (channel: web/slack/email, 15% "beta")
-- and metadata (env prod/staging/dev, user_id). A fifth of the roots have feedback under 1-3 keys.
--
-- Randomness is hashing (seed, row number, purpose), never random(): the result does not depend on
-- the order in which PostgreSQL happens to evaluate rows.
\set ON_ERROR_STOP 1
set work_mem = '256MB';
-- Only this connection: a crash would lose a benchmark data set, nothing else.
set synchronous_commit = off;

-- Uniform double in [0, 1) for (n, purpose) under the seed.
create function pg_temp.r(n bigint, purpose int, seed bigint) returns double precision
    language sql immutable parallel safe
    as $$ select (hashint8extended(n * 1000 + purpose, seed) & 281474976710655)::float8 / 281474976710656 $$;

-- A version-4-shaped UUID for (n, kind) under the seed.
create function pg_temp.uid(n bigint, kind int, seed bigint) returns uuid
    language sql immutable parallel safe
    as $$ select (substr(h, 1, 12) || '4' || substr(h, 14, 3) || '8' || substr(h, 18, 15))::uuid
          from (select md5(seed || ':' || kind || ':' || n) as h) as x $$;

-- The gateway's preview: at most 200 characters, the last one an ellipsis when cut.
create function pg_temp.preview(t text) returns text
    language sql immutable parallel safe
    as $$ select case when length(t) > 200 then left(t, 199) || '…' else t end $$;

-- --- text: words -> 8192 sentences -> 16384 paragraphs of 300-700 bytes ------------------------
create temp table word (i int primary key, w text);
insert into word
select n - 1, w
from unnest(string_to_array(
    'account address agent answer api archive audit backup balance batch billing browser budget cache '
    'calendar card cart change channel charge checkout client cluster code config contract coupon credit '
    'customer dashboard data database deadline delivery deploy device discount document domain draft email '
    'endpoint error event export feature feedback file filter form frontend gateway guide history host '
    'import incident index invoice issue job key label language latency license limit link log login '
    'message metric migration mobile model network notification order owner package page password payment '
    'permission pipeline plan policy project prompt query queue quota record refund region release report '
    'request response result retry role schedule schema search server service shift setting shipment '
    'signature snapshot storage subscription summary support table task team template ticket timeout token '
    'trace upload user version warehouse webhook window workflow workspace failed returned expired updated '
    'created deleted blocked retried scheduled reported opened closed merged approved rejected missing slow '
    'new old large small monthly nightly daily weekly internal external primary secondary please check '
    'explain why how what should could would again yesterday today tomorrow last next every only still '
    'already never customer''s team''s the a an of to in for on with from after before during because '
    'while when which that this those these my your our their is was were has have had will can may',
    ' ')) with ordinality as u(w, n);

create temp table sentence (s int primary key, body text);
insert into sentence
select s, upper(left(body, 1)) || substr(body, 2) || case when pg_temp.r(s, 3, :seed) < 1.0 / 6 then '?' else '.' end
from (
    select g.s, string_agg(word.w, ' ' order by j.j) as body
    from generate_series(0, 8191) as g(s)
    cross join lateral generate_series(1, 5 + floor(pg_temp.r(g.s, 1, :seed) * 14)::int) as j(j)
    join word on word.i = floor(pg_temp.r(g.s * 32 + j.j, 2, :seed) * (select count(*) from word))::int
    group by g.s
) as x;

create temp table paragraph (c int primary key, body text);
insert into paragraph
select g.c, string_agg(sentence.body, ' ' order by j.j)
from generate_series(0, 16383) as g(c)
cross join lateral generate_series(1, 4 + floor(pg_temp.r(g.c, 4, :seed) * 6)::int) as j(j)
join sentence on sentence.s = floor(pg_temp.r(g.c * 16 + j.j, 5, :seed) * 8192)::int
group by g.c;
analyze paragraph;

-- --- projects ------------------------------------------------------------------------------------
create temp table project_name (p int primary key, name text, weight float8);
insert into project_name values
    (0, 'support-bot', 0.34), (1, 'docs-qa', 0.17), (2, 'sales-desk', 0.12), (3, 'code-review', 0.09),
    (4, 'onboarding-guide', 0.07), (5, 'billing-helper', 0.06), (6, 'search-summarizer', 0.05),
    (7, 'triage-agent', 0.04), (8, 'email-drafter', 0.03), (9, 'sql-copilot', 0.03);

insert into projects (id, tenant_id, name, description, start_time, extra)
select pg_temp.uid(p, 1, :seed), '00000000-0000-0000-0000-000000000001', name,
       'query benchmark project ' || name, timestamptz '2025-09-30 00:00:00+00',
       jsonb_build_object('metadata', jsonb_build_object('team', 'bench'), 'tags', jsonb_build_array('bench'))
from project_name;

-- --- traces: project, start, tags, metadata, failure ----------------------------------------------
create temp table trace as
select t,
       width_bucket(pg_temp.r(t, 10, :seed),
                    (select array_agg(c order by p) from (select p, sum(weight) over (order by p) as c
                                                          from project_name) as w where p < 9)) as p,
       timestamptz '2025-10-01 00:00:00+00' + (t + pg_temp.r(t, 11, :seed)) * (interval '30 days' / :traces) as t0,
       case when pg_temp.r(t, 12, :seed) < 0.5 then 'web' when pg_temp.r(t, 12, :seed) < 0.8 then 'slack' else 'email' end
           as channel,
       pg_temp.r(t, 13, :seed) < 0.15 as beta,
       case when pg_temp.r(t, 14, :seed) < 0.7 then 'prod' when pg_temp.r(t, 14, :seed) < 0.9 then 'staging' else 'dev' end
           as env,
       'user-' || lpad(floor(pg_temp.r(t, 15, :seed) * 2000)::int::text, 4, '0') as user_id,
       case when pg_temp.r(t, 16, :seed) >= 0.03 then null
            when pg_temp.r(t, 17, :seed) < 0.5 then 8 else 9 end as fail_slot
from generate_series(0, :traces - 1) as g(t);

-- --- runs: shape, times, ids (one row per run, in execution order) --------------------------------
create temp table shape (slot int primary key, parent int, depth int, name text, run_type text);
insert into shape values
    (0, null, 0, 'support-agent', 'chain'), (1, 0, 1, 'vector-search', 'retriever'),
    (2, 0, 1, 'agent-step', 'chain'), (3, 2, 2, 'ChatPromptTemplate', 'prompt'), (4, 2, 2, 'ChatOpenAI', 'llm'),
    (5, 2, 2, 'lookup_ticket', 'tool'), (6, 2, 2, 'ChatOpenAI', 'llm'), (7, 0, 1, 'web_search', 'tool'),
    (8, 0, 1, 'ChatOpenAI', 'llm'), (9, 0, 1, 'StrOutputParser', 'parser');

create temp table skeleton as
with step as (
    select tr.t, s.slot, s.parent, s.depth, s.name, s.run_type, tr.t * 16 + s.slot as n,
           -- Pause before the run starts, and how long a leaf runs (seconds).
           0.0001 + pg_temp.r(tr.t * 16 + s.slot, 20, :seed) * 0.005 as gap,
           case s.run_type
               when 'retriever' then 0.05 + pg_temp.r(tr.t * 16 + s.slot, 21, :seed) * 0.35
               when 'prompt' then 0.0005 + pg_temp.r(tr.t * 16 + s.slot, 21, :seed) * 0.003
               when 'llm' then 0.3 + power(pg_temp.r(tr.t * 16 + s.slot, 21, :seed), 2) * 5
                   + case when pg_temp.r(tr.t * 16 + s.slot, 22, :seed) < 0.02
                          then 5 + pg_temp.r(tr.t * 16 + s.slot, 23, :seed) * 15 else 0 end
               when 'tool' then 0.02 + pg_temp.r(tr.t * 16 + s.slot, 21, :seed) * 1.5
               when 'parser' then 0.001 + pg_temp.r(tr.t * 16 + s.slot, 21, :seed) * 0.01
           end as duration,
           -- The nested chain ends just after its last child.
           case when s.slot = 6 then 0.0001 + pg_temp.r(tr.t * 16 + 2, 24, :seed) * 0.002 else 0 end as closing
    from trace as tr
    cross join shape as s
    where s.slot <> 9 or tr.fail_slot is distinct from 8
),
timed as (
    -- Runs execute one after another: a run starts after everything before it in slot order.
    select step.*,
           coalesce(sum(gap + coalesce(duration, 0) + closing) over (partition by t order by slot
               rows between unbounded preceding and 1 preceding), 0) as before,
           sum(gap + coalesce(duration, 0) + closing) filter (where slot <= 6) over (partition by t) as nested_end,
           sum(gap + coalesce(duration, 0) + closing) over (partition by t) as total
    from step
),
placed as (
    select timed.t, slot, parent, depth, name, run_type, n,
           pg_temp.uid(n, 2, :seed) as id,
           pg_temp.uid(timed.t * 16, 2, :seed) as trace_id,
           case when parent is not null then pg_temp.uid(timed.t * 16 + parent, 2, :seed) end as parent_run_id,
           tr.t0 + (before + gap) * interval '1 s' as start_time,
           tr.t0 + case slot when 0 then total + 0.0002 + pg_temp.r(n, 25, :seed) * 0.002
                             when 2 then nested_end
                             else before + gap + duration end * interval '1 s' as end_time,
           duration,
           tr.p, tr.channel, tr.beta, tr.env, tr.user_id,
           tr.fail_slot is not null and slot in (0, tr.fail_slot) as failed,
           tr.fail_slot
    from timed
    join trace as tr on tr.t = timed.t
)
-- Dotted orders are built from one <start><id> segment per level, root first.
select placed.*, to_char(start_time at time zone 'UTC', 'YYYYMMDD"T"HH24MISSUS"Z"') || id as segment
from placed
-- Stored in execution order, so that runs are written in the order they happened.
order by t, slot;

create index on skeleton (t, slot);
analyze skeleton;

-- --- runs ----------------------------------------------------------------------------------------
insert into runs (tenant_id, id, project_id, trace_id, parent_run_id, dotted_order, name, run_type, status,
                  start_time, end_time, first_token_time, inputs, outputs, error, inputs_preview, outputs_preview,
                  error_preview, extra, events, tags, prompt_tokens, completion_tokens, total_tokens,
                  prompt_token_details, completion_token_details, prompt_cost, completion_cost, total_cost,
                  in_dataset)
select '00000000-0000-0000-0000-000000000001', k.id, pg_temp.uid(k.p, 1, :seed), k.trace_id, k.parent_run_id,
       case k.depth when 0 then k.segment
                    when 1 then root.segment || '.' || k.segment
                    else root.segment || '.' || mid.segment || '.' || k.segment end,
       k.name, k.run_type, case when k.failed then 'error' else 'success' end,
       k.start_time, k.end_time,
       case when k.run_type = 'llm' and not k.failed and pg_temp.r(k.n, 30, :seed) < 0.6
            then k.start_time + least(k.duration * 0.9, 0.08 + pg_temp.r(k.n, 31, :seed) * 0.5) * interval '1 s' end,
       x.inputs, case when not k.failed then x.outputs end, x.error,
       pg_temp.preview(x.in_text), case when not k.failed then pg_temp.preview(x.out_preview_source) end,
       pg_temp.preview(split_part(x.error, E'\n', 1)),
       jsonb_build_object(
           'metadata', jsonb_build_object('env', k.env, 'user_id', k.user_id, 'ls_run_depth', k.depth,
                                          'revision_id', 'v1.4.2')
                       || case when k.run_type = 'llm' then jsonb_build_object(
                              'ls_provider', 'openai', 'ls_model_name', 'gpt-4o-mini', 'ls_model_type', 'chat',
                              'ls_temperature', 0.2) else '{}'::jsonb end,
           'runtime', '{"sdk": "langsmith-py", "sdk_version": "0.3.45", "library": "langsmith",
                        "platform": "Linux-6.1-x86_64", "runtime": "python", "runtime_version": "3.12.3"}'::jsonb),
       case when k.run_type = 'llm' then jsonb_build_array(jsonb_build_object('name', 'start', 'time', k.start_time))
            || case when pg_temp.r(k.n, 30, :seed) < 0.6 and not k.failed then jsonb_build_array(jsonb_build_object(
                   'name', 'new_token', 'time',
                   k.start_time + least(k.duration * 0.9, 0.08 + pg_temp.r(k.n, 31, :seed) * 0.5) * interval '1 s'))
               else '[]'::jsonb end
            || jsonb_build_array(jsonb_build_object('name', case when k.failed then 'error' else 'end' end,
                                                    'time', k.end_time)) end,
       case when k.beta then array[k.channel, 'beta'] else array[k.channel] end,
       x.prompt_tokens, x.completion_tokens, x.prompt_tokens + x.completion_tokens,
       case when x.prompt_tokens is not null then jsonb_build_object('cache_read', x.prompt_tokens / 3) end,
       case when x.completion_tokens is not null then '{"reasoning": 0}'::jsonb end,
       x.prompt_tokens * 0.00000015, x.completion_tokens * 0.0000006,
       x.prompt_tokens * 0.00000015 + x.completion_tokens * 0.0000006,
       false
from skeleton as k
join skeleton as root on root.t = k.t and root.slot = 0
left join skeleton as mid on k.depth = 2 and mid.t = k.t and mid.slot = k.parent
-- Inputs and outputs: three paragraphs each, picked by hash, so no two payloads are alike.
join paragraph as i1 on i1.c = floor(pg_temp.r(k.n, 40, :seed) * 16384)::int
join paragraph as i2 on i2.c = floor(pg_temp.r(k.n, 41, :seed) * 16384)::int
join paragraph as i3 on i3.c = floor(pg_temp.r(k.n, 42, :seed) * 16384)::int
join paragraph as o1 on o1.c = floor(pg_temp.r(k.n, 43, :seed) * 16384)::int
join paragraph as o2 on o2.c = floor(pg_temp.r(k.n, 44, :seed) * 16384)::int
join paragraph as o3 on o3.c = floor(pg_temp.r(k.n, 45, :seed) * 16384)::int
cross join lateral (
    select i1.body || ' ' || i2.body || ' ' || i3.body as ti, o1.body || ' ' || o2.body || ' ' || o3.body as tout
) as t
cross join lateral (
    select t.ti as in_text,
           case k.run_type
               when 'llm' then '{"generations":[[{"text":"' || t.tout
               when 'retriever' then '{"documents":[{"page_content":"' || t.tout
               else t.tout
           end as out_preview_source,
           case k.run_type
               when 'llm' then jsonb_build_object('messages', jsonb_build_array(jsonb_build_array(
                   jsonb_build_object('type', 'system', 'content', 'Answer customer support questions briefly.'),
                   jsonb_build_object('type', 'human', 'content', t.ti))))
               when 'retriever' then jsonb_build_object('query', t.ti)
               when 'chain' then jsonb_build_object('question', t.ti)
               when 'prompt' then jsonb_build_object('question', t.ti)
               else jsonb_build_object('input', t.ti)
           end as inputs,
           case k.run_type
               when 'llm' then jsonb_build_object(
                   'generations', jsonb_build_array(jsonb_build_array(jsonb_build_object(
                       'text', t.tout, 'type', 'ChatGeneration', 'generation_info', '{"finish_reason": "stop"}'::jsonb))),
                   'llm_output', jsonb_build_object('model_name', 'gpt-4o-mini',
                                                    'system_fingerprint', 'fp_' || left(md5(k.id::text), 4)))
               when 'retriever' then jsonb_build_object('documents', jsonb_build_array(
                   jsonb_build_object('page_content', left(t.tout, length(t.tout) / 2), 'type', 'Document',
                                      'metadata', jsonb_build_object('source', 'kb/article-' || (k.n % 9973) || '.md')),
                   jsonb_build_object('page_content', substr(t.tout, length(t.tout) / 2 + 1), 'type', 'Document',
                                      'metadata', jsonb_build_object('source', 'kb/article-' || (k.n % 7919) || '.md'))))
               when 'chain' then jsonb_build_object('answer', t.tout)
               when 'prompt' then jsonb_build_object('messages', jsonb_build_array(
                   jsonb_build_object('type', 'system', 'content', 'Answer customer support questions.'),
                   jsonb_build_object('type', 'human', 'content', t.tout)))
               else jsonb_build_object('output', t.tout)
           end as outputs,
           case when not k.failed then null
                when k.fail_slot = 8 then 'RateLimitError: Error code: 429 - Rate limit reached for gpt-4o-mini in organization org-bench on tokens per min. Please try again in 1.2s.'
                    || E'\nTraceback (most recent call last):\n  File "langchain_openai/chat_models/base.py", line 712, in _generate\n    response = self.client.create(**payload)\nopenai.RateLimitError: Error code: 429'
                else 'OutputParserException: Could not parse LLM output: `' || left(t.tout, 120) || '`'
                    || E'\nTraceback (most recent call last):\n  File "langchain_core/output_parsers/base.py", line 88, in parse_result\n    return self.parse(result[0].text)\nlangchain_core.exceptions.OutputParserException: Could not parse LLM output'
           end as error,
           case when k.run_type = 'llm' and not k.failed then length(t.ti) / 4 + 40 end as prompt_tokens,
           case when k.run_type = 'llm' and not k.failed then length(t.tout) / 4 end as completion_tokens
) as x;

-- --- feedback: a fifth of the roots, 1-3 keys ----------------------------------------------------
insert into feedback (id, tenant_id, run_id, project_id, key, score, value, comment, feedback_source, created_at,
                      modified_at)
select pg_temp.uid(k.t * 4 + f.i, 3, :seed), '00000000-0000-0000-0000-000000000001', k.id,
       pg_temp.uid(k.p, 1, :seed), f.key, f.score, f.value, f.comment, f.source,
       k.end_time + (1 + pg_temp.r(k.t * 4 + f.i, 52, :seed) * 600) * interval '1 s',
       k.end_time + (1 + pg_temp.r(k.t * 4 + f.i, 52, :seed) * 600) * interval '1 s'
from skeleton as k
cross join lateral (
    values (0, 'correctness',
            case when k.failed or pg_temp.r(k.t, 50, :seed) < 0.2 then 0.0 else 1.0 end, null::jsonb, null::text,
            '{"type": "model", "metadata": {"evaluator": "qa-correctness"}}'::jsonb, true),
           (1, 'user_rating', 1 + floor(pg_temp.r(k.t, 51, :seed) * 5), null, null, '{"type": "app"}',
            pg_temp.r(k.t, 53, :seed) < 0.5),
           (2, 'helpfulness', null,
            to_jsonb(case when pg_temp.r(k.t, 54, :seed) < 0.6 then 'helpful'
                          when pg_temp.r(k.t, 54, :seed) < 0.85 then 'partly' else 'not_helpful' end),
            'reviewed by support', '{"type": "api"}', pg_temp.r(k.t, 55, :seed) < 0.35)
) as f(i, key, score, value, comment, source, given)
where k.slot = 0 and f.given and pg_temp.r(k.t, 56, :seed) < 0.2;
