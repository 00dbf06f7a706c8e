// Alerts: newest first, filter by band and state, acknowledge with a note; pages with "Older".
import { get, stream } from './api.js';
import { ackCell } from './ack.js';
import { band, cell, clear, empty, h, num, table, time, title } from './dom.js';

// The platform's own alert about a model (no device): which version was rolled back, and why.
function rolledBackRow(a, session) {
  return h('tr', { 'data-alert': a.id, class: 'platform-alert' },
    cell('Time', time(a.ts)),
    cell('Device', h('span', { class: 'muted' }, 'none (platform)')),
    cell('Condition', h('strong', {}, 'Rollout rolled back'), h('span', { class: 'muted' }, ': ' + (a.reason || ''))),
    cell('Score', '-'),
    cell('Model', h('a', { href: '#/models' }, a.modelName + ' v' + a.modelVersion + ' rejected'), h('span', { class: 'tag' }, 'rollout ' + a.rolloutId)),
    cell('Acknowledgement', ackCell(a, session)));
}

function row(a, session) {
  if (a.type === 'rollout-rolled-back') return rolledBackRow(a, session);
  return h('tr', { 'data-alert': a.id },
    cell('Time', time(a.ts)),
    cell('Device', h('a', { href: '#/device/' + encodeURIComponent(a.deviceId) }, a.deviceId)),
    cell('Condition', band(a.band), a.previousBand ? h('span', { class: 'muted' }, ' from ' + a.previousBand) : null),
    cell('Score', num(a.score)),
    cell('Model', a.modelName ? a.modelName + ' v' + a.modelVersion : '-', a.rolloutId ? h('span', { class: 'tag' }, 'rollout ' + a.rolloutId) : null),
    cell('Acknowledgement', ackCell(a, session)));
}

export async function render(main, ctx) {
  const bandSel = h('select', { id: 'alerts-band' }, ['', 'FAILURE', 'WARNING', 'OK'].map((b) => h('option', { value: b }, b || 'all')));
  const ackSel = h('select', { id: 'alerts-acked' }, [['false', 'open'], ['', 'all'], ['true', 'acknowledged']]
    .map(([v, t]) => h('option', { value: v }, t)));
  const body = h('div', { id: 'alerts-body' });
  main.append(title('Alerts', h('label', { for: 'alerts-band' }, 'Condition'), bandSel,
    h('label', { for: 'alerts-acked' }, 'State'), ackSel), body);
  let tbody = null;
  let next = null;
  const more = h('button', { type: 'button', id: 'alerts-more', onclick: () => page(next) }, 'Older alerts');

  function query(before) {
    const p = new URLSearchParams({ limit: '50' });
    if (bandSel.value) p.set('band', bandSel.value);
    if (ackSel.value) p.set('acked', ackSel.value);
    if (before != null) p.set('before', String(before));
    return '/api/v1/alerts?' + p;
  }

  async function page(before) {
    const data = await get(query(before));
    if (before == null) {
      clear(body);
      tbody = null;
      if (!data.alerts.length) {
        body.append(empty(ackSel.value === 'false'
          ? 'No open alerts: every motor is fine or every alert has been acknowledged.'
          : 'No alerts yet: the inference role raises one when a motor changes condition.'));
        return;
      }
      const t = table('Alerts', ['Time', 'Device', 'Condition', 'Score', 'Model', 'Acknowledgement'], []);
      tbody = t.querySelector('tbody');
      body.append(t);
    }
    data.alerts.forEach((a) => tbody.append(row(a, ctx.session)));
    next = data.next;
    more.remove();
    if (next != null) body.append(more);
  }

  bandSel.addEventListener('change', () => page(null));
  ackSel.addEventListener('change', () => page(null));
  await page(null);
  ctx.onClose(stream('/api/v1/live/fleet', {
    alert(a) {
      if ((bandSel.value && a.band !== bandSel.value) || ackSel.value === 'true') return;
      if (!tbody) { page(null); return; }
      if (!tbody.querySelector('tr[data-alert="' + a.id + '"]')) tbody.prepend(row(a, ctx.session));
    },
    resync: () => page(null),
  }));
}
