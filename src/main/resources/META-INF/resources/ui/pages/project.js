// A project: its figures, a chart of the last day or week, and its traces (filtered, sorted,
// keyset-paged, new ones arriving live) or its threads. Filters and sorting live in the address.
import { projectChart } from '../chart.js';
import { onTraceCreated, projectOverview, threads, traceFilter, traces } from '../data.js';
import { feedbackText, fmt, go, h, link, notice } from '../dom.js';

const HOUR = 3600e3;
const DAY = 24 * HOUR;
// The chart's windows: the last 24 hours by hour, the last 7 days by day.
const CHARTS = { day: { bucket: 'HOUR', width: HOUR, count: 24 }, week: { bucket: 'DAY', width: DAY, count: 7 } };
// The table's time windows: traces that started in the last ...
const SINCE = { hour: HOUR, day: DAY, week: 7 * DAY };
const STATUSES = ['SUCCESS', 'ERROR', 'PENDING'];
const RUN_TYPES = ['CHAIN', 'LLM', 'TOOL', 'RETRIEVER', 'EMBEDDING', 'PROMPT', 'PARSER'];
// Sortable columns and the RunOrder field of each.
const SORTS = { start: 'START_TIME', latency: 'LATENCY', tokens: 'TOTAL_TOKENS', cost: 'TOTAL_COST' };
const COLUMNS = [
  { name: 'Name' }, { name: 'Input' }, { name: 'Start', sort: 'start' }, { name: 'Latency', sort: 'latency' },
  { name: 'Tokens', sort: 'tokens' }, { name: 'Cost', sort: 'cost' }, { name: 'Status' }, { name: 'Feedback' },
];

function chartWindow(name) {
  const { bucket, width, count } = CHARTS[name] ?? CHARTS.day;
  const end = Math.floor(Date.now() / width) * width + width;
  return { bucket, from: new Date(end - count * width).toISOString(), to: new Date(end).toISOString() };
}

