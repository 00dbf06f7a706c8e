// Fleet: every device, registry + live state; sort, filter by band, search by id; live over SSE.
import { get, stream } from './api.js';
import { ago, band, cell, clear, empty, h, num, sparkline, table, title } from './dom.js';

const BAND_ORDER = { FAILURE: 0, WARNING: 1, OK: 2 };
const SORTS = {
  id: (a, b) => a.id.localeCompare(b.id),
  band: (a, b) => (BAND_ORDER[a.band] ?? 3) - (BAND_ORDER[b.band] ?? 3) || (b.score ?? -1) - (a.score ?? -1),
  score: (a, b) => (b.score ?? -1) - (a.score ?? -1),
  lastSeen: (a, b) => (b.lastSeen ?? 0) - (a.lastSeen ?? 0),
};

function row(d) {
  const rollout = d.rollout ? d.rollout.state + (d.rollout.version != null ? ' v' + d.rollout.version : '') : '-';
  return h('tr', { 'data-id': d.id },
    cell('Device', h('a', { href: '#/device/' + encodeURIComponent(d.id), class: 'device-id' }, d.id),
      d.registered === false ? h('span', { class: 'tag', title: 'sends telemetry, not in the registry' }, 'unregistered') : null),
    cell('Condition', band(d.band)),
    cell('Score', h('span', { class: 'score' }, num(d.score))),
    cell('Recent scores', sparkline(d.sparkline, d.band)),
    cell('Seen', h('span', { class: d.online ? 'online' : 'offline' }, d.online ? 'online' : 'offline'), ' ', ago(d.lastSeen)),
    cell('Model', d.modelVersion != null ? 'v' + d.modelVersion : '-'),
    cell('Firmware', d.firmwareVersion || '-'),
    cell('Rollout', rollout),
    cell('Open alerts', d.openAlerts ? h('a', { href: '#/alerts', class: 'alerts-open' }, String(d.openAlerts)) : '0'));
}

export async function render(main, ctx) {
  const byId = new Map();
  const census = h('p', { class: 'census', 'aria-live': 'polite' });
  const q = h('input', { id: 'fleet-q', type: 'search', placeholder: 'motor-0', autocomplete: 'off' });
  const bandSel = h('select', { id: 'fleet-band' }, ['', 'FAILURE', 'WARNING', 'OK', 'UNKNOWN']
    .map((b) => h('option', { value: b }, b || 'all')));
  const sortSel = h('select', { id: 'fleet-sort' }, [['band', 'trouble first'], ['id', 'id'], ['score', 'score'], ['lastSeen', 'last seen']]
    .map(([v, t]) => h('option', { value: v }, t)));
  const body = h('div', { id: 'fleet-body' });
  main.append(title('Fleet',
    h('label', { for: 'fleet-q' }, 'Search id'), q,
    h('label', { for: 'fleet-band' }, 'Condition'), bandSel,
    h('label', { for: 'fleet-sort' }, 'Sort'), sortSel), census, body);

  function visible() {
    const term = q.value.trim().toLowerCase();
    const b = bandSel.value;
    return [...byId.values()]
      .filter((d) => (!term || d.id.toLowerCase().includes(term)) && (!b || (d.band || 'UNKNOWN') === b))
      .sort(SORTS[sortSel.value]);
  }

  function drawCensus() {
    const c = { FAILURE: 0, WARNING: 0, OK: 0, UNKNOWN: 0 };
    for (const d of byId.values()) c[d.band || 'UNKNOWN']++;
    clear(census).append(byId.size + ' devices: ', h('span', { class: 'band band-failure' }, c.FAILURE + ' FAILURE'), ' ',
      h('span', { class: 'band band-warning' }, c.WARNING + ' WARNING'), ' ',
      h('span', { class: 'band band-ok' }, c.OK + ' OK'), ' ', c.UNKNOWN + ' not scored');
  }

  function draw() {
    drawCensus();
    clear(body);
    if (!byId.size) {
      body.append(empty('No devices yet: devices appear here once they publish telemetry or are provisioned '
        + '(aiot-edge devices add <id>); aiot-edge demo starts simulated motors.'));
      return;
    }
    const rows = visible();
    if (!rows.length) {
      body.append(empty('No device matches this search or condition.'));
      return;
    }
    const frag = document.createDocumentFragment();
    rows.forEach((d) => frag.append(row(d)));
    body.append(table('Devices', ['Device', 'Condition', 'Score', 'Recent scores', 'Seen', 'Model', 'Firmware', 'Rollout', 'Open alerts'], frag));
  }

  async function load() {
    const data = await get('/api/v1/fleet');
    byId.clear();
    for (const d of data.devices) byId.set(d.id, d);
    draw();
  }

  q.addEventListener('input', draw);
  bandSel.addEventListener('change', draw);
  sortSel.addEventListener('change', draw);
  await load();
  performance.mark('fleet-rendered');

  ctx.onClose(stream('/api/v1/live/fleet', {
    fleet(ev) {
      let added = false;
      for (const change of ev.devices || []) {
        const d = byId.get(change.id);
        if (!d) { byId.set(change.id, Object.assign({ sparkline: [] }, change)); added = true; continue; }
        if (change.score != null && change.score !== d.score && Array.isArray(d.sparkline)) {
          d.sparkline.push(change.score);
          if (d.sparkline.length > 60) d.sparkline.shift();
        }
        Object.assign(d, change);
        const tr = body.querySelector('tr[data-id="' + CSS.escape(change.id) + '"]');
        if (tr) tr.replaceWith(row(d));
      }
      if (added) draw(); else drawCensus();
    },
    alert(a) {
      const d = byId.get(a.deviceId);
      if (!d) return;
      d.openAlerts = (d.openAlerts || 0) + 1;
      const tr = body.querySelector('tr[data-id="' + CSS.escape(a.deviceId) + '"]');
      if (tr) tr.replaceWith(row(d));
    },
    resync: () => load(),
  }));
}
