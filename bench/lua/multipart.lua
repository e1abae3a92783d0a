-- wrk script for POST /runs/multipart: the same 100 runs per request as multipart/form-data parts,
-- each with "Content-Type: application/json; length=N" as LangSmith SDKs send them.
--   split  (what the SDKs do): post.<id> without payloads, then post.<id>.inputs, .outputs, .events
--   inline: one post.<id> part per run with everything in it
-- Usage: wrk -s bench/lua/multipart.lua http://127.0.0.1:8091/runs/multipart -- <seed> split|inline
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local runs = dofile(dir .. "runs.lua")

local BOUNDARY = "----tracegql-bench-boundary-7d1f0c"

local function part(parts, name, json)
  parts[#parts + 1] = "--" .. BOUNDARY .. "\r\nContent-Disposition: form-data; name=\"" .. name
    .. "\"\r\nContent-Type: application/json; length=" .. #json .. "\r\n\r\n" .. json .. "\r\n"
end

local split = true

runs.install(function(list)
  local parts = {}
  for _, run in ipairs(list) do
    local name = "post." .. run.id
    if split then
      part(parts, name, run.head .. "}")
      part(parts, name .. ".inputs", run.inputs)
      part(parts, name .. ".outputs", run.outputs)
      if run.events then
        part(parts, name .. ".events", run.events)
      end
    else
      part(parts, name, runs.full(run))
    end
  end
  parts[#parts + 1] = "--" .. BOUNDARY .. "--\r\n"
  return table.concat(parts), "multipart/form-data; boundary=" .. BOUNDARY
end)

-- The mode comes after the seed; runs.install's init() reads the seed.
local init_runs = init
function init(args)
  split = args[2] ~= "inline"
  init_runs(args)
end
