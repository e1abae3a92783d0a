// Traces a two-turn conversation with the official `langsmith` JS SDK (pinned in
// package.json), then reads it back through the SDK's v2 resources and the v1
// calls that go with them:
//
//   chat_turn (chain, root; metadata.thread_id = CONVERSATION_THREAD_ID)  x 2 turns
//   └── call_model (llm gpt-4o-mini, openai; usage_metadata 1000 in / 500 out
//                   on turn 1, 2000 in / 1000 out on turn 2; no costs sent)
//
// Read back: client.runs.query (llm runs, page_size 1 so that the SDK follows
// next_cursor, with cost selects), client.threads.query, client.threads.stats,
// client.threads.listTraces (page_size 1), client.traces.query (with the
// whole trace's totals),
// client.getRunStats, client.listGroupRuns, and the share round trip
// (runs.share.create, runs.retrieve with SHARE_URL, readRunSharedLink,
// runs.share.delete).
//
// Env: LANGSMITH_ENDPOINT, LANGSMITH_API_KEY, LANGSMITH_TRACING=true,
// LANGSMITH_PROJECT, CONVERSATION_THREAD_ID. Prints one JSON line with what
// it read and exits 0; 1 if tracing failed, 2 if a read failed (or after
// CONVERSATION_TIMEOUT_MS, default 60000).
import { Client } from "langsmith";
import { traceable } from "langsmith/traceable";
import { getCurrentRunTree } from "langsmith/singletons/traceable";

const env = process.env;
for (const name of ["LANGSMITH_ENDPOINT", "LANGSMITH_API_KEY", "LANGSMITH_PROJECT", "CONVERSATION_THREAD_ID"]) {
  if (!env[name]) {
    console.error(`conversation: ${name} must be set`);
    process.exit(1);
  }
}
const project = env.LANGSMITH_PROJECT;
const threadId = env.CONVERSATION_THREAD_ID;

let traced = false;
const timeoutMs = Number(env.CONVERSATION_TIMEOUT_MS || 60000);
setTimeout(() => {
  console.error(`conversation: timed out after ${timeoutMs} ms`);
  process.exit(traced ? 2 : 1);
}, timeoutMs).unref();

// The SDK logs failed uploads instead of throwing, so record them here.
const failures = [];
const recordingFetch = async (url, init) => {
  const res = await fetch(url, init);
  if (!res.ok && !/\/info$/.test(new URL(url).pathname)) {
    failures.push(`${init?.method ?? "GET"} ${url} -> ${res.status}`);
  }
  return res;
};

const client = new Client({
  apiUrl: env.LANGSMITH_ENDPOINT,
  apiKey: env.LANGSMITH_API_KEY,
  fetchImplementation: recordingFetch,
});

const callModel = traceable(
  async (question, inputTokens, outputTokens) => ({
    choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: `answer to ${question}` } }],
    usage_metadata: { input_tokens: inputTokens, output_tokens: outputTokens, total_tokens: inputTokens + outputTokens },
  }),
  { name: "call_model", run_type: "llm", client, metadata: { ls_provider: "openai", ls_model_name: "gpt-4o-mini" } },
);

const roots = [];
const chatTurn = traceable(
  async (question, inputTokens, outputTokens) => {
    roots.push(getCurrentRunTree());
    const completion = await callModel(question, inputTokens, outputTokens);
    return { answer: completion.choices[0].message.content };
  },
  { name: "chat_turn", run_type: "chain", client, metadata: { thread_id: threadId } },
);

async function trace() {
  await chatTurn("first question", 1000, 500);
  await chatTurn("second question", 2000, 1000);
  await client.awaitPendingTraceBatches();
  if (failures.length) throw new Error(`upload failed: ${failures.join("; ")}`);
}

async function readBack() {
  const projectId = (await client.readProject({ projectName: project })).id;
  const llmRuns = [];
  for await (const run of client.runs.query({
    project_ids: [projectId],
    filter: 'eq(run_type, "llm")',
    page_size: 1,
    selects: ["NAME", "RUN_TYPE", "THREAD_ID", "PROMPT_TOKENS", "COMPLETION_TOKENS", "TOTAL_TOKENS",
      "PROMPT_COST", "COMPLETION_COST", "TOTAL_COST", "PARENT_RUN_IDS"],
  })) {
    llmRuns.push(run);
  }
  const threads = [];
  for await (const thread of client.threads.query({ project_id: projectId })) threads.push(thread);
  const threadStats = await client.threads.stats(threadId, {
    session_id: projectId,
    selects: ["TURNS", "PROMPT_TOKENS", "COMPLETION_TOKENS", "TOTAL_COST"],
  });
  const traces = [];
  for await (const trace of client.threads.listTraces(threadId, {
    project_id: projectId,
    page_size: 1,
    selects: ["NAME", "INPUTS_PREVIEW"],
  })) {
    traces.push(trace);
  }
  const projectTraces = [];
  for await (const trace of client.traces.query({
    project_id: projectId,
    page_size: 1,
    selects: ["NAME", "TOTAL_TOKENS", "TOTAL_COST"],
  })) {
    projectTraces.push(trace);
  }
  const runStats = await client.getRunStats({ projectIds: [projectId], filter: 'eq(run_type, "llm")' });
  const groups = [];
  for await (const group of client.listGroupRuns({ projectId, groupBy: "conversation" })) groups.push(group);

  const root = roots[0];
  const share = await client.runs.share.create(root.id, { session_id: projectId, trace_id: root.trace_id });
  const sharedRun = await client.runs.retrieve(root.id, { project_id: projectId, selects: ["NAME", "SHARE_URL"] });
  const v1Link = await client.readRunSharedLink(root.id);
  await client.runs.share.delete(root.id, { session_id: projectId });
  const unsharedRun = await client.runs.retrieve(root.id, { project_id: projectId, selects: ["SHARE_URL"] });
  if (failures.length) throw new Error(`a read failed: ${failures.join("; ")}`);
  return {
    projectId,
    rootIds: roots.map((r) => r.id),
    llmRuns,
    threads,
    threadStats,
    traces,
    projectTraces,
    runStats,
    groups,
    share,
    sharedRun,
    v1Link,
    unsharedRun,
  };
}

try {
  await trace();
  traced = true;
} catch (e) {
  console.error(e?.stack ?? String(e));
  process.exit(1);
}
try {
  console.log(JSON.stringify(await readBack()));
} catch (e) {
  console.error(e?.stack ?? String(e));
  process.exit(2);
}
process.exit(0);
