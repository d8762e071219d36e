// The console's charts: GET /v1/fleet/metrics/history (the gateway's ring of samples) drawn with uPlot, one chart
// per metric and one line per daemon. Gaps (null) are drawn as gaps: a daemon that was down or had just started.
(function () {
  'use strict';
  const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f',
    '#bcbd22', '#17becf', '#393b79'];
  const CHARTS = [
    { id: 'chart-rps', field: 'requests_per_second', fmt: (v) => v.toFixed(v >= 10 ? 0 : 2) },
    { id: 'chart-p99', field: 'p99_ms', fmt: (v) => (v >= 1000 ? (v / 1000).toFixed(v >= 10000 ? 0 : 1) + ' s' : v.toFixed(v >= 10 ? 0 : 1) + ' ms') },
    { id: 'chart-eps', field: 'errors_per_second', fmt: (v) => v.toFixed(2) },
    { id: 'chart-heap', field: 'heap_used_bytes', scale: 1 / 1048576, fmt: (v) => v.toFixed(0) + ' MB' },
  ];
  const plots = {};

  function width(el) { return Math.max(280, Math.floor(el.getBoundingClientRect().width) || 420); }

  function plot(el, names, data, fmt) {
    const key = names.join(',');
    const existing = plots[el.id];
    if (existing && existing.key === key) {
      existing.u.setData(data);
      return;
    }
    if (existing) { existing.u.destroy(); }
    const series = [{}].concat(names.map((n, i) => ({
      label: n, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: false,
      value: (u, v) => (v === null || v === undefined ? '-' : fmt(v)),
    })));
    const opts = {
      width: width(el), height: 190, series,
      axes: [{}, { size: 64, values: (u, vals) => vals.map((v) => fmt(v)) }],
      // from 0, and at least 0..1 so that a flat line of zeros sits at the bottom instead of mid-chart
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
    };
    plots[el.id] = { key, u: new uPlot(opts, data, el) };
  }

  // Counts the known points of a chart's lines, for the page's status line and the browser test.
  function mark(el, data) {
    let points = 0;
    for (let s = 1; s < data.length; s++) { points += data[s].filter((v) => v !== null && v !== undefined).length; }
    el.dataset.samples = String(data[0].length);
    el.dataset.points = String(points);
    el.dataset.series = String(data.length - 1);
    return points;
  }

  window.drawFleetHistory = function (h) {
    const times = h.times.map((t) => t / 1000);
    const names = Object.keys(h.daemons);
    const shown = {};
    for (const c of CHARTS) {
      const el = document.getElementById(c.id);
      const data = [times].concat(names.map((n) => h.daemons[n][c.field].map((v) =>
        (v === null || v === undefined) ? null : (c.scale ? v * c.scale : v))));
      plot(el, names, data, c.fmt);
      shown[c.id] = mark(el, data);
    }
    const hit = document.getElementById('chart-hit');
    const pct = (a) => a.map((v) => (v === null || v === undefined ? null : 100 * v));
    const hitData = [times, pct(h.embed_cache_hit_rate), pct(h.embed_cache_hit_rate_total)];
    plot(hit, ['last interval', 'since embedd started'], hitData, (v) => v.toFixed(0) + '%');
    shown['chart-hit'] = mark(hit, hitData);
    return shown;
  };

  window.addEventListener('resize', () => {
    for (const id of Object.keys(plots)) {
      const el = document.getElementById(id);
      plots[id].u.setSize({ width: width(el), height: 190 });
    }
  });
})();
