// A model's staged rollouts (shadow, canary, full): the newest one's stage and clocks, its evidence against its
// bounds, how many nodes and devices serve each version, its history; pause, resume and abort for admins,
// confirmed. Earlier rollouts as one line each.
import { get, may, post, seg } from './api.js';
import { cell, empty, facts, failure, h, num, table, time } from './dom.js';

const ACTIVE = ['shadow', 'canary', 'full'];

function minutes(ms) {
  return ms == null ? '-' : (ms / 60000).toFixed(1) + ' min';
}

/** A measured value beside its bound, marked when it breaks it (over the bound, or under it for minima). */
function bounded(value, bound, digits, under) {
  if (value == null) return '-';
  const broken = bound != null && (under ? value < bound : value > bound);
  return h('span', { class: broken ? 'bad' : 'ok', 'data-bound': broken ? 'broken' : 'held' },
    num(value, digits) + (bound != null ? (under ? ' (at least ' : ' (at most ') + num(bound, digits) + ')' : ''));
}

/** RolloutJudge compares accuracies only with at least this many labelled windows. */
const MIN_LABELLED = 100;

function shadowFacts(s, b) {
  const judged = s.windows >= (b.shadowMinWindows || 0); // as RolloutJudge: no verdict before the minimum
  const mark = (v, bound, digits) => (judged ? bounded(v, bound, digits)
    : h('span', { 'data-bound': 'pending' }, num(v, digits) + ' (at most ' + num(bound, digits) + ', judged after '
      + b.shadowMinWindows + ' windows)'));
  const out = [
    ['Shadow windows', bounded(s.windows, b.shadowMinWindows, 0, true)],
    ['Disagreement', mark(s.disagreement, b.maxDisagreement, 4)],
    ['FAILURE where the champion says OK', mark(s.falseFailureRate, b.maxFalseFailureRate, 4)],
  ];
  if (s.labelled >= MIN_LABELLED && s.championAccuracy != null && b.maxAccuracyDrop != null) {
    const floor = s.championAccuracy - b.maxAccuracyDrop; // the champion's less rollout.shadow.maxAccuracyDrop
    out.push(['Accuracy of the candidate', judged ? bounded(s.candidateAccuracy, floor, 3, true)
      : h('span', { 'data-bound': 'pending' }, num(s.candidateAccuracy) + ' (at least ' + num(floor) + ', judged after '
        + b.shadowMinWindows + ' windows)')]);
    out.push(['Accuracy of the champion', num(s.championAccuracy) + ' on ' + s.labelled + ' labelled windows']);
  } else if (s.labelled) {
    out.push(['Accuracy, champion / candidate', num(s.championAccuracy) + ' / ' + num(s.candidateAccuracy)
      + ' on ' + s.labelled + ' labelled windows (compared from ' + MIN_LABELLED + ')']);
  }
  return out;
}

function canaryFacts(c, b) {
  const limit = c.championRate != null && b.maxAlertRateFactor != null
    ? b.maxAlertRateFactor * Math.max(c.championRate, b.minAlertRatePerDeviceHour || 0) : null; // as RolloutJudge
  return [
    ['Canary devices', c.devices + ' over ' + num(c.deviceHours, 2) + ' device-hours'],
    ['Alerts per device-hour, candidate', bounded(c.candidateRate, limit, 2)],
    ['Alerts per device-hour, champion', num(c.championRate, 2) + ' (' + c.championAlerts + ' alerts)'],
    ['Failed loads', c.loadFailures
      ? h('span', { class: 'bad' }, c.loadFailures + ' on ' + (c.failedNodes || []).join(', ')) : '0'],
  ];
}

function targeting(t) {
  if (!t) return '-';
  const parts = [];
  if (t.devices && t.devices.length) parts.push('devices ' + t.devices.join(', '));
  if (t.percent) parts.push(num(t.percent, 1) + ' % of the others');
  if (t.nodes && t.nodes.length) parts.push('nodes ' + t.nodes.join(', '));
  return parts.join('; ') || 'no device';
}

