// Traces a small nested run tree into a LangSmith-compatible endpoint with the
// official `langsmith` JS SDK (pinned in package.json), then leaves feedback on
// the root run.
//
//   answer_question (chain, root; metadata.smoke_id, tag "smoke")
//   ├── call_model  (llm gpt-4o-mini; outputs carry usage_metadata 120/30/150,
//   │                20 of the input tokens read from the cache; the SDK sends no costs)
//   └── lookup_tool (tool; throws "tool exploded", caught by the root)
//
// Env: LANGSMITH_ENDPOINT, LANGSMITH_API_KEY, LANGSMITH_TRACING=true,
// LANGSMITH_PROJECT, TRACE_SMOKE_ID; TRACE_SMOKE_READ=1 also reads back.
// Prints {"rootRunId","traceId","project","rateLimited"} as one JSON line and exits 0;
// exits 1 if tracing or an upload failed (or after TRACE_SMOKE_TIMEOUT_MS,
// default 60000), 2 if the read-back failed or timed out.
import { Client } from "langsmith";
import { traceable } from "langsmith/traceable";
import { getCurrentRunTree } from "langsmith/singletons/traceable";

const env = process.env;
for (const name of ["LANGSMITH_ENDPOINT", "LANGSMITH_API_KEY", "TRACE_SMOKE_ID"]) {
  if (!env[name]) {
    console.error(`trace-smoke: ${name} must be set`);
    process.exit(1);
  }
}
const project = env.LANGSMITH_PROJECT || "default";
const smokeId = env.TRACE_SMOKE_ID;

// The SDK retries unreachable servers for over a minute; give up sooner.
const timeoutMs = Number(env.TRACE_SMOKE_TIMEOUT_MS || 60000);
setTimeout(() => {
  console.error(`trace-smoke: timed out after ${timeoutMs} ms`);
  process.exit(result ? 2 : 1);
}, timeoutMs).unref();

// The SDK logs failed uploads instead of throwing, so record them here. A 429 is
// not a failure: the SDK retries it (counted in rateLimited).
const failures = [];
let uploads = 0;
let rateLimited = 0;
const recordingFetch = async (url, init) => {
  try {
    const res = await fetch(url, init);
    if (res.status === 429) rateLimited++;
    else if (!res.ok) failures.push(`${init?.method ?? "GET"} ${url} -> ${res.status}`);
    else if (/\/runs(\/multipart|\/batch)?$/.test(new URL(url).pathname)) uploads++;
    return res;
  } catch (e) {
    failures.push(`${init?.method ?? "GET"} ${url} -> ${e}`);
    throw e;
  }
};

const client = new Client({
  apiUrl: env.LANGSMITH_ENDPOINT,
  apiKey: env.LANGSMITH_API_KEY,
  fetchImplementation: recordingFetch,
});

const callModel = traceable(
  async (question) => ({
    choices: [{ index: 0, finish_reason: "stop",
      message: { role: "assistant", content: `42 is the answer to: ${question}` } }],
    usage_metadata: { input_tokens: 120, output_tokens: 30, total_tokens: 150,
      input_token_details: { cache_read: 20 } },
  }),
  { name: "call_model", run_type: "llm", client, metadata: { ls_provider: "openai", ls_model_name: "gpt-4o-mini" } },
);

const lookupTool = traceable(
  async (_query) => {
    throw new Error("tool exploded");
  },
  { name: "lookup_tool", run_type: "tool", client },
);

let rootRun;
const answerQuestion = traceable(
  async (question) => {
    rootRun = getCurrentRunTree();
    const completion = await callModel(question);
    let toolError = null;
    try {
      await lookupTool(question);
    } catch (e) {
      toolError = e.message;
    }
    return { answer: completion.choices[0].message.content, tool_error: toolError };
  },
  { name: "answer_question", run_type: "chain", client, tags: ["smoke"], metadata: { smoke_id: smokeId } },
);

function checkUploads() {
  if (failures.length) throw new Error(`upload failed: ${[...new Set(failures)].join("; ")}`);
  if (!uploads) throw new Error("no runs were uploaded; is LANGSMITH_TRACING=true?");
}

async function trace() {
  await answerQuestion("What is the answer?");
  // Runs first, then feedback, so the server sees them in that order.
  await client.awaitPendingTraceBatches();
  checkUploads();
  await client.createFeedback(rootRun.id, "correctness", { score: 1, comment: "right" });
  await client.awaitPendingTraceBatches();
  checkUploads();
  return { rootRunId: rootRun.id, traceId: rootRun.trace_id, project, rateLimited };
}

async function readBack(rootRunId) {
  const run = await client.readRun(rootRunId);
  const roots = [];
  for await (const r of client.listRuns({ projectName: project, filter: "eq(is_root, true)" })) roots.push(r);
  const feedback = [];
  for await (const f of client.listFeedback({ runIds: [rootRunId] })) feedback.push(f);
  return { run, roots, feedback };
}

let result;
try {
  result = await trace();
  console.log(JSON.stringify(result));
} catch (e) {
  console.error(e?.stack ?? String(e));
  process.exit(1);
}
if (env.TRACE_SMOKE_READ === "1") {
  try {
    console.log(JSON.stringify(await readBack(result.rootRunId)));
  } catch (e) {
    console.error(e?.stack ?? String(e));
    process.exit(2);
  }
}
process.exit(0);
