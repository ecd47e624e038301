import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { startStack, type Stack } from '../support/bff-stack.js';
import { CookieJar, followRedirects } from '../support/workforce-sign-in.js';

const SESSION_COOKIE = 'ciba-console';
const LOGIN_COOKIE = 'ciba-console-login';

/** A browser's cookie jar that also keeps every Set-Cookie line it was given, by the URL that sent it. */
class RecordingJar extends CookieJar {
  readonly lines: { url: string; line: string }[] = [];
  override store(url: string | URL, setCookieHeaders: readonly string[]): void {
    for (const line of setCookieHeaders) this.lines.push({ url: String(url), line });
    super.store(url, setCookieHeaders);
  }
  /** The Set-Cookie lines a URL under `path` answered. */
  linesFrom(path: string): string[] {
    return this.lines.filter(({ url }) => new URL(url).pathname === path).map(({ line }) => line);
  }
}

const expectProblem = (response: { status: number; body: any }, status: number, code: string) => {
  expect({ status: response.status, code: response.body?.code }).toEqual({ status, code });
};

/** The BFF as the console's script calls it: with the browser's cookies, and the headers it chooses. */
async function call(
  base: string,
  jar: CookieJar,
  method: string,
  path: string,
  init: { body?: unknown; headers?: Record<string, string> } = {},
) {
  const response = await fetch(`${base}${path}`, {
    method,
    redirect: 'manual',
    headers: {
      cookie: jar.header(`${base}${path}`),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').includes('json') && text ? JSON.parse(text) : null;
  return { status: response.status, headers: response.headers, text, body: json as Record<string, any> | null };
}

/** Signs `agent` in through the BFF and the sandbox's sign-in page, in a browser with `jar`. */
async function signIn(base: string, agent: string, jar = new RecordingJar()) {
  const result = await followRedirects(`${base}/console/login`, jar, { agent });
  const text = await result.response.text();
  return { jar, response: result.response, text, url: result.url, visited: result.visited };
}

describe('branch agents: sign-in at the workforce provider and server-side sessions (API.md §7)', () => {
  let stack: Stack;
  let base: string;
  let redis: Redis;

  beforeAll(async () => {
    stack = await startStack({ agents: true });
    base = stack.bff!.url;
    redis = new Redis(stack.redis.url);
  });
  afterAll(async () => {
    redis?.disconnect();
    await stack?.close();
  });

  const sessionOf = (jar: CookieJar) => call(base, jar, 'GET', '/console/session');
  const sameOrigin = (csrfToken: string) => ({ 'x-csrf-token': csrfToken, origin: base });

  describe('anna, an agent, signs in', () => {
    let jar: RecordingJar;
    let csrfToken: string;

    beforeAll(async () => {
      const signedIn = await signIn(base, 'anna');
      jar = signedIn.jar;
      // The callback sent the browser on to the console page itself.
      expect({ status: signedIn.response.status, url: signedIn.url }).toEqual({ status: 200, url: `${base}/console` });
      expect(signedIn.visited.some((url) => url.startsWith(`${base}/console/callback?`))).toBe(true);
    });

    it('gets a session cookie on plain http: no __Host- prefix, no Secure, HttpOnly, SameSite=Strict, Path=/, no lifetime', () => {
      const lines = jar.linesFrom('/console/callback');
      const session = lines.find((line) => line.startsWith(`${SESSION_COOKIE}=`))!;
      expect(session).toMatch(/^ciba-console=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
      // The login cookie has done its work: the callback clears it.
      expect(lines.find((line) => line.startsWith(`${LOGIN_COOKIE}=`))).toMatch(/^ciba-console-login=; Path=\/; Expires=Thu, 01 Jan 1970/);
      const login = jar.linesFrom('/console/login')[0];
      expect(login).toMatch(/^ciba-console-login=[\w-]+; Max-Age=600; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    });

    it('GET /console/session shows the agent and a CSRF token; no token of the provider anywhere', async () => {
      const session = await sessionOf(jar);
      expect(session.status).toBe(200);
      expect(session.headers.get('cache-control')).toBe('no-store');
      expect(session.body).toEqual({
        agent: { subject: 'agent-anna', name: 'Anna Agent', roles: ['ciba-agent'] },
        csrfToken: expect.stringMatching(/^[\w-]{43}$/),
        expiresAt: expect.any(String),
      });
      const expiresIn = Date.parse(session.body!.expiresAt) - Date.now();
      expect(expiresIn).toBeGreaterThan(14 * 60_000);
      expect(expiresIn).toBeLessThanOrEqual(15 * 60_000);
      csrfToken = session.body!.csrfToken;
      // No JWT (ID, access or refresh token) in what the browser was ever given by the BFF.
      const fromBff = jar.lines.filter(({ url }) => url.startsWith(base)).map(({ line }) => line);
      for (const text of [session.text, [...session.headers.entries()].join('\n'), ...fromBff]) {
        expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
        expect(text).not.toMatch(/access_token|id_token|refresh_token/);
      }
    });

    it('starts an authentication with the cookie, its CSRF token and its own Origin: 201, counted for the agent', async () => {
      const started = await call(base, jar, 'POST', '/v1/authentications', {
        body: { provider: 'sandbox', loginHint: 'alice' },
        headers: sameOrigin(csrfToken),
      });
      expect(started.status).toBe(201);
      expect(started.body).toMatchObject({ provider: 'sandbox', status: 'pending' });
      expect(started.headers.get('ratelimit-limit')).toBe('60'); // the agent's window is the tighter one

      const read = await call(base, jar, 'GET', `/v1/authentications/${started.body!.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ id: started.body!.id });

      // A Bearer key decides alone: next to anna's cookie, `portal` is the caller, and it did not start this one.
      const asPortal = await call(base, jar, 'GET', `/v1/authentications/${started.body!.id}`, {
        headers: { authorization: `Bearer ${stack.keys.portal}` },
      });
      expectProblem(asPortal, 404, 'not_found');
      await call(base, jar, 'DELETE', `/v1/authentications/${started.body!.id}`, { headers: sameOrigin(csrfToken) });
    });

    it.each<[string, (token: string) => Record<string, string>]>([
      ['without X-CSRF-Token', () => ({ origin: base })],
      ['with another CSRF token', () => ({ origin: base, 'x-csrf-token': 'not-the-token' })],
      ['with another Origin', (token) => ({ 'x-csrf-token': token, origin: 'http://evil.example' })],
      ['without Origin', (token) => ({ 'x-csrf-token': token })],
    ])('a state-changing call %s → 403 csrf_failed, nothing started', async (_case, headersFor) => {
      const refused = await call(base, jar, 'POST', '/v1/authentications', {
        body: { provider: 'sandbox', loginHint: 'bob' },
        headers: headersFor(csrfToken),
      });
      expectProblem(refused, 403, 'csrf_failed');
      expect(refused.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    });

    it('reads with the cookie alone (GET needs no CSRF token), and providers.json answers the agents’ consumer', async () => {
      const missing = await call(base, jar, 'GET', '/v1/authentications/01ARZ3NDEKTSV4RRFFQ69G5FAV');
      expectProblem(missing, 404, 'not_found');
      const providers = await call(base, jar, 'GET', '/console/providers.json');
      expect(providers.status).toBe(200);
      expect(providers.body).toEqual({ providers: [{ id: 'sandbox', profile: 'generic' }] });
    });

    it('the session in Redis is encrypted, under a hash of the cookie, never the cookie itself', async () => {
      const cookie = jar.get(base, SESSION_COOKIE)!;
      const keys = await redis.keys(`${stack.redis.prefix}:agent-session:*`);
      const digest = createHash('sha256').update(cookie).digest('base64url');
      expect(keys).toContain(`${stack.redis.prefix}:agent-session:${digest}`);
      for (const key of keys) expect(key).not.toContain(cookie);
      const raw = JSON.stringify(await redis.hgetall(`${stack.redis.prefix}:agent-session:${digest}`));
      for (const secret of ['Anna Agent', 'agent-anna', 'ciba-agent', csrfToken, cookie]) expect(raw).not.toContain(secret);
    });

    it('the callback URL works once: replayed, it is a 400 page', async () => {
      const callbackUrl = jar.lines.find(({ url }) => new URL(url).pathname === '/console/callback')!.url;
      const replay = await fetch(callbackUrl, { headers: { cookie: jar.header(callbackUrl) }, redirect: 'manual' });
      expect(replay.status).toBe(400);
      expect(replay.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await replay.text()).toContain('href="/console/login"');
    });
  });

  it('sam, a supervisor, signs in with both roles', async () => {
    const { jar } = await signIn(base, 'sam');
    expect((await sessionOf(jar)).body!.agent).toEqual({
      subject: 'agent-sam',
      name: 'Sam Supervisor',
      roles: ['ciba-agent', 'ciba-supervisor'],
    });
  });

  it('nina, without the role, gets a 403 page saying so, and no session cookie', async () => {
    const { jar, response, text, url } = await signIn(base, 'nina');
    expect(response.status).toBe(403);
    expect(new URL(url).pathname).toBe('/console/callback');
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(text).toContain(
      `You are signed in at ${stack.sandbox.issuer} as Nina Visitor, but you do not hold the role ciba-agent; ask your administrator.`,
    );
    expect(jar.get(base, SESSION_COOKIE)).toBeUndefined();
    expect(jar.linesFrom('/console/callback').some((line) => line.startsWith(`${SESSION_COOKIE}=`))).toBe(false);
    expectProblem(await sessionOf(jar), 401, 'session_expired');
  });

  it('a callback in another browser than the one that began the sign-in (state ≠ login cookie) → 400, no session', async () => {
    const begun = await fetch(`${base}/console/login`, { redirect: 'manual' });
    expect(begun.status).toBe(302);
    const authorizationUrl = begun.headers.get('location')!;
    expect(new URL(authorizationUrl).searchParams.get('code_challenge_method')).toBe('S256');
    // The other browser began a sign-in of its own, so it holds a login cookie, for another state.
    const other = new RecordingJar();
    const own = await fetch(`${base}/console/login`, { redirect: 'manual' });
    other.store(`${base}/console/login`, own.headers.getSetCookie());
    expect(other.get(base, LOGIN_COOKIE)).toBeDefined();
    const { response, url } = await followRedirects(authorizationUrl, other, { agent: 'anna' });
    expect({ status: response.status, path: new URL(url).pathname }).toEqual({ status: 400, path: '/console/callback' });
    expect(await response.text()).toContain('Sign-in not recognised');
    expect(other.get(base, SESSION_COOKIE)).toBeUndefined();
  });

  it('the provider’s error (the agent cancelled) → a short page with a link to try again, no session', async () => {
    const jar = new RecordingJar();
    const begun = await fetch(`${base}/console/login`, { redirect: 'manual' });
    jar.store(`${base}/console/login`, begun.headers.getSetCookie());
    const state = new URL(begun.headers.get('location')!).searchParams.get('state')!;
    const callback = `${base}/console/callback?error=access_denied&error_description=%3Cb%3Eno%3C%2Fb%3E&state=${encodeURIComponent(state)}`;
    const answer = await fetch(callback, { headers: { cookie: jar.header(callback) }, redirect: 'manual' });
    jar.store(callback, answer.headers.getSetCookie());
    const text = await answer.text();
    expect(answer.status).toBe(403);
    expect(text).toContain('(access_denied)');
    expect(text).toContain('<a href="/console/login">');
    expect(text).not.toContain('<b>');
    expect(jar.get(base, SESSION_COOKIE)).toBeUndefined();
    expect(jar.get(base, LOGIN_COOKIE)).toBeUndefined();
  });

  it('a second sign-in in the same browser rotates the session id and ends the first session', async () => {
    const { jar } = await signIn(base, 'anna');
    const first = jar.get(base, SESSION_COOKIE)!;
    const before = new CookieJar();
    before.store(base, [`${SESSION_COOKIE}=${first}; Path=/`]);
    await signIn(base, 'anna', jar);
    const second = jar.get(base, SESSION_COOKIE)!;
    expect(second).not.toBe(first);
    expect((await sessionOf(jar)).status).toBe(200);
    expectProblem(await sessionOf(before), 401, 'session_expired');
  });

  describe('sign-out', () => {
    it('ends the session and sends the browser to the provider’s end_session_endpoint with client_id, never an id_token_hint', async () => {
      const { jar } = await signIn(base, 'anna');
      const { csrfToken } = (await sessionOf(jar)).body!;
      const cookieBefore = new CookieJar();
      cookieBefore.store(base, [`${SESSION_COOKIE}=${jar.get(base, SESSION_COOKIE)}; Path=/`]);

      const out = await call(base, jar, 'POST', '/console/logout', { headers: sameOrigin(csrfToken) });
      expect(out.status).toBe(303);
      const location = new URL(out.headers.get('location')!);
      const discovery = (await (await fetch(`${stack.sandbox.issuer}/.well-known/openid-configuration`)).json()) as {
        end_session_endpoint: string;
      };
      expect(`${location.origin}${location.pathname}`).toBe(discovery.end_session_endpoint);
      expect(location.searchParams.get('client_id')).toBe('ciba-console');
      expect(location.searchParams.get('post_logout_redirect_uri')).toBe(`${base}/console`);
      expect(location.searchParams.has('id_token_hint')).toBe(false);
      expect(out.headers.getSetCookie()).toEqual([
        expect.stringMatching(/^ciba-console=; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict$/),
      ]);

      expectProblem(await sessionOf(cookieBefore), 401, 'session_expired');
      const afterward = await call(base, cookieBefore, 'POST', '/v1/authentications', {
        body: { provider: 'sandbox', loginHint: 'carol' },
        headers: sameOrigin(csrfToken),
      });
      expectProblem(afterward, 401, 'session_expired');
      // The provider ends its own session too and sends the browser back to the console.
      jar.store(base, out.headers.getSetCookie());
      const back = await followRedirects(location.href, jar);
      expect(back.url).toBe(`${base}/console`);
    });

    it('as a plain form post with the token as a field', async () => {
      const { jar } = await signIn(base, 'anna');
      const { csrfToken } = (await sessionOf(jar)).body!;
      const out = await fetch(`${base}/console/logout`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: jar.header(base), origin: base, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrfToken }).toString(),
      });
      expect(out.status).toBe(303);
      expectProblem(await sessionOf(jar), 401, 'session_expired');
    });

    it('a form is taken on the sign-out only: anywhere else it is 415', async () => {
      const { jar } = await signIn(base, 'anna');
      const { csrfToken } = (await sessionOf(jar)).body!;
      const form = await fetch(`${base}/v1/authentications`, {
        method: 'POST',
        headers: { cookie: jar.header(base), origin: base, 'x-csrf-token': csrfToken, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ provider: 'sandbox', loginHint: 'carol' }).toString(),
      });
      expect(form.status).toBe(415);
    });

    it('without the CSRF token or from another origin → 403 csrf_failed, and the session lives on', async () => {
      const { jar } = await signIn(base, 'anna');
      const { csrfToken } = (await sessionOf(jar)).body!;
      expectProblem(await call(base, jar, 'POST', '/console/logout', { headers: { origin: base } }), 403, 'csrf_failed');
      expectProblem(
        await call(base, jar, 'POST', '/console/logout', { headers: { 'x-csrf-token': csrfToken, origin: 'http://evil.example' } }),
        403,
        'csrf_failed',
      );
      expect((await sessionOf(jar)).status).toBe(200);
    });

    it('without a live session it still clears the cookie and goes back to the console', async () => {
      const stale = new CookieJar();
      stale.store(base, [`${SESSION_COOKIE}=gone; Path=/`]);
      const out = await call(base, stale, 'POST', '/console/logout', { headers: { origin: base } });
      expect({ status: out.status, location: out.headers.get('location') }).toEqual({ status: 303, location: '/console' });
      expect(out.headers.getSetCookie()[0]).toMatch(/^ciba-console=; /);
    });
  });

  it('without a cookie or a key, /v1 is the usual 401 unauthorized; a cookie of no session is 401 session_expired', async () => {
    expectProblem(await call(base, new CookieJar(), 'GET', '/v1/authentications/01ARZ3NDEKTSV4RRFFQ69G5FAV'), 401, 'unauthorized');
    const stale = new CookieJar();
    stale.store(base, [`${SESSION_COOKIE}=gone; Path=/`]);
    expectProblem(await call(base, stale, 'GET', '/v1/authentications/01ARZ3NDEKTSV4RRFFQ69G5FAV'), 401, 'session_expired');
    expectProblem(await call(base, stale, 'GET', '/console/providers.json'), 401, 'session_expired');
  });

  it('the console page itself is still served beside the sign-in routes', async () => {
    const page = await fetch(`${base}/console`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });
});

describe('branch agents: idle expiry', () => {
  let stack: Stack;
  let base: string;

  beforeAll(async () => {
    stack = await startStack({ agents: { sessionIdleMinutes: 0.05, rateLimit: { perMinute: 3 } } }); // 3 s
    base = stack.bff!.url;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('a session unused for the idle time answers 401 session_expired; each /v1 call slides it, reading the session does not', async () => {
    const jar = new RecordingJar();
    await followRedirects(`${base}/console/login`, jar, { agent: 'anna' }).then((result) => result.response.text());
    const first = await call(base, jar, 'GET', '/console/session');
    expect(first.status).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, 1000));
    const used = await call(base, jar, 'GET', '/v1/authentications/01ARZ3NDEKTSV4RRFFQ69G5FAV');
    expect(used.status).toBe(404);
    const lastUse = Date.now();
    const slid = await call(base, jar, 'GET', '/console/session');
    expect(Date.parse(slid.body!.expiresAt)).toBeGreaterThan(Date.parse(first.body!.expiresAt) + 500);

    // Polling the session route must not keep it alive: it ends about 3 s after the last use.
    let answer = slid;
    while (answer.status === 200 && Date.now() - lastUse < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      answer = await call(base, jar, 'GET', '/console/session');
    }
    const endedAfter = Date.now() - lastUse;
    expectProblem(answer, 401, 'session_expired');
    expect(endedAfter).toBeGreaterThanOrEqual(2_500);
    expect(endedAfter).toBeLessThan(6_000);
    expectProblem(
      await call(base, jar, 'POST', '/v1/authentications', { body: { provider: 'sandbox', loginHint: 'dave' }, headers: { origin: base } }),
      401,
      'session_expired',
    );
  });

  it('each agent has a rate limit of their own, within the consumer’s; the RateLimit headers show the tighter', async () => {
    const jar = new RecordingJar();
    await followRedirects(`${base}/console/login`, jar, { agent: 'sam' }).then((result) => result.response.text());
    const read = () => call(base, jar, 'GET', '/v1/authentications/01ARZ3NDEKTSV4RRFFQ69G5FAV');
    for (const remaining of ['2', '1', '0']) {
      const answer = await read();
      expect([answer.status, answer.headers.get('ratelimit-limit'), answer.headers.get('ratelimit-remaining')]).toEqual([
        404,
        '3',
        remaining,
      ]);
    }
    const refused = await read();
    expectProblem(refused, 429, 'rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
