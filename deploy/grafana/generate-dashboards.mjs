#!/usr/bin/env node
// Writes deploy/grafana/dashboards/<daemon>.json, one Grafana dashboard per daemon.
//
//   node deploy/grafana/generate-dashboards.mjs
//
// Every query selects its series with job="<daemon>" (the Prometheus job names of deploy/prometheus/*.yml) and
// every metric selector carries braces, so fleet-tests' PrometheusCheck can extract the metric names and assert
// that each one exists on a running fleet. Domain metrics are the ones the daemons register with Micrometer
// (dotted names become snake_case: counter a.b -> a_b_total, gauge a.b -> a_b, timer a.b -> a_b_seconds_*).
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT = join(dirname(fileURLToPath(import.meta.url)), 'dashboards');
const DS = { type: 'prometheus', uid: 'prometheus' };
const R = '[$__rate_interval]';

const DAEMONS = ['gateway', 'embedd', 'vectord', 'matrixd', 'chatd', 'validatord', 'distilld', 'replayd',
  'observerd', 'pathwayd', 'catalogd'];
const PORTS = Object.fromEntries(DAEMONS.map((d, i) => [d, 5100 + i]));

// Panel helpers: ts = time series, stat = single value.
const ts = (title, targets, unit = 'short', description = '') => ({ type: 'timeseries', title, targets, unit, description });
const stat = (title, targets, unit = 'short', description = '') => ({ type: 'stat', title, targets, unit, description });
const q = (expr, legend = '') => ({ expr, legend });

// What every Quarkus daemon exposes: HTTP server timings, heap, CPU, uptime, GC.
function common(j) {
  const sel = `{job="${j}"}`;
  return [
    ts('Requests per second by uri and status',
      [q(`sum by (uri, status) (rate(http_server_requests_seconds_count${sel}${R}))`, '{{uri}} {{status}}')], 'reqps',
      'http_server_requests_seconds_count; /q/* (health, metrics) is not counted by Quarkus.'),
    ts('Mean latency by uri',
      [q(`sum by (uri) (rate(http_server_requests_seconds_sum${sel}${R})) / sum by (uri) (rate(http_server_requests_seconds_count${sel}${R}))`, '{{uri}}')],
      's', 'sum / count over the rate window'),
    ts('Max latency by uri',
      [q(`max by (uri) (http_server_requests_seconds_max${sel})`, '{{uri}}')], 's',
      'largest request time in the last few minutes (Micrometer decaying max)'),
    ts('Heap used',
      [q(`sum(jvm_memory_used_bytes{job="${j}",area="heap"})`, 'used'),
        q(`sum(jvm_memory_max_bytes{job="${j}",area="heap"})`, 'max')], 'bytes'),
    ts('Process CPU', [q(`process_cpu_usage${sel}`, 'process'), q(`system_cpu_usage${sel}`, 'machine')], 'percentunit'),
    ts('GC pause time per second', [q(`sum by (gc) (rate(jvm_gc_pause_seconds_sum${sel}${R}))`, '{{gc}}')], 's'),
    stat('Uptime', [q(`process_uptime_seconds${sel}`)], 's'),
    stat('Live threads', [q(`jvm_threads_live_threads${sel}`)], 'short'),
  ];
}

// The observer client every capturing daemon carries (common-contracts ObserverClient); registered on first use.
function observerClient(j) {
  const sel = `{job="${j}"}`;
  return [
    ts('Observed operations shipped to observerd',
      [q(`rate(observer_client_recorded_total${sel}${R})`, 'recorded'),
        q(`rate(observer_client_shipped_total${sel}${R})`, 'shipped'),
        q(`rate(observer_client_dropped_total${sel}${R})`, 'dropped'),
        q(`rate(observer_client_ship_failures_total${sel}${R})`, 'ship failures')], 'ops',
      'observer.client.* (common-contracts); appears after the first captured operation'),
    ts('Observer client queue', [q(`observer_client_queued${sel}`, 'queued')], 'short'),
  ];
}

// SmallRye Fault Tolerance guards around peer / provider calls (method = the guard's name).
function faultTolerance(j) {
  const sel = `{job="${j}"}`;
  return [
    ts('Guarded calls by target and result',
      [q(`sum by (method, result) (rate(ft_invocations_total${sel}${R}))`, '{{method}} {{result}}')], 'ops',
      'ft.invocations: SmallRye Fault Tolerance around peer calls; appears after the first guarded call'),
    ts('Circuit breakers open',
      [q(`sum by (method) (ft_circuitbreaker_state_current{job="${j}",state="open"})`, '{{method}}')], 'short',
      '1 while the breaker guarding that peer is open'),
  ];
}

