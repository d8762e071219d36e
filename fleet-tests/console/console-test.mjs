#!/usr/bin/env node
// Drives the gateway console (GET /) in Debian's headless Chromium through playwright-core and checks what it shows.
//
//   node console-test.mjs <gatewayUrl> <apiKey> <screenshotPath> [--allow-down] [--query TEXT] [--corpora a,b]
//
// Checks: the key form takes the API key; the fleet table lists the eleven daemons with a readiness each (all ready,
// unless --allow-down) and, from GET /v1/fleet/metrics, each daemon's uptime, heap and request rate (the rate needs
// the page's second sample, a few seconds after the first); the search playground returns results and a gate report;
// the recent operations table lists observed operations newest first; the observed operations panel and the
// mutation journal tail render as tables; the five charts of GET /v1/fleet/metrics/history are drawn with points. Takes a full-page screenshot, prints a one-line JSON summary on stdout
// and exits 1 naming every failed expectation (2 on bad arguments). Never downloads a browser: it uses
// /usr/bin/chromium (override with CHROMIUM=/path).
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const DAEMONS = ['gateway', 'embedd', 'vectord', 'matrixd', 'chatd', 'validatord', 'distilld', 'replayd',
  'observerd', 'pathwayd', 'catalogd'];
const READY = new Set(['UP', 'READY', 'OK']);

function parseArgs(argv) {
  const pos = [];
  const opt = { allowDown: false, query: 'Need 2 forklift operators in Detroit', corpora: 'workers', timeoutMs: 90000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--allow-down') { opt.allowDown = true; }
    else if (a === '--query') { opt.query = argv[++i]; }
    else if (a === '--corpora') { opt.corpora = argv[++i]; }
    else if (a === '--timeout-ms') { opt.timeoutMs = parseInt(argv[++i], 10); }
    else { pos.push(a); }
  }
  if (pos.length !== 3 || !/^https?:\/\//.test(pos[0])) {
    console.error('usage: node console-test.mjs <gatewayUrl> <apiKey> <screenshotPath> [--allow-down] [--query TEXT] [--corpora a,b]');
    process.exit(2);
  }
  return { gateway: pos[0].replace(/\/+$/, ''), key: pos[1], screenshot: resolve(pos[2]), ...opt };
}

const args = parseArgs(process.argv.slice(2));
const failures = [];
const summary = {
  url: args.gateway + '/',
  daemons_listed: 0,
  daemons_ready: 0,
  daemons: {},
  fleet_summary: null,
  metrics_status: null,
  uptime_shown: 0,
  memory_shown: 0,
  rates_shown: 0,
  recent_ops: 0,
  recent_ops_newest_first: false,
  recent_ops_status: null,
  search_query: args.query,
  search_status: null,
  search_results: 0,
  search_corpora: [],
  gate_shown: false,
  gate_query_role: null,
  observer_shown: false,
  observer_total: null,
  journal_shown: false,
  journal_events: null,
  page_errors: [],
  screenshot: args.screenshot,
  elapsed_ms: 0,
  failures,
};
const expect = (ok, message) => { if (!ok) { failures.push(message); } return ok; };
const t0 = Date.now();

