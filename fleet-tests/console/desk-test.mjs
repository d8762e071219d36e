#!/usr/bin/env node
// Drives the staffing desk (GET /desk/) in Debian's headless Chromium through playwright-core and fills a demo job
// order end to end, the way a coordinator would.
//
//   node desk-test.mjs <gatewayUrl> <apiKey> <screenshotDir> [--model provider/model] [--timeout-ms N]
//
// By hand (always): a wrong key shows the gateway's 401 detail; the open orders load from the catalog; the first
// order's candidates show why each ranks; two workers are picked; a hand-written draft with a planted SSN is refused
// (ssn_detected next to the email body, Confirm disabled); the clean draft passes and is confirmed; the same search
// re-run shows the confirmed workers boosted by the playbook; History lists the fill with the operations behind it.
// With --model (a chat provider is usable, e.g. the fleet test's fake OpenAI upstream): a second order is drafted by
// the model through POST /v1/iterate (the fake's first answers are refused and corrected) and confirmed.
// Screenshots: desk.png (after the hand-written fill), desk-refused.png (the planted SSN), desk-model.png.
// Prints a one-line JSON summary; exits 1 naming every failed expectation (2 on bad arguments).
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

function parseArgs(argv) {
  const pos = [];
  const opt = { model: null, timeoutMs: 90000 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--model') { opt.model = argv[++i]; }
    else if (argv[i] === '--timeout-ms') { opt.timeoutMs = parseInt(argv[++i], 10); }
    else { pos.push(argv[i]); }
  }
  if (pos.length !== 3 || !/^https?:\/\//.test(pos[0])) {
    console.error('usage: node desk-test.mjs <gatewayUrl> <apiKey> <screenshotDir> [--model provider/model]');
    process.exit(2);
  }
  return { gateway: pos[0].replace(/\/+$/, ''), key: pos[1], shots: resolve(pos[2]), ...opt };
}

const args = parseArgs(process.argv.slice(2));
const failures = [];
const summary = { url: args.gateway + '/desk/', wrong_key_status: null, orders: 0, order: null, candidates: 0,
  why_shown: 0, picked: [], refused_codes: [], refused_confirm_disabled: null, clean_passed: false, confirmed: null,
  before: {}, after: {}, boosted: [], history_fills: 0, history_ops: 0, model: null, page_errors: [], elapsed_ms: 0, failures };
const expect = (ok, message) => { if (!ok) { failures.push(message); } return ok; };
const t0 = Date.now();
const SSN = '123-45-6789';

