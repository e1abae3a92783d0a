// Drives the trace explorer in headless Chromium and prints, one JSON line per step, what each
// page shows (read from the DOM). The Java test seeded the data, compares every line with what the
// data says, and posts runs when a step waits for them ({"step": "waiting"} then a line on stdin).
import { createInterface } from 'node:readline';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const BASE = env('EXPLORER_URL');
const KEY = env('EXPLORER_KEY');
const SHOTS = env('EXPLORER_SCREENSHOTS');
const SHARE_PATH = env('EXPLORER_SHARE_PATH');
const BIG_TRACE = env('EXPLORER_BIG_TRACE');
const REVOCABLE_KEY = env('EXPLORER_REVOCABLE_KEY');
mkdirSync(SHOTS, { recursive: true });

const input = createInterface({ input: process.stdin });
const lines = input[Symbol.asyncIterator]();
const report = (step, observed) => console.log(JSON.stringify({ step, ...observed }));
/** Tells the test what to post, and waits until it has. */
async function waitFor(what, detail = {}) {
  report('waiting', { for: what, ...detail });
  await lines.next();
}

const texts = (page, selector) => page.$$eval(selector, (els) => els.map((e) => e.textContent.trim()));
const rows = (page, table) => page.$$eval(`${table} tbody tr`, (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent.trim())));
const loaded = (page, selector) => page.waitForSelector(`${selector}[aria-busy="false"]`);
const figures = (page, scope) => page.$$eval(`${scope} .figures > div`, (ds) => Object.fromEntries(ds.map((d) => [d.querySelector('dt').textContent, d.querySelector('dd').textContent])));
const bars = (page) => page.$$eval('#waterfall .span', (spans) => spans.map((s) => ({
  name: s.querySelector('.name').textContent,
  depth: Number(s.dataset.depth),
  type: s.classList[1],
  error: s.classList.contains('error'),
  running: s.classList.contains('running'),
})));
const chat = (page, section) => page.$$eval(`#detail [data-section="${section}"] .message`, (ms) => ms.map((m) => [m.querySelector('.role').textContent, m.querySelector('.text')?.textContent ?? null]));
const shot = (page, name) => page.screenshot({ path: `${SHOTS}/${name}.png` });
const hashPath = (page) => new URL(page.url()).hash;

async function applyFilters(page, values) {
  for (const [name, value] of Object.entries(values)) {
    const field = page.locator(`#filters [name="${name}"]`);
    if (await field.evaluate((e) => e.tagName === 'SELECT')) await field.selectOption(value);
    else await field.fill(value);
  }
  await page.click('#filters button[type="submit"]');
  await page.waitForFunction(() => !document.querySelector('#traces[aria-busy="true"]'));
  await loaded(page, '#traces');
  return rows(page, '#traces');
}

