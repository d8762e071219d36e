// The staffing desk: fill a job order from the browser through the gateway's own /v1 routes.
// 1 pick an order (SQL over job_orders) or type one; 2 candidates (matrix search over workers with the playbook
// boost, joined with SQL over workers for availability, certifications and do-not-place); 3 draft the fill and the
// client email (POST /v1/iterate with a chat provider, or by hand) and validate both (POST /v1/validate): nothing
// that fails validation can be confirmed; 4 confirm: record the playbooks and the pathway, re-run the search and
// show what moved; History: the last fills (observed operations source=desk) with the operations behind each.
// Every call of one fill carries an X-Request-Id starting with the fill's id, so its observed operations are found.
(function () {
  'use strict';
  const KEY = 'lakehouse.apiKey';
  const $ = (id) => document.getElementById(id);
  const state = {
    order: null, query: null, searchBody: null, results: [], workers: {}, picks: new Set(),
    reports: { fill: null, email: null }, validated: null, flow: null, calls: 0, started: null, gate: null,
    iterations: {}, chatUsable: false,
  };

  function apiKey() { return sessionStorage.getItem(KEY) || ''; }

  function newFlow() {
    state.flow = 'desk-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 8);
    state.calls = 0;
    state.started = new Date().toISOString();
  }

  // Calls the gateway; answers {ok, status, body, requestId} and never throws.
  async function call(method, path, body, step) {
    const headers = { 'Accept': 'application/json' };
    if (apiKey()) { headers['Authorization'] = 'Bearer ' + apiKey(); }
    if (body !== undefined) { headers['Content-Type'] = 'application/json'; }
    const requestId = state.flow ? state.flow + '-' + (step || 'call') + '-' + (++state.calls) : undefined;
    if (requestId) { headers['X-Request-Id'] = requestId; }
    try {
      const resp = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await resp.text();
      let parsed = text;
      try { parsed = text ? JSON.parse(text) : null; } catch (e) { /* not JSON: keep the text */ }
      return { ok: resp.ok, status: resp.status, body: parsed, requestId: resp.headers.get('X-Request-Id') || requestId };
    } catch (e) {
      return { ok: false, status: 0, body: { detail: 'network error: ' + e.message }, requestId };
    }
  }

  // The daemon's own words: problem+json detail (or the Go error body's reason), never a blank.
  function problem(r, what) {
    const b = r.body;
    let detail = '';
    if (b && typeof b === 'object') {
      detail = b.detail || (b.error && (b.error.reason || b.error.message || (typeof b.error === 'string' ? b.error : ''))) || b.title || '';
    } else if (typeof b === 'string') {
      detail = b.slice(0, 300);
    }
    if (r.status === 401) { detail = detail || 'set a valid API key above'; }
    return what + ' failed (HTTP ' + (r.status || 'no answer') + '): ' + (detail || 'the daemon gave no detail');
  }

  function setStatus(el, text, kind) {
    el.textContent = text;
    el.className = kind === 'problem' ? 'problem' : kind === 'ok' ? 'ok' : 'muted';
  }

  let busy = 0;
  async function step(text, fn) {
    busy++;
    $('progress').hidden = false;
    $('progress-text').textContent = text;
    document.body.classList.add('busy');
    try { return await fn(); } finally {
      if (--busy === 0) { $('progress').hidden = true; document.body.classList.remove('busy'); }
    }
  }

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function td(tr, text, cls) { const c = el('td', text, cls); tr.appendChild(c); return c; }
  function badge(text, cls, title) { const b = el('span', text, 'badge ' + (cls || '')); if (title) { b.title = title; } return b; }
  const sqlText = (s) => "'" + String(s).replace(/'/g, "''") + "'";
  const slug = (s) => String(s || '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const plural = (role, n) => (n === 1 ? role : role + 's');
  const fullName = (m) => ((m.first_name || '') + ' ' + (m.last_name || '')).trim();

  // ---- key and chat providers ------------------------------------------------------------------------------
  function showKeyState() { $('key-state').textContent = apiKey() ? 'key set (this tab only)' : 'no key: paste the gateway API key'; }

  async function loadProviders() {
    const r = await call('GET', '/v1/chat/providers');
    const list = r.ok ? (Array.isArray(r.body) ? r.body : (r.body && r.body.providers) || []) : [];
    const usable = list.filter((p) => p.usable && p.configured !== false);
    state.chatUsable = usable.length > 0;
    $('draft-model').disabled = !state.chatUsable;
    if (!r.ok) {
      setStatus($('chat-state'), problem(r, 'chat providers'), 'problem');
    } else if (state.chatUsable) {
      setStatus($('chat-state'), 'chat: ' + usable.map((p) => p.name).join(', ') + ' usable', '');
      if (!$('d-model').value) { $('d-model').value = usable[0].name + '/'; }
    } else {
      setStatus($('chat-state'), 'chat: no usable provider, draft by hand', '');
    }
  }

  // ---- 1. job orders ---------------------------------------------------------------------------------------
  async function loadOrders(ev) {
    if (ev) { ev.preventDefault(); }
    const where = ["j.status = 'open'"];
    for (const [id, col] of [['f-role', 'role'], ['f-city', 'city'], ['f-client', 'client']]) {
      const v = $(id).value.trim();
      if (v) { where.push('j.' + col + ' ILIKE ' + sqlText('%' + v + '%')); }
    }
    const sql = 'SELECT j.job_id, j.client, j.role, j.city, j.state, j.target_count, j.shift, CAST(j.start_date AS VARCHAR) AS start_date, '
      + 'j.required_certifications, j.description, (SELECT count(*) FROM workers w WHERE w.role = j.role AND w.city = j.city '
      + "AND w.status = 'active' AND NOT w.do_not_place) AS pool FROM job_orders j WHERE " + where.join(' AND ')
      + ' ORDER BY pool DESC, j.job_id LIMIT 40';
    const r = await step('loading open job orders (POST /v1/sql)', () => call('POST', '/v1/sql', { sql }, 'orders'));
    const tbody = $('orders-table').querySelector('tbody');
    tbody.innerHTML = '';
    if (!r.ok) { setStatus($('orders-status'), problem(r, 'job orders'), 'problem'); return; }
    const rows = r.body.rows || [];
    setStatus($('orders-status'), rows.length + ' open order(s)' + (rows.length === 40 ? ' (first 40; narrow the search)' : '')
      + ', largest pool first; click one', '');
    for (const o of rows) {
      const tr = document.createElement('tr');
      tr.dataset.jobId = o.job_id;
      tr.tabIndex = 0;
      td(tr, o.job_id, 'nowrap'); td(tr, o.client); td(tr, o.role); td(tr, o.city + ', ' + o.state);
      td(tr, o.target_count, 'num'); td(tr, o.shift + ', ' + o.start_date); td(tr, o.pool, 'num');
      tr.addEventListener('click', () => selectOrder(o, tr));
      tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') { selectOrder(o, tr); } });
      tbody.appendChild(tr);
    }
  }

  function freeOrder(ev) {
    ev.preventDefault();
    const text = $('free-text').value.trim();
    if (!text) { setStatus($('orders-status'), 'type the order first', 'problem'); return; }
    selectOrder({
      job_id: null, free_text: text, client: $('free-client').value.trim(), city: $('free-city').value.trim(),
      state: $('free-state').value.trim(), target_count: parseInt($('free-count').value, 10) || 1, role: '', shift: '', start_date: '',
    }, null);
  }

  async function selectOrder(o, tr) {
    for (const row of document.querySelectorAll('#orders-table tbody tr')) { row.classList.toggle('selected', row === tr); }
    newFlow();
    state.order = o;
    state.query = o.free_text || ('Need ' + o.target_count + ' ' + plural(o.role, o.target_count) + ' in ' + o.city);
    state.results = []; state.picks.clear();
    $('cand-table').querySelector('tbody').innerHTML = '';
    state.reports = { fill: null, email: null }; state.validated = null; state.iterations = {};
    $('c-city').value = o.city || '';
    $('d-count').value = o.target_count || 1;
    $('fill-text').value = ''; $('email-to').value = ''; $('email-subject').value = ''; $('email-body').value = '';
    $('iterate-log').textContent = '';
    $('boost-table').querySelector('tbody').innerHTML = '';
    setStatus($('learned-status'), 'nothing confirmed yet', '');
    renderFindings();
    const card = $('order-card');
    card.hidden = false;
    card.innerHTML = '';
    card.appendChild(el('strong', o.job_id ? o.job_id + ': ' : 'new order: '));
    card.appendChild(document.createTextNode(o.free_text || (o.client + ' needs ' + o.target_count + ' ' + plural(o.role, o.target_count)
      + ' in ' + o.city + ', ' + o.state + ' (' + o.shift + ' shift, from ' + o.start_date + ')')));
    if (o.required_certifications) { card.appendChild(el('div', 'required: ' + o.required_certifications.split(';').join(', '), 'muted')); }
    const bl = el('div', o.client ? 'checking the client against the blacklist...' : 'no client given: blacklist not checked', 'muted');
    bl.id = 'client-check';
    card.appendChild(bl);
    card.appendChild(el('div', 'search text: "' + state.query + '"', 'muted'));
    if (o.client) { checkClient(o.client); }
    await search();
  }

  // validatord owns the blacklist: a fill for this client is checked with no workers, and its blacklisted_client
  // finding (if any) is shown on the order, not hidden.
  async function checkClient(client) {
    const r = await call('POST', '/v1/validate', { kind: 'fill', artifact: { fills: [] }, context: { client } }, 'client');
    const out = $('client-check');
    if (!r.body || !Array.isArray(r.body.findings)) { setStatus(out, problem(r, 'blacklist check'), 'problem'); return; }
    const hit = r.body.findings.find((f) => f.code === 'blacklisted_client');
    out.dataset.blacklisted = hit ? 'true' : 'false';
    if (hit) {
      out.textContent = '';
      out.className = 'problem';
      out.appendChild(badge('blacklisted client', 'bad'));
      out.appendChild(document.createTextNode(' validatord: ' + hit.message + '. A fill for this client cannot be confirmed.'));
    } else {
      setStatus(out, 'client not on validatord\'s blacklist', '');
    }
  }

  // ---- 2. candidates ---------------------------------------------------------------------------------------
  function searchBody() {
    const body = { query_text: state.query, corpora: ['workers'], k: Math.min(50, Math.max(1, parseInt($('c-k').value, 10) || 15)), use_playbook: true };
    const filter = {};
    if ($('c-city').value.trim()) { filter.city = $('c-city').value.trim(); }
    if ($('c-active').checked) { filter.status = 'active'; }
    if (Object.keys(filter).length) { body.metadata_filter = filter; }
    return body;
  }

  async function search(ev) {
    if (ev) { ev.preventDefault(); }
    if (!state.order) { setStatus($('cand-status'), 'pick a job order first', 'problem'); return null; }
    state.searchBody = searchBody();
    const r = await step('searching candidates (POST /v1/matrix/search)', () => call('POST', '/v1/matrix/search', state.searchBody, 'search'));
    if (!r.ok) { setStatus($('cand-status'), problem(r, 'candidate search'), 'problem'); return null; }
    state.results = r.body.results || [];
    state.gate = r.body.gate || null;
    state.playbook = r.body.playbook || null;
    await joinWorkers(state.results.map((h) => h.id));
    renderCandidates(r.body);
    return r.body;
  }

  // availability, certifications, do-not-place and status from the workers dataset (the search keeps less).
  async function joinWorkers(ids) {
    const missing = ids.filter((id) => !state.workers[id]);
    if (!missing.length) { return; }
    const sql = 'SELECT worker_id, availability, certifications, do_not_place, status, reliability, other_roles FROM workers WHERE worker_id IN ('
      + missing.map(sqlText).join(', ') + ')';
    const r = await step('reading the candidates\' records (POST /v1/sql over workers)', () => call('POST', '/v1/sql', { sql }, 'workers'));
    if (!r.ok) { setStatus($('cand-status'), problem(r, 'worker records'), 'problem'); return; }
    for (const w of r.body.rows || []) { state.workers[w.worker_id] = w; }
  }

  function renderCandidates(answer) {
    const tbody = $('cand-table').querySelector('tbody');
    tbody.innerHTML = '';
    const g = state.gate || {};
    const queryRole = g.query_role_display || g.query_role || null;
    const gl = $('gate-line');
    gl.textContent = 'gate: ' + (queryRole ? 'query role "' + queryRole + '" (' + g.role_source + ')' : 'no role in the query, not gated')
      + ', ' + (g.dropped || 0) + ' worker(s) of another role dropped, ' + (g.playbooks_rejected || 0) + ' playbook(s) of another role rejected'
      + (state.playbook ? '; playbooks: ' + state.playbook.considered + ' considered, ' + state.playbook.boosted + ' boosted, '
        + state.playbook.injected + ' injected' : '') + (answer.metadata_filter_dropped ? '; ' + answer.metadata_filter_dropped
        + ' dropped by the city/status filter' : '') + (g.note ? '; ' + g.note : '');
    const cert = $('c-cert').value.trim().toLowerCase();
    const minAvail = parseFloat($('c-avail').value) || 0;
    let hidden = 0;
    state.results.forEach((h, i) => {
      const m = h.metadata || {};
      const w = state.workers[h.id] || {};
      const certs = (w.certifications || m.certifications || '').split(';').filter((c) => c);
      if (cert && !certs.some((c) => c.toLowerCase().includes(cert))) { hidden++; return; }
      if (typeof w.availability === 'number' && w.availability < minAvail) { hidden++; return; }
      const tr = document.createElement('tr');
      tr.dataset.workerId = h.id;
      tr.dataset.distance = String(h.distance);
      if (h.playbook) { tr.dataset.playbook = h.playbook; tr.classList.add('boosted'); }
      if (w.do_not_place) { tr.classList.add('dnp'); }
      const pick = document.createElement('input');
      pick.type = 'checkbox';
      pick.checked = state.picks.has(h.id);
      pick.setAttribute('aria-label', 'pick ' + h.id);
      pick.addEventListener('change', () => { if (pick.checked) { state.picks.add(h.id); } else { state.picks.delete(h.id); } pickedChanged(); });
      td(tr, '').appendChild(pick);
      td(tr, i + 1, 'num');
      const who = td(tr, '');
      who.appendChild(el('div', fullName(m), 'name'));
      who.appendChild(el('div', h.id + ' · ' + (m.role || '') + ' · ' + (m.city || '') + ', ' + (m.state || ''), 'muted'));
      const why = td(tr, '', 'why');
      why.appendChild(el('div', 'distance ' + Number(h.distance).toFixed(4)));
      const sameRole = queryRole && m.role ? 'role ' + m.role + (m.role.toLowerCase() === String(queryRole).toLowerCase() ? ' = ' : ' ~ ')
        + 'query role: the gate kept it' : (queryRole ? 'role ' + (m.role || '?') + ': kept by the gate' : 'not gated: no query role');
      why.appendChild(el('div', sameRole, 'muted'));
      if (h.playbook) { why.appendChild(badge('playbook ' + h.playbook, 'good', 'a recorded playbook for this kind of order moved this worker up')); }
      const city = state.order && state.order.city ? (m.city === state.order.city ? 'in ' + m.city : 'city ' + m.city + ', order in ' + state.order.city) : m.city;
      why.appendChild(el('div', city || '', 'muted'));
      td(tr, typeof w.availability === 'number' ? (w.availability > 0 ? w.availability + ' h/week' : 'not available') : 'unknown', 'num');
      td(tr, certs.join(', ') || 'none');
      const flags = td(tr, '');
      if (w.do_not_place) { flags.appendChild(badge('do not place', 'bad', 'marked do-not-place in the workers dataset; validatord refuses a fill with this worker')); }
      if ((w.status || m.status) && (w.status || m.status) !== 'active') { flags.appendChild(badge(w.status || m.status, 'warn')); }
      if (typeof w.reliability === 'number') { flags.appendChild(el('div', 'reliability ' + w.reliability.toFixed(2), 'muted')); }
      tbody.appendChild(tr);
    });
    setStatus($('cand-status'), state.results.length + ' candidate(s) for "' + state.query + '"'
      + (hidden ? ', ' + hidden + ' hidden by the certification/availability filters' : '') + '; pick the workers to fill', '');
    pickedChanged();
  }

  function pickedChanged() {
    const n = state.picks.size;
    setStatus($('draft-status'), n ? n + ' worker(s) picked: draft by hand or with the model, then check' : 'pick candidates first', '');
  }

  // ---- 3. draft and validate -------------------------------------------------------------------------------
  function picked() {
    return state.results.filter((h) => state.picks.has(h.id));
  }

  function fillContext() {
    const o = state.order || {};
    const c = { target_count: parseInt($('d-count').value, 10) || 1 };
    if (o.city) { c.city = o.city; }
    if (o.state) { c.state = o.state; }
    const role = o.role || (state.gate && state.gate.query_role_display) || '';
    if (role) { c.role = role; }
    if (o.client) { c.client = o.client; }
    return c;
  }

  function emailContext() {
    return state.order && state.order.client ? { client: state.order.client } : {};
  }

  function draftByHand() {
    const picks = picked();
    if (!picks.length) { setStatus($('draft-status'), 'pick at least one candidate first', 'problem'); return; }
    const o = state.order;
    const fills = picks.map((h) => ({ candidate_id: h.id, name: fullName(h.metadata || {}) }));
    $('fill-text').value = JSON.stringify({ fills }, null, 2);
    const role = o.role || (state.gate && state.gate.query_role_display) || 'worker';
    $('email-to').value = 'staffing@' + (slug(o.client) || 'client') + '.example.com';
    $('email-subject').value = (o.job_id ? 'Job order ' + o.job_id + ': ' : '') + fills.length + ' ' + plural(role, fills.length) + ' confirmed';
    $('email-body').value = 'Hello ' + (o.client || '') + ' team,\n\n'
      + 'For ' + (o.job_id ? 'job order ' + o.job_id : 'your order') + ' (' + role + (o.city ? ' in ' + o.city : '')
      + (o.shift ? ', ' + o.shift + ' shift' : '') + (o.start_date ? ', from ' + o.start_date : '') + ') we have confirmed:\n'
      + fills.map((f) => '- ' + f.name + ' (' + f.candidate_id + ')').join('\n')
      + '\n\nThey will report on the start date. Reply to this email with any questions.\n\nThe staffing desk';
    draftChanged();
    setStatus($('draft-status'), 'drafted by hand from ' + fills.length + ' pick(s): edit if needed, then check', '');
  }

  function fillPrompt(picks) {
    const o = state.order;
    let s = 'Propose ' + (parseInt($('d-count').value, 10) || 1) + ' workers for job order ' + (o.job_id || 'new') + ': '
      + (o.free_text ? o.free_text : o.client + ' needs ' + o.role + ' in ' + o.city + ', ' + o.state + ' (' + o.shift + ' shift).')
      + '\nCandidates from the search:\n';
    for (const h of picks) {
      const m = h.metadata || {};
      s += '- ' + h.id + ' ' + (m.first_name || '') + ' ' + (m.last_name || '') + ' (' + (m.role || '') + ', ' + (m.city || '') + ')\n';
    }
    return s + 'Answer with JSON only: {"fills": [{"candidate_id": "W-...", "name": "First Last"}]}';
  }

  function emailPrompt(fills) {
    const o = state.order;
    return 'Write a short email to the client ' + (o.client || 'client') + ' (email staffing@' + (slug(o.client) || 'client') + '.example.com) confirming '
      + fills.length + ' workers for job order ' + (o.job_id || 'new') + ' (' + (o.role || 'workers') + ' in ' + (o.city || '') + '): '
      + fills.map((f) => f.candidate_id + ' ' + f.name).join(', ') + '. Name each worker with their id. Do not mention pay. '
      + 'Answer with JSON only: {"to": "staffing@' + (slug(o.client) || 'client') + '.example.com", "subject": "...", "body": "Hello ..."}';
  }

  async function iterate(kind, prompt, context) {
    const body = { kind, prompt, model: $('d-model').value.trim(), context, max_iterations: 3 };
    const r = await call('POST', '/v1/iterate', body, 'iterate-' + kind);
    state.iterations[kind] = { status: r.status, iterations: r.body && r.body.iterations, history: r.body && r.body.history };
    const log = $('iterate-log');
    const line = el('div', '');
    if (r.status === 200 || r.status === 422) {
      const hist = (r.body.history || []).map((h) => 'attempt ' + h.iteration + ': ' + h.status
        + (h.findings && h.findings.length ? ' (' + h.findings.map((f) => f.code).join(', ') + ')' : '')).join('; ');
      line.textContent = kind + ': ' + (r.status === 200 ? 'passed after ' + r.body.iterations + ' attempt(s)' : 'did not pass') + (hist ? ': ' + hist : '');
      line.className = r.status === 200 ? 'ok' : 'problem';
    } else {
      line.textContent = problem(r, 'iterate ' + kind);
      line.className = 'problem';
    }
    log.appendChild(line);
    return r.body && r.body.artifact ? r.body.artifact : null;
  }

  async function draftWithModel() {
    const picks = picked();
    if (!picks.length) { setStatus($('draft-status'), 'pick at least one candidate first', 'problem'); return; }
    if (!$('d-model').value.trim() || /\/$/.test($('d-model').value.trim())) { setStatus($('draft-status'), 'name the model, e.g. kimi/kimi-k2-0905-preview', 'problem'); return; }
    $('iterate-log').textContent = '';
    await step('the model drafts the fill (POST /v1/iterate kind=fill, validated each attempt)', async () => {
      const fill = await iterate('fill', fillPrompt(picks), fillContext());
      if (fill) { $('fill-text').value = JSON.stringify(fill, null, 2); }
      const fills = fill && Array.isArray(fill.fills) ? fill.fills : picks.map((h) => ({ candidate_id: h.id, name: fullName(h.metadata || {}) }));
      $('progress-text').textContent = 'the model drafts the client email (POST /v1/iterate kind=email)';
      const email = await iterate('email', emailPrompt(fills), emailContext());
      if (email) {
        $('email-to').value = email.to || '';
        $('email-subject').value = email.subject || '';
        $('email-body').value = email.body || '';
      }
    });
    draftChanged();
    await check();
  }

  function draftText() {
    return JSON.stringify([$('fill-text').value, $('email-to').value, $('email-subject').value, $('email-body').value, fillContext()]);
  }

  // Any edit makes the last check stale: Confirm needs a check of exactly what is on the page.
  function draftChanged() {
    state.validated = null;
    $('confirm').disabled = true;
    $('confirm-state').textContent = state.reports.fill || state.reports.email ? 'edited since the last check: check again' : '';
    document.querySelectorAll('#draft .findings').forEach((u) => u.classList.add('stale'));
  }

  async function check() {
    let fill;
    try {
      fill = JSON.parse($('fill-text').value || '');
    } catch (e) {
      state.reports.fill = { valid: false, findings: [{ code: 'not_json', severity: 'error', field: '', message: 'the fill is not JSON: ' + e.message }] };
      renderFindings();
      return;
    }
    const text = draftText();
    const email = { to: $('email-to').value.trim(), subject: $('email-subject').value, body: $('email-body').value };
    await step('validating the fill and the email (POST /v1/validate)', async () => {
      const [f, e] = await Promise.all([
        call('POST', '/v1/validate', { kind: 'fill', artifact: fill, context: fillContext() }, 'validate-fill'),
        call('POST', '/v1/validate', { kind: 'email', artifact: email, context: emailContext() }, 'validate-email'),
      ]);
      state.reports.fill = report(f, 'fill validation');
      state.reports.email = report(e, 'email validation');
    });
    state.validated = text;
    renderFindings();
  }

  // 200 and 422 carry the report; anything else (400, 503 roster not loaded, ...) becomes one finding with its detail.
  function report(r, what) {
    if (r.body && typeof r.body === 'object' && Array.isArray(r.body.findings)) { return Object.assign({ request_id: r.requestId }, r.body); }
    return { valid: false, request_id: r.requestId, findings: [{ code: 'not_checked', severity: 'error', field: '', message: problem(r, what) }] };
  }

  function findingItem(f) {
    const li = el('li', '', f.severity === 'warning' ? 'warning' : 'error');
    li.dataset.code = f.code;
    li.appendChild(el('code', f.code));
    li.appendChild(document.createTextNode(' ' + (f.field ? f.field + ': ' : '') + f.message));
    return li;
  }

  function renderFindings() {
    document.querySelectorAll('#draft .findings').forEach((u) => { u.innerHTML = ''; u.classList.remove('stale'); });
    const fr = state.reports.fill;
    const er = state.reports.email;
    if (fr) {
      const ul = $('fill-findings');
      let fills = [];
      try { fills = JSON.parse($('fill-text').value).fills || []; } catch (e) { /* shown as not_json */ }
      for (const f of fr.findings || []) {
        const li = findingItem(f);
        const m = /^fills\[(\d+)\]/.exec(f.field || '');
        if (m && fills[+m[1]]) { li.appendChild(el('span', ' (' + fills[+m[1]].candidate_id + ' ' + (fills[+m[1]].name || '') + ')', 'muted')); }
        ul.appendChild(li);
      }
      if (fr.valid) { ul.appendChild(el('li', 'fill passes validation' + (fr.roster_version ? ' (roster v' + fr.roster_version + ')' : ''), 'pass')); }
    }
    if (er) {
      for (const f of er.findings || []) {
        const target = document.querySelector('#draft .findings[data-for="' + (f.field || '').split(/[.[]/)[0] + '"]') || $('email-findings');
        target.appendChild(findingItem(f));
      }
      if (er.valid) { $('email-findings').appendChild(el('li', 'email passes validation', 'pass')); }
    }
    $('fill-text').classList.toggle('invalid', !!(fr && !fr.valid));
    $('email-body').classList.toggle('invalid', !!(er && (er.findings || []).some((f) => f.field === 'body' && f.severity !== 'warning')));
    const ok = fr && er && fr.valid && er.valid && state.validated === draftText();
    $('confirm').disabled = !ok;
    if (fr && er) {
      setStatus($('confirm-state'), ok ? 'both pass: ready to confirm' : 'fix what validatord found, then check again (nothing that fails can be confirmed)', ok ? 'ok' : 'problem');
    }
  }

  // ---- 4. confirm ------------------------------------------------------------------------------------------
  async function confirm() {
    if (state.validated !== draftText() || !state.reports.fill.valid || !state.reports.email.valid) { renderFindings(); return; }
    const o = state.order;
    const fills = JSON.parse($('fill-text').value).fills;
    const before = state.results.map((h, i) => ({ id: h.id, rank: i + 1, distance: h.distance, playbook: h.playbook }));
    const role = o.role || (state.gate && state.gate.query_role_display) || undefined;
    const done = { playbooks: [], pathway: null };
    const ok = await step('recording the playbooks (POST /v1/matrix/playbooks/record)', async () => {
      for (const f of fills) {
        const pb = { query_text: state.query, answer_id: f.candidate_id, answer_corpus: 'workers', score: 1.0,
          tags: [slug(o.client), slug(o.city), o.shift].filter((t) => t), role };
        const r = await call('POST', '/v1/matrix/playbooks/record', pb, 'playbook');
        if (!r.ok) { setStatus($('confirm-state'), problem(r, 'recording the playbook for ' + f.candidate_id), 'problem'); return false; }
        done.playbooks.push(r.body);
      }
      $('progress-text').textContent = 'upserting the pathway (POST /v1/pathway/upsert)';
      const pw = await call('POST', '/v1/pathway/upsert', {
        task_class: 'fill', subject: (role || 'order') + ' / ' + (o.city || '-') + ' / ' + (o.client || '-'), signal_class: 'validated',
        content: { steps: ['sql open orders', 'matrix search with role gate and playbook boost', 'validate fill', 'validate client email',
          'record playbook'], verdict: 'filled' },
        role, tags: [slug(o.city)].filter((t) => t),
      }, 'pathway');
      if (!pw.ok) { setStatus($('confirm-state'), problem(pw, 'pathway upsert'), 'problem'); return false; }
      done.pathway = pw.body;
      return true;
    });
    if (!ok) { return; }
    $('confirm').disabled = true;
    setStatus($('confirm-state'), 'confirmed: ' + done.playbooks.length + ' playbook(s) recorded, pathway ' + (done.pathway.event || '')
      + ' (trace ' + ((done.pathway.trace && done.pathway.trace.trace_uid) || '-') + ')', 'ok');
    const after = await search();
    showBoost(fills, before, after);
    await recordFill(fills, done, before);
    await loadHistory();
  }

  function showBoost(fills, before, after) {
    const tbody = $('boost-table').querySelector('tbody');
    tbody.innerHTML = '';
    if (!after) { return; }
    const now = (after.results || []).map((h, i) => ({ id: h.id, rank: i + 1, distance: h.distance, playbook: h.playbook }));
    let boosted = 0;
    for (const f of fills) {
      const b = before.find((x) => x.id === f.candidate_id);
      const a = now.find((x) => x.id === f.candidate_id);
      const tr = document.createElement('tr');
      tr.dataset.workerId = f.candidate_id;
      if (a && a.playbook) { tr.dataset.playbook = a.playbook; boosted++; }
      td(tr, f.candidate_id + ' ' + (f.name || ''));
      td(tr, b ? '#' + b.rank + ', distance ' + Number(b.distance).toFixed(4) : 'not in the list');
      td(tr, a ? '#' + a.rank + ', distance ' + Number(a.distance).toFixed(4) : 'not in the list');
      td(tr, '').appendChild(a && a.playbook ? badge('playbook ' + a.playbook, 'good') : badge('no boost', 'warn'));
      tbody.appendChild(tr);
    }
    setStatus($('learned-status'), 'the same search again: ' + boosted + ' of ' + fills.length + ' confirmed worker(s) now boosted by the playbook'
      + (after.playbook ? ' (' + after.playbook.boosted + ' boosted, ' + after.playbook.injected + ' injected)' : ''), boosted ? 'ok' : 'problem');
  }

  // The fill itself becomes an observed operation (source desk), with both validation reports: History reads them back.
  async function recordFill(fills, done, before) {
    const o = state.order;
    const op = {
      source: 'desk', endpoint: '/desk/confirm', kind: 'desk_fill', task_id: state.flow, request_id: state.flow + '-confirm',
      success: true, model: state.iterations.fill ? $('d-model').value.trim() : null,
      request: { job: o, query_text: state.query, started_at: state.started, picks: [...state.picks] },
      result: {
        fills, email: { to: $('email-to').value, subject: $('email-subject').value, body: $('email-body').value },
        fill_report: state.reports.fill, email_report: state.reports.email, iterations: state.iterations,
        playbooks: done.playbooks.map((p) => p.id), pathway: done.pathway && done.pathway.trace ? done.pathway.trace.trace_uid : null,
        before: before.filter((b) => fills.some((f) => f.candidate_id === b.id)),
      },
    };
    const r = await call('POST', '/v1/observer/event', op, 'record');
    if (!r.ok) { setStatus($('history-status'), problem(r, 'recording the fill in the observer'), 'problem'); }
  }

  // ---- history ---------------------------------------------------------------------------------------------
  async function loadHistory() {
    const r = await call('GET', '/v1/observer/ops?source=desk&order=desc&limit=10', undefined, 'history');
    const list = $('history-list');
    if (!r.ok) { setStatus($('history-status'), problem(r, 'history'), 'problem'); return; }
    const fills = (r.body.ops || []).filter((op) => op.kind === 'desk_fill');
    if (!fills.length) { list.replaceChildren(); setStatus($('history-status'), 'no fill confirmed from the desk yet', ''); return; }
    // Built off the page and swapped in at once: a reader never sees the list empty while the operations load.
    const frag = document.createDocumentFragment();
    const oldest = fills.map((f) => (f.request && f.request.started_at) || f.timestamp).sort()[0];
    const behind = await call('GET', '/v1/observer/ops?order=desc&since=' + encodeURIComponent(oldest) + '&limit=1000', undefined, 'history');
    const ops = behind.ok ? behind.body.ops || [] : [];
    for (const f of fills) {
      const res = f.result || {};
      const job = (f.request && f.request.job) || {};
      const box = el('div', '', 'fill');
      box.dataset.taskId = f.task_id;
      box.appendChild(el('h3', (job.job_id || 'new order') + ': ' + (res.fills || []).length + ' worker(s) for ' + (job.client || '-')
        + ', ' + (job.role || f.request.query_text) + ' in ' + (job.city || '-') + ' · ' + new Date(f.timestamp).toLocaleString()));
      box.appendChild(el('div', (res.fills || []).map((x) => x.candidate_id + ' ' + (x.name || '')).join(', '), ''));
      for (const [name, rep] of [['fill', res.fill_report], ['email', res.email_report]]) {
        const line = el('div', name + ' validation: ' + (rep && rep.valid ? 'passed' : 'failed'), rep && rep.valid ? 'ok' : 'problem');
        const warn = rep && rep.findings ? rep.findings.filter((x) => x.severity === 'warning') : [];
        if (warn.length) { line.textContent += ' with ' + warn.length + ' warning(s): ' + warn.map((x) => x.code + ' ' + x.message).join('; '); }
        box.appendChild(line);
      }
      const mine = ops.filter((op) => op.request_id && op.request_id.startsWith(f.task_id) && op.op_id !== f.op_id)
        .sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
      box.dataset.ops = String(mine.length);
      const t = el('table', '', 'ops');
      const head = document.createElement('tr');
      for (const h of ['time', 'daemon', 'endpoint', 'outcome', 'duration', 'request id']) { head.appendChild(el('th', h)); }
      t.appendChild(head);
      for (const op of mine) {
        const tr = document.createElement('tr');
        const failed = op.success === false;
        td(tr, new Date(op.timestamp).toLocaleTimeString()); td(tr, op.source); td(tr, op.endpoint + (op.kind ? ' (' + op.kind + ')' : ''));
        td(tr, failed ? 'failed' : 'ok', failed ? 'problem' : 'ok'); td(tr, typeof op.latency_ms === 'number' ? op.latency_ms + ' ms' : '');
        td(tr, op.request_id);
        tr.title = op.error || '';
        t.appendChild(tr);
      }
      const d = document.createElement('details');
      d.appendChild(el('summary', mine.length + ' observed operation(s) behind this fill' + (behind.ok ? '' : ': ' + problem(behind, 'observed operations'))));
      d.appendChild(t);
      box.appendChild(d);
      frag.appendChild(box);
    }
    list.replaceChildren(frag);
    setStatus($('history-status'), fills.length + ' fill(s), newest first; loaded ' + new Date().toLocaleTimeString(), '');
  }

  // ---- wiring ----------------------------------------------------------------------------------------------
  function refreshAll() { showKeyState(); loadProviders(); loadOrders(); loadHistory(); }

  $('key-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const k = $('api-key').value.trim();
    if (k) { sessionStorage.setItem(KEY, k); }
    $('api-key').value = '';
    refreshAll();
  });
  $('forget-key').addEventListener('click', () => { sessionStorage.removeItem(KEY); refreshAll(); });
  $('order-search').addEventListener('submit', loadOrders);
  $('free-form').addEventListener('submit', freeOrder);
  $('cand-filters').addEventListener('submit', search);
  $('c-cert').addEventListener('input', () => { if (state.results.length) { renderCandidates({}); } });
  $('c-avail').addEventListener('input', () => { if (state.results.length) { renderCandidates({}); } });
  $('draft-hand').addEventListener('click', draftByHand);
  $('draft-model').addEventListener('click', draftWithModel);
  $('check').addEventListener('click', check);
  $('confirm').addEventListener('click', confirm);
  $('refresh-history').addEventListener('click', loadHistory);
  for (const id of ['fill-text', 'email-to', 'email-subject', 'email-body', 'd-count']) { $(id).addEventListener('input', draftChanged); }

  if (apiKey()) { refreshAll(); } else { showKeyState(); setStatus($('orders-status'), 'paste the API key above to load the open orders', ''); }
})();
