-- wrk script for POST /graphql: sends one GraphQL request body over and over, or one per id of a
-- list, and counts answers that are not 200 or carry GraphQL errors.
-- Usage: wrk -s bench/lua/graphql.lua http://127.0.0.1:8092/graphql -- <body file> [<id file>]
--   BENCH_PLAN=general asks the gateway for its general path (header X-Tracegql-Plan: general); each
--   answer's X-Tracegql-Plan header, the path that answered it, is counted.
--   body file: the JSON request ({"query": ..., "variables": ...});
--   id file: one id a line; each request puts the next id in place of the body's @ID@ (threads
--   start at different places in the list, so that connections do not ask for the same id at once).
local format = string.format

local threads = {}
local next_tid = 0

-- Runs in wrk's main scripting environment, once per thread, before it starts.
function setup(thread)
  next_tid = next_tid + 1
  thread:set("tid", next_tid)
  threads[#threads + 1] = thread
end

local function read(path)
  local file = assert(io.open(path, "rb"))
  local text = file:read("*a")
  file:close()
  return text
end

local headers, fixed, prefix, suffix, ids, position

function init(args)
  headers = { ["Content-Type"] = "application/json" }
  local key = os.getenv("BENCH_API_KEY")
  if key and key ~= "" then
    headers["x-api-key"] = key
  end
  if os.getenv("BENCH_PLAN") == "general" then
    headers["X-Tracegql-Plan"] = "general"
  end
  local body = read(args[1])
  if args[2] then
    ids = {}
    for line in io.lines(args[2]) do
      if line ~= "" then
        ids[#ids + 1] = line
      end
    end
    assert(#ids > 0, "the id file is empty")
    prefix, suffix = body:match("^(.-)@ID@(.*)$")
    assert(prefix, "the body has no @ID@")
    position = ((tid - 1) * 997) % #ids
  else
    fixed = wrk.format("POST", nil, headers, body)
  end
  ok, bad, first_error, compiled = 0, 0, "", 0
end

function request()
  if headers == nil then
    -- wrk builds one request in its main environment to check the script; init() never ran there.
    return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, "{}")
  end
  if ids then
    position = position % #ids + 1
    return wrk.format("POST", nil, headers, prefix .. ids[position] .. suffix)
  end
  return fixed
end

function response(status, response_headers, body)
  local plan = response_headers["X-Tracegql-Plan"] or response_headers["x-tracegql-plan"]
  if plan == "compiled" then
    compiled = compiled + 1
  end
  -- GraphQL reports failures in a 200 answer. No payload of the data set has an "errors" key.
  if status == 200 and not body:find('"errors":[', 1, true) then
    ok = ok + 1
  else
    bad = bad + 1
    if first_error == "" then
      first_error = format("HTTP %d %s", status, (body or ""):sub(1, 300):gsub("%s+", " "))
    end
  end
end

-- One machine-readable line for queries.sh, after wrk's own report.
function done(summary, latency, _)
  local good, failed, error_text, answered_compiled = 0, 0, "", 0
  for _, thread in ipairs(threads) do
    good = good + thread:get("ok")
    failed = failed + thread:get("bad")
    answered_compiled = answered_compiled + thread:get("compiled")
    if error_text == "" then
      error_text = thread:get("first_error")
    end
  end
  local e = summary.errors
  io.write(format("BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d mean_us=%.0f ok=%d failed=%d"
    .. " socket_errors=%d compiled=%d first_error=%s\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.mean, good, failed,
    e.connect + e.read + e.write + e.timeout, answered_compiled,
    error_text == "" and "-" or error_text:gsub(" ", "_")))
end