const profile = mkdtempSync(join(tmpdir(), 'lakehouse-console-'));
let browser;
try {
  // A fresh profile every run (playwright passes it as --user-data-dir).
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = browser.pages()[0] || await browser.newPage();
  page.setDefaultTimeout(args.timeoutMs);
  page.on('pageerror', (e) => summary.page_errors.push(String(e.message || e)));
  page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) { summary.page_errors.push(m.text()); } });

  const resp = await page.goto(args.gateway + '/', { waitUntil: 'domcontentloaded' });
  expect(resp && resp.status() === 200, `GET / answered ${resp ? resp.status() : 'nothing'}`);

  // 1. The API key, where the page asks for it.
  const keyInput = page.locator('#api-key, input[type=password]').first();
  await keyInput.waitFor({ state: 'visible' });
  await keyInput.fill(args.key);
  await keyInput.press('Enter');

  // 2. The eleven daemons with their readiness.
  const rowsSel = '#fleet-table tbody tr';
  try {
    await page.waitForFunction(({ sel, n, allowDown }) => {
      const rows = [...document.querySelectorAll(sel)];
      if (rows.length < n) { return false; }
      if (allowDown) { return true; }
      const up = rows.filter((r) => /^(UP|READY|OK)$/i.test((r.children[1] || {}).textContent || '')).length;
      return up >= n;
    }, { sel: rowsSel, n: DAEMONS.length, allowDown: args.allowDown }, { timeout: args.timeoutMs, polling: 500 });
  } catch (e) {
    // Not all ready in time: refresh once more and report what the page shows.
    await page.click('#refresh-fleet').catch(() => {});
    await page.waitForTimeout(2000);
  }
  const rows = await page.$$eval(rowsSel, (trs) => trs.map((tr) => ({
    name: tr.dataset.daemon || (tr.children[0] || {}).textContent || '',
    status: ((tr.children[1] || {}).textContent || '').trim(),
    cells: [...tr.children].map((td) => td.textContent.trim()),
  })));
  summary.daemons_listed = rows.length;
  for (const r of rows) { summary.daemons[r.name.trim()] = r.status; }
  summary.daemons_ready = rows.filter((r) => READY.has(r.status.toUpperCase())).length;
  summary.fleet_summary = (await page.textContent('#fleet-summary').catch(() => null))?.trim() ?? null;
  const missing = DAEMONS.filter((d) => !(d in summary.daemons));
  expect(missing.length === 0, `fleet table lacks ${missing.join(', ') || '-'} (shows ${rows.length} rows)`);
  expect(rows.every((r) => r.status.length > 0), 'a daemon row shows no readiness');
  if (!args.allowDown) {
    const notReady = Object.entries(summary.daemons).filter(([, s]) => !READY.has(s.toUpperCase())).map(([d, s]) => `${d}=${s}`);
    expect(summary.daemons_ready === DAEMONS.length, `not every daemon shown ready: ${notReady.join(', ')}`);
  }

  // 2b. Uptime, heap and request rate per daemon (metric cells carry the raw number in data-value once known).
  const metricsSeen = (col) => page.$$eval(`#fleet-table tbody tr td[data-col="${col}"]`,
    (tds) => tds.filter((td) => td.dataset.value !== undefined && td.dataset.value !== '').length);
  try {
    await page.waitForFunction(({ n, allowDown }) => {
      const rows = [...document.querySelectorAll('#fleet-table tbody tr')];
      const rated = rows.filter((r) => { const td = r.querySelector('td[data-col="rps"]'); return td && td.dataset.value; });
      return allowDown ? rated.length >= 1 : rated.length >= n;
    }, { n: DAEMONS.length, allowDown: args.allowDown }, { timeout: Math.min(args.timeoutMs, 45000), polling: 500 });
  } catch (e) {
    // reported below with the counts the page shows
  }
  summary.uptime_shown = await metricsSeen('uptime');
  summary.memory_shown = await metricsSeen('heap');
  summary.rates_shown = await metricsSeen('rps');
  summary.metrics_status = ((await page.textContent('#metrics-status').catch(() => null)) || '').trim();
  summary.daemon_metrics = await page.$$eval('#fleet-table tbody tr', (trs) => Object.fromEntries(trs.map((tr) => [
    tr.dataset.daemon, Object.fromEntries([...tr.querySelectorAll('td[data-col]')].map((td) => [td.dataset.col, td.textContent.trim()]))])));
  if (!args.allowDown) {
    expect(summary.uptime_shown === DAEMONS.length, `uptime shown for ${summary.uptime_shown} of ${DAEMONS.length} daemons (${summary.metrics_status})`);
    expect(summary.memory_shown === DAEMONS.length, `heap shown for ${summary.memory_shown} of ${DAEMONS.length} daemons (${summary.metrics_status})`);
    expect(summary.rates_shown === DAEMONS.length, `request rate shown for ${summary.rates_shown} of ${DAEMONS.length} daemons (${summary.metrics_status})`);
  } else {
    expect(summary.uptime_shown >= 1, `no daemon shows an uptime, not even the gateway (${summary.metrics_status})`);
  }

  // 3. The search playground: results with attribution and the gate report.
  await page.fill('#q-text', args.query);
  await page.fill('#q-corpora', args.corpora);
  await page.click('#search-form button[type=submit], #search-form button');
  try {
    await page.waitForFunction(() => {
      const s = (document.getElementById('search-status') || {}).textContent || '';
      return s.trim().length > 0 && !/searching/i.test(s);
    }, null, { timeout: args.timeoutMs, polling: 250 });
  } catch (e) {
    failures.push('search did not finish within ' + args.timeoutMs + ' ms');
  }
  summary.search_status = (await page.textContent('#search-status'))?.trim() ?? null;
  const hits = await page.$$eval('#search-results tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent.trim())));
  summary.search_results = hits.length;
  summary.search_corpora = [...new Set(hits.map((h) => h[2]).filter((c) => c))];
  const gateText = ((await page.textContent('#gate-report')) || '').trim();
  let gate = null;
  try { gate = JSON.parse(gateText); } catch (e) { /* not JSON: no report */ }
  summary.gate_shown = gate !== null && typeof gate === 'object';
  summary.gate_query_role = gate && gate.query_role !== undefined ? gate.query_role : null;
  if (!args.allowDown) {
    expect(hits.length > 0, `search "${args.query}" over ${args.corpora} showed no results (status: ${summary.search_status})`);
    expect(hits.every((h) => h[1] && h[2]), 'a result row lacks its id or corpus (attribution)');
    expect(summary.gate_shown, `no gate report shown (panel says: ${gateText.slice(0, 200)})`);
  } else {
    expect(summary.search_status && summary.search_status.length > 0, 'search shows no status at all');
  }

  // 4. Observed operations and the mutation journal tail.
  await page.waitForFunction(() => {
    const s = (id) => ((document.getElementById(id) || {}).textContent || '').trim();
    return !/not loaded/i.test(s('observer-status')) && !/not loaded/i.test(s('journal-status'));
  }, null, { timeout: args.timeoutMs, polling: 250 }).catch(() => failures.push('observer or journal panel never loaded'));
  const obsStatus = ((await page.textContent('#observer-status')) || '').trim();
  const obsTotal = await page.getAttribute('#observer-totals', 'data-total');
  const obsRows = await page.locator('#observer-totals tbody tr').count();
  summary.observer_sources = await page.locator('#observer-sources tbody tr').count();
  summary.observer_shown = obsRows > 0;
  summary.observer_total = obsTotal === null ? null : parseInt(obsTotal, 10);
  const jStatus = ((await page.textContent('#journal-status')) || '').trim();
  const jRows = await page.$$eval('#journal-events tbody tr', (trs) => trs.map((tr) => parseInt(tr.dataset.seq, 10)));
  summary.journal_shown = jRows.length > 0;
  summary.journal_events = jRows.length;
  summary.journal_newest_first = jRows.every((v, i) => i === 0 || v < jRows[i - 1]);
  summary.journal_tail = /showing the last/.test(jStatus);
  // the metrics history drawn as charts: every chart has lines with points (the fleet has been up for a while)
  await page.waitForFunction(() => [...document.querySelectorAll('.chart')].every((c) => parseInt(c.dataset.points || '0', 10) > 0),
    null, { timeout: Math.min(args.timeoutMs, 40000), polling: 500 }).catch(() => {});
  summary.charts = await page.$$eval('.chart', (cs) => Object.fromEntries(cs.map((c) => [c.id, {
    samples: parseInt(c.dataset.samples || '0', 10), points: parseInt(c.dataset.points || '0', 10),
    series: parseInt(c.dataset.series || '0', 10), canvas: !!c.querySelector('canvas') }])));
  summary.charts_status = ((await page.textContent('#charts-status')) || '').trim();
  summary.charts_drawn = Object.values(summary.charts).filter((c) => c.canvas && c.points > 0).length;
  const embedStatus = ((await page.textContent('#embed-status')) || '').trim();
  summary.embed_cache_shown = /hit rate \d/.test(embedStatus);
  summary.embed_status = embedStatus;
  if (!args.allowDown) {
    expect(summary.embed_cache_shown, `embed cache hit rate not shown (${embedStatus})`);
    expect(summary.journal_tail, `journal panel does not say it shows the tail (${jStatus})`);
    expect(summary.observer_total !== null && summary.observer_sources > 0, `observed operations tables show no stats (${obsStatus})`);
    expect(summary.journal_shown && summary.journal_newest_first, `journal table shows no events newest first (${jStatus})`);
    expect(summary.charts_drawn === 5, `${summary.charts_drawn} of 5 charts drawn with points (${summary.charts_status}): ${JSON.stringify(summary.charts)}`);
  } else {
    expect(obsStatus.length > 0 && jStatus.length > 0, 'observer or journal panel shows no status');
  }

  // 5. Recent observed operations, newest first.
  await page.waitForFunction(() => !/not loaded/i.test((document.getElementById('recent-ops-status') || {}).textContent || ''),
    null, { timeout: args.timeoutMs, polling: 250 }).catch(() => failures.push('recent operations panel never loaded'));
  summary.recent_ops_status = ((await page.textContent('#recent-ops-status')) || '').trim();
  const ops = await page.$$eval('#recent-ops tbody tr[data-op-id]', (trs) => trs.map((tr) => ({
    id: tr.dataset.opId,
    ts: tr.dataset.timestamp,
    cells: Object.fromEntries([...tr.querySelectorAll('td[data-col]')].map((td) => [td.dataset.col, td.textContent.trim()])),
  })));
  summary.recent_ops = ops.length;
  const times = ops.map((o) => Date.parse(o.ts));
  summary.recent_ops_newest_first = ops.length > 0 && times.every((t, i) => !Number.isNaN(t) && (i === 0 || t <= times[i - 1]));
  summary.recent_op_first = ops.length > 0 ? ops[0].cells : null;
  if (!args.allowDown) {
    expect(ops.length >= 1 && ops.length <= 20, `recent operations table shows ${ops.length} rows, expected 1..20 (${summary.recent_ops_status})`);
    expect(summary.recent_ops_newest_first, 'recent operations are not newest first: ' + ops.map((o) => o.ts).join(', '));
    expect(ops.every((o) => o.cells.time && o.cells.source && o.cells.endpoint && /^(ok|failed)$/.test(o.cells.outcome)),
      'a recent operation row lacks its time, source, endpoint or outcome');
  } else {
    expect(summary.recent_ops_status.length > 0, 'recent operations panel shows no status');
  }

  expect(summary.page_errors.length === 0, `JavaScript errors on the page: ${summary.page_errors.join(' | ')}`);

  mkdirSync(dirname(args.screenshot), { recursive: true });
  await page.screenshot({ path: args.screenshot, fullPage: true });
} catch (e) {
  failures.push('console test aborted: ' + (e && e.message ? e.message.split('\n')[0] : String(e)));
} finally {
  if (browser) { await browser.close().catch(() => {}); }
  rmSync(profile, { recursive: true, force: true });
}

summary.elapsed_ms = Date.now() - t0;
console.log(JSON.stringify(summary));
if (failures.length > 0) {
  console.error('console test FAILED:\n  - ' + failures.join('\n  - '));
  process.exit(1);
}
