// A trace: the waterfall of its runs and the detail panel of the selected one. Also the read-only
// view of a share link. The waterfall is one query; it is fetched again while the trace changes.
import { onTraceChanged, runDetail, sharedTrace, trace } from '../data.js';
import { detailPanel } from '../detail.js';
import { fmt, h, link, notice } from '../dom.js';

/** How deep a run sits in its trace: one dotted-order segment per ancestor. */
const depthOf = (run) => run.dottedOrder.split('.').length - 1;

export function mount(el, route) {
  const shared = route.shared ?? null;
  const heading = h('div', { class: 'trace-head' });
  const waterfall = h('div', { class: 'waterfall', id: 'waterfall', 'aria-busy': 'true' });
  const detail = h('aside', { class: 'detail-box' });
  el.append(heading, h('div', { class: 'trace-body' }, waterfall, detail));
  let runs = [];
  let selected = route.runId;
  let detailRequest = 0;
  let stopLive = null;

  const runLink = (id) => (shared ? link(`/runs/${encodeURIComponent(id)}`) : link(`/traces/${encodeURIComponent(route.traceId)}/runs/${encodeURIComponent(id)}`));

  async function load() {
    let found;
    try {
      found = shared ? await sharedTrace(shared) : await trace(route.traceId);
    } catch (e) {
      heading.replaceChildren(notice(`The trace could not be loaded: ${e.message}`));
      waterfall.setAttribute('aria-busy', 'false');
      return false;
    }
    if (!found || found.length === 0) {
      heading.replaceChildren(notice(shared
        ? 'This share link does not exist or was revoked: ask its owner for a new one.'
        : `There is no trace with id ${route.traceId}: it may not have arrived yet, or belong to another tenant.`));
      waterfall.replaceChildren();
      waterfall.setAttribute('aria-busy', 'false');
      detail.replaceChildren();
      return false;
    }
    runs = found;
    render();
    return true;
  }

  function render() {
    const root = runs[0];
    heading.replaceChildren(
      h('h1', {}, root.name ?? root.id),
      h('p', { class: 'muted' },
        `${runs.length} run${runs.length === 1 ? '' : 's'} · ${fmt.status(root.status)} · ${fmt.seconds(root.latencySeconds)} · started ${fmt.time(root.startTime)} UTC`,
        shared ? null : [' · ', h('a', { href: link(`/projects/${encodeURIComponent(root.projectId)}`) }, 'project')]));
    const now = Date.now();
    const start = Math.min(...runs.map((r) => Date.parse(r.startTime)));
    const end = Math.max(...runs.map((r) => (r.endTime ? Date.parse(r.endTime) : now)));
    const span = Math.max(1, end - start);
    const rows = document.createDocumentFragment();
    for (const run of runs) {
      const from = Date.parse(run.startTime);
      const to = run.endTime ? Date.parse(run.endTime) : now;
      const classes = ['span', (run.runType ?? 'chain').toLowerCase(), run.status === 'ERROR' ? 'error' : '', run.endTime ? '' : 'running', run.id === selected ? 'selected' : ''];
      rows.append(h('a', { class: classes.filter(Boolean).join(' '), href: runLink(run.id), dataset: { id: run.id, depth: depthOf(run) } },
        h('span', { class: 'label', style: `padding-left: ${depthOf(run) * 14 + 4}px` },
          run.status === 'ERROR' ? h('span', { class: 'error-mark', title: run.errorPreview ?? 'error' }, '!') : null,
          h('span', { class: 'name' }, run.name ?? run.id), ' ', h('small', {}, fmt.seconds(run.latencySeconds))),
        h('span', { class: 'track' }, h('span', {
          class: 'bar',
          style: `left: ${((from - start) / span) * 100}%; width: max(2px, ${((to - from) / span) * 100}%)`,
          title: `${run.name}: ${fmt.seconds(run.latencySeconds)}${run.errorPreview ? ' — ' + run.errorPreview : ''}`,
        }))));
    }
    waterfall.replaceChildren(h('div', { class: 'scale' }, h('span', {}, '0'), h('span', {}, fmt.seconds(span / 1000))), rows);
    waterfall.setAttribute('aria-busy', 'false');
    if (!selected || !runs.some((r) => r.id === selected)) selected = selected ?? root.id;
    showDetail();
  }

  async function showDetail() {
    for (const row of waterfall.querySelectorAll('.span')) row.classList.toggle('selected', row.dataset.id === selected);
    const request = ++detailRequest;
    if (shared) {
      const run = runs.find((r) => r.id === selected);
      detail.replaceChildren(run ? detailPanel(run) : notice(`Run ${selected} is not part of this trace.`));
      return;
    }
    let run;
    try {
      run = await runDetail(selected);
    } catch (e) {
      if (request === detailRequest) detail.replaceChildren(notice(`The run could not be loaded: ${e.message}`));
      return;
    }
    if (request !== detailRequest) return;
    detail.replaceChildren(run ? detailPanel(run) : notice(`There is no run with id ${selected}.`));
  }

  load().then(() => {
    if (shared) return;
    // A trace not written yet may still arrive: listen either way.
    // One reload at a time; a change heard during one brings one more after it.
    let loading = false;
    let again = false;
    const reload = async () => {
      if (loading) { again = true; return; }
      loading = true;
      do { again = false; await load(); } while (again);
      loading = false;
    };
    stopLive = onTraceChanged(route.traceId, { next: reload, error: () => {} });
  });

  return {
    update(next) {
      selected = next.runId ?? runs[0]?.id ?? null;
      if (runs.length) showDetail();
    },
    unmount: () => stopLive?.(),
  };
}
