/*
 * A browser stand-in for end-to-end tests of a redirect-based sign-in through the sandbox
 * OpenID Provider: a cookie jar and a redirect follower that "clicks" the sandbox's workforce
 * sign-in page (as a chosen demo agent) and its sign-out confirmation. It knows nothing about the
 * hosts involved, so it can drive e.g. the BFF's /console/login -> sandbox -> /console/callback.
 */

interface StoredCookie {
  name: string;
  value: string;
  host: string;
  path: string;
  /** epoch ms; Infinity for a session cookie */
  expiresAt: number;
  secure: boolean;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** RFC 6265 §5.1.4: without a Path attribute, the request path up to its last `/`. */
function defaultPath(url: URL): string {
  const last = url.pathname.lastIndexOf('/');
  return last <= 0 ? '/' : url.pathname.slice(0, last);
}

/** RFC 6265 §5.1.4 path-match. */
function pathMatches(cookiePath: string, requestPath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

/** Expiry from Max-Age (wins) or Expires, as epoch ms; Infinity when neither is given. */
function expiryOf(attributes: Map<string, string>, now: number): number {
  const maxAge = attributes.get('max-age');
  if (maxAge !== undefined && /^-?\d+$/.test(maxAge)) return Number(maxAge) <= 0 ? 0 : now + Number(maxAge) * 1000;
  const expires = attributes.get('expires');
  const at = expires === undefined ? NaN : Date.parse(expires);
  return Number.isNaN(at) ? Infinity : at;
}

/**
 * Cookies per host name (not port, as in browsers) and name, honouring Path, Max-Age / Expires
 * and Secure. Domain attributes are ignored: every cookie is host-only, which is all the sandbox
 * and the BFF set. SameSite is ignored: the jar plays one user in one tab.
 */
export class CookieJar {
  readonly #cookies = new Map<string, StoredCookie>();

  /** The Cookie header a browser would send to `url` ('' when there is none). */
  header(url: string | URL): string {
    return this.#matching(new URL(url))
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join('; ');
  }

  /** The value of cookie `name` a request to `url` would carry. */
  get(url: string | URL, name: string): string | undefined {
    return this.#matching(new URL(url)).find((cookie) => cookie.name === name)?.value;
  }

  /** Takes in a response's Set-Cookie headers (`response.headers.getSetCookie()`) from `url`. */
  store(url: string | URL, setCookieHeaders: readonly string[]): void {
    const from = new URL(url);
    const now = Date.now();
    for (const header of setCookieHeaders) {
      const [pair = '', ...attributeParts] = header.split(';');
      const equals = pair.indexOf('=');
      if (equals <= 0) continue; // no name: RFC 6265 §5.2 says ignore it
      const attributes = new Map(
        attributeParts.map((part) => {
          const at = part.indexOf('=');
          return at === -1 ? [part.trim().toLowerCase(), ''] : [part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim()];
        }),
      );
      const path = attributes.get('path')?.startsWith('/') ? attributes.get('path')! : defaultPath(from);
      const cookie: StoredCookie = {
        name: pair.slice(0, equals).trim(),
        value: pair.slice(equals + 1).trim(),
        host: from.hostname,
        path,
        expiresAt: expiryOf(attributes, now),
        secure: attributes.has('secure'),
      };
      const key = `${cookie.host}\n${cookie.name}\n${cookie.path}`;
      if (cookie.expiresAt <= now) this.#cookies.delete(key);
      else this.#cookies.set(key, cookie);
    }
  }

  #matching(url: URL): StoredCookie[] {
    const now = Date.now();
    // Browsers treat loopback http as a secure context, so Secure cookies still go there.
    const secureChannel = url.protocol === 'https:' || LOOPBACK_HOSTS.has(url.hostname);
    return [...this.#cookies.values()]
      .filter((cookie) => cookie.host === url.hostname && cookie.expiresAt > now && pathMatches(cookie.path, url.pathname))
      .filter((cookie) => !cookie.secure || secureChannel)
      .sort((a, b) => b.path.length - a.path.length); // RFC 6265 §5.4: longer paths first
  }
}

export interface FollowOptions {
  /** demo agent user name to pick on a sandbox sign-in page; without it the follower stops there */
  agent?: string;
  /** requests made at most (default 20) before giving up */
  maxHops?: number;
}

export interface FollowResult {
  /** the answer that ended the walk; its body is unread */
  response: Response;
  /** the URL that answered it */
  url: string;
  /** every URL requested, in order (form posts included) */
  visited: string[];
}

interface NextRequest {
  url: string;
  method: 'GET' | 'POST';
  body?: URLSearchParams;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const SIGN_IN_PAGE = /^\/interaction\/[^/]+$/;
const SIGN_IN_ACTION = /^\/interaction\/[^/]+\/login$/;
const SIGN_OUT_ACTION = /\/session\/end\/confirm$/;

/**
 * GETs `url` and follows redirects by hand (`redirect: 'manual'`), carrying cookies in `jar`.
 * On the sandbox's workforce sign-in page it posts `agent=<options.agent>`; on a form posting to
 * the sandbox's /session/end/confirm (the sign-out confirmation, or oidc-provider's self-submitting
 * page) it posts that form with `logout=yes`. It stops at the first other answer that is not a
 * redirect, and after a form post that is not answered with a redirect.
 */
export async function followRedirects(url: string, jar: CookieJar, options: FollowOptions = {}): Promise<FollowResult> {
  const maxHops = options.maxHops ?? 20;
  const visited: string[] = [];
  let next: NextRequest = { url, method: 'GET' };
  while (visited.length < maxHops) {
    const response = await send(next, jar);
    visited.push(next.url);
    const location = response.headers.get('location');
    if (REDIRECT_STATUSES.has(response.status) && location) {
      await response.body?.cancel();
      const target = new URL(location, next.url).href;
      // 307/308 repeat the request as it was; the others turn it into a GET
      next = response.status >= 307 ? { ...next, url: target } : { url: target, method: 'GET' };
      continue;
    }
    const form = next.method === 'GET' ? await sandboxFormToSubmit(next.url, response, options.agent) : undefined;
    if (!form) return { response, url: next.url, visited };
    await response.body?.cancel();
    next = form;
  }
  throw new Error(`no final answer within ${maxHops} requests: ${visited.join(' -> ')}`);
}

async function send(request: NextRequest, jar: CookieJar): Promise<Response> {
  const headers: Record<string, string> = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
  const cookie = jar.header(request.url);
  if (cookie) headers.cookie = cookie;
  if (request.body) headers['content-type'] = 'application/x-www-form-urlencoded';
  const response = await fetch(request.url, { method: request.method, headers, body: request.body?.toString(), redirect: 'manual' });
  jar.store(request.url, response.headers.getSetCookie());
  return response;
}

/** The form post a person would make on this page, when it is a sandbox sign-in or sign-out page. */
async function sandboxFormToSubmit(url: string, response: Response, agent: string | undefined): Promise<NextRequest | undefined> {
  if (!(response.headers.get('content-type') ?? '').startsWith('text/html')) return undefined;
  const html = await response.clone().text();
  for (const form of formsIn(html, url)) {
    const { pathname } = new URL(form.action);
    if (SIGN_IN_ACTION.test(pathname) && SIGN_IN_PAGE.test(new URL(url).pathname)) {
      return agent === undefined ? undefined : { url: form.action, method: 'POST', body: new URLSearchParams({ agent }) };
    }
    if (SIGN_OUT_ACTION.test(pathname)) {
      const body = new URLSearchParams(form.hiddenInputs);
      body.set('logout', 'yes'); // the "Sign out" button's name and value
      return { url: form.action, method: 'POST', body };
    }
  }
  return undefined;
}

interface ParsedForm {
  action: string;
  hiddenInputs: [string, string][];
}

/** Just enough HTML parsing for the sandbox's and oidc-provider's own, well-formed forms. */
function formsIn(html: string, baseUrl: string): ParsedForm[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)].map(([, formAttributes = '', inner = '']) => {
    const action = attributesOf(formAttributes).get('action') ?? '';
    const hiddenInputs = [...inner.matchAll(/<input\b([^>]*)>/gi)]
      .map(([, inputAttributes = '']) => attributesOf(inputAttributes))
      .filter((input) => input.get('type')?.toLowerCase() === 'hidden' && input.has('name'))
      .map((input): [string, string] => [input.get('name')!, input.get('value') ?? '']);
    return { action: new URL(action, baseUrl).href, hiddenInputs };
  });
}

function attributesOf(source: string): Map<string, string> {
  return new Map(
    [...source.matchAll(/([^\s=/]+)\s*=\s*"([^"]*)"/g)].map(([, name = '', value = '']) => [name.toLowerCase(), decodeEntities(value)]),
  );
}

function decodeEntities(value: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, code: string) => {
    if (code.startsWith('#x') || code.startsWith('#X')) return String.fromCodePoint(parseInt(code.slice(2), 16));
    if (code.startsWith('#')) return String.fromCodePoint(Number(code.slice(1)));
    return named[code.toLowerCase()] ?? entity;
  });
}
