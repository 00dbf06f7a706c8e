// Node: components and health, broker, bridge spool, consumer lag, datastore, JVM heap - from
// GET /api/v1/node, which reads the same meters as /metrics.
import { get } from './api.js';
import { bytes, cell, clear, empty, facts, h, table, time, title } from './dom.js';

const v = (x) => (x == null ? '-' : String(x));

function card(name, pairs) {
  return h('section', { class: 'card', 'aria-label': name }, h('h2', null, name), facts(pairs));
}

function draw(body, n) {
  clear(body);
  const heap = n.jvm || {};
  const pct = heap.heapMaxBytes ? Math.round((heap.heapUsedBytes / heap.heapMaxBytes) * 100) : null;
  const bar = h('span', { class: 'bar' + (pct > 85 ? ' over' : '') });
  bar.style.width = (pct || 0) + '%';
  const b = n.broker || {}; const br = n.bridge || {}; const lag = n.lag || {}; const ds = n.datastore || {};
  body.append(h('p', { class: n.ready ? 'ok' : 'bad', id: 'node-ready' }, n.ready ? 'Ready: every component is serving.' : 'Not ready: see the components below.'),
    h('div', { class: 'cards' },
      card('Node', [['Version', v(n.version)], ['Roles', (n.roles || []).join(', ')], ['Started', time(n.startedAt)],
        ['Uptime', n.uptimeSeconds != null ? Math.round(n.uptimeSeconds / 60) + ' min' : '-']]),
      card('Broker', [['Connections', v(b.connections)], ['Messages dropped', v(b.messagesDropped)],
        ['Sign-ins ok / failed', v(b.authOk) + ' / ' + v(b.authFailed)]]),
      card('Bridge spool', [['State', br.spooling ? 'spooling (Kafka unreachable)' : br.spooling == null ? '-' : 'forwarding'],
        ['Spooled', bytes(br.spoolBytes) + ', ' + v(br.spoolRecords) + ' records'], ['Dropped', v(br.dropped)]]),
      card('Kafka consumer lag', [['Ingest', v(lag.ingest)], ['Inference', v(lag.inference)]]),
      card('Datastore', [['Rows', v(ds.rows)], ['Stored since start', v(ds.storedTotal)]]),
      card('JVM heap', [['Used', bytes(heap.heapUsedBytes) + ' of ' + bytes(heap.heapMaxBytes)], ['', h('span', { class: 'track' }, bar)]]),
      card('Console streams', [['Open', v(n.console && n.console.streams)], ['Events sent', v(n.console && n.console.events)],
        ['Dropped (slow browsers)', v(n.console && n.console.dropped)]])),
    h('h2', null, 'Components'), (n.components || []).length
      ? table('Components', ['Component', 'Status', 'Detail'], n.components.map((c) => h('tr', { 'data-component': c.name },
        cell('Component', c.name), cell('Status', h('span', { class: 'status-' + String(c.status).toLowerCase() }, c.status)), cell('Detail', c.detail || ''))))
      : empty('No components reported.'));
}

export async function render(main, ctx) {
  const body = h('div', { id: 'node-body' });
  main.append(title('Node'), body);
  draw(body, await get('/api/v1/node'));
  const timer = setInterval(async () => {
    try { draw(body, await get('/api/v1/node')); } catch (e) { /* shown on the next success */ }
  }, 5000);
  ctx.onClose(() => clearInterval(timer));
}
