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
  vectord: (j) => [],
  matrixd: (j) => [...observerClient(j), ...faultTolerance(j)],
  chatd: (j) => [
    ts('Provider attempts by provider and status',
      [q(`sum by (provider, status) (rate(chatd_provider_attempts_total{job="${j}"}${R}))`, '{{provider}} {{status}}')], 'ops',
      'chatd.provider.attempts; appears after the first chat call'),
    ...observerClient(j),
  ],
  validatord: (j) => [...observerClient(j), ...faultTolerance(j)],
  distilld: (j) => [],
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
  catalogd: (j) => [],
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
