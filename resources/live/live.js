/* The live page: renders the connector's snapshots (GET /api/live/snapshot, then server-sent events from
 * /api/live/events) into tables and uPlot charts. No framework, no CDN: uPlot is served by the connector. */
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const charts = {};
  const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2'];
  const ZONE_BANDS = [
    { from: 0, key: 'ab', color: 'rgba(46,139,87,0.12)' },
    { from: 'ab', key: 'bc', color: 'rgba(201,164,0,0.14)' },
    { from: 'bc', key: 'cd', color: 'rgba(224,123,0,0.14)' },
    { from: 'cd', key: null, color: 'rgba(192,57,43,0.14)' },
  ];

  function text(value) {
    return value === null || value === undefined ? '' : String(value);
  }
  function time(iso) {
    return iso ? new Date(iso).toLocaleTimeString() : '';
  }
  function shortIri(iri) {
    const s = text(iri);
    return s.length > 48 ? '…' + s.slice(-46) : s;
  }
  function cell(value, cls) {
    const td = document.createElement('td');
    td.textContent = text(value);
    if (cls) td.className = cls;
    return td;
  }
  function fillTable(id, rows, empty) {
    const body = $(id).querySelector('tbody');
    body.replaceChildren();
    if (rows.length === 0) {
      const tr = document.createElement('tr');
      const td = cell(empty, 'muted');
      td.colSpan = $(id).querySelectorAll('th').length;
      tr.append(td);
      body.append(tr);
      return;
    }
    for (const row of rows) {
      const tr = document.createElement('tr');
      for (const c of row) tr.append(Array.isArray(c) ? cell(c[0], c[1]) : cell(c));
      body.append(tr);
    }
  }
  function fillList(id, pairs) {
    const dl = $(id);
    dl.replaceChildren();
    for (const [k, v, cls] of pairs) {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = text(v);
      if (cls) dd.className = cls;
      dl.append(dt, dd);
    }
  }
  function stateBadge(id, app) {
    const el = $(id);
    el.textContent = app ? app.state + (app.lastError ? ': ' + app.lastError : '') : 'not installed';
    el.className = 'state ' + (app ? app.state : '');
  }

  /**
   * One uPlot per container, recreated when its series change; `bands` draws the ISO zone limits behind the lines.
   * `opts.log`: a logarithmic value axis (a pump far into zone D keeps the zone bands readable); a series with
   * `step` is drawn as steps (a count holds until it changes); a null in a series is a gap (an app stop), never
   * bridged.
   */
  function plot(id, title, unit, times, series, bands, extra) {
    const log = Boolean(extra && extra.log);
    const el = $(id);
    const names = series.map((s) => s.label).join('|');
    const data = [times, ...series.map((s) => s.values)];
    const existing = charts[id];
    if (existing && existing.names === names) {
      existing.bands = bands;
      existing.chart.setData(data);
      el.dataset.points = String(times.length);
      return;
    }
    if (existing) existing.chart.destroy();
    el.replaceChildren();
    if (times.length === 0) {
      el.innerHTML = '<p class="muted">' + title + ': no values yet</p>';
      delete charts[id];
      return;
    }
    const holder = { names, bands, chart: null };
    const opts = {
      title,
      width: Math.max(320, el.clientWidth || 800),
      height: 220,
      // A few points (a node just started) would otherwise be spread over years: show at least ten minutes.
      // (uPlot pads one point's range to years before it asks, so the range is taken from the data itself.)
      scales: {
        ...(log ? { y: { distr: 3, log: 10 } } : {}),
        x: {
          time: true,
          range: (u) => {
            const xs = u.data[0];
            const lo = xs[0];
            const hi = xs[xs.length - 1];
            return hi - lo < 600 ? [hi - 600, hi + 10] : [lo, hi];
          },
        },
      },
      // Tick labels at least 90 px apart on the time axis and a wide enough value axis: labels never overlap.
      axes: [{ space: 90 }, { label: unit, size: 64, space: 30 }],
      series: [
        {},
        ...series.map((s, i) => ({
          label: s.label,
          stroke: PALETTE[i % PALETTE.length],
          width: 2,
          spanGaps: false,
          ...(s.step ? { paths: uPlot.paths.stepped({ align: 1 }) } : {}),
        })),
      ],
      hooks: {
        drawClear: [
          (u) => {
            if (!holder.bands) return;
            const ctx = u.ctx;
            for (const band of holder.bands) {
              const top = band.to === null ? u.scales.y.max : band.to;
              if (top === undefined || band.from >= top) continue;
              // On a log axis zone A's band starts at the axis' bottom (0 has no position).
              const from = log ? Math.max(band.from, u.scales.y.min) : band.from;
              const y0 = u.valToPos(Math.max(from, u.scales.y.min), 'y', true);
              const y1 = u.valToPos(Math.min(top, u.scales.y.max), 'y', true);
              ctx.fillStyle = band.color;
              ctx.fillRect(u.bbox.left, y1, u.bbox.width, y0 - y1);
            }
          },
        ],
      },
    };
    holder.chart = new uPlot(opts, data, el);
    el.dataset.points = String(times.length);
    charts[id] = holder;
  }

  /**
   * Points of several keyed series on one time axis (uPlot wants aligned arrays). Where a series has no value at a
   * stamp of another, the slot is undefined (uPlot draws across it); where its own points are further apart than
   * five times its usual spacing (the app stopped, the node restarted), a null is put between them: a gap.
   */
  function aligned(points, stepKeys) {
    const keys = [...new Set(points.map((p) => p.key))].sort();
    const byKey = new Map(keys.map((k) => [k, points.filter((p) => p.key === k).sort((a, b) => a.t - b.t)]));
    const gapPoints = [];
    for (const [key, own] of byKey) {
      const steps = own
        .slice(1)
        .map((p, i) => p.t - own[i].t)
        .sort((a, b) => a - b);
      const usual = steps.length > 0 ? steps[steps.length >> 1] : 0;
      for (let i = 1; i < own.length; i++) {
        if (usual > 0 && own[i].t - own[i - 1].t > 5 * usual && own[i].t - own[i - 1].t > 10) {
          gapPoints.push({ key, t: (own[i].t + own[i - 1].t) / 2, v: null });
        }
      }
    }
    const all = [...points, ...gapPoints];
    const stamps = [...new Set(all.map((p) => p.t))].sort((a, b) => a - b);
    const index = new Map(stamps.map((t, i) => [t, i]));
    const values = keys.map(() => stamps.map(() => undefined));
    for (const p of all) values[keys.indexOf(p.key)][index.get(p.t)] = p.v;
    return { times: stamps, series: keys.map((k, i) => ({ label: k, values: values[i], step: Boolean(stepKeys && stepKeys(k)) })) };
  }

  function renderOccupancy(app) {
    stateBadge('occupancy-state', app);
    const tiles = $('occupancy-now');
    tiles.replaceChildren();
    if (!app) return;
    const now = app.outputs.occupancy ? app.outputs.occupancy.current || {} : {};
    const zones = Object.values(now);
    if (zones.length === 0) tiles.innerHTML = '<p class="muted">no count yet</p>';
    for (const entry of zones) {
      const tile = document.createElement('div');
      tile.className = 'tile';
      tile.innerHTML = '<div class="muted"></div><div class="count"></div><div class="muted"></div>';
      tile.children[0].textContent = entry.value.camera + ' / ' + entry.value.zone;
      tile.children[1].textContent = text(entry.value.count);
      tile.children[2].textContent = 'since ' + time(entry.value.since);
      tiles.append(tile);
    }
    // Counts over time: each change (a step), and the series' interval means when there are any.
    const points = [];
    for (const e of app.outputs.occupancy ? app.outputs.occupancy.history : []) {
      points.push({ key: e.value.zone + ' count', t: Date.parse(e.at) / 1000, v: e.value.count });
    }
    for (const e of app.outputs.series ? app.outputs.series.history : []) {
      points.push({ key: e.value.zone + ' mean', t: Date.parse(e.value.end) / 1000, v: e.value.mean });
    }
    const { times, series } = aligned(points, (key) => key.endsWith(' count'));
    plot('occupancy-chart', 'People per zone', 'people', times, series);
  }

  function renderVibration(app) {
    stateBadge('vibration-state', app);
    if (!app) return;
    const condition = app.outputs.condition;
    const rows = [];
    let limits = null;
    for (const entry of Object.values(condition ? condition.current || {} : {})) {
      const v = entry.value;
      for (const [channel, c] of Object.entries(v.channels || {})) {
        if (c.limitsMmS) limits = c.limitsMmS;
        rows.push([
          v.title || v.asset,
          channel,
          [c.zone || '–', c.zone ? 'zone-' + c.zone : ''],
          c.vRms,
          c.health,
          c.baseline,
          c.prediction ? 'zone ' + c.prediction.boundary + ' in ' + c.prediction.inHours.toFixed(1) + ' h' : '',
        ]);
      }
    }
    fillTable('pumps', rows, 'no condition yet');
    const velocity = [];
    const health = [];
    for (const e of condition ? condition.history : []) {
      const t = Date.parse(e.value.at || e.at) / 1000;
      for (const [channel, c] of Object.entries(e.value.channels || {})) {
        const key = e.value.asset + ' ' + channel;
        // The newest window's values at their own time (the judged ones, beside the zone, are in the table).
        const w = c.latest || { vRms: c.vRms, health: c.health, at: null };
        const at = w.at ? Date.parse(w.at) / 1000 : t;
        if (typeof w.vRms === 'number') velocity.push({ key, t: at, v: w.vRms });
        if (typeof w.health === 'number') health.push({ key, t: at, v: w.health });
      }
    }
    const bands = limits
      ? ZONE_BANDS.map((b) => ({ from: b.from === 0 ? 0 : limits[b.from], to: b.key === null ? null : limits[b.key], color: b.color }))
      : null;
    const v = aligned(velocity);
    plot('vibration-chart', 'Velocity RMS with the ISO 10816-3 zones (log scale)', 'mm/s', v.times, v.series, bands, { log: true });
    const h = aligned(health);
    plot('health-chart', 'Health index', 'health', h.times, h.series);
    const events = (app.outputs.events ? app.outputs.events.history : []).slice(-10).reverse();
    fillTable(
      'events',
      events.map((e) => [
        time(e.value.at),
        e.value.assetTitle || e.value.asset,
        e.value.kind,
        [e.value.severity, e.value.severity === 'critical' ? 'bad' : e.value.severity === 'alarm' ? 'warn' : ''],
        e.value.message,
      ]),
      'no maintenance event yet',
    );
  }

  function render(s) {
    $('title').textContent = s.connector.title;
    $('updated').textContent = 'updated ' + time(s.at);
    fillList('identity', [
      ['connector', s.connector.id],
      ['public URL', s.connector.publicUrl],
      ['security profile', s.connector.securityProfile.replace(/^.*\//, '')],
      ['DAPS mode', s.connector.daps.mode],
      ['DAT', s.connector.daps.token, s.connector.daps.token === 'valid' ? 'ok' : 'bad'],
    ]);
    const b = s.broker;
    const ch = s.clearingHouse;
    fillList('service-states', [
      [
        'broker',
        b.brokerUrl ? (b.registered ? 'registered' : 'not registered') : 'none configured',
        b.brokerUrl ? (b.registered ? 'ok' : 'warn') : '',
      ],
      ['broker last error', b.lastError || '–'],
      [
        'clearing house',
        ch.enabled ? ch.depth + ' record(s) waiting, ' + ch.delivered + ' delivered' : 'none configured',
        ch.enabled && ch.depth > 0 ? 'warn' : ch.enabled ? 'ok' : '',
      ],
      ['oldest waiting', ch.oldest ? time(ch.oldest) : '–'],
    ]);
    fillTable(
      'exchanges',
      s.exchanges.map((e) => [
        time(e.at),
        e.direction,
        e.type,
        e.reply,
        [e.outcome ? e.outcome.slice(0, 80) : 'ok', e.outcome ? 'bad' : 'ok'],
        shortIri(e.peer),
      ]),
      'no exchange yet',
    );
    fillTable(
      'agreements',
      s.agreements.map((a) => [
        a.side,
        shortIri(a.agreement),
        shortIri(a.target),
        shortIri(a.peer),
        a.uses,
        a.limit === null ? '–' : a.limit,
        [a.permitted ? 'permitted' : a.reasons.join('; ').slice(0, 80), a.permitted ? 'ok' : 'bad'],
      ]),
      'no agreement yet',
    );
    fillTable(
      'transfers',
      s.transfers.map((t) => [
        time(t.started),
        shortIri(t.provider),
        shortIri(t.artifact),
        t.bytes + (t.expectedBytes ? ' / ' + t.expectedBytes : ''),
        [t.state + (t.error ? ': ' + t.error : ''), t.state === 'failed' ? 'bad' : t.state === 'done' ? 'ok' : 'warn'],
      ]),
      'nothing received yet',
    );
    // Every configured source of every running app, the failing ones too (a camera answering 404 has no tile).
    fillTable(
      'sources',
      s.apps.flatMap((a) =>
        Object.entries(a.sources || {}).map(([name, src]) => [
          a.title || a.name,
          name,
          [src.state, src.up === false ? 'bad' : 'ok'],
          time(src.since),
          src.lastError || '',
        ]),
      ),
      'no sensor configured',
    );
    renderOccupancy(s.apps.find((a) => a.name === 'occupancy'));
    renderVibration(s.apps.find((a) => a.name === 'vibration'));
  }

  /** A delta of the feed applied to the snapshot held (src/operations/live.delta.ts has the rules and their test). */
  function applyDelta(before, delta) {
    if ('=' in delta) return delta['='];
    if ('a' in delta) return [...(Array.isArray(before) ? before.slice(delta.a[0]) : []), ...delta.a[1]];
    if ('i' in delta) {
      const items = Array.isArray(before) ? [...before] : [];
      for (const [index, d] of Object.entries(delta.i)) items[Number(index)] = applyDelta(items[Number(index)], d);
      return items;
    }
    const out = before !== null && typeof before === 'object' && !Array.isArray(before) ? { ...before } : {};
    for (const [key, d] of Object.entries(delta.o)) {
      if ('-' in d) delete out[key];
      else out[key] = applyDelta(out[key], d);
    }
    return out;
  }

  const feed = $('feed');
  let held = null;
  const source = new EventSource('/api/live/events');
  source.addEventListener('snapshot', (event) => {
    feed.textContent = 'live';
    feed.className = 'badge ok';
    held = JSON.parse(event.data);
    render(held);
  });
  // What changed since the snapshot held; a delta before any snapshot cannot happen (the feed starts with one).
  source.addEventListener('delta', (event) => {
    if (held === null) return;
    held = applyDelta(held, JSON.parse(event.data));
    window.fepLive = { deltas: (window.fepLive ? window.fepLive.deltas : 0) + 1 };
    render(held);
  });
  source.onerror = () => {
    feed.textContent = 'reconnecting…';
    feed.className = 'badge bad';
  };
})();
