// Models: versions with metrics, lineage and signature; aliases and their history; staged rollouts
// (rollouts.js); what each device reports downloading; promote and roll back (admin only, confirmed).
import { get, may, put, seg } from './api.js';
import { cell, empty, failure, h, num, table, time, title } from './dom.js';
import { rollouts } from './rollouts.js';

function metrics(m) {
  if (!m) return '-';
  return Object.entries(m).filter(([, v]) => typeof v === 'number').slice(0, 4)
    .map(([k, v]) => k + ' ' + num(v)).join(', ') || '-';
}

function lineage(l) {
  if (!l) return '-';
  const parts = [];
  if (l.pipelineRun != null) parts.push('run ' + l.pipelineRun);
  if (l.trigger) parts.push(l.trigger);
  if (l.dataFrom != null) parts.push('data ' + time(l.dataFrom) + ' - ' + time(l.dataTo));
  if (l.rows != null) parts.push(l.rows + ' rows');
  if (l.trainer) parts.push(typeof l.trainer === 'string' ? l.trainer : JSON.stringify(l.trainer));
  return parts.join('; ') || '-';
}

function signature(name, v) {
  const out = h('span', { class: 'sig' }, v.signature ? 'signed' : 'unsigned');
  out.append(' ', h('button', {
    type: 'button', 'data-action': 'verify',
    onclick: async (ev) => {
      ev.target.disabled = true;
      try {
        const r = await get('/api/v1/models/' + seg(name) + '/versions/' + v.version + '/verify');
        out.replaceChildren(h('span', { class: r.ok ? 'ok' : 'bad' },
          r.ok ? 'file intact, signature valid' : 'file ' + (r.fileIntact ? 'intact' : 'CHANGED') + ', signature ' + (r.signatureValid ? 'valid' : 'INVALID')));
      } catch (e) { out.replaceChildren(failure(e)); }
    },
  }, 'Verify'));
  return out;
}

async function setAlias(name, alias, version, reason, redraw) {
  if (!confirm('Make ' + name + ' v' + version + ' the ' + alias + '? Devices and inference nodes switch to it.')) return;
  try {
    await put('/api/v1/models/' + seg(name) + '/aliases/' + alias, { version, reason });
    redraw();
  } catch (e) { alert(e.message); }
}

async function model(box, name, session, redraw) {
  const [vs, al] = await Promise.all([get('/api/v1/models/' + seg(name) + '/versions'),
    get('/api/v1/models/' + seg(name) + '/aliases')]);
  const aliases = al.aliases || {};
  const admin = may(session, 'admin');
  box.append(h('h2', null, name), h('p', { class: 'aliases' }, Object.entries(aliases).length
    ? Object.entries(aliases).map(([a, v]) => h('span', { class: 'tag alias-' + a }, a + ' v' + v)) : 'no aliases yet'));
  if (admin && aliases.previous != null && aliases.champion != null) {
    box.append(h('button', { type: 'button', class: 'danger', 'data-action': 'rollback',
      onclick: () => setAlias(name, 'champion', aliases.previous, 'rolled back from the console', redraw) },
    'Roll back to v' + aliases.previous));
  }
  const versions = (vs.versions || []).slice().sort((a, b) => b.version - a.version);
  box.append(table(name + ' versions', ['Version', 'Registered', 'Metrics', 'Lineage', 'Signature', 'Aliases', ''],
    versions.map((v) => h('tr', { 'data-version': v.version },
      cell('Version', 'v' + v.version), cell('Registered', time(v.createdAt), ' by ', v.createdBy || '-'),
      cell('Metrics', metrics(v.metrics)), cell('Lineage', lineage(v.lineage)), cell('Signature', signature(name, v)),
      cell('Aliases', (v.aliases || []).join(', ') || '-'),
      cell('Actions', admin && aliases.champion !== v.version
        ? h('button', { type: 'button', 'data-action': 'promote',
          onclick: () => setAlias(name, 'champion', v.version, 'promoted from the console', redraw) }, 'Promote to champion')
        : null)))));
  const hist = al.history || [];
  box.append(h('h3', null, 'Alias history'), hist.length
    ? table(name + ' alias history', ['When', 'Alias', 'Change', 'By', 'Why'], hist.map((c) => h('tr', null,
      cell('When', time(c.changedAt)), cell('Alias', c.alias),
      cell('Change', (c.fromVersion != null ? 'v' + c.fromVersion : 'none') + ' to ' + (c.toVersion != null ? 'v' + c.toVersion : 'none')),
      cell('By', c.changedBy || '-'), cell('Why', c.reason || '-'))))
    : empty('No alias changes yet.'));
  box.append(await rollouts(name, session, redraw));
  const rollout = h('div', null, h('h3', null, 'Model downloads per device'));
  box.append(rollout);
  try {
    const r = await get('/api/v1/models/' + seg(name) + '/rollout');
    const devs = r.devices || [];
    rollout.append(devs.length ? table(name + ' rollout', ['Device', 'Version', 'State', 'Detail', 'Updated'], devs.map((d) => h('tr', null,
      cell('Device', h('a', { href: '#/device/' + encodeURIComponent(d.deviceId) }, d.deviceId)),
      cell('Version', d.version != null ? 'v' + d.version : '-'), cell('State', d.state || '-'),
      cell('Detail', d.detail || '-'), cell('Updated', time(d.updatedAt))))) : empty('No device has reported a download of this model.'));
  } catch (e) {
    rollout.append(e.status === 403 ? empty('Rollout state needs a role that may read it.') : failure(e));
  }
}

export async function render(main, ctx) {
  const list = await get('/api/v1/models');
  const body = h('div', { id: 'models-body' });
  main.append(title('Models'), body);
  const redraw = async () => { body.replaceChildren(); await fill(); };
  async function fill() {
    if (!list.models.length) {
      body.append(empty('No model yet: the pipeline trains once it has labelled data (see Pipeline).'));
      return;
    }
    for (const m of list.models) {
      const box = h('section', { class: 'model', 'data-model': m.name });
      body.append(box);
      try { await model(box, m.name, ctx.session, redraw); } catch (e) { box.append(failure(e)); }
    }
  }
  await fill();
}
