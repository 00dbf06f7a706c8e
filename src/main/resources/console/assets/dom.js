// DOM helpers: every string reaches the page as a text node or an attribute value, never as markup.

/** h('td', {class: 'x', onclick: fn}, 'text', child) - an element with properties and children. */
export function h(tag, props, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of kids.flat(Infinity)) {
    if (c == null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

export function clear(e) {
  while (e.firstChild) e.firstChild.remove();
  return e;
}

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });
const clock = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

/** An epoch-ms time in the browser's zone; today's times without the date. */
export function time(ms) {
  if (ms == null) return '-';
  const d = new Date(ms);
  return d.toDateString() === new Date().toDateString() ? clock.format(d) : when.format(d);
}

export function ago(ms) {
  if (ms == null) return 'never';
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (s < 60) return s + ' s ago';
  if (s < 3600) return Math.round(s / 60) + ' min ago';
  if (s < 86400) return Math.round(s / 3600) + ' h ago';
  return time(ms);
}

export function num(v, digits = 3) {
  return v == null || Number.isNaN(v) ? '-' : Number(v).toFixed(digits);
}

export function bytes(v) {
  if (v == null) return '-';
  const u = ['B', 'KB', 'MB', 'GB'];
  let i = 0;
  while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
  return v.toFixed(i ? 1 : 0) + ' ' + u[i];
}

export function band(b) {
  const name = b || 'UNKNOWN';
  return h('span', { class: 'band band-' + name.toLowerCase(), 'data-band': name }, name);
}

/** A page heading plus an optional line of controls. */
export function title(text, ...controls) {
  return h('div', { class: 'title' }, h('h1', null, text), controls.length ? h('div', { class: 'controls' }, controls) : null);
}

/** What to do next when there is nothing to show. */
export function empty(text) {
  return h('p', { class: 'empty', role: 'status' }, text);
}

export function failure(err) {
  return h('p', { class: 'error', role: 'alert' }, err && err.message ? err.message : String(err));
}

/** A table with labelled cells (the labels head each cell on a phone, where rows become cards). */
export function table(caption, headers, rows) {
  return h('table', null, h('caption', { class: 'sr' }, caption),
    h('thead', null, h('tr', null, headers.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, rows));
}

export function cell(label, ...kids) {
  // one child box, so that on a phone the label and the value are the two columns of the card's row
  return h('td', { 'data-label': label }, h('span', { class: 'cell' }, kids));
}

/** Definition-list rows: [[term, value], ...]. */
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.map(([k, v]) => [h('dt', null, k), h('dd', null, v == null ? '-' : v)]));
}

/** A tiny line of the last scores (0..1), drawn on a canvas. */
export function sparkline(values, bandName) {
  const c = h('canvas', { width: 96, height: 22, class: 'spark', role: 'img',
    'aria-label': values && values.length ? 'recent scores, last ' + num(values[values.length - 1], 2) : 'no scores yet' });
  if (!values || values.length < 2) return c;
  const g = c.getContext('2d');
  if (!g) return c;
  g.strokeStyle = { FAILURE: '#b42318', WARNING: '#935f00', OK: '#1a7f37' }[bandName] || '#4b5563';
  g.lineWidth = 1.5;
  g.beginPath();
  values.forEach((v, i) => {
    const x = (i / (values.length - 1)) * 94 + 1;
    const y = 21 - Math.max(0, Math.min(1, v)) * 20;
    if (i) g.lineTo(x, y); else g.moveTo(x, y);
  });
  g.stroke();
  return c;
}
