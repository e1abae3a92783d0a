-- wrk script for POST /v1/traces in OTLP protobuf: the 100 runs of runs.lua as the spans of one
-- ExportTraceServiceRequest (one resource, one scope), as an OpenTelemetry exporter sends them.
-- Usage: wrk -s bench/lua/otlp.lua http://127.0.0.1:8091/v1/traces -- <seed>
--
-- wrk has no protobuf library: the few message fields used are encoded here by their field numbers
-- in opentelemetry-proto (collector/trace/v1, trace/v1, common/v1, resource/v1). Each span carries
-- the run's kind (langsmith.span.kind), its payloads (input.value, output.value, with the llm's
-- usage_metadata, from which tokens are read as for /runs/batch), the model of llm runs, and
-- bench_thread / bench_request, which the gateway keeps in the run's metadata for the lost-runs check.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local runs = dofile(dir .. "runs.lua")

local char, concat, floor = string.char, table.concat, math.floor

local function varint(n)
  local out = {}
  repeat
    local byte = n % 128
    n = floor(n / 128)
    out[#out + 1] = char(n > 0 and byte + 128 or byte)
  until n == 0
  return concat(out)
end

-- A length-delimited field (wire type 2): bytes, strings and embedded messages.
local function bytes(field, value)
  return varint(field * 8 + 2) .. varint(#value) .. value
end

local function int32le(n)
  return char(n % 256, floor(n / 256) % 256, floor(n / 65536) % 256, floor(n / 16777216) % 256)
end

-- A fixed64 field (wire type 1) of microseconds * 1000, exact although doubles hold 53 bits: the
-- product is built from 32-bit halves.
local function nanos(field, us)
  local high, low = floor(us / 4294967296), us % 4294967296
  local low_ns = low * 1000
  local carry = floor(low_ns / 4294967296)
  return varint(field * 8 + 1) .. int32le(low_ns % 4294967296) .. int32le(high * 1000 + carry)
end

local function hex(text)
  return (text:gsub("%-", ""):gsub("%x%x", function(pair) return char(tonumber(pair, 16)) end))
end

local function string_attribute(key, value)
  return bytes(9, bytes(1, key) .. bytes(2, bytes(1, value)))
end

local function int_attribute(key, value)
  return bytes(9, bytes(1, key) .. bytes(2, varint(3 * 8) .. varint(value)))
end

local function span(run)
  local parts = {
    bytes(1, hex(run.trace_id)),
    bytes(2, hex(run.id):sub(1, 8)),
    run.parent_id and bytes(4, hex(run.parent_id):sub(1, 8)) or "",
    bytes(5, run.name),
    varint(6 * 8) .. varint(run.run_type == "llm" and 3 or 1),
    nanos(7, run.start_us),
    nanos(8, run.end_us),
    string_attribute("langsmith.span.kind", run.run_type),
    string_attribute("input.value", run.inputs),
    string_attribute("output.value", run.outputs),
    int_attribute("bench_thread", run.thread),
    int_attribute("bench_request", run.request),
  }
  if run.run_type == "llm" then
    parts[#parts + 1] = string_attribute("gen_ai.request.model", "gpt-4o-mini")
    parts[#parts + 1] = string_attribute("gen_ai.provider.name", "openai")
    parts[#parts + 1] = bytes(15, varint(3 * 8) .. varint(1)) -- status OK
  end
  return bytes(2, concat(parts))
end

runs.install(function(list)
  local spans = {}
  for i, run in ipairs(list) do
    spans[i] = span(run)
  end
  -- Resource.attributes is field 1 (string_attribute writes field 9, that of Span.attributes).
  local resource = bytes(1, bytes(1, "service.name") .. bytes(2, bytes(1, "bench")))
  local scope = bytes(1, bytes(1, "bench") .. bytes(2, "1.0"))
  local resource_spans = bytes(1, resource) .. bytes(2, scope .. concat(spans))
  return bytes(1, resource_spans), "application/x-protobuf"
end)