function clocks(r) {
  const out = [['Started', [time(r.startedAt), ' by ', r.startedBy || '-']],
    ['In this stage since', time(r.stageStartedAt)]];
  if (r.stage === 'canary' && r.bounds && r.bounds.canaryMinutes != null) {
    out.push(['Canary clock', minutes(r.elapsedMs) + ' of ' + num(r.bounds.canaryMinutes, 1) + ' min'
      + (r.paused ? ', stopped while paused' : '')]);
  }
  out.push(['Canary targets', targeting(r.targeting)]);
  if (r.decidedBy) out.push(['Decided by', [r.decidedBy, r.reason ? ': ' + r.reason : '']]);
  return out;
}

async function act(name, r, what, question, redraw) {
  if (!confirm(question)) return;
  try {
    await post('/api/v1/models/' + seg(name) + '/rollouts/' + seg(r.id) + '/' + what,
      what === 'abort' ? { reason: 'aborted from the console' } : {});
    redraw();
  } catch (e) { alert(e.message); }
}

function controls(name, r, redraw) {
  const v = 'v' + r.version;
  const button = (what, label, question, cls) => h('button', { type: 'button', class: cls, 'data-action': 'rollout-' + what,
    onclick: () => act(name, r, what, question, redraw) }, label);
  return h('p', { class: 'controls' },
    r.paused
      ? button('resume', 'Resume', 'Resume the rollout of ' + name + ' ' + v + '? Its stage clock runs again.')
      : button('pause', 'Pause', 'Pause the rollout of ' + name + ' ' + v + '? Its stage clock stops; devices keep what they serve.'),
    ' ', button('abort', 'Abort', 'Abort the rollout of ' + name + ' ' + v + '? Every device returns to the champion.', 'danger'));
}

function newest(name, r, session, redraw) {
  const box = h('div', { class: 'rollout', 'data-rollout': r.id, 'data-stage': r.stage });
  box.append(h('p', null, h('span', { class: 'tag stage stage-' + r.stage }, r.stage), r.paused ? h('span', { class: 'tag' }, 'paused') : null,
    ' v' + (r.fromVersion != null ? r.fromVersion : '-') + ' to v' + r.version + ' (' + r.id + ')'));
  if (ACTIVE.includes(r.stage) && may(session, 'admin')) box.append(controls(name, r, redraw));
  const b = r.bounds || {};
  const e = r.evidence || {};
  const shadowed = (r.events || []).some((ev) => ev.to === 'shadow'); // a forced rollout skipped it
  box.append(facts([...clocks(r), ...(e.shadow && shadowed ? shadowFacts(e.shadow, b) : []),
    ...(e.canary ? canaryFacts(e.canary, b) : [])]));
  const per = Object.entries(r.perVersion || {}).sort((x, y) => Number(y[0]) - Number(x[0]));
  box.append(per.length
    ? table(name + ' serving per version', ['Version', 'Inference nodes', 'Devices'], per.map(([v, n]) => h('tr', { 'data-serving': v },
      cell('Version', 'v' + v), cell('Inference nodes', n.nodes), cell('Devices', n.devices))))
    : empty('No inference node has reported what it serves yet.'));
  const events = (r.events || []).slice().reverse();
  box.append(table(name + ' rollout history', ['When', 'By', 'Change', 'Why'], events.map((ev) => h('tr', null,
    cell('When', time(ev.at)), cell('By', ev.actor || '-'),
    cell('Change', (ev.from || 'none') + ' to ' + (ev.to || '-')), cell('Why', ev.reason || '-')))));
  return box;
}

/** The rollouts section of a model's box. */
export async function rollouts(name, session, redraw) {
  const box = h('div', { class: 'rollouts' }, h('h3', null, 'Rollouts'));
  try {
    const list = (await get('/api/v1/models/' + seg(name) + '/rollouts')).rollouts || [];
    if (!list.length) {
      box.append(empty('No rollout yet. With rollout.shadow or rollout.canary configured, each new champion goes '
        + 'through shadow and a canary first; an admin can start one with aiot-edge models rollout start.'));
      return box;
    }
    box.append(newest(name, list[0], session, redraw));
    if (list.length > 1) {
      box.append(h('h4', null, 'Earlier rollouts'), table(name + ' earlier rollouts', ['Rollout', 'Versions', 'Ended', 'Why'],
        list.slice(1, 6).map((r) => h('tr', { 'data-rollout': r.id },
          cell('Rollout', r.id), cell('Versions', 'v' + r.fromVersion + ' to v' + r.version),
          cell('Ended', r.stage), cell('Why', r.reason || '-')))));
    }
  } catch (e) {
    box.append(failure(e));
  }
  return box;
}