/** The filter the address asks for, or the message saying which part of it is wrong. */
export function chosenFilter(params) {
  const chosen = {};
  if (params.get('status')) chosen.statuses = [params.get('status')];
  if (params.get('type')) chosen.runTypes = [params.get('type')];
  const tags = (params.get('tags') ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  if (tags.length) chosen.tagsAll = tags;
  const metadata = (params.get('meta') ?? '').split(',').map((m) => m.trim()).filter(Boolean);
  for (const pair of metadata) {
    const at = pair.indexOf('=');
    if (at < 1) return { error: `Metadata filters are key=value pairs, separated by commas: “${pair}” has no key=value.` };
    (chosen.metadata ??= []).push({ key: pair.slice(0, at).trim(), value: pair.slice(at + 1).trim() });
  }
  if (params.get('q')) chosen.search = params.get('q');
  if (params.get('thread')) chosen.threadId = params.get('thread');
  if (SINCE[params.get('since')]) chosen.startTime = { from: new Date(Date.now() - SINCE[params.get('since')]).toISOString() };
  return { chosen };
}

export function mount(el, route) {
  const { projectId } = route;
  const base = `/projects/${encodeURIComponent(projectId)}`;
  const header = h('div', { class: 'project-head' });
  const chartBox = h('section', { class: 'chart-box' });
  const tabs = h('nav', { class: 'tabs' });
  const content = h('section');
  el.append(header, chartBox, tabs, content);
  let params = route.params;
  let stopLive = null;

  async function overview() {
    const chart = params.get('chart') === 'week' ? 'week' : 'day';
    let o;
    try {
      o = await projectOverview(projectId, chartWindow(chart));
    } catch (e) {
      header.replaceChildren(notice(`The project could not be loaded: ${e.message}`));
      return;
    }
    if (!o.project) {
      header.replaceChildren(notice(`There is no project with id ${projectId}: it may have been deleted, or belong to another tenant.`));
      return;
    }
    const p = o.project;
    header.replaceChildren(
      h('h1', {}, p.name),
      h('dl', { class: 'figures' }, ...[
        ['Traces', fmt.count(p.runCount)], ['Error rate', fmt.percent(p.errorRate)], ['p50', fmt.seconds(p.latencyP50)],
        ['p99', fmt.seconds(p.latencyP99)], ['Tokens', fmt.count(p.totalTokens)], ['Cost', fmt.cost(p.totalCost)],
      ].map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v)))));
    chartBox.replaceChildren(
      h('div', { class: 'chart-switch' }, ...Object.keys(CHARTS).map((name) =>
        h('a', { href: link(route.tab === 'threads' ? `${base}/threads` : base, { ...Object.fromEntries(params), chart: name }), class: name === chart ? 'on' : '' }, `Last ${name}`))),
      projectChart(o.series));
    tabs.replaceChildren(
      h('a', { href: link(base), class: route.tab === 'traces' ? 'on' : '' }, 'Traces'),
      o.hasThreads ? h('a', { href: link(`${base}/threads`), class: route.tab === 'threads' ? 'on' : '', id: 'threads-tab' }, 'Threads') : null);
  }

  function show() {
    stopLive?.();
    stopLive = null;
    if (route.tab === 'threads') showThreads();
    else showTraces();
  }

  function showTraces() {
    const { chosen, error } = chosenFilter(params);
    const sort = SORTS[params.get('sort')] ? params.get('sort') : 'start';
    const direction = params.get('dir') === 'asc' ? 'ASC' : 'DESC';
    const body = h('tbody');
    const status = h('div', { class: 'status' });
    const fresh = h('p', { class: 'live muted', hidden: true });
    const more = h('button', { type: 'button', hidden: true, onclick: () => page(more.dataset.after) }, 'Load more');
    content.replaceChildren(filterForm(), fresh,
      h('table', { class: 'grid', id: 'traces', 'aria-busy': 'true' }, h('thead', {}, h('tr', {}, COLUMNS.map(columnHead))), body),
      status, more);
    if (error) {
      status.replaceChildren(notice(error));
      body.parentElement.setAttribute('aria-busy', 'false');
      return;
    }
    const filter = traceFilter(projectId, chosen);
    const order = { field: SORTS[sort], direction };

    async function page(after) {
      body.parentElement.setAttribute('aria-busy', 'true');
      let result;
      try {
        result = await traces(filter, order, after);
      } catch (e) {
        status.replaceChildren(notice(`The traces could not be loaded: ${e.message}`));
        body.parentElement.setAttribute('aria-busy', 'false');
        return;
      }
      body.append(...result.nodes.map((run) => traceRow(run)));
      status.replaceChildren(!after && result.nodes.length === 0 ? notice('No traces match these filters.', 'info') : '');
      more.hidden = !result.pageInfo.hasNextPage;
      more.dataset.after = result.pageInfo.endCursor ?? '';
      body.parentElement.setAttribute('aria-busy', 'false');
    }
    page(null);

    // New traces go on top when the table shows the newest first; otherwise they are counted.
    let arrived = 0;
    stopLive = onTraceCreated(filter, {
      next: (run) => {
        if (sort === 'start' && direction === 'DESC') {
          body.prepend(traceRow(run, true));
          status.replaceChildren();
        } else {
          arrived += 1;
          fresh.hidden = false;
          fresh.textContent = `${arrived} new trace${arrived === 1 ? '' : 's'}: sort by newest to see them.`;
        }
      },
      error: (e) => { fresh.hidden = false; fresh.textContent = `Live updates stopped: ${e.message}`; },
    });

    function columnHead(column) {
      if (!column.sort) return h('th', {}, column.name);
      const on = column.sort === sort;
      const next = on && direction === 'DESC' ? 'asc' : 'desc';
      const arrow = on ? (direction === 'DESC' ? ' ↓' : ' ↑') : '';
      return h('th', { class: on ? 'sorted' : '' },
        h('a', { href: link(base, { ...Object.fromEntries(params), sort: column.sort, dir: next }) }, column.name + arrow));
    }
  }

  function filterForm() {
    const field = (name, attrs = {}) => h('input', { name, value: params.get(name) ?? '', ...attrs });
    const select = (name, label, values) => h('select', { name },
      h('option', { value: '' }, label), ...values.map((v) => h('option', { value: v, selected: params.get(name) === v }, v.toLowerCase())));
    return h('form', {
      class: 'filters', id: 'filters',
      onsubmit: (event) => {
        event.preventDefault();
        const kept = { chart: params.get('chart'), sort: params.get('sort'), dir: params.get('dir'), thread: params.get('thread') };
        go(link(base, { ...kept, ...Object.fromEntries(new FormData(event.target)) }));
      },
    },
      select('status', 'any status', STATUSES),
      select('type', 'any run type', RUN_TYPES),
      field('tags', { placeholder: 'tags: a, b' }),
      field('meta', { placeholder: 'metadata: key=value' }),
      field('q', { placeholder: 'search inputs, outputs, errors', type: 'search' }),
      h('select', { name: 'since' }, h('option', { value: '' }, 'any time'),
        ...Object.keys(SINCE).map((v) => h('option', { value: v, selected: params.get('since') === v }, `last ${v}`))),
      h('button', { type: 'submit' }, 'Apply'),
      params.get('thread') ? h('span', { class: 'chip' }, `thread ${params.get('thread')} `, h('a', { href: link(base) }, '×')) : null);
  }

  async function showThreads() {
    const body = h('tbody');
    const status = h('div', { class: 'status' });
    const more = h('button', { type: 'button', hidden: true, onclick: () => page(more.dataset.after) }, 'Load more');
    content.replaceChildren(h('table', { class: 'grid', id: 'threads', 'aria-busy': 'true' },
      h('thead', {}, h('tr', {}, ['Thread', 'Turns', 'Errors', 'First input', 'Last output', 'Tokens', 'Cost', 'Last turn'].map((c) => h('th', {}, c)))),
      body), status, more);
    async function page(after) {
      body.parentElement.setAttribute('aria-busy', 'true');
      let result;
      try {
        result = await threads(projectId, after);
      } catch (e) {
        status.replaceChildren(notice(`The threads could not be loaded: ${e.message}`));
        body.parentElement.setAttribute('aria-busy', 'false');
        return;
      }
      body.append(...result.nodes.map((t) => h('tr', {},
        h('td', {}, h('a', { href: link(base, { thread: t.threadId }) }, t.threadId)),
        h('td', { class: 'num' }, fmt.count(t.turnCount)),
        h('td', { class: 'num' }, fmt.count(t.errorCount)),
        h('td', { class: 'preview' }, t.firstInputsPreview ?? ''),
        h('td', { class: 'preview' }, t.lastOutputsPreview ?? ''),
        h('td', { class: 'num' }, fmt.count(t.totalTokens)),
        h('td', { class: 'num' }, fmt.cost(t.totalCost)),
        h('td', {}, fmt.time(t.lastStartTime)))));
      if (!after && result.nodes.length === 0) status.replaceChildren(notice('This project has no threads.', 'info'));
      more.hidden = !result.pageInfo.hasNextPage;
      more.dataset.after = result.pageInfo.endCursor ?? '';
      body.parentElement.setAttribute('aria-busy', 'false');
    }
    page(null);
  }

  overview();
  show();
  return {
    update(next) {
      const chartChanged = next.params.get('chart') !== params.get('chart');
      params = next.params;
      if (chartChanged) overview();
      show();
    },
    unmount: () => stopLive?.(),
  };
}

function traceRow(run, isNew = false) {
  return h('tr', { class: isNew ? 'new' : '', dataset: { id: run.id } },
    h('td', {}, h('a', { href: link(`/traces/${encodeURIComponent(run.traceId)}`) }, run.name ?? run.id)),
    h('td', { class: 'preview' }, run.inputsPreview ?? ''),
    h('td', {}, fmt.time(run.startTime)),
    h('td', { class: 'num' }, fmt.seconds(run.latencySeconds)),
    h('td', { class: 'num' }, fmt.count(run.totalTokens)),
    h('td', { class: 'num' }, fmt.cost(run.totalCost)),
    h('td', {}, h('span', { class: `status ${fmt.status(run.status)}`, title: run.errorPreview ?? '' }, fmt.status(run.status))),
    h('td', {}, feedbackText(run.feedbackStats)));
}
