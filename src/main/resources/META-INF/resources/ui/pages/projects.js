// The projects: one row each with its trace figures, keyset-paged.
import { projects } from '../data.js';
import { fmt, h, link, notice } from '../dom.js';

export function mount(el) {
  const body = h('tbody');
  const more = h('button', { type: 'button', hidden: true, onclick: () => load(more.dataset.after) }, 'Load more');
  const status = h('div');
  el.append(
    h('h1', {}, 'Projects'),
    h('table', { class: 'grid', id: 'projects', 'aria-busy': 'true' },
      h('thead', {}, h('tr', {}, ['Project', 'Traces', 'Error rate', 'p50', 'p99', 'Tokens', 'Cost', 'Last trace'].map((c) => h('th', {}, c)))),
      body),
    status, more);

  async function load(after) {
    let page;
    try {
      page = await projects(after);
    } catch (e) {
      status.replaceChildren(notice(`The projects could not be loaded: ${e.message}`));
      body.parentElement.setAttribute('aria-busy', 'false');
      return;
    }
    body.append(...page.nodes.map(row));
    if (!after && page.nodes.length === 0) status.replaceChildren(notice('No projects yet: send traces to create one.', 'info'));
    more.hidden = !page.pageInfo.hasNextPage;
    more.dataset.after = page.pageInfo.endCursor ?? '';
    body.parentElement.setAttribute('aria-busy', 'false');
  }
  load(null);
  return {};
}

function row(p) {
  return h('tr', { dataset: { id: p.id } },
    h('td', {}, h('a', { href: link(`/projects/${encodeURIComponent(p.id)}`) }, p.name)),
    h('td', { class: 'num' }, fmt.count(p.runCount)),
    h('td', { class: 'num' }, fmt.percent(p.errorRate)),
    h('td', { class: 'num' }, fmt.seconds(p.latencyP50)),
    h('td', { class: 'num' }, fmt.seconds(p.latencyP99)),
    h('td', { class: 'num' }, fmt.count(p.totalTokens)),
    h('td', { class: 'num' }, fmt.cost(p.totalCost)),
    h('td', {}, fmt.time(p.lastRunStartTime)));
}