const profile = mkdtempSync(join(tmpdir(), 'lakehouse-desk-'));
let browser;
let page;
try {
  mkdirSync(args.shots, { recursive: true });
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1500, height: 1100 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = browser.pages()[0] || await browser.newPage();
  page.setDefaultTimeout(args.timeoutMs);
  page.on('pageerror', (e) => summary.page_errors.push(String(e.message || e)));
  page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) { summary.page_errors.push(m.text()); } });
  const text = async (sel) => ((await page.textContent(sel).catch(() => '')) || '').trim();
  const idle = () => page.waitForFunction(() => document.getElementById('progress').hidden, null, { polling: 100 });

  const resp = await page.goto(args.gateway + '/desk/', { waitUntil: 'domcontentloaded' });
  expect(resp && resp.status() === 200, `GET /desk/ answered ${resp ? resp.status() : 'nothing'} (it must be open, without a key)`);

  // 0. A wrong key: the gateway's 401 problem detail is shown, not a blank.
  await page.fill('#api-key', 'lh_wrong_key');
  await page.press('#api-key', 'Enter');
  await page.waitForFunction(() => /failed/.test(document.getElementById('orders-status').textContent), null, { polling: 100 });
  summary.wrong_key_status = await text('#orders-status');
  expect(/401/.test(summary.wrong_key_status) && /not valid/i.test(summary.wrong_key_status),
    `a wrong key does not show the 401 detail: "${summary.wrong_key_status}"`);

  // 1. The right key; open orders from the catalog, largest pool first.
  await page.fill('#api-key', args.key);
  await page.press('#api-key', 'Enter');
  await page.waitForFunction(() => document.querySelectorAll('#orders-table tbody tr').length > 0, null, { polling: 200 });
  summary.orders = await page.locator('#orders-table tbody tr').count();
  const rows = () => page.$$eval('#cand-table tbody tr', (trs) => trs.map((tr) => ({
    id: tr.dataset.workerId, distance: parseFloat(tr.dataset.distance), playbook: tr.dataset.playbook || null,
    dnp: tr.classList.contains('dnp'), why: tr.querySelector('.why').textContent })));
  // The first order (of the first five) with two placeable candidates that no playbook boosts yet (./lakehouse
  // demo may have recorded one for the same order), so the boost the confirm adds can be seen.
  let before = [];
  let picks = [];
  for (let n = 0; n < Math.min(5, summary.orders) && picks.length < 2; n++) {
    const row = page.locator('#orders-table tbody tr').nth(n);
    summary.order = await row.getAttribute('data-job-id');
    await row.click();
    // 2. Candidates with why each ranks.
    await page.waitForFunction((id) => document.querySelector('#orders-table tr.selected')?.dataset.jobId === id
      && document.querySelectorAll('#cand-table tbody tr').length > 0, summary.order, { polling: 200 });
    await idle();
    before = await rows();
    picks = before.filter((r) => !r.dnp && !r.playbook).slice(0, 2);
  }
  summary.candidates = before.length;
  summary.why_shown = before.filter((r) => /distance \d/.test(r.why) && /gate|gated/.test(r.why)).length;
  expect(summary.why_shown === before.length, `not every candidate says why it ranks (${summary.why_shown} of ${before.length})`);
  expect(/gate: /.test(await text('#gate-line')), 'the gate report line is missing');
  expect(picks.length === 2, `no order among the first five has two placeable candidates without a playbook boost`);
  before.forEach((r, i) => { summary.before[r.id] = { rank: i + 1, distance: r.distance, playbook: r.playbook }; });
  for (const p of picks) {
    await page.check(`#cand-table tbody tr[data-worker-id="${p.id}"] input[type=checkbox]`);
    summary.picked.push(p.id);
  }

  // 3. A hand-written draft with a planted SSN: refused next to the body, Confirm stays disabled.
  await page.fill('#d-count', '2');
  await page.click('#draft-hand');
  const body = await page.inputValue('#email-body');
  await page.fill('#email-body', body + `\nFor the badge office, ${picks[0].id}'s SSN is ${SSN}.`);
  await page.click('#check');
  await page.waitForFunction(() => document.querySelectorAll('#draft .findings li').length > 0, null, { polling: 100 });
  await idle();
  summary.refused_codes = await page.$$eval('#draft .findings[data-for="body"] li', (lis) => lis.map((li) => li.dataset.code));
  summary.refused_confirm_disabled = await page.isDisabled('#confirm');
  expect(summary.refused_codes.includes('ssn_detected'), `the planted SSN is not refused next to the body: ${summary.refused_codes}`);
  expect(summary.refused_confirm_disabled, 'Confirm is enabled although the email fails validation');
  await page.screenshot({ path: join(args.shots, 'desk-refused.png'), fullPage: true });

  // The clean draft passes both validators and is confirmed.
  await page.click('#draft-hand');
  expect(await page.isDisabled('#confirm'), 'Confirm is enabled for a draft that was never checked');
  await page.click('#check');
  await page.waitForFunction(() => !document.getElementById('confirm').disabled
    || /fix what/.test(document.getElementById('confirm-state').textContent), null, { polling: 100 });
  summary.clean_passed = !(await page.isDisabled('#confirm'));
  expect(summary.clean_passed, 'the clean draft did not pass: ' + (await text('#draft')).slice(0, 600));
  if (summary.clean_passed) {
    await page.click('#confirm');
    await page.waitForFunction(() => document.querySelectorAll('#boost-table tbody tr').length > 0
      || /failed/.test(document.getElementById('confirm-state').textContent), null, { polling: 200 });
    await idle();
    summary.confirmed = await text('#confirm-state');
    expect(/^confirmed/.test(summary.confirmed), `confirm failed: ${summary.confirmed}`);
    // 4. The re-run search: the confirmed workers are boosted by the playbook and closer than before.
    const after = await rows();
    after.forEach((r, i) => { summary.after[r.id] = { rank: i + 1, distance: r.distance, playbook: r.playbook }; });
    summary.boosted = await page.$$eval('#boost-table tbody tr[data-playbook]', (trs) => trs.map((tr) => tr.dataset.workerId));
    for (const p of picks) {
      const a = summary.after[p.id];
      const b = summary.before[p.id];
      expect(a && a.playbook === 'boosted', `${p.id} is not boosted after the confirm (${JSON.stringify(a)})`);
      // closer than before (a worker already boosted by an older playbook may swap places with the other one)
      expect(a && b && a.distance < b.distance, `${p.id} did not move closer: before ${JSON.stringify(b)}, after ${JSON.stringify(a)}`);
    }
    expect(/2 of 2 confirmed worker/.test(await text('#learned-status')), `the desk does not say what moved: ${await text('#learned-status')}`);

    // History: this fill with its validation reports and the operations behind it (they arrive in batches).
    const deadline = Date.now() + 30000;
    while (Date.now() < deadline) {
      const ops = await page.$$eval('#history-list .fill', (fs) => fs.map((f) => parseInt(f.dataset.ops || '0', 10)));
      if (ops.length > 0 && ops[0] > 0) { break; }
      await page.waitForTimeout(1500);
      await page.click('#refresh-history');
      await idle();
    }
    summary.history_fills = await page.locator('#history-list .fill').count();
    summary.history_ops = parseInt((await page.getAttribute('#history-list .fill >> nth=0', 'data-ops')) || '0', 10);
    const firstFill = await text('#history-list .fill >> nth=0');
    expect(summary.history_fills >= 1, 'History lists no fill');
    expect(/fill validation: passed/.test(firstFill) && /email validation: passed/.test(firstFill), `History lacks the reports: ${firstFill.slice(0, 300)}`);
    expect(summary.history_ops > 0, 'History shows no observed operation behind the fill');
    await page.waitForTimeout(1500);   // a refresh clicked last may still be re-drawing the list
    await page.evaluate(() => document.querySelectorAll('#history-list details')[0]?.setAttribute('open', ''));
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(args.shots, 'desk.png'), fullPage: true });
  }

  // With a chat provider: the model drafts the second order; the fake's planted phantom id and SSN are refused by
  // the iterate loop and corrected, and the result is confirmed.
  if (args.model) {
    const m = { order: null, iterate: null, confirmed: null };
    await page.waitForFunction(() => !document.getElementById('draft-model').disabled, null, { timeout: 20000, polling: 200 })
      .catch(() => failures.push('"Draft with the model" stays disabled although a chat provider is configured'));
    const second = page.locator('#orders-table tbody tr').nth(1);
    m.order = await second.getAttribute('data-job-id');
    await second.click();
    await page.waitForFunction(() => document.querySelectorAll('#cand-table tbody tr').length > 0, null, { polling: 200 });
    await idle();
    const cands = (await rows()).filter((r) => !r.dnp).slice(0, 2);
    for (const c of cands) { await page.check(`#cand-table tbody tr[data-worker-id="${c.id}"] input[type=checkbox]`); }
    await page.fill('#d-count', String(cands.length));
    await page.fill('#d-model', args.model);
    await page.click('#draft-model');
    await page.waitForFunction(() => document.querySelectorAll('#iterate-log div').length >= 2, null, { polling: 200 });
    await idle();
    m.iterate = await page.$$eval('#iterate-log div', (ds) => ds.map((d) => d.textContent));
    expect(m.iterate.length === 2 && m.iterate.every((l) => /passed after 2 attempt/.test(l)),
      `the model's drafts were not corrected by the iterate loop: ${JSON.stringify(m.iterate)}`);
    expect(!(await page.isDisabled('#confirm')), 'the corrected model draft cannot be confirmed: ' + (await text('#confirm-state')));
    if (!(await page.isDisabled('#confirm'))) {
      await page.click('#confirm');
      await page.waitForFunction(() => /confirmed|failed/.test(document.getElementById('confirm-state').textContent)
        && document.getElementById('progress').hidden, null, { polling: 200 });
      m.confirmed = await text('#confirm-state');
      expect(/^confirmed/.test(m.confirmed), `the model's fill was not confirmed: ${m.confirmed}`);
    }
    await page.screenshot({ path: join(args.shots, 'desk-model.png'), fullPage: true });
    summary.model = m;
  }
  expect(summary.page_errors.length === 0, `JavaScript errors on the page: ${summary.page_errors.join(' | ')}`);
} catch (e) {
  failures.push('desk test aborted: ' + (e && e.message ? e.message.split('\n')[0] : String(e)));
  if (page) { await page.screenshot({ path: join(args.shots, 'desk-failed.png'), fullPage: true }).catch(() => {}); }
} finally {
  if (browser) { await browser.close().catch(() => {}); }
  rmSync(profile, { recursive: true, force: true });
}

summary.elapsed_ms = Date.now() - t0;
console.log(JSON.stringify(summary));
if (failures.length > 0) {
  console.error('desk test FAILED:\n  - ' + failures.join('\n  - '));
  process.exit(1);
}
