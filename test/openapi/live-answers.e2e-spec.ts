import { randomBytes } from 'node:crypto';
import { sha256, startStack, type Stack } from '../support/bff-stack.js';
import { CookieJar, followRedirects } from '../support/workforce-sign-in.js';
import { OpenApiContract, answerOf, type Answer } from './openapi-contract.js';

const contract = new OpenApiContract();
const START = '/v1/authentications';
const ONE = '/v1/authentications/{id}';

interface Call {
  key?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The data lines of a finished event stream, parsed. */
const events = (text: string) =>
  text
    .split('\n\n')
    .map((block) =>
      Object.fromEntries(block.split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)])),
    )
    .filter((event) => event.data !== undefined) as { event: string; id: string; data: string }[];

/**
 * Every answer the real BFF gives, checked against docs/openapi.json: the status is documented for
 * the route, the body fits its schema (closed: no undocumented field), the headers are documented.
 */
describe('live answers match the document', () => {
  let stack: Stack;
  const limitedKey = `limited-${randomBytes(12).toString('hex')}`;

  beforeAll(async () => {
    stack = await startStack({
      configure: (tree) => {
        tree.consumers.portal.admin = true;
        tree.consumers.limited = { apiKeySha256: sha256(limitedKey), providers: ['sandbox'], rateLimit: { perMinute: 2 } };
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** Calls `path` (a template filled in) and checks the answer against the template's operation. */
  async function call(method: string, template: string, path: string, options: Call = {}): Promise<Answer> {
    const key = options.key === undefined ? stack.keys.portal : options.key;
    const body = options.body;
    const response = await fetch(`${stack.bff!.url}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const answer = await answerOf(response);
    contract.expectAnswer(method, template, answer);
    return answer;
  }

  const documentOf = (answer: Answer) => answer.body as Record<string, any>;

  it('serves at /docs-json exactly the committed document', async () => {
    const answer = await call('GET', '/docs-json', '/docs-json', { key: null });
    expect(answer.body).toEqual(contract.document);
    expect((await call('GET', '/docs', '/docs', { key: null })).status).toBe(200);
  });

  it("starts with each of the document's example bodies (201, Location, status document), then cancels (200)", async () => {
    const examples = contract.operation('POST', START).requestBody.content['application/json'].examples as Record<
      string,
      { value: unknown }
    >;
    expect(Object.keys(examples).length).toBeGreaterThan(0);
    for (const { value } of Object.values(examples)) {
      const started = await call('POST', START, START, { body: value, headers: { 'Idempotency-Key': randomBytes(8).toString('hex') } });
      expect(started.status).toBe(201);
      expect(started.headers.get('location')).toBe(`${START}/${documentOf(started).id}`);
      const cancelled = await call('DELETE', ONE, `${START}/${documentOf(started).id}`);
      expect([cancelled.status, documentOf(cancelled).status]).toEqual([200, 'cancelled']);
      expect((await call('DELETE', ONE, `${START}/${documentOf(started).id}`)).status).toBe(409);
    }
  });

  it('refuses with 400 the bodies the schema refuses', async () => {
    const refused = [
      { provider: 'sandbox', loginHint: 'dave', tenantId: 'x' },
      { provider: 'sandbox' },
      { provider: 'sandbox', loginHint: 'dave', loginHintToken: 'abc' },
      { provider: 'sandbox', loginHint: 'dave', bindingMessage: 'Approve to get a refund' },
      { provider: 'sandbox', loginHint: 'dave', requestedExpiry: 12.5 },
    ];
    for (const body of refused) {
      expect(contract.requestBodyErrors('POST', START, body)).not.toBeNull();
      const answer = await call('POST', START, START, { body });
      expect([answer.status, documentOf(answer).code]).toEqual([400, 'invalid_request']);
    }
    expect(stack.sandbox.pending('dave')).toEqual([]);
  });

  it('answers the documented problems: 401, 404, 400, 413, 415, 409, 429', async () => {
    expect((await call('POST', START, START, { key: null, body: { provider: 'sandbox', loginHint: 'carol' } })).status).toBe(401);
    expect((await call('POST', START, START, { key: 'wrong', body: { provider: 'sandbox', loginHint: 'carol' } })).status).toBe(401);
    expect((await call('POST', START, START, { body: { provider: 'nope', loginHint: 'carol' } })).status).toBe(404);
    expect(
      (await call('POST', START, START, { body: { provider: 'sandbox', loginHint: 'carol', reference: 'x'.repeat(70 * 1024) } })).status,
    ).toBe(413);
    const form = await call('POST', START, START, {
      body: 'provider=sandbox',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    expect((await call('POST', START, START, { body: '{"provider":', headers: {} })).status).toBe(400);
    expect(contract.parameterErrors('POST', START, 'Idempotency-Key', 'has space')).not.toBeNull();
    const badKey = await call('POST', START, START, {
      body: { provider: 'sandbox', loginHint: 'carol' },
      headers: { 'Idempotency-Key': 'has space' },
    });
    expect(badKey.status).toBe(400);
    expect((await call('GET', ONE, `${START}/01JD6V6R3C9T1X3J8N4W2Q5K7M`)).status).toBe(404);
    expect((await call('GET', ONE, `${START}/sign-in-check`)).status).toBe(404);

    const limited = [];
    for (let i = 0; i < 3; i += 1) limited.push(await call('GET', ONE, `${START}/01JD6V6R3C9T1X3J8N4W2Q5K7M`, { key: limitedKey }));
    expect(limited.map((answer) => answer.status)).toEqual([404, 404, 429]);
    expect(documentOf(limited[2]).code).toBe('rate_limited');
  });

  it('reads, long-polls and refuses a user code out of turn (409)', async () => {
    const started = documentOf(await call('POST', START, START, { body: { provider: 'sandbox', loginHint: 'bob' } }));
    const path = `${START}/${started.id}`;
    expect(documentOf(await call('GET', ONE, path)).status).toBe('pending');
    const unchanged = await call('GET', ONE, `${path}?wait=1`);
    expect(documentOf(unchanged)).toMatchObject({ id: started.id, status: 'pending' });
    expect(contract.parameterErrors('GET', ONE, 'wait', '61')).not.toBeNull();
    expect((await call('GET', ONE, `${path}?wait=61`)).status).toBe(400);
    const userCode = await call('POST', `${ONE}/user-code`, `${path}/user-code`, { body: { userCode: '483920' } });
    expect([userCode.status, documentOf(userCode).code]).toEqual([409, 'invalid_state']);
    expect((await call('DELETE', ONE, path)).status).toBe(200);
  });

  it('documents an approval, tokens included, as the API answers it', async () => {
    const started = documentOf(
      await call('POST', START, START, { body: { provider: 'sandbox', loginHint: 'carol', bindingMessage: 'OPENAPI-1' } }),
    );
    await stack.sandbox.approve((await stack.sandbox.waitForRequest('carol')).id);
    const approved = documentOf(await call('GET', ONE, `${START}/${started.id}?wait=30&status=pending`));
    expect(approved).toMatchObject({ status: 'approved', result: { tokens: { idToken: expect.any(String) } } });
  });

  it('streams events as documented: text/event-stream with status documents, then 204 after the last one', async () => {
    const started = documentOf(await call('POST', START, START, { body: { provider: 'sandbox', loginHint: '01001044444' } }));
    const url = `${stack.bff!.url}${started.eventsUrl}`;
    const template = `${ONE}/events`;
    const response = await fetch(url);
    const text = response.text();
    await stack.portal.cancel(started.id);
    const stream = { status: response.status, headers: response.headers, body: await text };
    contract.expectAnswer('GET', template, stream);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const received = events(stream.body);
    for (const event of received)
      expect([event.event, contract.componentErrors('StatusDocument', JSON.parse(event.data), 'closed')]).toEqual(['status', null]);
    const last = received.at(-1)!;
    expect(JSON.parse(last.data).status).toBe('cancelled');

    const done = await fetch(url, { headers: { 'last-event-id': last.id } });
    contract.expectAnswer('GET', template, await answerOf(done));
    expect(done.status).toBe(204);
    const again = await fetch(url, { headers: { 'last-event-id': String(Number(last.id) - 1) } });
    const replayed = await answerOf(again);
    contract.expectAnswer('GET', template, replayed);
    expect(events(String(replayed.body)).map((event) => event.id)).toEqual([last.id]);
    expect((await call('GET', template, `${START}/${started.id}/events?token=forged.token`, { key: null })).status).toBe(401);
  });

  it('pages the audit trail for an admin consumer, and is a 404 for any other', async () => {
    const first = await call('GET', '/v1/audit', '/v1/audit?limit=2');
    expect(documentOf(first).items).toHaveLength(2);
    const cursor = documentOf(first).nextCursor as string;
    expect(contract.parameterErrors('GET', '/v1/audit', 'cursor', cursor)).toBeNull();
    expect((await call('GET', '/v1/audit', `/v1/audit?limit=2&cursor=${cursor}`)).status).toBe(200);
    expect((await call('GET', '/v1/audit', `/v1/audit?from=2026-01-01T00:00:00Z&to=${new Date().toISOString()}`)).status).toBe(200);
    for (const [name, value] of [
      ['limit', '0'],
      ['cursor', 'abc'],
    ]) {
      expect(contract.parameterErrors('GET', '/v1/audit', name, value)).not.toBeNull();
      expect((await call('GET', '/v1/audit', `/v1/audit?${name}=${value}`)).status).toBe(400);
    }
    expect((await call('GET', '/v1/audit', '/v1/audit', { key: stack.keys.other })).status).toBe(404);
  });

  it('documents the operational routes: health, metrics, the console, the queue dashboard, the notification endpoint', async () => {
    expect((await call('GET', '/health/live', '/health/live', { key: null })).status).toBe(200);
    expect((await call('GET', '/health/ready', '/health/ready', { key: null })).status).toBe(200);
    expect((await call('GET', '/metrics', '/metrics', { key: null })).status).toBe(200);
    expect((await call('GET', '/console', '/console', { key: null })).status).toBe(200);
    // Without an agents section the sign-in routes are documented all the same, and answer 404.
    expect(documentOf(await call('GET', '/console/session', '/console/session', { key: null })).code).toBe('not_found');
    expect((await call('GET', '/console/login', '/console/login', { key: null })).status).toBe(404);
    const providers = await call('GET', '/console/providers.json', '/console/providers.json', { key: stack.keys.other });
    expect(documentOf(providers)).toEqual({ providers: [{ id: 'sandbox', profile: 'generic' }] });
    expect((await call('GET', '/console/providers.json', '/console/providers.json', { key: null })).status).toBe(401);
    expect((await call('GET', '/admin/queues', '/admin/queues', { key: null })).status).toBe(401);
    expect((await call('GET', '/admin/queues', '/admin/queues', { key: stack.keys.other })).status).toBe(404);
    expect((await call('GET', '/admin/queues', '/admin/queues')).status).toBe(200);
    const notify = await call('POST', '/ciba/notify/{provider}', '/ciba/notify/sandbox', {
      key: 'not-the-token',
      body: { auth_req_id: 'unknown' },
    });
    expect(notify.status).toBe(401);
    expect(
      (await call('POST', '/ciba/notify/{provider}', '/ciba/notify/sandbox', { key: null, body: { error: 'access_denied' } })).status,
    ).toBe(400);
  });
});

/** The same check with a BFF that has an agents section: the sign-in routes and the session cookie on `/v1` (API.md §7). */
describe('live answers match the document: branch agents', () => {
  let stack: Stack;
  let base: string;

  beforeAll(async () => {
    stack = await startStack({ agents: true });
    base = stack.bff!.url;
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** Calls `path` as a browser would, with the jar's cookies (no Bearer value), and checks the answer against the template's operation. */
  async function call(
    jar: CookieJar,
    method: string,
    template: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const cookie = jar.header(`${base}${path}`);
    const response = await fetch(`${base}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const answer = await answerOf(response);
    contract.expectAnswer(method, template, answer);
    return answer;
  }

  const signedIn = async (agent: string) => {
    const jar = new CookieJar();
    const { response } = await followRedirects(`${base}/console/login`, jar, { agent });
    await response.body?.cancel();
    const session = await call(jar, 'GET', '/console/session', '/console/session');
    expect(session.status).toBe(200);
    return { jar, session: session.body as Record<string, any> };
  };
  const codeOf = (answer: Answer): [number, unknown] => [answer.status, (answer.body as Record<string, unknown> | null)?.code];

  it('GET /console/session: 401 session_expired without a live session, the documented body with one', async () => {
    expect(codeOf(await call(new CookieJar(), 'GET', '/console/session', '/console/session'))).toEqual([401, 'session_expired']);
    const { session } = await signedIn('anna');
    expect(contract.componentErrors('ConsoleSession', session, 'closed')).toBeNull();
    expect(session.agent).toEqual({ subject: 'agent-anna', name: 'Anna Agent', roles: ['ciba-agent'] });
    const stale = new CookieJar();
    stale.store(base, ['ciba-console=gone; Path=/']);
    expect(codeOf(await call(stale, 'GET', '/console/session', '/console/session'))).toEqual([401, 'session_expired']);
  });

  it('the sign-in: 302 to the provider, and a callback of no sign-in is the 400 page', async () => {
    const login = await call(new CookieJar(), 'GET', '/console/login', '/console/login');
    expect(login.status).toBe(302);
    const state = new URL(login.headers.get('location')!).searchParams.get('state');
    expect(state).toEqual(expect.any(String));
    const callback = await call(new CookieJar(), 'GET', '/console/callback', `/console/callback?code=x&state=${state}`);
    expect([callback.status, callback.headers.get('content-type')]).toEqual([400, 'text/html; charset=utf-8']);
  });

  it('the /v1 routes with the cookie: reads without a token, changes with it, 403 csrf_failed without, 401 session_expired when gone', async () => {
    const { jar, session } = await signedIn('anna');
    const csrf = { 'x-csrf-token': session.csrfToken as string, origin: base };
    const START = '/v1/authentications';
    const ONE = '/v1/authentications/{id}';
    const body = { provider: 'sandbox', loginHint: 'alice' };
    expect(codeOf(await call(jar, 'POST', START, START, { body, headers: { origin: base } }))).toEqual([403, 'csrf_failed']);
    expect(contract.parameterErrors('POST', START, 'X-CSRF-Token', session.csrfToken as string)).toBeNull();
    const started = await call(jar, 'POST', START, START, { body, headers: csrf });
    expect(started.status).toBe(201);
    const path = `${START}/${(started.body as Record<string, any>).id}`;
    expect((await call(jar, 'GET', ONE, path)).status).toBe(200);
    expect(codeOf(await call(jar, 'POST', `${ONE}/user-code`, `${path}/user-code`, { body: { userCode: '1' } }))).toEqual([
      403,
      'csrf_failed',
    ]);
    expect(codeOf(await call(jar, 'DELETE', ONE, path, { headers: { origin: base } }))).toEqual([403, 'csrf_failed']);
    expect((await call(jar, 'DELETE', ONE, path, { headers: csrf })).status).toBe(200);
    expect(codeOf(await call(jar, 'GET', '/v1/audit', '/v1/audit'))).toEqual([404, 'not_found']);
    expect((await call(jar, 'GET', '/console/providers.json', '/console/providers.json')).status).toBe(200);

    const supervisor = await signedIn('sam');
    expect((await call(supervisor.jar, 'GET', '/v1/audit', '/v1/audit?limit=5')).status).toBe(200);

    const stale = new CookieJar();
    stale.store(base, ['ciba-console=gone; Path=/']);
    expect(codeOf(await call(stale, 'GET', ONE, path))).toEqual([401, 'session_expired']);
    expect(codeOf(await call(stale, 'POST', START, START, { body, headers: csrf }))).toEqual([401, 'session_expired']);
    expect(codeOf(await call(stale, 'GET', '/console/providers.json', '/console/providers.json'))).toEqual([401, 'session_expired']);
  });

  it('POST /console/logout: 403 csrf_failed without the token, then 303 with it, by header or form field', async () => {
    const { jar, session } = await signedIn('anna');
    expect(codeOf(await call(jar, 'POST', '/console/logout', '/console/logout', { headers: { origin: base } }))).toEqual([
      403,
      'csrf_failed',
    ]);
    const out = await call(jar, 'POST', '/console/logout', '/console/logout', {
      headers: { 'x-csrf-token': session.csrfToken, origin: base },
    });
    expect(out.status).toBe(303);
    const other = await signedIn('anna');
    const form = await fetch(`${base}/console/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: other.jar.header(base), origin: base, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrfToken: other.session.csrfToken }).toString(),
    });
    const answer = await answerOf(form);
    contract.expectAnswer('POST', '/console/logout', answer);
    expect(answer.status).toBe(303);
    expect(codeOf(await call(other.jar, 'GET', '/console/session', '/console/session'))).toEqual([401, 'session_expired']);
  });
});