async function signIn(page, key) {
  await page.goto(`${BASE}/ui/`);
  await page.fill('input[name="key"]', key);
  await page.click('button[type="submit"]');
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
try {
  const viewport = { width: 1280, height: 760 };

  // A wrong key is refused with a message on the sign-in page.
  {
    const page = await (await browser.newContext({ viewport })).newPage();
    await signIn(page, 'tgq_not_a_key');
    const notice = await page.waitForSelector('.signin .notice');
    report('wrong-key', { notice: (await notice.textContent()).trim(), stored: await page.evaluate(() => sessionStorage.length) });
    await shot(page, 'sign-in-wrong-key');
  }

  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));

  await signIn(page, KEY);
  await loaded(page, '#projects');
  report('projects', { hash: hashPath(page), rows: await rows(page, '#projects') });
  await shot(page, 'projects');

  await page.click('#projects a:text-is("shop")');
  await loaded(page, '#traces');
  await page.waitForSelector('#chart');
  report('project', {
    title: await page.textContent('.project-head h1'),
    figures: await figures(page, '.project-head'),
    chart: await texts(page, '#chart figcaption'),
    chartBars: await page.$$eval('#chart .panel:first-child rect', (rs) => rs.map((r) => r.getAttribute('class'))),
    threadsTab: (await page.$('#threads-tab')) !== null,
    columns: await texts(page, '#traces thead th'),
    rows: await rows(page, '#traces'),
  });
  await shot(page, 'project');

  report('filters', {
    errors: await applyFilters(page, { status: 'ERROR' }),
    prodParcel: await applyFilters(page, { status: '', tags: 'prod', q: 'parcel' }),
    globex: await applyFilters(page, { tags: '', q: '', meta: 'customer=globex' }),
    llmRoots: await applyFilters(page, { meta: '', type: 'LLM' }),
    lastHour: await applyFilters(page, { type: '', since: 'hour' }),
    badMetadata: await applyFilters(page, { since: '', meta: 'customer' }).then(() => page.textContent('#traces + .status .notice')),
    hash: hashPath(page),
  });
  await applyFilters(page, { meta: '' });
  await page.click('#traces th a:text-is("Latency")');
  await page.waitForFunction(() => document.querySelector('#traces th.sorted')?.textContent.startsWith('Latency'));
  await loaded(page, '#traces');
  const slowestFirst = (await rows(page, '#traces')).map((r) => r[3]);
  await page.click('#traces th a:text-is("Latency ↓")');
  await page.waitForFunction(() => document.querySelector('#traces th.sorted')?.textContent === 'Latency ↑');
  await loaded(page, '#traces');
  report('sorting', { slowestFirst, fastestFirst: (await rows(page, '#traces')).map((r) => r[3]), hash: hashPath(page) });

  await page.click('#threads-tab');
  await loaded(page, '#threads');
  report('threads', { rows: await rows(page, '#threads') });
  await shot(page, 'threads');

  // Keyset paging: a project with more traces than a page.
  await page.goto(`${BASE}/ui/#/projects`);
  await loaded(page, '#projects');
  await page.click('#projects a:text-is("many")');
  await loaded(page, '#traces');
  const firstPage = (await rows(page, '#traces')).map((r) => r[0]);
  await page.click('button:text-is("Load more")');
  await page.waitForFunction((n) => document.querySelectorAll('#traces tbody tr').length > n, firstPage.length);
  await loaded(page, '#traces');
  report('paging', { firstPage, bothPages: (await rows(page, '#traces')).map((r) => r[0]), moreHidden: await page.isHidden('button:text-is("Load more")') });

  // The trace page: a bar per run, then a selected run's details.
  await page.goto(`${BASE}/ui/#/projects`);
  await loaded(page, '#projects');
  await page.click('#projects a:text-is("shop")');
  await loaded(page, '#traces');
  await page.click('#traces tbody tr:has-text("Where is my parcel?") a');
  await loaded(page, '#waterfall');
  await page.waitForSelector('#detail');
  report('trace', { heading: await page.textContent('.trace-head h1'), summary: (await page.textContent('.trace-head p')).trim(), bars: await bars(page), selected: await texts(page, '#waterfall .span.selected .name') });
  await page.click('#waterfall .span.llm');
  await page.waitForSelector('#detail h2:text-is("ChatModel")');
  const llmUrl = page.url();
  report('llm-detail', {
    hashIsRun: /^#\/traces\/[^/]+\/runs\/[^/]+$/.test(hashPath(page)),
    figures: await figures(page, '#detail'),
    inputs: await chat(page, 'inputs'),
    outputs: await chat(page, 'outputs'),
    metadata: JSON.parse(await page.textContent('#detail [data-section="metadata"] pre')),
  });
  await shot(page, 'trace');
  await page.click('#waterfall .span.tool');
  await page.waitForSelector('#detail h2:text-is("track_parcel")');
  report('tool-detail', { error: await page.textContent('#detail [data-section="error"] pre'), inputs: JSON.parse(await page.textContent('#detail [data-section="inputs"] pre')) });
  // A run's address opens its trace with that run selected.
  await page.goto('about:blank');
  await page.goto(llmUrl);
  await page.waitForSelector('#detail h2');
  report('deep-link', { detail: await page.textContent('#detail h2'), selected: await texts(page, '#waterfall .span.selected .name') });

  // A big trace renders at once: from the address to every bar on the page.
  const started = Date.now();
  await page.goto(`${BASE}/ui/#/traces/${BIG_TRACE}`);
  await page.waitForFunction(() => document.querySelectorAll('#waterfall .span').length >= 500);
  const renderMs = Date.now() - started;
  report('big-trace', { bars: await page.$$eval('#waterfall .span', (s) => s.length), renderMs });
  await shot(page, 'big-trace');

  // New traces appear at the top of the table while it is open.
  await page.goto(`${BASE}/ui/#/projects`);
  await loaded(page, '#projects');
  await page.click('#projects a:text-is("shop")');
  await loaded(page, '#traces');
  const before = (await rows(page, '#traces')).length;
  await page.waitForTimeout(300); // the subscription is acknowledged before the run is posted
  await waitFor('new-trace');
  await page.waitForFunction((n) => document.querySelectorAll('#traces tbody tr').length > n, before);
  const afterRows = await rows(page, '#traces');
  report('live-table', { before, after: afterRows.length, top: afterRows[0].slice(0, 2).concat(afterRows[0].slice(6, 7)) });

  // The waterfall grows while the trace runs.
  await page.click('#traces tbody tr:first-child a');
  await loaded(page, '#waterfall');
  const growing = await bars(page);
  await page.waitForTimeout(300);
  await waitFor('trace-grows');
  await page.waitForFunction(() => document.querySelectorAll('#waterfall .span').length >= 3 && !document.querySelector('#waterfall .span.running'));
  report('live-trace', { before: growing, after: await bars(page) });
  await shot(page, 'live-trace');

  // Nothing found is said so, not left blank.
  await page.goto(`${BASE}/ui/#/traces/00000000-0000-4000-8000-00000000dead`);
  await loaded(page, '#waterfall');
  const unknown = await page.textContent('.trace-head .notice');
  await page.goto(`${BASE}/ui/#/traces/not-an-id`);
  await loaded(page, '#waterfall');
  report('unknown-trace', { unknown, malformed: await page.textContent('.trace-head .notice') });
  await shot(page, 'unknown-trace');
  report('page-errors', { errors });

  // A share link opens read-only in a browser that has no key.
  const visitor = await (await browser.newContext({ viewport })).newPage();
  await visitor.goto(`${BASE}${SHARE_PATH}`);
  await loaded(visitor, '#waterfall');
  await visitor.waitForSelector('#detail');
  const sharedBars = await bars(visitor);
  await visitor.click('#waterfall .span.llm');
  await visitor.waitForSelector('#detail h2:text-is("ChatModel")');
  report('shared', {
    nav: await visitor.textContent('#nav'),
    heading: await visitor.textContent('.trace-head h1'),
    bars: sharedBars.map((b) => b.name),
    hash: hashPath(visitor),
    inputs: await chat(visitor, 'inputs'),
    keyStored: await visitor.evaluate(() => sessionStorage.length),
  });
  await shot(visitor, 'shared');
  await visitor.goto(`${BASE}/public/no-such-token/r`);
  await loaded(visitor, '#waterfall');
  report('shared-revoked', { notice: await visitor.textContent('.trace-head .notice') });

  // A key revoked while it is in use sends the next page back to sign-in, saying why.
  const revoked = await (await browser.newContext({ viewport })).newPage();
  await signIn(revoked, REVOCABLE_KEY);
  await loaded(revoked, '#projects');
  const empty = await revoked.textContent('#projects + div .notice');
  await waitFor('revoke-key');
  await revoked.reload();
  await revoked.waitForSelector('.signin .notice');
  report('revoked-key', { empty, hash: decodeURIComponent(hashPath(revoked)), notice: await revoked.textContent('.signin .notice'), stored: await revoked.evaluate(() => sessionStorage.length) });
} finally {
  await browser.close();
  input.close();
}
