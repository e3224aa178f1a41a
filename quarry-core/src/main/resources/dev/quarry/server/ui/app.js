// Quarry's web page: search (GET /v1/search) and a dashboard of the server's own meters
// (GET /metrics, GET /v1/status). Every text from the server is set as text (textContent, text
// nodes), never parsed as HTML: a file whose text is <script> shows as those characters.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const TOKEN_KEY = 'quarry.token';
  const POLL_MS = 2000;
  const POINTS = 150; // five minutes of the dashboard's series
  let token = sessionStorage.getItem(TOKEN_KEY) || '';

  class NeedsToken extends Error {}

  /** A GET of the server's, with the token when there is one; JSON, or text when asked. */
  async function api(path, asText) {
    const headers = token ? { Authorization: 'Bearer ' + token } : {};
    const response = await fetch(path, { headers, cache: 'no-store' });
    if (response.status === 401) {
      $('token-form').hidden = false;
      throw new NeedsToken('this server needs its token');
    }
    if (!response.ok) {
      let message = response.status + ' ' + response.statusText;
      try {
        message = (await response.json()).error || message;
      } catch (e) {
        // not JSON: the status says enough
      }
      throw new Error(message);
    }
    return asText ? response.text() : response.json();
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  const plural = (n, word) => n.toLocaleString() + ' ' + word + (n === 1 ? '' : 's');

  // ---- search

  function fillFormFromUrl() {
    const params = new URLSearchParams(location.search);
    $('q').value = params.get('q') || '';
    $('mode').value = params.get('mode') || '';
    $('path').value = params.get('path') || '';
    return $('q').value.trim() !== '';
  }

  async function search() {
    const q = $('q').value.trim();
    if (!q) return;
    const shown = new URLSearchParams({ q });
    if ($('mode').value) shown.set('mode', $('mode').value);
    if ($('path').value.trim()) shown.set('path', $('path').value.trim());
    history.replaceState(null, '', '?' + shown + location.hash); // a link to share
    const params = new URLSearchParams(shown);
    params.set('k', '30');
    $('summary').textContent = 'Searching...';
    $('results').replaceChildren();
    const started = performance.now();
    try {
      render(await api('/v1/search?' + params), performance.now() - started);
    } catch (e) {
      $('summary').textContent = '';
      $('results').replaceChildren(el('p', 'error', e.message));
    }
  }

  function render(answer, ms) {
    const files = new Map(); // hits grouped by file, files in the order of their best hit
    for (const hit of answer.hits) {
      if (!files.has(hit.path)) files.set(hit.path, []);
      files.get(hit.path).push(hit);
    }
    $('summary').textContent =
      plural(answer.hits.length, 'hit') + ' in ' + plural(files.size, 'file') +
      ' (' + answer.mode + ', ' + Math.round(ms) + ' ms)';
    const boxes = [];
    for (const [path, hits] of files) {
      const box = el('article', 'file');
      const title = el('h2', null, path);
      if (hits[0].language) title.append(el('span', 'lang', hits[0].language));
      if (hits.some((h) => h.stale)) {
        title.append(el('span', 'stale', 'stale: changed on disk since it was indexed'));
      }
      box.append(title);
      for (const hit of hits) box.append(hitBlock(hit));
      boxes.push(box);
    }
    $('results').replaceChildren(...boxes);
  }

  function hitBlock(hit) {
    const block = el('div', 'hit');
    let meta = 'lines ' + hit.startLine + '-' + hit.endLine;
    if (hit.page) meta += ', PDF page ' + hit.page;
    meta += ' · score ' + hit.score.toFixed(3);
    if (hit.context) meta += ' · ' + hit.context;
    block.append(el('div', 'meta', meta));
    const pre = el('pre', 'snippet');
    const lines = hit.snippet && hit.snippet.length
      ? hit.snippet
      : [{ line: hit.startLine, text: hit.text.split('\n')[0], matches: [] }];
    lines.forEach((line, i) => {
      if (i > 0) pre.append('\n');
      pre.append(el('span', 'n', line.line));
      appendMarked(pre, line.text, line.matches || []);
    });
    block.append(pre);
    return block;
  }

  /** The line's text, its matches (start and end offsets) marked. */
  function appendMarked(parent, text, matches) {
    let at = 0;
    for (const [start, end] of [...matches].sort((a, b) => a[0] - b[0])) {
      if (start < at || end > text.length) continue;
      if (start > at) parent.append(text.slice(at, start));
      parent.append(el('mark', null, text.slice(start, end)));
      at = end;
    }
    if (at < text.length) parent.append(text.slice(at));
  }

  // ---- the index in the header, and the dashboard

  function showStatus(status) {
    const index = status.index; // null until a first run has committed
    if (index) {
      const coverage = Math.round(100 * index.vectorCoverage);
      $('index-line').textContent =
        plural(index.files, 'file') + ' · ' + plural(index.chunks, 'chunk') +
        (index.model ? ' · ' + coverage + '% with vectors' : ' · lexical only');
      $('files').textContent = index.files.toLocaleString();
      $('chunks').textContent = index.chunks.toLocaleString();
      $('coverage').textContent = index.model ? coverage + '%' : 'none';
    } else {
      $('index-line').textContent = 'nothing committed yet: the first run is building the index';
    }
    $('watch').textContent = status.watch ? String(status.watch.pendingPaths) : 'not watched';
    const run = status.run;
    const box = $('run');
    box.classList.toggle('active', Boolean(run));
    box.textContent = run
      ? 'Run in progress: ' + run.kind + ', files complete (chunks and vectors in): ' +
        run.filesDone.toLocaleString() + ' of ' +
        run.filesFound.toLocaleString() + (run.walkEnded ? '' : '+') + ', ' +
        run.chunksWritten.toLocaleString() + ' chunks written, ' +
        run.chunksEmbedded.toLocaleString() + ' embedded, ' +
        run.embedBacklog.toLocaleString() + ' waiting for vectors, ' +
        Math.round(run.elapsedSeconds) + ' s'
      : 'No run in progress.' + (status.lastReconcileError ? ' Last error: ' + status.lastReconcileError : '');
  }

  /** Prometheus text: one sample per line, {name, labels, value}. */
  function parseMetrics(text) {
    const samples = [];
    for (const line of text.split('\n')) {
      if (!line || line[0] === '#') continue;
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
      if (!m) continue;
      const labels = {};
      for (const pair of (m[2] || '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
        labels[pair[1]] = pair[2];
      }
      samples.push({ name: m[1], labels, value: Number(m[3]) });
    }
    return samples;
  }

  function total(samples, name, match) {
    return samples
      .filter((s) => s.name === name && Object.entries(match || {}).every(([k, v]) => s.labels[k] === v))
      .reduce((sum, s) => sum + s.value, 0);
  }

  /** Search latency quantiles (ms) from the histogram's buckets, between two scrapes. */
  function latencyQuantiles(now, before) {
    const counts = new Map();
    const add = (samples, sign) => {
      for (const s of samples) {
        if (s.name === 'quarry_http_requests_seconds_bucket' && s.labels.route === '/v1/search') {
          counts.set(s.labels.le, (counts.get(s.labels.le) || 0) + sign * s.value);
        }
      }
    };
    add(now, 1);
    if (before) add(before, -1);
    const bounds = [...counts.keys()].sort((a, b) => bound(a) - bound(b));
    const all = counts.get('+Inf') || 0;
    return [0.5, 0.95, 0.99].map((q) => {
      if (all <= 0) return null;
      const wanted = bound(bounds.find((b) => counts.get(b) >= q * all));
      return Number.isFinite(wanted) ? wanted * 1000 : null;
    });
  }

  const bound = (le) => (le === '+Inf' ? Infinity : Number(le));

  const data = {
    time: [], files: [], written: [], embedded: [],
    queues: { scan: [], work: [], embed: [] },
    caches: new Map(), p50: [], p95: [], p99: [],
  };
  const scrapes = []; // [time, samples], the last minute's
  let last = null;
  let charts = null;

  function record(samples, now) {
    const rate = (name, match) => {
      if (!last) return 0;
      const seconds = now - last.time;
      return seconds > 0 ? Math.max(0, (total(samples, name, match) - total(last.samples, name, match)) / seconds) : 0;
    };
    push(data.time, now);
    push(data.files, rate('quarry_index_files_total', { outcome: 'indexed' }));
    push(data.written, rate('quarry_index_chunks_total', { kind: 'written' }));
    push(data.embedded, rate('quarry_index_chunks_total', { kind: 'embedded' }));
    for (const queue of Object.keys(data.queues)) {
      push(data.queues[queue], total(samples, 'quarry_index_queue_items', { queue }));
    }
    const names = new Set(samples.filter((s) => s.name === 'cache_gets_total').map((s) => s.labels.cache));
    for (const name of names) {
      if (!data.caches.has(name)) data.caches.set(name, data.time.slice(0, -1).map(() => null));
      const hits = total(samples, 'cache_gets_total', { cache: name, result: 'hit' });
      const misses = total(samples, 'cache_gets_total', { cache: name, result: 'miss' });
      push(data.caches.get(name), hits + misses > 0 ? (100 * hits) / (hits + misses) : null);
    }
    scrapes.push([now, samples]);
    while (scrapes.length > 1 && now - scrapes[0][0] > 60) scrapes.shift();
    const [p50, p95, p99] = latencyQuantiles(samples, scrapes.length > 1 ? scrapes[0][1] : null);
    push(data.p50, p50);
    push(data.p95, p95);
    push(data.p99, p99);
    last = { time: now, samples };
  }

  function push(series, value) {
    series.push(value);
    if (series.length > POINTS) series.shift();
  }

  function chart(id, labels, colors) {
    const target = $(id);
    return new uPlot(
      {
        width: Math.max(320, target.clientWidth || 520),
        height: 200,
        series: [{}, ...labels.map((label, i) => ({ label, stroke: colors[i], width: 2, spanGaps: true }))],
        axes: [{}, { size: 60 }],
        legend: { live: false },
      },
      [[], ...labels.map(() => [])],
      target
    );
  }

  const COLORS = ['#2456c8', '#c83a24', '#2a9d52', '#8c4bc8', '#c8a024'];

  function drawCharts() {
    const cacheNames = [...data.caches.keys()];
    if (!charts || charts.cacheNames.join() !== cacheNames.join()) {
      if (charts) charts.caches.destroy();
      charts = charts || {
        throughput: chart('chart-throughput', ['files', 'chunks written', 'chunks embedded'], COLORS),
        queues: chart('chart-queues', ['scan', 'work', 'embed'], COLORS),
        latency: chart('chart-latency', ['p50', 'p95', 'p99'], COLORS),
      };
      charts.caches = chart('chart-caches', cacheNames.length ? cacheNames : ['(none yet)'], COLORS);
      charts.cacheNames = cacheNames;
    }
    charts.throughput.setData([data.time, data.files, data.written, data.embedded]);
    charts.queues.setData([data.time, data.queues.scan, data.queues.work, data.queues.embed]);
    charts.latency.setData([data.time, data.p50, data.p95, data.p99]);
    charts.caches.setData([data.time, ...(cacheNames.length ? cacheNames.map((n) => data.caches.get(n)) : [data.time.map(() => null)])]);
  }

  let polling = null;

  async function poll() {
    try {
      const [status, metrics] = await Promise.all([api('/v1/status'), api('/metrics', true)]);
      showStatus(status);
      record(parseMetrics(metrics), Date.now() / 1000);
      drawCharts();
    } catch (e) {
      if (!(e instanceof NeedsToken)) $('run').textContent = 'Cannot read the server: ' + e.message;
    }
  }

  async function headerOnly() {
    try {
      showStatus(await api('/v1/status'));
    } catch (e) {
      if (!(e instanceof NeedsToken)) $('index-line').textContent = e.message;
    }
  }

  // ---- which view

  /** Marks the page ready once its first view has data: how long loading took, for tests. */
  function ready() {
    if (!document.body.dataset.readyMs) {
      document.body.dataset.readyMs = String(Math.round(performance.now()));
    }
  }

  function route() {
    const dashboard = location.hash === '#dashboard';
    $('dashboard').hidden = !dashboard;
    $('search').hidden = dashboard;
    $('tab-dashboard').classList.toggle('active', dashboard);
    $('tab-search').classList.toggle('active', !dashboard);
    clearInterval(polling);
    polling = null;
    if (dashboard) {
      poll().then(ready);
      polling = setInterval(poll, POLL_MS);
    } else {
      const header = headerOnly();
      (fillFormFromUrl() ? Promise.all([header, search()]) : header).then(ready);
    }
  }

  $('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    search();
  });
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    token = $('token').value.trim();
    sessionStorage.setItem(TOKEN_KEY, token);
    $('token-form').hidden = true;
    route();
  });
  window.addEventListener('hashchange', route);
  route();
})();
