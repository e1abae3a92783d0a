// The router: the address (hash routing; /public/<token>/r for share links) decides the page.
// Every page and selected run has its own address, so any view can be linked to.
import { apiKey } from './api.js';
import { go, h } from './dom.js';
import * as signin from './pages/signin.js';
import * as projects from './pages/projects.js';
import * as project from './pages/project.js';
import * as trace from './pages/trace.js';
import * as missing from './pages/missing.js';

const SHARED = /^\/public\/([^/]+)\/r\/?$/;

/** The route of the current address: a page, the key under which it stays mounted, its parameters. */
function route() {
  const [path, search] = location.hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(search ?? '');
  const shared = location.pathname.match(SHARED);
  if (shared) {
    return { page: trace, key: 'shared', shared: decodeURIComponent(shared[1]), runId: parts[0] === 'runs' ? parts[1] : null };
  }
  if (!apiKey.get() || parts[0] === 'signin') return { page: signin, key: 'signin', params };
  if (parts.length === 0 || (parts[0] === 'projects' && parts.length === 1)) return { page: projects, key: 'projects' };
  if (parts[0] === 'projects' && (parts.length === 2 || (parts.length === 3 && parts[2] === 'threads'))) {
    const tab = parts[2] ?? 'traces';
    return { page: project, key: `project:${parts[1]}:${tab}`, projectId: parts[1], tab, params };
  }
  if (parts[0] === 'traces' && (parts.length === 2 || (parts.length === 4 && parts[2] === 'runs'))) {
    return { page: trace, key: `trace:${parts[1]}`, traceId: parts[1], runId: parts[3] ?? null };
  }
  return { page: missing, key: 'missing', path };
}

let current = null;

function navigate() {
  const next = route();
  renderNav(next);
  if (current && current.key === next.key && current.controller.update) {
    current.controller.update(next);
    return;
  }
  current?.controller.unmount?.();
  const el = document.getElementById('app');
  el.replaceChildren();
  current = { key: next.key, controller: next.page.mount(el, next) };
}

function renderNav(next) {
  const nav = document.getElementById('nav');
  if (next.shared) {
    nav.replaceChildren(h('span', { class: 'muted' }, 'Shared trace (read-only)'));
  } else if (apiKey.get()) {
    nav.replaceChildren(
      h('a', { href: '#/projects' }, 'Projects'),
      h('button', { type: 'button', class: 'link', onclick: () => { apiKey.clear(); go('#/signin'); } }, 'Sign out'),
    );
  } else {
    nav.replaceChildren();
  }
}

window.addEventListener('hashchange', navigate);
window.addEventListener('tracegql:key-refused', () => {
  if (!apiKey.get()) return; // several requests may be refused at once: act on the first
  apiKey.clear();
  go(`#/signin?refused=1&next=${encodeURIComponent(location.hash)}`);
});
navigate();