const DOMAIN = {
  gateway: (j) => [
    ts('Proxied requests by daemon and status',
      [q(`sum by (daemon, status) (rate(gateway_upstream_requests_seconds_count{job="${j}"}${R}))`, '{{daemon}} {{status}}')],
      'reqps', 'gateway.upstream.requests (timer tagged daemon, status)'),
    ts('Proxied mean latency by daemon',
      [q(`sum by (daemon) (rate(gateway_upstream_requests_seconds_sum{job="${j}"}${R})) / sum by (daemon) (rate(gateway_upstream_requests_seconds_count{job="${j}"}${R}))`, '{{daemon}}')],
      's'),
    ts('Proxied max latency by daemon',
      [q(`max by (daemon) (gateway_upstream_requests_seconds_max{job="${j}"})`, '{{daemon}}')], 's'),
    ts('Upstream circuit breaker state (0 closed, 1 open, 2 half-open)',
      [q(`gateway_upstream_breaker_state{job="${j}"}`, '{{daemon}}')], 'short', 'gateway.upstream.breaker.state'),
    ts('API key rejections per second', [q(`rate(gateway_auth_rejected_total{job="${j}"}${R})`, 'rejected')], 'reqps',
      'gateway.auth.rejected'),
    ...faultTolerance(j),
  ],
  embedd: (j) => [
    ts('Cache hit rate',
      [q(`sum(rate(embed_cache_hits_total{job="${j}"}${R})) / (sum(rate(embed_cache_hits_total{job="${j}"}${R})) + sum(rate(embed_cache_misses_total{job="${j}"}${R})))`, 'hit rate')],
      'percentunit', 'embed.cache.hits / (hits + misses) per text'),
    stat('Cache hit ratio since start',
      [q(`embed_cache_hits_total{job="${j}"} / (embed_cache_hits_total{job="${j}"} + embed_cache_misses_total{job="${j}"})`)],
      'percentunit'),
    ts('Texts: hits, misses, coalesced per second',
      [q(`rate(embed_cache_hits_total{job="${j}"}${R})`, 'hits'),
        q(`rate(embed_cache_misses_total{job="${j}"}${R})`, 'misses'),
        q(`rate(embed_cache_coalesced_total{job="${j}"}${R})`, 'coalesced')], 'ops'),
    ts('Provider calls and texts per second',
      [q(`rate(embed_upstream_calls_total{job="${j}"}${R})`, 'calls'),
        q(`rate(embed_upstream_texts_total{job="${j}"}${R})`, 'texts')], 'ops', 'embed.upstream.calls / texts'),
    ts('Cache size', [q(`embed_cache_size{job="${j}"}`, 'entries')], 'short', 'embed.cache.size'),
    ts('Cache bytes', [q(`embed_cache_bytes{job="${j}"}`, 'bytes')], 'bytes', 'embed.cache.bytes'),
  ],
  vectord: (j) => [
    ts('Vectors per index', [q(`vectord_index_vectors{job="${j}"}`, '{{index}}')], 'short',
      'vectord.index.vectors: items in each index'),
    ts('Graph tombstones per index', [q(`vectord_index_tombstones{job="${j}"}`, '{{index}}')], 'short',
      'vectord.index.tombstones: graph nodes of removed or re-vectored items; POST .../rebuild reclaims them'),
    ts('Writes not yet in a generation', [q(`vectord_index_unsaved_writes{job="${j}"}`, '{{index}}')], 'short',
      'vectord.index.unsaved.writes: items held only in the WAL until the next save'),
    stat('Indexes', [q(`vectord_indexes{job="${j}"}`)], 'short'),
    ts('Saves by outcome', [q(`sum by (outcome) (increase(vectord_saves_total{job="${j}"}${R}))`, '{{outcome}}')], 'short',
      'vectord.saves: generations written to S3 (ok) or attempted and failed'),
    ts('Save time and bytes',
      [q(`rate(vectord_save_duration_seconds_sum{job="${j}"}${R}) / rate(vectord_save_duration_seconds_count{job="${j}"}${R})`, 'mean save time'),
        q(`rate(vectord_save_bytes_total{job="${j}"}${R})`, 'bytes/s')], 'short',
      'vectord.save.duration and vectord.save.bytes'),
    stat('Restores by outcome', [q(`sum by (outcome) (vectord_restores_total{job="${j}"})`, '{{outcome}}')], 'short',
      'vectord.restores: graph_loaded (stored graph installed), graph_rebuilt, failed'),
  ],
  matrixd: (j) => [
    ts('Searches per second by outcome',
      [q(`sum by (outcome) (rate(matrix_search_seconds_count{job="${j}"}${R}))`, '{{outcome}}')], 'reqps',
      'matrix.search timer: ok, rejected (4xx), failed (upstream or internal error)'),
    ts('Search latency (ok): mean and max',
      [q(`sum(rate(matrix_search_seconds_sum{job="${j}",outcome="ok"}${R})) / sum(rate(matrix_search_seconds_count{job="${j}",outcome="ok"}${R}))`, 'mean'),
        q(`max(matrix_search_seconds_max{job="${j}",outcome="ok"})`, 'max')], 's',
      'embedding the query, the fan-out to vectord, gate and merge'),
    ts('Cross-role gate drops per second by reason',
      [q(`sum by (reason) (rate(matrix_gate_dropped_total{job="${j}"}${R}))`, '{{reason}}')], 'ops',
      'matrix.gate.dropped: role_mismatch (gated-corpus documents of another role), playbook_role_mismatch (playbooks rejected)'),
    ts('Hits filtered per second by reason',
      [q(`sum by (reason) (rate(matrix_search_filtered_total{job="${j}"}${R}))`, '{{reason}}')], 'ops',
      'matrix.search.filtered: metadata_filter misses and exclude_ids'),
    stat('Corpora', [q(`matrix_corpora{job="${j}"}`)], 'short', 'matrix.corpora (NaN until the registry is read from S3)'),
    stat('Playbooks recorded since start', [q(`matrix_playbooks_recorded_total{job="${j}"}`)], 'short',
      'matrix.playbooks.recorded'),
    ...observerClient(j),
    ...faultTolerance(j),
  ],
  chatd: (j) => [
    ts('Provider attempts by provider and status',
      [q(`sum by (provider, status) (rate(chatd_provider_attempts_total{job="${j}"}${R}))`, '{{provider}} {{status}}')], 'ops',
      'chatd.provider.attempts; status ok is registered at start, the others appear with their first attempt'),
    ts('Provider errors per second by provider and kind',
      [q(`sum by (provider, kind) (rate(chatd_provider_errors_total{job="${j}"}${R}))`, '{{provider}} {{kind}}')], 'ops',
      'chatd.provider.errors: error, timeout, stream_error (a breaker refusal is not a provider error)'),
    ts('Provider circuit breaker state (0 closed, 1 open, 2 half-open)',
      [q(`chatd_provider_breaker_state{job="${j}"}`, '{{provider}}')], 'short', 'chatd.provider.breaker.state'),
    ts('Providers configured (1 = enabled with a key)',
      [q(`chatd_provider_configured{job="${j}"}`, '{{provider}}')], 'short', 'chatd.provider.configured'),
    ...observerClient(j),
  ],
  validatord: (j) => [
    ts('Validations per second by kind and outcome',
      [q(`sum by (kind, outcome) (rate(validator_validations_total{job="${j}"}${R}))`, '{{kind}} {{outcome}}')], 'ops',
      'validator.validations: valid, invalid, blocked; /v1/validate and every iterate attempt that produced JSON'),
    ts('Findings by code and severity',
      [q(`sum by (code, severity) (increase(validator_findings_total{job="${j}"}${R}))`, '{{code}} {{severity}}')], 'short',
      'validator.findings; a code appears with its first finding'),
    ts('Iterate attempts by kind and status',
      [q(`sum by (kind, status) (increase(validator_iterate_attempts_total{job="${j}"}${R}))`, '{{kind}} {{status}}')], 'short',
      'validator.iterate.attempts: valid, invalid, blocked, no_json'),
    ts('Iterate runs by kind and outcome',
      [q(`sum by (kind, outcome) (increase(validator_iterate_runs_total{job="${j}"}${R}))`, '{{kind}} {{outcome}}')], 'short',
      'validator.iterate.runs: valid, blocked, exhausted (max_iterations), chat_failed'),
    ...observerClient(j),
    ...faultTolerance(j),
  ],
  distilld: (j) => [
    ts('Jobs by kind and outcome',
      [q(`sum by (kind, outcome) (increase(distill_jobs_seconds_count{job="${j}"}${R}))`, '{{kind}} {{outcome}}')], 'short',
      'distill.jobs timer: materialize, score, export, audit, audit_full; succeeded or failed'),
    ts('Job duration by kind: mean and max',
      [q(`sum by (kind) (rate(distill_jobs_seconds_sum{job="${j}"}${R})) / sum by (kind) (rate(distill_jobs_seconds_count{job="${j}"}${R}))`, 'mean {{kind}}'),
        q(`max by (kind) (distill_jobs_seconds_max{job="${j}"})`, 'max {{kind}}')], 's'),
    ts('Records written by stage',
      [q(`sum by (stage) (increase(distill_records_written_total{job="${j}"}${R}))`, '{{stage}}')], 'short',
      'distill.records.written: evidence, scored, sft, rag, preference (pairs); exports rewrite their files whole'),
    ts('Records quarantined by stage and reason',
      [q(`sum by (stage, reason) (increase(distill_records_quarantined_total{job="${j}"}${R}))`, '{{stage}} {{reason}}')], 'short',
      'distill.records.quarantined; a stage and reason appear with their first quarantined row'),
  ],
  replayd: (j) => [
    ts('Replay verdicts by mode and verdict',
      [q(`sum by (mode, verdict) (increase(replay_verdicts_total{job="${j}"}${R}))`, '{{mode}} {{verdict}}')], 'short',
      'replay.verdicts; appears after the first replay'),
    ...faultTolerance(j),
  ],
  observerd: (j) => [
    ts('Operations in the ring', [q(`observerd_ring_size{job="${j}"}`, 'ring')], 'short', 'observerd.ring.size'),
    ts('Ring drops, spool and ship failures per second',
      [q(`rate(observerd_ring_dropped_total{job="${j}"}${R})`, 'dropped from ring (still in spool / S3)'),
        q(`rate(observerd_spool_failures_total{job="${j}"}${R})`, 'spool failures'),
        q(`rate(observerd_ship_failures_total{job="${j}"}${R})`, 'S3 ship failures')], 'ops'),
    ts('Observed operations accepted per second',
      [q(`sum by (uri) (rate(http_server_requests_seconds_count{job="${j}",uri=~"/v1/observer/event.*"}${R}))`, '{{uri}}')],
      'reqps'),
  ],
  pathwayd: (j) => [
    ts('Traces in memory', [q(`pathway_traces{job="${j}"}`, 'traces')], 'short', 'pathway.traces'),
    ts('Traces waiting to be indexed', [q(`pathway_index_pending{job="${j}"}`, 'pending')], 'short', 'pathway.index.pending'),
    ts('Pathway operations by op',
      [q(`sum by (op) (rate(pathway_operations_total{job="${j}"}${R}))`, '{{op}}')], 'ops',
      'pathway.operations; appears after the first upsert / revise / retire'),
    ...observerClient(j),
    ...faultTolerance(j),
  ],
  catalogd: (j) => [
    ts('Journal length (events)', [q(`catalog_journal_length{job="${j}"}`, 'events')], 'short',
      'catalog.journal.length: the last seq of the hash-chained mutation journal'),
    ts('Journal segments not yet in S3', [q(`catalog_journal_pending_segments{job="${j}"}`, 'pending')], 'short',
      'catalog.journal.pending.segments; above 0 means uploads to S3 are failing (the spool keeps them)'),
    ts('Datasets by state', [q(`catalog_datasets{job="${j}"}`, '{{state}}')], 'short',
      'catalog.datasets: live, tombstoned (NaN until the catalog is first read)'),
    ts('Mutations by entity and action',
      [q(`sum by (entity, action) (increase(catalog_mutations_total{job="${j}"}${R}))`, '{{entity}} {{action}}')], 'short',
      'catalog.mutations: dataset insert / delete / update, dataset_version insert'),
  ],
};

