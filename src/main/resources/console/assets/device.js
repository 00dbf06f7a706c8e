// Device: live feature charts and score, recent alerts and servo commands, credentials and revoke.
import { get, may, post, seg, stream } from './api.js';
import { ackCell } from './ack.js';
import { chart, groups } from './charts.js';
import { ago, band, cell, empty, facts, h, num, table, time, title } from './dom.js';

const KEEP = 300;

function credentials(d, session, refresh) {
  if (!d.registered) return h('span', null, 'not registered (sends telemetry without credentials of its own)');
  const out = h('span', { class: 'cred' }, d.state || '-');
  if (d.state !== 'REVOKED' && may(session, 'operator')) {
    out.append(' ', h('button', {
      type: 'button', class: 'danger', 'data-action': 'revoke',
      onclick: async () => {
        if (!confirm('Revoke ' + d.id + '? Its token stops working and it is disconnected at once.')) return;
        try { await post('/api/v1/devices/' + seg(d.id) + '/revoke'); refresh(); } catch (e) { alert(e.message); }
      },
    }, 'Revoke'));
  }
  return out;
}

function metadata(m) {
  const entries = m && typeof m === 'object' ? Object.entries(m) : [];
  if (!entries.length) return '-';
  return h('ul', { class: 'meta' }, entries.map(([k, v]) => h('li', null, h('span', { class: 'k' }, k), ': ',
    h('span', { class: 'v' }, typeof v === 'string' ? v : JSON.stringify(v)))));
}

export async function render(main, ctx) {
  const id = ctx.arg;
  const data = await get('/api/v1/fleet/' + seg(id));
  const d = data.device;
  const charts = [];
  ctx.onClose(() => charts.forEach((c) => c.destroy()));
  const head = h('div', { class: 'device-head' });
  function drawHead() {
    head.replaceChildren(title(d.id), facts([
      ['Condition', h('span', null, band(d.band), ' since ', time(d.bandSince))],
      ['Score', h('span', { id: 'device-score' }, num(d.score))],
      ['Seen', (d.online ? 'online, ' : 'offline, ') + ago(d.lastSeen)],
      ['Model', d.modelVersion != null ? 'v' + d.modelVersion : '-'],
      ['Firmware', d.firmwareVersion || '-'],
      ['Type', d.type || '-'],
      ['Credentials', credentials(d, ctx.session, () => ctx.refresh && ctx.refresh())],
      ['Metadata', metadata(d.metadata)],
    ]));
  }
  ctx.refresh = async () => { Object.assign(d, (await get('/api/v1/fleet/' + seg(id))).device); drawHead(); };
  drawHead();
  main.append(h('p', null, h('a', { href: '#/fleet' }, 'Back to the fleet')), head);

  const chartsBox = h('section', { class: 'charts', 'aria-label': 'Live charts' });
  main.append(chartsBox);
  const scoreBox = h('div', { class: 'chart', id: 'chart-score' });
  chartsBox.append(scoreBox);
  const scoreChart = chart(scoreBox, 'Score', ['score'], KEEP, { range: [0, 1] });
  charts.push(scoreChart);
  scoreChart.push(data.scores || []);
  let featureCharts = [];
  const noData = empty('No telemetry from this device since the node started: the charts fill as it publishes.');
  function build(names) {
    noData.remove();
    featureCharts = groups(names).map((g) => {
      const box = h('div', { class: 'chart', id: 'chart-' + g.id });
      chartsBox.append(box);
      const c = chart(box, g.title, g.cols.map((i) => names[i]), KEEP, { log: g.log });
      charts.push(c);
      return { c, cols: g.cols };
    });
  }
  function pushRows(rows) {
    for (const f of featureCharts) f.c.push(rows.map((r) => [r[0]].concat(f.cols.map((i) => r[i + 1]))));
  }
  const names = (data.features && data.features.names) || [];
  if (names.length) build(names); else chartsBox.append(noData);
  pushRows((data.features && data.features.rows) || []);

  const alertsBox = h('section', { 'aria-labelledby': 'dev-alerts' }, h('h2', { id: 'dev-alerts' }, 'Recent alerts'));
  alertsBox.append(data.alerts && data.alerts.length
    ? table('Recent alerts', ['Time', 'Condition', 'Score', 'Model', 'Acknowledgement'], data.alerts.map((a) => h('tr', { 'data-alert': a.id },
      cell('Time', time(a.ts)), cell('Condition', band(a.band)), cell('Score', num(a.score)),
      cell('Model', a.modelName ? a.modelName + ' v' + a.modelVersion : '-'), cell('Acknowledgement', ackCell(a, ctx.session)))))
    : empty('No alerts for this device.'));
  const cmdBox = h('section', { 'aria-labelledby': 'dev-cmds' }, h('h2', { id: 'dev-cmds' }, 'Servo commands'));
  cmdBox.append(data.commands && data.commands.length
    ? table('Servo commands', ['Time', 'Command', 'Angle', 'Reason'], data.commands.map((c) => h('tr', null,
      cell('Time', time(c.ts)), cell('Command', c.command || 'servo'), cell('Angle', c.angle ?? '-'), cell('Reason', c.reason || '-'))))
    : empty('No servo commands sent to this device.'));
  main.append(alertsBox, cmdBox);
  performance.mark('device-rendered');

  ctx.onClose(stream('/api/v1/live/devices/' + seg(id), {
    points(ev) {
      scoreChart.push(ev.scores || []);
      if (ev.rows && ev.rows.length) {
        if (!featureCharts.length && ev.names && ev.names.length) build(ev.names);
        pushRows(ev.rows);
      }
      const last = (ev.scores || [])[ev.scores.length - 1];
      if (last) d.score = last[1];
      if (ev.band) d.band = ev.band;
      d.lastSeen = Date.now();
      d.online = true;
      const s = document.getElementById('device-score');
      if (s) s.textContent = num(d.score);
    },
    resync: () => ctx.refresh(),
  }));
}
