// The console is a client of the same JSON API as the CLI: cookie session plus the CSRF header on writes.

let csrf = null;
let onSignedOut = () => {};

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function setSession(session) {
  csrf = session ? session.csrf : null;
}

export function whenSignedOut(fn) {
  onSignedOut = fn;
}

export async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  const r = await fetch(path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  if (r.status !== 204) {
    try { data = await r.json(); } catch (e) { data = null; }
  }
  if (r.status === 401 && !path.startsWith('/api/v1/session')) onSignedOut();
  if (!r.ok) throw new ApiError(r.status, (data && data.message) || r.status + ' ' + r.statusText);
  return data;
}

export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body === undefined ? {} : body);
export const put = (path, body) => call('PUT', path, body);

/** Path segment, encoded: ids come from devices and must not change the route. */
export const seg = (s) => encodeURIComponent(s);

/** Roles in order of power: viewer < operator < admin. */
export function may(session, role) {
  const rank = { viewer: 1, operator: 2, admin: 3 };
  return session != null && (rank[session.role] || 0) >= rank[role];
}

/**
 * An SSE stream ({event: handler}); on a reconnect after a drop, or a resync event, calls
 * handlers.resync so the view refetches over REST. Returns a function that closes it.
 */
export function stream(path, handlers) {
  if (typeof EventSource === 'undefined') return () => {};
  const es = new EventSource(path, { withCredentials: true });
  let opened = false;
  es.addEventListener('open', () => {
    if (opened && handlers.resync) handlers.resync();
    opened = true;
  });
  for (const [name, fn] of Object.entries(handlers)) {
    es.addEventListener(name, (ev) => {
      let data = null;
      try { data = JSON.parse(ev.data); } catch (e) { return; }
      fn(data);
    });
  }
  return () => es.close();
}
