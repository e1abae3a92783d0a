-- Shared part of the wrk scripts: builds 100 realistic LangSmith runs per request and counts
-- answers, so that ingest.sh can check afterwards that every accepted run was stored.
--
-- Each request carries 10 traces of 10 runs (a root chain with a retriever, an agent chain with a
-- prompt, llm and tool calls under it, a final llm and a parser), with fresh v4 UUIDs, dotted
-- orders, ISO start times, epoch-millisecond end times, usage_metadata in llm outputs, and 1-2 KB
-- of word salad in every inputs and outputs payload.
--
-- Every run carries extra.metadata.bench_thread / bench_request: with one connection per wrk
-- thread the answer read is always the answer to the request built last, so the runs of accepted
-- requests can be told apart from those of requests still in flight when wrk stopped.

local M = {}

M.RUNS_PER_REQUEST = 100
local RUNS_PER_TRACE = 10

-- Words for the payload text; sentences are random draws, so payloads neither repeat nor
-- compress unrealistically well.
local WORDS = {
  "the", "a", "of", "to", "and", "in", "is", "for", "on", "with", "that", "this", "it", "as",
  "was", "be", "by", "are", "from", "or", "at", "not", "an", "have", "we", "you", "they", "can",
  "will", "if", "when", "which", "their", "there", "about", "after", "before", "between", "into",
  "account", "answer", "api", "archive", "billing", "browser", "cache", "certificate", "change",
  "checkout", "client", "cluster", "column", "config", "connection", "context", "customer",
  "dashboard", "database", "deadline", "deploy", "document", "download", "email", "endpoint",
  "error", "event", "export", "failure", "feature", "field", "file", "filter", "folder", "graph",
  "guide", "header", "history", "import", "incident", "index", "invoice", "issue", "job", "key",
  "latency", "layout", "license", "limit", "log", "login", "message", "metric", "migration",
  "mobile", "model", "network", "notification", "order", "owner", "package", "page", "password",
  "payment", "permission", "pipeline", "plan", "policy", "project", "prompt", "query", "queue",
  "quota", "record", "refund", "region", "release", "report", "request", "response", "result",
  "retry", "role", "schedule", "schema", "search", "server", "service", "shift", "setting",
  "shipment", "signature", "snapshot", "storage", "subscription", "summary", "support", "table",
  "task", "team", "template", "ticket", "timeout", "token", "trace", "upload", "user", "version",
  "warehouse", "webhook", "window", "workflow", "workspace", "failed", "returned", "expired",
  "updated", "created", "deleted", "blocked", "retried", "scheduled", "reported", "opened",
  "closed", "merged", "approved", "rejected", "missing", "slow", "new", "old", "large", "small",
  "monthly", "nightly", "daily", "weekly", "internal", "external", "primary", "secondary",
  "please", "check", "explain", "why", "how", "what", "should", "could", "would", "again",
  "yesterday", "today", "tomorrow", "last", "next", "every", "only", "still", "already", "never",
}

-- The project (session_name) of every run: BENCH_PROJECT, else "bench".
local PROJECT = os.getenv("BENCH_PROJECT") or "bench"

local pool = {}
local random = math.random
local format = string.format
local concat = table.concat

