/*
 * Browser module `/console/api.js`: the consumer REST API (API.md §4) as the console calls it.
 * Two ways in (API.md §7):
 * - an agent signed in at the bank's workforce provider: the BFF holds the session behind an
 *   HttpOnly cookie, and the page holds only the session's CSRF token (in memory), which it sends
 *   in X-CSRF-Token on every call that changes something;
 * - without an `agents` section, a consumer API key kept in sessionStorage (this tab only, gone
 *   when it closes) and sent only in the Authorization header: never in a URL, never in a log
 *   line, never in localStorage.
 * Served as written, no build step; plain ES2020 so any current browser runs it.
 */
export const API_SCRIPT = String.raw`
const KEY_ITEM = 'ciba-console.api-key';
const CURRENT_ITEM = 'ciba-console.current';

/** What survives a reload of this tab: the key, and the id of the authentication on screen. */
export const session = {
  key: () => sessionStorage.getItem(KEY_ITEM),
  signIn: (key) => sessionStorage.setItem(KEY_ITEM, key),
  signOut: () => {
    sessionStorage.removeItem(KEY_ITEM);
    sessionStorage.removeItem(CURRENT_ITEM);
  },
  current: () => sessionStorage.getItem(CURRENT_ITEM),
  remember: (id) => sessionStorage.setItem(CURRENT_ITEM, id),
  forget: () => sessionStorage.removeItem(CURRENT_ITEM),
};

/** A refused call: the problem document's code and detail (RFC 9457), or a network failure (status 0). */
export class ApiError extends Error {
  constructor(status, problem) {
    const body = problem && typeof problem === 'object' ? problem : {};
    super(body.detail || body.title || (status ? 'The BFF answered ' + status + '.' : 'The BFF cannot be reached.'));
    this.status = status;
    this.code = typeof body.code === 'string' ? body.code : null;
    this.problem = body;
  }
}

// Server time minus ours, from the Date header: the countdown must not trust the desk PC's clock.
let clockOffset = 0;
export const serverNow = () => Date.now() + clockOffset;

function noteServerClock(response) {
  const date = Date.parse(response.headers.get('Date') || '');
  if (Number.isNaN(date)) return;
  const offset = date - Date.now();
  // The header has whole seconds: ignore the rounding, keep real skew.
  clockOffset = Math.abs(offset) > 1500 ? offset : 0;
}

/** The signed-in agent ({ agent, csrfToken, expiresAt }) when the console runs on agent sessions. */
let agentSession = null;
export const agent = {
  current: () => agentSession,
  set: (value) => {
    agentSession = value;
  },
};

/** The signed-in agent's session ({ agent, csrfToken, expiresAt }), or null when there is none (401). */
export async function readAgentSession() {
  let response;
  try {
    response = await fetch('/console/session', { headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin', redirect: 'error' });
  } catch {
    throw new ApiError(0, { detail: 'The BFF cannot be reached. Check the network, then reload the page.' });
  }
  noteServerClock(response);
  if (response.status === 401) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok || !data || !data.agent) throw new ApiError(response.status, data);
  return data;
}

export async function call(method, path, body, key = session.key()) {
  const headers = { Accept: 'application/json' };
  const signedIn = agentSession;
  if (signedIn) {
    // The cookie carries the session; a call that changes something proves it comes from this page.
    if (method !== 'GET') headers['X-CSRF-Token'] = signedIn.csrfToken;
  } else if (key) headers.Authorization = 'Bearer ' + key;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      // A key-mode page sends no cookie at all; an agent's page only its own origin's.
      credentials: signedIn ? 'same-origin' : 'omit',
      redirect: 'error',
    });
  } catch {
    throw new ApiError(0, { detail: 'The BFF cannot be reached. Check the network, then try again.' });
  }
  noteServerClock(response);
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/**
 * The providers this key may use, [{ id, profile }], from the console's own route (the API has no
 * "my providers" call). It checks the key as /v1 does, so signing in is this one read: 401 for a
 * key that is not accepted.
 */
export async function loadProviders(key = session.key()) {
  const data = await call('GET', '/console/providers.json', undefined, key);
  return data && Array.isArray(data.providers) ? data.providers : [];
}

const path = (id) => '/v1/authentications/' + encodeURIComponent(id);
export const startAuthentication = (body) => call('POST', '/v1/authentications', body);
export const readAuthentication = (id) => call('GET', path(id));
export const cancelAuthentication = (id) => call('DELETE', path(id));
export const giveUserCode = (id, userCode) => call('POST', path(id) + '/user-code', { userCode });
/** The newest audit events (supervisors): the trail is oldest first, so this reads its last page. */
export const readAudit = (query) => call('GET', '/v1/audit?' + new URLSearchParams(query).toString());
`;
