// Every GraphQL document the explorer sends, and the shapes the pages get back. Pages never write
// GraphQL themselves, so a change of query (traces with whole-tree totals instead of root runs,
// say) is a change here only.
import { query, subscribe } from './api.js';

export const PAGE_SIZE = 25;

const PROJECT_FIGURES = 'id name runCount errorRate latencyP50 latencyP99 totalTokens totalCost lastRunStartTime';

export async function checkKey(key) {
  await query('{ projects(first: 1) { nodes { id } } }', {}, { key });
}

export async function projects(after) {
  const data = await query(
    `query ($first: Int, $after: String) {
      projects(first: $first, after: $after) { nodes { ${PROJECT_FIGURES} } pageInfo { hasNextPage endCursor } }
    }`,
    { first: PAGE_SIZE, after },
  );
  return data.projects;
}

/** The project's figures, its time series over the window and whether it has threads, in one request. */
export async function projectOverview(projectId, window) {
  const data = await query(
    `query ($id: ID!, $traces: RunFilter!, $llm: RunFilter!, $window: TimeRange!, $bucket: TimeBucket!) {
      project(id: $id) { ${PROJECT_FIGURES} }
      traces: timeSeries(filter: $traces, window: $window, bucket: $bucket) { start runCount errorCount latencyP50 latencyP99 }
      llm: timeSeries(filter: $llm, window: $window, bucket: $bucket) { totalCost }
      threads(projectId: $id, first: 1) { nodes { threadId } }
    }`,
    {
      id: projectId,
      // Like the project's own figures: traces are root runs, costs those of llm runs.
      traces: { projectId, isRoot: true },
      llm: { projectId, runTypes: ['LLM'] },
      window: { from: window.from, to: window.to },
      bucket: window.bucket,
    },
  );
  const series = data.traces.map((bucket, i) => ({ ...bucket, totalCost: data.llm[i].totalCost }));
  return { project: data.project, series, hasThreads: data.threads.nodes.length > 0 };
}

// What a row of the traces table shows: previews and the root's own figures, never whole payloads.
const TRACE_ROW = `id traceId name startTime latencySeconds totalTokens totalCost status
  inputsPreview errorPreview feedbackStats { key count meanScore }`;

/** The filter of the traces table: root runs of the project, and what the user chose. */
export function traceFilter(projectId, chosen) {
  return { projectId, isRoot: true, ...chosen };
}

/** A page of the traces table (root runs for now), in the order asked for. */
export async function traces(filter, order, after) {
  const data = await query(
    `query ($filter: RunFilter, $order: RunOrder, $first: Int, $after: String) {
      runs(filter: $filter, orderBy: $order, first: $first, after: $after) {
        nodes { ${TRACE_ROW} } pageInfo { hasNextPage endCursor }
      }
    }`,
    { filter, order, first: PAGE_SIZE, after },
  );
  return data.runs;
}

/** New traces of the project that match the table's filter, as they are written. */
export function onTraceCreated(filter, handlers) {
  const { projectId, ...rest } = filter;
  return subscribe(
    `subscription ($projectId: ID!, $filter: RunFilter) { runCreated(projectId: $projectId, filter: $filter) { ${TRACE_ROW} } }`,
    { projectId, filter: rest },
    { ...handlers, next: (data) => data.runCreated && handlers.next(data.runCreated) },
  );
}

export async function threads(projectId, after) {
  const data = await query(
    `query ($id: ID!, $first: Int, $after: String) {
      threads(projectId: $id, first: $first, after: $after) {
        nodes { threadId turnCount errorCount totalTokens totalCost lastStartTime firstInputsPreview lastOutputsPreview }
        pageInfo { hasNextPage endCursor }
      }
    }`,
    { id: projectId, first: PAGE_SIZE, after },
  );
  return data.threads;
}

// A waterfall bar: placement, colour and status, nothing of the payloads.
const BAR = 'id parentRunId dottedOrder name runType status startTime endTime latencySeconds errorPreview projectId';

// The detail panel of a run.
const DETAIL = `inputs outputs error metadata tags events promptTokens completionTokens totalTokens
  promptCost completionCost totalCost feedbackStats { key count meanScore values { value count } }`;

/** All runs of a trace in execution order, with one statement's worth of fields each. */
export async function trace(traceId) {
  const data = await query(`query ($id: ID!) { trace(traceId: $id) { ${BAR} } }`, { id: traceId });
  return data.trace;
}

/** Everything the detail panel shows of one run; null when there is no such run. */
export async function runDetail(runId) {
  const data = await query(`query ($id: ID!) { run(id: $id) { ${BAR} ${DETAIL} } }`, { id: runId });
  return data.run;
}

/**
 * A shared trace, with what its detail panel shows: without a key no other run can be read, so the
 * details come with the trace. Null when the link does not exist or was revoked.
 */
export async function sharedTrace(token) {
  const data = await query(`query ($token: String!) { sharedRun(token: $token) { ${BAR} ${DETAIL} } }`, { token }, { key: null });
  return data.sharedRun;
}

/** Called (with nothing: refetch) whenever something in the trace changed, at most once per interval. */
export function onTraceChanged(traceId, handlers) {
  return subscribe('subscription ($id: ID!) { traceUpdated(traceId: $id) { id } }', { id: traceId }, {
    ...handlers,
    next: () => handlers.next(),
    reconnected: () => handlers.next(),
  });
}