-- Seeds the generator and draws the sentences payloads are made of.
function M.init(seed)
  math.randomseed(seed)
  for i = 1, 1024 do
    local n = random(5, 18)
    local words = {}
    for j = 1, n do
      words[j] = WORDS[random(#WORDS)]
      if j > 3 and j < n and random(8) == 1 then
        words[j] = words[j] .. ","
      end
    end
    words[1] = words[1]:sub(1, 1):upper() .. words[1]:sub(2)
    pool[i] = concat(words, " ") .. (random(6) == 1 and "?" or ".")
  end
end

-- Text of lo..hi bytes (about: it stops at the first sentence past a random target).
local function text(lo, hi)
  local target = random(lo, hi)
  local parts, length = {}, 0
  while length < target do
    local s = pool[random(#pool)]
    parts[#parts + 1] = s
    length = length + #s + 1
  end
  return concat(parts, " ")
end

local function r16()
  return random(0, 0xffff)
end

-- A random (version 4) UUID.
function M.uuid()
  return format("%04x%04x-%04x-%04x-%04x-%04x%04x%04x",
    r16(), r16(), r16(), 0x4000 + random(0, 0x0fff), 0x8000 + random(0, 0x3fff), r16(), r16(), r16())
end

-- Times are integer microseconds since the epoch.
local function iso(us)
  local s = math.floor(us / 1e6)
  return os.date("!%Y-%m-%dT%H:%M:%S", s) .. format(".%06dZ", us - s * 1e6)
end

local function segment(us, id)
  local s = math.floor(us / 1e6)
  return os.date("!%Y%m%dT%H%M%S", s) .. format("%06dZ", us - s * 1e6) .. id
end

local function epoch_ms(us)
  return format("%.0f", math.floor(us / 1000))
end

-- The shape of one trace: parent (index in this list), name, run type.
local SHAPE = {
  { nil, "support-agent", "chain" },
  { 1, "vector-search", "retriever" },
  { 1, "agent-step", "chain" },
  { 3, "ChatPromptTemplate", "prompt" },
  { 3, "ChatOpenAI", "llm" },
  { 3, "web_search", "tool" },
  { 3, "ChatOpenAI", "llm" },
  { 3, "lookup_ticket", "tool" },
  { 1, "ChatOpenAI", "llm" },
  { 1, "StrOutputParser", "parser" },
}

-- Payloads by run type; each inputs and outputs is 1-2 KB of JSON.
local function payloads(run_type)
  if run_type == "llm" then
    local question = text(900, 1850)
    local answer = text(900, 1650)
    local prompt_tokens = math.floor(#question / 4) + 40
    local completion_tokens = math.floor(#answer / 4)
    local inputs = format('{"messages":[[{"type":"system","content":"Answer customer support questions briefly."},'
      .. '{"type":"human","content":"%s"}]]}', question)
    local outputs = format('{"generations":[[{"text":"%s","type":"ChatGeneration","generation_info":{"finish_reason":"stop"}}]],'
      .. '"llm_output":{"model_name":"gpt-4o-mini","system_fingerprint":"fp_%04x"},'
      .. '"usage_metadata":{"input_tokens":%d,"output_tokens":%d,"total_tokens":%d,'
      .. '"input_token_details":{"cache_read":%d},"output_token_details":{"reasoning":0}}}',
      answer, r16(), prompt_tokens, completion_tokens, prompt_tokens + completion_tokens, random(0, prompt_tokens))
    return inputs, outputs
  elseif run_type == "retriever" then
    local inputs = format('{"query":"%s"}', text(1000, 2000))
    local outputs = format('{"documents":[{"page_content":"%s","metadata":{"source":"kb/article-%d.md"},"type":"Document"},'
      .. '{"page_content":"%s","metadata":{"source":"kb/article-%d.md"},"type":"Document"}]}',
      text(400, 850), random(1, 9999), text(400, 850), random(1, 9999))
    return inputs, outputs
  elseif run_type == "chain" then
    return format('{"question":"%s"}', text(1000, 2000)), format('{"answer":"%s"}', text(1000, 2000))
  elseif run_type == "prompt" then
    return format('{"question":"%s"}', text(1000, 2000)),
      format('{"messages":[{"type":"system","content":"Answer customer support questions."},{"type":"human","content":"%s"}]}',
        text(950, 1900))
  else -- tool, parser
    return format('{"input":"%s"}', text(1000, 2000)), format('{"output":"%s"}', text(1000, 2000))
  end
end

-- The runs of one request: a list of {id, head, inputs, outputs, events, ...}, where head is the
-- run's JSON object without inputs/outputs/events and without its closing brace.
function M.build(tid, seq)
  local now_us = os.time() * 1e6 + random(0, 999999)
  local list = {}
  for t = 1, M.RUNS_PER_REQUEST / RUNS_PER_TRACE do
    local ids, starts, ends, dotted = {}, {}, {}, {}
    -- Children run one after another; a chain ends just after its last child.
    local cursor = now_us - random(0, 30e6)
    for i, shape in ipairs(SHAPE) do
      ids[i] = M.uuid()
      cursor = cursor + random(100, 5000)
      starts[i] = cursor
      if i ~= 1 and i ~= 3 then
        cursor = cursor + random(20e3, 1500e3)
        ends[i] = cursor
      end
      if i == 8 then
        ends[3] = cursor + random(100, 2000)
        cursor = ends[3]
      end
      dotted[i] = (shape[1] and (dotted[shape[1]] .. ".") or "") .. segment(starts[i], ids[i])
    end
    ends[1] = cursor + random(100, 2000)
    for i, shape in ipairs(SHAPE) do
      local parent, name, run_type = shape[1], shape[2], shape[3]
      local inputs, outputs = payloads(run_type)
      local model = run_type == "llm"
        and ',"ls_provider":"openai","ls_model_name":"gpt-4o-mini","ls_model_type":"chat","ls_temperature":0.2' or ""
      local head = format('{"id":"%s","trace_id":"%s",%s"dotted_order":"%s","name":"%s","run_type":"%s",'
        .. '"start_time":"%s","end_time":%s,"session_name":"%s",'
        .. '"extra":{"metadata":{"bench_thread":%d,"bench_request":%d,"ls_run_depth":%d,"revision_id":"v1.4.2"%s},'
        .. '"runtime":{"sdk":"langsmith-py","sdk_version":"0.3.45","library":"langsmith","platform":"Linux-6.1-x86_64",'
        .. '"runtime":"python","runtime_version":"3.12.3"}}',
        ids[i], ids[1], parent and format('"parent_run_id":"%s",', ids[parent]) or "", dotted[i], name, run_type,
        iso(starts[i]), epoch_ms(ends[i]), PROJECT, tid, seq, select(2, dotted[i]:gsub("%.", "")), model)
      local events = nil
      if run_type == "llm" then
        events = format('[{"name":"start","time":"%s"},{"name":"end","time":"%s"}]', iso(starts[i]), iso(ends[i]))
      end
      list[#list + 1] = {
        id = ids[i], head = head, inputs = inputs, outputs = outputs, events = events,
        -- The same run field by field, for encodings other than LangSmith JSON (otlp.lua).
        trace_id = ids[1], parent_id = parent and ids[parent], name = name, run_type = run_type,
        start_us = starts[i], end_us = ends[i], thread = tid, request = seq,
      }
    end
  end
  return list
end

-- The run as one JSON object, payloads inline.
function M.full(run)
  return run.head .. ',"inputs":' .. run.inputs .. ',"outputs":' .. run.outputs
    .. (run.events and (',"events":' .. run.events) or "") .. "}"
end

-- Installs the wrk hooks. build_body(runs) returns the request body and its content type.
-- Script arguments (after --): seed, then whatever the calling script reads itself.
function M.install(build_body)
  local threads = {}
  local next_tid = 0

  -- Runs in wrk's main scripting environment, once per thread, before it starts.
  function setup(thread)
    next_tid = next_tid + 1
    thread:set("tid", next_tid)
    threads[#threads + 1] = thread
  end

  function init(args)
    seed = tonumber(args[1]) or os.time()
    M.init(seed + (tid or 0) * 1000003)
    seq, ok, bad, sent_bytes = 0, 0, 0, 0
    pending = false
    unanswered = ""
    first_error = ""
  end

  function request()
    if seed == nil then
      -- wrk builds one request in its main environment to check the script; init() never ran there.
      init({})
    end
    if pending then
      -- The previous request got no answer (connection error): its runs may or may not be stored.
      unanswered = unanswered .. format("%d:%d,", tid or 0, seq)
    end
    seq = seq + 1
    pending = true
    local body, content_type = build_body(M.build(tid or 0, seq))
    sent_bytes = sent_bytes + #body
    local headers = { ["Content-Type"] = content_type }
    local key = os.getenv("BENCH_API_KEY")
    if key and key ~= "" then
      headers["x-api-key"] = key
    end
    return wrk.format("POST", nil, headers, body)
  end

  function response(status, headers, body)
    pending = false
    if status >= 200 and status < 300 then
      ok = ok + 1
    else
      bad = bad + 1
      if first_error == "" then
        first_error = format("HTTP %d %s", status, (body or ""):sub(1, 300):gsub("%s+", " "))
      end
    end
  end

  -- One machine-readable line for ingest.sh, after wrk's own report.
  function done(summary, latency, requests)
    local accepted, rejected, built, bytes = 0, 0, 0, 0
    local lost, error_text = "", ""
    for _, thread in ipairs(threads) do
      accepted = accepted + thread:get("ok")
      rejected = rejected + thread:get("bad")
      built = built + thread:get("seq")
      bytes = bytes + thread:get("sent_bytes")
      lost = lost .. thread:get("unanswered")
      if thread:get("pending") then
        lost = lost .. format("%d:%d,", thread:get("tid"), thread:get("seq"))
      end
      if error_text == "" then
        error_text = thread:get("first_error")
      end
    end
    local e = summary.errors
    io.write(format("BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d accepted=%d non2xx=%d built=%d"
      .. " body_bytes=%d socket_errors=%d unanswered=%s first_error=%s\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), accepted, rejected,
      built, bytes, e.connect + e.read + e.write + e.timeout, lost == "" and "-" or lost:sub(1, -2),
      error_text == "" and "-" or error_text:gsub(" ", "_")))
  end
end

return M
