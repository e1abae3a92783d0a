// The project chart: runs and errors, latency p50/p99 and cost per time bucket, drawn as inline SVG.
import { fmt, h } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const W = 300;
const H = 80;

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  el.append(...children);
  return el;
}

function title(text) {
  return s('title', {}, text);
}

/** Bars of one or two values per bucket (the second drawn over the first, e.g. errors over runs). */
function bars(buckets, value, over, label) {
  const max = Math.max(1e-12, ...buckets.map(value));
  const w = W / buckets.length;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', class: 'chart' });
  buckets.forEach((b, i) => {
    const v = value(b);
    if (v > 0) svg.append(s('rect', { x: i * w + 1, width: Math.max(1, w - 2), y: H - (v / max) * H, height: (v / max) * H, class: 'bar' }, title(`${fmt.time(b.start)}: ${label(b)}`)));
    const o = over ? over(b) : 0;
    if (o > 0) svg.append(s('rect', { x: i * w + 1, width: Math.max(1, w - 2), y: H - (o / max) * H, height: (o / max) * H, class: 'bar error' }, title(`${fmt.time(b.start)}: ${label(b)}`)));
  });
  return svg;
}

/** One line per series; buckets without a value break the line. */
function lines(buckets, series) {
  const max = Math.max(1e-12, ...buckets.flatMap((b) => series.map((x) => b[x.field] ?? 0)));
  const w = W / buckets.length;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', class: 'chart' });
  for (const x of series) {
    let points = [];
    const flush = () => {
      if (points.length) svg.append(s('polyline', { points: points.join(' '), class: `line ${x.field}` }));
      points = [];
    };
    buckets.forEach((b, i) => {
      const v = b[x.field];
      if (v === null || v === undefined) return flush();
      points.push(`${i * w + w / 2},${H - (v / max) * (H - 4) - 2}`);
      svg.append(s('circle', { cx: i * w + w / 2, cy: H - (v / max) * (H - 4) - 2, r: 1.5, class: `dot ${x.field}` }, title(`${fmt.time(b.start)}: ${x.name} ${fmt.seconds(v)}`)));
    });
    flush();
  }
  return svg;
}

function panel(name, figure, svg, buckets) {
  return h('figure', { class: 'panel' },
    h('figcaption', {}, h('span', {}, name), ' ', h('strong', {}, figure)),
    svg,
    h('div', { class: 'axis' }, h('span', {}, fmt.time(buckets[0]?.start)), h('span', {}, fmt.time(buckets[buckets.length - 1]?.start))));
}

export function projectChart(buckets) {
  const runs = buckets.reduce((n, b) => n + b.runCount, 0);
  const errors = buckets.reduce((n, b) => n + b.errorCount, 0);
  const cost = buckets.reduce((n, b) => n + Number(b.totalCost), 0);
  const p99 = Math.max(0, ...buckets.map((b) => b.latencyP99 ?? 0));
  return h('div', { class: 'charts', id: 'chart' },
    panel('Runs', `${fmt.count(runs)} · ${fmt.count(errors)} error${errors === 1 ? '' : 's'}`, bars(buckets, (b) => b.runCount, (b) => b.errorCount, (b) => `${b.runCount} runs, ${b.errorCount} errors`), buckets),
    panel('Latency p50 / p99', `max p99 ${fmt.seconds(p99)}`, lines(buckets, [{ field: 'latencyP50', name: 'p50' }, { field: 'latencyP99', name: 'p99' }]), buckets),
    panel('Cost', fmt.cost(cost), bars(buckets, (b) => Number(b.totalCost), null, (b) => fmt.cost(b.totalCost)), buckets));
}