function build(daemon) {
  const panels = [...common(daemon), ...DOMAIN[daemon](daemon)];
  let id = 1;
  const out = [];
  const width = 12;
  let x = 0;
  let y = 0;
  for (const p of panels) {
    const h = p.type === 'stat' ? 5 : 8;
    out.push({
      id: id++,
      type: p.type,
      title: p.title,
      description: p.description || undefined,
      datasource: DS,
      gridPos: { h, w: width, x, y },
      fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
      options: p.type === 'stat'
        ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'value', graphMode: 'area' }
        : { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
      targets: p.targets.map((t, i) => ({
        datasource: DS,
        refId: String.fromCharCode(65 + i),
        expr: t.expr,
        legendFormat: t.legend || '__auto',
        range: true,
      })),
    });
    if (x === 0) { x = width; } else { x = 0; y += h; }
  }
  return {
    uid: `lakehouse-${daemon}`,
    title: `lakehouse / ${daemon}`,
    description: `${daemon} (port ${PORTS[daemon]}): HTTP, JVM and domain metrics scraped from /q/metrics (job="${daemon}")`,
    tags: ['lakehouse', daemon],
    timezone: 'browser',
    editable: false,
    graphTooltip: 1,
    refresh: '10s',
    schemaVersion: 39,
    version: 1,
    time: { from: 'now-30m', to: 'now' },
    templating: { list: [] },
    annotations: { list: [] },
    links: [{ title: 'lakehouse', type: 'dashboards', tags: ['lakehouse'], asDropdown: true }],
    panels: out,
  };
}

mkdirSync(OUT, { recursive: true });
for (const d of DAEMONS) {
  writeFileSync(join(OUT, `${d}.json`), JSON.stringify(build(d), null, 2) + '\n');
}
console.log(`wrote ${DAEMONS.length} dashboards to ${OUT}`);
