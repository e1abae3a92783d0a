// Subscription throughput: SUBSCRIBERS WebSocket clients (graphql-transport-ws) subscribe to
// runCreated on one project while batches of runs are posted to /runs/batch; every event is
// counted per subscriber and timed from the start of the request that wrote it.
// Run by bench/live.sh (node --experimental-websocket bench/live/live.mjs); prints one JSON line.
//
// Settings (environment): URL, KEY, SUBSCRIBERS (10), BATCHES (200), BATCH_SIZE (100),
// CONCURRENCY (4), PROJECT (live-bench).
const URL_BASE = process.env.URL ?? 'http://127.0.0.1:8093';
const KEY = process.env.KEY;
const SUBSCRIBERS = Number(process.env.SUBSCRIBERS ?? 10);
const BATCHES = Number(process.env.BATCHES ?? 200);
const BATCH_SIZE = Number(process.env.BATCH_SIZE ?? 100);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 4);
const PROJECT = process.env.PROJECT ?? 'live-bench';
const PAYLOAD = 'x'.repeat(1500); // about the size of a chat message

const headers = { 'content-type': 'application/json', 'x-api-key': KEY };

function run(name, when) {
  const id = crypto.randomUUID();
  const stamp = when.toISOString().replace(/[-:]/g, '').replace('.', '').replace('Z', '000Z');
  return {
    id, trace_id: id, dotted_order: stamp + id, name, run_type: 'chain', session_name: PROJECT,
    start_time: when.toISOString(), inputs: { question: PAYLOAD }, outputs: { answer: PAYLOAD },
  };
}

async function post(runs) {
  const response = await fetch(`${URL_BASE}/runs/batch`, {
    method: 'POST', headers, body: JSON.stringify({ post: runs }),
  });
  if (response.status !== 202) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
}

async function graphql(query, variables) {
  const response = await fetch(`${URL_BASE}/graphql`, {
    method: 'POST', headers, body: JSON.stringify({ query, variables }),
  });
  return (await response.json()).data;
}

function subscriber(projectId) {
  const socket = new WebSocket(URL_BASE.replace('http', 'ws') + '/graphql', 'graphql-transport-ws');
  const state = { socket, received: 0, probes: 0, outOfOrder: 0, last: -1, latencies: [], afterCommit: [], early: 0, errors: [] };
  state.ready = new Promise((resolve, reject) => {
    socket.onopen = () => socket.send(JSON.stringify({ type: 'connection_init', payload: { 'x-api-key': KEY } }));
    socket.onerror = (e) => reject(new Error('WebSocket error: ' + e.message));
    socket.onmessage = (message) => {
      const data = JSON.parse(message.data);
      if (data.type === 'ping') socket.send('{"type":"pong"}');
      else if (data.type === 'connection_ack') {
        socket.send(JSON.stringify({
          id: '1', type: 'subscribe',
          payload: { query: 'subscription ($p: ID!) { runCreated(projectId: $p) { name } }', variables: { p: projectId } },
        }));
        resolve();
      } else if (data.type === 'next') {
        if (data.payload.errors) { state.errors.push(data.payload.errors[0].message); return; }
        const name = data.payload.data.runCreated.name;
        if (name === 'probe') { state.probes++; return; }
        const [batch, index] = name.split('-').map(Number);
        const sequence = batch * BATCH_SIZE + index;
        const now = performance.now();
        state.latencies.push(now - sentAt[batch]);
        // After the 202 (the commit): negative when the event came before the response.
        if (answeredAt[batch] !== undefined) state.afterCommit.push(now - answeredAt[batch]);
        else state.early++;
        state.received++;
        // Batches are posted concurrently; within a batch the order must hold.
        if (Math.floor(state.last / BATCH_SIZE) === batch && sequence < state.last) state.outOfOrder++;
        state.last = sequence;
      } else if (data.type === 'error' || data.type === 'complete') {
        state.errors.push(JSON.stringify(data));
      }
    };
  });
  return state;
}

const sentAt = [];
const answeredAt = [];
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

await post([run('setup', new Date())]);
const projectId = (await graphql('query ($n: String!) { project(name: $n) { id } }', { n: PROJECT })).project.id;
const subscribers = Array.from({ length: SUBSCRIBERS }, () => subscriber(projectId));
await Promise.all(subscribers.map((s) => s.ready));
// Listening once every subscriber saw a probe.
for (let i = 0; i < 100 && subscribers.some((s) => s.probes === 0); i++) {
  await post([run('probe', new Date())]);
  await sleep(100);
}
if (subscribers.some((s) => s.probes === 0)) throw new Error('subscribers did not start listening');

const expected = BATCHES * BATCH_SIZE;
const start = performance.now();
let next = 0;
async function worker() {
  while (next < BATCHES) {
    const batch = next++;
    const runs = Array.from({ length: BATCH_SIZE }, (_, i) => run(`${batch}-${i}`, new Date()));
    sentAt[batch] = performance.now();
    await post(runs);
    answeredAt[batch] = performance.now();
  }
}
await Promise.all(Array.from({ length: CONCURRENCY }, worker));
const ingestSeconds = (performance.now() - start) / 1000;
const deadline = performance.now() + 60_000;
while (subscribers.some((s) => s.received < expected && s.errors.length === 0) && performance.now() < deadline) {
  await sleep(20);
}
const deliverySeconds = (performance.now() - start) / 1000;
const latencies = subscribers.flatMap((s) => s.latencies).sort((a, b) => a - b);
const afterCommit = subscribers.flatMap((s) => s.afterCommit).sort((a, b) => a - b);
const received = subscribers.reduce((sum, s) => sum + s.received, 0);
console.log(JSON.stringify({
  subscribers: SUBSCRIBERS, runs: expected, ingestSeconds, ingestRunsPerSecond: expected / ingestSeconds,
  events: received, expectedEvents: expected * SUBSCRIBERS, deliverySeconds,
  eventsPerSecond: received / deliverySeconds,
  latencyP50Ms: percentile(latencies, 0.5), latencyP99Ms: percentile(latencies, 0.99),
  afterCommitP50Ms: percentile(afterCommit, 0.5), afterCommitP99Ms: percentile(afterCommit, 0.99),
  beforeResponse: subscribers.reduce((sum, s) => sum + s.early, 0),
  outOfOrder: subscribers.reduce((sum, s) => sum + s.outOfOrder, 0),
  errors: subscribers.flatMap((s) => s.errors).slice(0, 3),
}));
subscribers.forEach((s) => s.socket.close());
