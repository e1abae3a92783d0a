// Small DOM and formatting helpers shared by the pages.

/** An element: h('a', {href, class: 'x', onclick}, 'text', child...). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(name, value === true ? '' : value);
  }
  el.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

/** A message in place of a page or a panel: what went wrong and what to do. */
export function notice(text, kind = 'error') {
  return h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

/** A link within the explorer: a hash path and query parameters (empty ones left out). */
export function link(path, params = {}) {
  const search = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  const query = search.toString();
  return `#${path}${query ? '?' + query : ''}`;
}

/** Goes to an address, showing its page again when it is already the current one. */
export function go(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}

const DASH = '—';

export const fmt = {
  seconds: (s) => (s === null || s === undefined ? DASH : s < 1 ? `${Math.round(s * 1000)} ms` : `${s.toFixed(2)} s`),
  count: (n) => (n === null || n === undefined ? DASH : Number(n).toLocaleString('en-US')),
  // Costs are small: show enough digits to tell them apart, never a rounded $0.00.
  cost: (c) => (c === null || c === undefined ? DASH : `$${Number(Number(c).toPrecision(4))}`),
  percent: (r) => (r === null || r === undefined ? DASH : `${(r * 100).toFixed(1)}%`),
  // UTC, so that what the page shows does not depend on where it is looked at.
  time: (t) => (t ? t.replace('T', ' ').replace(/(\.\d+)?Z$/, '') : DASH),
  status: (s) => (s ? s.toLowerCase() : DASH),
};

export function feedbackText(stats) {
  return (stats ?? []).map((f) => (f.meanScore === null ? `${f.key} ×${f.count}` : `${f.key} ${Number(f.meanScore.toFixed(2))}`)).join(', ');
}
