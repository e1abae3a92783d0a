-- wrk script for POST /runs/batch: {"post": [100 runs]} per request, payloads inline.
-- Usage: wrk -s bench/lua/batch.lua http://127.0.0.1:8091/runs/batch -- <seed>
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local runs = dofile(dir .. "runs.lua")

runs.install(function(list)
  local posts = {}
  for i, run in ipairs(list) do
    posts[i] = runs.full(run)
  end
  return '{"post":[' .. table.concat(posts, ",") .. "]}", "application/json"
end)
