// The console's shell: session, sign-in, the navigation and a hash router over the views.
import { call, get, setSession, whenSignedOut } from './api.js';
import { clear, h } from './dom.js';
import * as fleet from './fleet.js';
import * as device from './device.js';
import * as alerts from './alerts.js';
import * as models from './models.js';
import * as pipeline from './pipeline.js';
import * as node from './node.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
let session = null;
let cleanup = null;

const routes = [
  [/^#\/device\/(.+)$/, device],
  [/^#\/alerts$/, alerts],
  [/^#\/models$/, models],
  [/^#\/pipeline$/, pipeline],
  [/^#\/node$/, node],
  [/^(#\/fleet)?$/, fleet],
];

function stop() {
  if (cleanup) cleanup();
  cleanup = null;
}

async function route() {
  stop();
  if (!session) return;
  const hash = location.hash || '';
  for (const a of nav.querySelectorAll('a')) {
    const current = hash.startsWith(a.getAttribute('href')) || (!hash && a.getAttribute('href') === '#/fleet')
      || (hash.startsWith('#/device/') && a.getAttribute('href') === '#/fleet');
    if (current) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  const [re, view] = routes.find(([r]) => r.test(hash)) || routes[routes.length - 1];
  const m = hash.match(re);
  const arg = m && m[1] && view === device ? decodeURIComponent(m[1]) : null;
  clear(main);
  const closers = [];
  cleanup = () => closers.forEach((f) => f());
  const name = (nav.querySelector('a[aria-current]') || {}).textContent || 'Fleet';
  document.title = (arg || name) + ' - aiot-edge console';
  try {
    await view.render(main, { session, arg, onClose: (f) => closers.push(f) });
  } catch (e) {
    main.append(h('p', { class: 'error', role: 'alert' }, e.message || String(e)));
  }
  // a new view: keyboard and screen-reader users start at its content, not at the navigation
  if (moved) main.focus({ preventScroll: true });
}

let moved = false;

function signedIn(s) {
  session = s;
  setSession(s);
  nav.hidden = false;
  clear(who).append(h('span', { class: 'user' }, s.user), ' ', h('span', { class: 'role' }, s.role), ' ',
    h('button', { id: 'logout', type: 'button', onclick: logout }, 'Sign out'));
  route();
}

function signedOut(message) {
  stop();
  session = null;
  setSession(null);
  nav.hidden = true;
  clear(who);
  clear(main).append(signinForm(message));
  document.getElementById('username').focus();
}

async function logout() {
  try { await call('DELETE', '/api/v1/session'); } catch (e) { /* the session is gone either way */ }
  signedOut('Signed out.');
}

function signinForm(message) {
  const status = h('p', { class: 'status', role: 'status' }, message || '');
  const user = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const pass = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password' });
  const token = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off' });
  async function submit(body) {
    status.textContent = 'Signing in...';
    try {
      signedIn(await call('POST', '/api/v1/session', body));
    } catch (e) {
      status.textContent = e.message;
    }
  }
  return h('section', { class: 'signin', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, 'Sign in'), status,
    h('form', { id: 'signin-form', onsubmit: (ev) => { ev.preventDefault(); submit({ username: user.value, password: pass.value }); } },
      h('label', { for: 'username' }, 'User name'), user,
      h('label', { for: 'password' }, 'Password'), pass,
      h('button', { type: 'submit' }, 'Sign in')),
    h('form', { id: 'token-form', onsubmit: (ev) => { ev.preventDefault(); submit({ token: token.value }); } },
      h('label', { for: 'token' }, 'or the admin token (keys/admin-token in the data dir)'), token,
      h('button', { type: 'submit' }, 'Sign in with the token')),
    h('p', { class: 'muted' }, 'aiot-edge demo prints a one-time sign-in link.'));
}

whenSignedOut(() => signedOut('Your session ended: sign in again.'));
window.addEventListener('hashchange', () => { moved = true; route(); });

(async () => {
  const expired = new URLSearchParams(location.search).get('signin') === 'expired';
  try {
    signedIn(await get('/api/v1/session'));
  } catch (e) {
    signedOut(expired ? 'That sign-in link was already used or has expired.' : e.status === 401 ? '' : e.message);
  }
})();
