// The lakehouse console: plain browser JS against the gateway's own routes, with the API key kept in localStorage.
(function () {
  'use strict';
  const KEY = 'lakehouse.apiKey';
  const $ = (id) => document.getElementById(id);

  function apiKey() { return localStorage.getItem(KEY) || ''; }

  function showKeyState() {
    $('key-state').textContent = apiKey() ? 'key set' : 'no key (only open routes will answer)';
  }

  // Calls the gateway; answers {ok, status, body} and never throws, so a panel can say what went wrong.
  async function call(method, path, body) {
    const headers = { 'Accept': 'application/json' };
    if (apiKey()) { headers['Authorization'] = 'Bearer ' + apiKey(); }
    if (body !== undefined) { headers['Content-Type'] = 'application/json'; }
    try {
      const resp = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await resp.text();
      let parsed = text;
      try { parsed = text ? JSON.parse(text) : null; } catch (e) { /* not JSON: keep the text */ }
      return { ok: resp.ok, status: resp.status, body: parsed };
    } catch (e) {
      return { ok: false, status: 0, body: { detail: 'network error: ' + e.message } };
    }
  }

  // One line describing a failed call: 401 asks for a key, 501/503 say the daemon is not built or not up.
  function problemText(r, what) {
    const b = r.body || {};
    const detail = (typeof b === 'object' && b.detail) ? b.detail : (typeof b === 'string' ? b.slice(0, 200) : '');
    if (r.status === 401) { return what + ': 401, set a valid API key above'; }
    if (r.status === 501) { return what + ': 501, not implemented in this build' + (detail ? ' (' + detail + ')' : ''); }
    if (r.status === 503) { return what + ': 503, the daemon is unavailable' + (detail ? ' (' + detail + ')' : ''); }
    return what + ': HTTP ' + r.status + (detail ? ' (' + detail + ')' : '');
  }

  function setStatus(el, text, isProblem) {
    el.textContent = text;
    el.className = isProblem ? 'problem' : 'muted';
  }

  function cell(tr, text, cls) {
    const td = document.createElement('td');
    td.textContent = text === undefined || text === null ? '' : String(text);
    if (cls) { td.className = cls; }
    tr.appendChild(td);
  }

  async function loadFleet() {
    const r = await call('GET', '/v1/fleet/health');
    const tbody = $('fleet-table').querySelector('tbody');
    tbody.innerHTML = '';
    if (!r.ok) { setStatus($('fleet-summary'), problemText(r, 'fleet health'), true); return; }
    const f = r.body;
    setStatus($('fleet-summary'), f.ready_count + ' of ' + f.total + ' ready (' + f.status + ')', f.status !== 'ok');
    for (const d of f.daemons) {
      const tr = document.createElement('tr');
      tr.dataset.daemon = d.name;
      cell(tr, d.name);
      cell(tr, d.status, d.status);
      cell(tr, d.latency_ms + ' ms');
      for (const col of METRIC_COLUMNS) { metricCell(tr, col); }
      cell(tr, d.url);
      cell(tr, d.error || '');
      tbody.appendChild(tr);
    }
    applyMetrics();
  }

  // Per-daemon uptime, heap and request rates from GET /v1/fleet/metrics, shown in the fleet table's metric cells.
  // Each cell carries data-col and, when known, data-value (the raw number) for scripts and the browser test.
  const METRIC_COLUMNS = ['uptime', 'heap', 'rps', 'eps'];
  let lastMetrics = null;
  let rateRetry = false;

  function metricCell(tr, col) {
    const td = document.createElement('td');
    td.dataset.col = col;
    td.className = 'num';
    tr.appendChild(td);
  }

  function duration(seconds) {
    const s = Math.floor(seconds);
    if (s < 60) { return s + ' s'; }
    if (s < 3600) { return Math.floor(s / 60) + ' min ' + (s % 60) + ' s'; }
    if (s < 86400) { return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min'; }
    return Math.floor(s / 86400) + ' d ' + Math.floor((s % 86400) / 3600) + ' h';
  }

  function mb(bytes) { return (bytes / 1048576).toFixed(1); }

  function rate(v) { return v >= 100 ? v.toFixed(0) : v.toFixed(2); }

  // text, raw value and tooltip of one metric cell for one daemon's metrics entry
  function metricView(col, m) {
    if (!m || m.status !== 'UP') {
      // the status column already says DOWN; the reason is in the tooltip
      return { text: m ? '-' : '', title: m ? m.status + (m.error ? ': ' + m.error : '') : '' };
    }
    switch (col) {
      case 'uptime':
        return m.uptime_seconds === null ? { text: '-' } : { text: duration(m.uptime_seconds), value: m.uptime_seconds };
      case 'heap':
        if (m.heap_used_bytes === null) { return { text: '-' }; }
        return { text: mb(m.heap_used_bytes) + (m.heap_max_bytes ? ' / ' + mb(m.heap_max_bytes) : '') + ' MB',
          value: m.heap_used_bytes,
          title: m.nonheap_used_bytes === null ? '' : 'non-heap ' + mb(m.nonheap_used_bytes) + ' MB' };
      case 'rps':
        return m.requests_per_second === null
          ? { text: '...', title: m.requests_total + ' requests so far; the rate needs a second sample' }
          : { text: rate(m.requests_per_second), value: m.requests_per_second, title: m.requests_total + ' requests since start' };
      case 'eps':
        return m.errors_per_second === null ? { text: '...' }
          : { text: rate(m.errors_per_second), value: m.errors_per_second, title: m.errors_total + ' 5xx answers since start' };
      default:
        return { text: '' };
    }
  }

  function applyMetrics() {
    if (!lastMetrics) { return; }
    for (const tr of $('fleet-table').querySelectorAll('tbody tr')) {
      const m = lastMetrics[tr.dataset.daemon];
      for (const td of tr.querySelectorAll('td[data-col]')) {
        const v = metricView(td.dataset.col, m);
        td.textContent = v.text;
        td.title = v.title || '';
        if (v.value === undefined) { delete td.dataset.value; } else { td.dataset.value = String(v.value); }
      }
    }
  }

  async function loadMetrics() {
    const r = await call('GET', '/v1/fleet/metrics');
    if (!r.ok) { setStatus($('metrics-status'), problemText(r, 'fleet metrics'), true); return; }
    lastMetrics = {};
    for (const d of r.body.daemons) { lastMetrics[d.name] = d; }
    setStatus($('metrics-status'), r.body.up_count + ' of ' + r.body.total + ' answered, sampled '
      + new Date(r.body.sampled_at).toLocaleTimeString(), r.body.up_count !== r.body.total);
    applyMetrics();
    // Rates need two samples: after the very first one, take the second soon instead of in 10 s.
    const noRate = r.body.daemons.some((d) => d.status === 'UP' && d.requests_per_second === null);
    if (noRate && !rateRetry) { rateRetry = true; setTimeout(loadMetrics, 3000); }
  }

  // The newest observed operations, newest first. observerd's order=desc is by arrival; daemons ship their
  // operations in batches, so arrival order is not quite time order: the 20 received last are sorted by their time.
  async function loadRecentOps() {
    const r = await call('GET', '/v1/observer/ops?order=desc&limit=20');
    const tbody = $('recent-ops').querySelector('tbody');
    if (!r.ok) { setStatus($('recent-ops-status'), problemText(r, 'recent operations'), true); tbody.innerHTML = ''; return; }
    const ops = (r.body.ops || []).slice().sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp));
    tbody.innerHTML = '';
    for (const op of ops) {
      const tr = document.createElement('tr');
      tr.dataset.opId = op.op_id;
      tr.dataset.timestamp = op.timestamp;
      const failed = op.success === false || ((op.success === null || op.success === undefined) && !!op.error);
      const at = new Date(op.timestamp);
      opCell(tr, 'time', at.toLocaleTimeString(), at.toISOString());
      opCell(tr, 'source', op.source);
      opCell(tr, 'endpoint', op.endpoint, op.kind ? 'kind: ' + op.kind : '');
      opCell(tr, 'outcome', failed ? 'failed' : 'ok', op.error || '').className = failed ? 'DOWN' : 'UP';
      opCell(tr, 'duration', typeof op.latency_ms === 'number' ? op.latency_ms + ' ms' : '');
      opCell(tr, 'request_id', op.request_id || '');
      tbody.appendChild(tr);
    }
    setStatus($('recent-ops-status'), ops.length === 0 ? 'no observed operations yet'
      : 'the ' + ops.length + ' received last, newest first; loaded ' + new Date().toLocaleTimeString(), false);
  }

  function opCell(tr, col, text, title) {
    const td = document.createElement('td');
    td.dataset.col = col;
    td.textContent = text === undefined || text === null ? '' : String(text);
    if (title) { td.title = title; }
    tr.appendChild(td);
    return td;
  }

  async function search(ev) {
    ev.preventDefault();
    const req = {
      query_text: $('q-text').value,
      corpora: $('q-corpora').value.split(',').map((s) => s.trim()).filter((s) => s),
      k: parseInt($('q-k').value, 10) || 10
    };
    if ($('q-role').value.trim()) { req.query_role = $('q-role').value.trim(); }
    setStatus($('search-status'), 'searching...', false);
    const r = await call('POST', '/v1/matrix/search', req);
    const tbody = $('search-results').querySelector('tbody');
    tbody.innerHTML = '';
    if (!r.ok) {
      setStatus($('search-status'), problemText(r, 'search'), true);
      $('gate-report').textContent = 'none';
      return;
    }
    const results = r.body.results || [];
    setStatus($('search-status'), results.length + ' result(s)' +
      (r.body.metadata_filter_dropped ? ', ' + r.body.metadata_filter_dropped + ' dropped by the metadata filter' : ''), false);
    results.forEach((x, i) => {
      const tr = document.createElement('tr');
      cell(tr, i + 1);
      cell(tr, x.id);
      cell(tr, x.corpus);
      cell(tr, typeof x.distance === 'number' ? x.distance.toFixed(4) : x.distance);
      cell(tr, JSON.stringify(x.metadata || {}));
      tbody.appendChild(tr);
    });
    $('gate-report').textContent = r.body.gate ? JSON.stringify(r.body.gate, null, 2) : 'no gate report in the answer';
  }

  // Observed operations: the counters as one table, the operations by source as another (largest first).
  const OBSERVER_COUNTERS = [['total', 'operations held'], ['successes', 'succeeded'], ['failures', 'failed'],
    ['in_ring', 'in the ring'], ['dropped', 'dropped from the ring'], ['duplicates', 'duplicates ignored'],
    ['spool_failures', 'spool write failures'], ['ship_failures', 'S3 upload failures'], ['shipped_segments', 'segments shipped to S3']];

  async function loadObserverStats() {
    const r = await call('GET', '/v1/observer/stats');
    const totals = $('observer-totals').querySelector('tbody');
    const sources = $('observer-sources').querySelector('tbody');
    totals.innerHTML = '';
    sources.innerHTML = '';
    if (!r.ok) { setStatus($('observer-status'), problemText(r, 'observer stats'), true); delete $('observer-totals').dataset.total; return; }
    const b = r.body || {};
    for (const [k, label] of OBSERVER_COUNTERS) {
      if (b[k] === undefined) { continue; }
      const tr = document.createElement('tr');
      tr.dataset.key = k;
      cell(tr, label);
      cell(tr, typeof b[k] === 'number' ? b[k].toLocaleString() : b[k], 'num');
      if ((k === 'failures' || k.endsWith('_failures')) && b[k] > 0) { tr.className = 'problem'; }
      totals.appendChild(tr);
    }
    if (typeof b.total === 'number') { $('observer-totals').dataset.total = String(b.total); }
    const bySource = Object.entries(b.by_source || {}).sort((x, y) => y[1] - x[1]);
    for (const [src, n] of bySource) {
      const tr = document.createElement('tr');
      tr.dataset.source = src;
      cell(tr, src);
      cell(tr, n.toLocaleString(), 'num');
      cell(tr, b.total ? (100 * n / b.total).toFixed(1) + '%' : '', 'num');
      sources.appendChild(tr);
    }
    setStatus($('observer-status'), 'loaded ' + new Date().toLocaleTimeString(), false);
  }

  function short(v) {
    if (v === null || v === undefined) { return ''; }
    const t = typeof v === 'string' ? v : JSON.stringify(v);
    return t.length > 80 ? t.slice(0, 77) + '...' : t;
  }

  // The journal tail: verify says how many events there are, the page shows the last 20 (cursor = seq seen).
  async function loadJournalTail() {
    const v = await call('GET', '/v1/journal/verify');
    const count = v.ok && v.body && typeof v.body.events === 'number' ? v.body.events : 0;
    const after = Math.max(0, count - 20);
    const r = await call('GET', '/v1/journal/events?limit=20&cursor=' + after);
    const tbody = $('journal-events').querySelector('tbody');
    tbody.innerHTML = '';
    if (!r.ok) { setStatus($('journal-status'), problemText(r, 'journal'), true); return; }
    const events = (r.body && r.body.events) || [];
    for (const e of events.slice().reverse()) {
      const tr = document.createElement('tr');
      tr.dataset.seq = String(e.seq);
      cell(tr, e.seq, 'num');
      cell(tr, e.timestamp ? new Date(e.timestamp).toLocaleTimeString() : '');
      cell(tr, (e.entity_type || '') + ' ' + (e.entity_id || ''));
      cell(tr, e.action + (e.field ? ' ' + e.field : ''));
      const change = e.new_value !== null && e.new_value !== undefined ? e.new_value : e.old_value;
      const td = document.createElement('td');
      td.textContent = short(change);
      td.title = change === null || change === undefined ? '' : JSON.stringify(change);
      tr.appendChild(td);
      cell(tr, e.source || e.actor || '');
      cell(tr, e.request_id || '');
      tbody.appendChild(tr);
    }
    let text = 'loaded ' + new Date().toLocaleTimeString();
    if (v.ok && v.body) {
      text += ' | chain ' + (v.body.intact ? 'intact' : 'BROKEN at seq ' + v.body.first_broken_seq)
        + ', ' + count + ' events, showing the last ' + Math.min(20, count) + ' (newest first)';
    }
    setStatus($('journal-status'), text, v.ok && v.body && !v.body.intact);
  }

  // The charts: the gateway's ring of samples (GET /v1/fleet/metrics/history), drawn by charts.js.
  async function loadHistory() {
    const r = await call('GET', '/v1/fleet/metrics/history');
    if (!r.ok) { setStatus($('charts-status'), problemText(r, 'metrics history'), true); return; }
    const h = r.body;
    window.drawFleetHistory(h);
    const span = h.times.length > 1 ? Math.round((h.times[h.times.length - 1] - h.times[0]) / 1000) : 0;
    setStatus($('charts-status'), h.samples + ' of ' + h.capacity + ' samples (' + duration(span) + ', one every '
      + Math.round(h.interval_ms / 1000) + ' s)' + (h.samples < 2 ? '; rates need two samples, the first lines appear after '
      + Math.round(2 * h.interval_ms / 1000) + ' s' : ''), false);
  }

  // The embed cache: hit rate and size from embedd's own statistics.
  async function loadEmbedStats() {
    const r = await call('GET', '/v1/embed/stats');
    if (!r.ok) { setStatus($('embed-status'), problemText(r, 'embed stats'), true); return; }
    const b = r.body;
    setStatus($('embed-status'), 'hit rate ' + (100 * (b.hit_rate || 0)).toFixed(1) + '% (' + b.hits + ' hits, '
      + b.misses + ' misses), ' + b.size + ' entries', false);
  }

  function refreshAll() {
    loadFleet();
    loadMetrics();
    loadRecentOps();
    loadEmbedStats();
    loadObserverStats();
    loadJournalTail();
    loadHistory();
  }

  $('key-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const k = $('api-key').value.trim();
    if (k) { localStorage.setItem(KEY, k); }
    $('api-key').value = '';
    showKeyState();
    refreshAll();
  });
  $('forget-key').addEventListener('click', () => { localStorage.removeItem(KEY); showKeyState(); refreshAll(); });
  $('refresh-fleet').addEventListener('click', () => { loadFleet(); loadMetrics(); });
  $('refresh-recent-ops').addEventListener('click', loadRecentOps);
  $('refresh-observer').addEventListener('click', loadObserverStats);
  $('refresh-charts').addEventListener('click', loadHistory);
  $('refresh-journal').addEventListener('click', loadJournalTail);
  $('search-form').addEventListener('submit', search);

  showKeyState();
  refreshAll();
  setInterval(() => { loadFleet(); loadMetrics(); loadRecentOps(); loadHistory(); }, 10000);
})();
