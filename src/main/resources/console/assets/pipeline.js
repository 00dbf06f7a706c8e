// Pipeline: runs with per-stage status and timings, drift per feature against the thresholds, "run now".
import { get, may, post } from './api.js';
import { cell, empty, failure, h, num, table, time, title } from './dom.js';

function duration(from, to) {
  if (from == null) return '-';
  const s = ((to ?? Date.now()) - from) / 1000;
  return s < 120 ? s.toFixed(1) + ' s' : (s / 60).toFixed(1) + ' min';
}

function stages(run) {
  const total = Math.max(1, ...(run.stages || []).map((s) => (s.finishedAt ?? Date.now()) - (s.startedAt ?? Date.now())));
  return h('ol', { class: 'stages' }, (run.stages || []).map((s) => {
    const bar = h('span', { class: 'bar' });
    const ms = s.startedAt != null ? (s.finishedAt ?? Date.now()) - s.startedAt : 0;
    bar.style.width = Math.max(2, Math.round((ms / total) * 100)) + '%';
    return h('li', { class: 'stage stage-' + String(s.status).toLowerCase() },
      h('span', { class: 'stage-name' }, s.name), ' ', h('span', { class: 'stage-status' }, String(s.status).toLowerCase()),
      ' ', duration(s.startedAt, s.finishedAt), h('span', { class: 'track' }, bar),
      s.log && s.log.length ? h('span', { class: 'muted stage-log' }, s.log[s.log.length - 1]) : null);
  }));
}

/** Per-feature drift from the drift stage: {feature: {psi, ks}} in metrics.features, or psi/ks maps. */
function driftRows(m) {
  const out = [];
  const per = m.features && typeof m.features === 'object' && !Array.isArray(m.features) ? m.features : null;
  const psi = per ? null : m.psi;
  const ks = per ? null : m.ks;
  const names = per ? Object.keys(per) : psi && typeof psi === 'object' ? Object.keys(psi) : [];
  for (const n of names) out.push([n, per ? per[n].psi : psi[n], per ? per[n].ks : ks && ks[n]]);
  return out;
}

function driftBar(value, threshold) {
  const box = h('span', { class: 'track' });
  const bar = h('span', { class: 'bar' + (threshold != null && value > threshold ? ' over' : '') });
  const scale = Math.max(threshold != null ? threshold * 2 : 1, value || 0, 1e-9);
  bar.style.width = Math.min(100, Math.round(((value || 0) / scale) * 100)) + '%';
  box.append(bar);
  if (threshold != null) {
    const t = h('span', { class: 'threshold', title: 'threshold ' + threshold });
    t.style.left = Math.round((threshold / scale) * 100) + '%';
    box.append(t);
  }
  return h('span', null, num(value), ' ', box);
}

function drift(runs) {
  const box = h('section', { 'aria-labelledby': 'drift-title' }, h('h2', { id: 'drift-title' }, 'Drift per feature'));
  for (const r of runs) {
    const s = (r.stages || []).find((x) => x.name === 'drift' && x.metrics && (x.metrics.maxPsi != null || x.metrics.features || x.metrics.psi));
    if (!s) continue;
    const m = s.metrics;
    const psiT = m.psiThreshold ?? (m.thresholds && m.thresholds.psi);
    const ksT = m.ksThreshold ?? (m.thresholds && m.thresholds.ks);
    box.append(h('p', null, 'Run ', String(r.id), ' (', time(r.startedAt), '): ', m.drifted ? 'drifted' : 'no drift',
      ', max PSI ', num(m.maxPsi), psiT != null ? ' (threshold ' + psiT + ')' : '', ', max KS ', num(m.maxKs),
      ksT != null ? ' (threshold ' + ksT + ')' : '', m.worstFeature ? ', worst ' + m.worstFeature : ''));
    const rows = driftRows(m);
    if (rows.length) {
      box.append(table('Drift per feature', ['Feature', 'PSI', 'KS'], rows.map(([n, p, k]) => h('tr', null,
        cell('Feature', n), cell('PSI', driftBar(p, psiT)), cell('KS', driftBar(k, ksT))))));
    }
    return box;
  }
  box.append(empty('No drift check yet: the first run trains the first model; later runs compare the data with its reference.'));
  return box;
}

export async function render(main, ctx) {
  const status = h('span', { role: 'status' });
  const controls = [];
  if (may(ctx.session, 'admin')) {
    controls.push(h('button', {
      type: 'button', 'data-action': 'run-now',
      onclick: async () => {
        if (!confirm('Start a pipeline run now?')) return;
        try { const r = await post('/api/v1/pipeline/runs', { force: false }); status.textContent = 'run ' + r.id + ' queued'; load(); } catch (e) { status.textContent = e.message; }
      },
    }, 'Run now'), status);
  }
  const body = h('div', { id: 'pipeline-body' });
  main.append(title('Pipeline', ...controls), body);
  async function load() {
    let data;
    try { data = await get('/api/v1/pipeline/runs?limit=20'); } catch (e) { body.replaceChildren(failure(e)); return; }
    const runs = data.runs || [];
    if (!runs.length) {
      body.replaceChildren(empty('No runs yet: the pipeline runs on its schedule (pipeline.scheduleMinutes) once the datastore has labelled rows'
        + (may(ctx.session, 'admin') ? ', or press Run now.' : '.')));
      return;
    }
    body.replaceChildren(drift(runs), h('h2', null, 'Runs'), table('Pipeline runs', ['Run', 'Trigger', 'Status', 'Started', 'Took', 'Model', 'Stages'],
      runs.map((r) => h('tr', { 'data-run': r.id },
        cell('Run', String(r.id)), cell('Trigger', r.trigger), cell('Status', h('span', { class: 'run-' + r.status }, r.status),
          r.outcome ? h('span', { class: 'muted' }, ' ' + r.outcome) : null),
        cell('Started', time(r.startedAt)), cell('Took', duration(r.startedAt, r.finishedAt)),
        cell('Model', r.modelVersion != null ? 'v' + r.modelVersion : '-'), cell('Stages', stages(r))))));
  }
  await load();
  const timer = setInterval(load, 10000);
  ctx.onClose(() => clearInterval(timer));
}
