import { ConsumerClient } from '../support/consumer-client.js';
import { startStack, type Stack } from '../support/bff-stack.js';
import { discover } from '../support/recording-proxy.js';
import { answerOf, expectProblem, firstEvent, headerNames, sansRequestId, type Answer } from './attack-assertions.js';
import { ledgeredProvider, startProviderLedger, type ProviderLedger } from './provider-ledger.js';
import { rawRequest } from './raw-http.js';

/** Well-formed (26 Crockford characters) but never issued. */
const UNKNOWN_ID = '0123456789ABCDEFGHJKMNPQRS';

const tokenOf = (eventsUrl: string) => new URL(eventsUrl, 'http://x').searchParams.get('token')!;

/**
 * Broken object-level authorisation (OWASP API1): consumer B (`other`) tries every route on
 * consumer A's (`portal`) authentication. API.md §4: "A consumer never sees, by any route, a
 * request that another consumer started: such an id answers 404, exactly like an unknown one."
 * A's request goes through a provider that acknowledges with a 60 s interval, so nothing but an
 * attack could change it while this file runs.
 */
describe('attacks: one consumer on another consumer’s authentication', () => {
  let stack: Stack;
  let ledger: ProviderLedger;
  let base: string;
  let victim: { id: string; token: string; doc: Record<string, any>; seq: string };
  let own: { id: string; token: string };

  const events = (id: string, query = '') => `${base}/v1/authentications/${id}/events${query}`;
  const bearer = (key: string): RequestInit => ({ headers: { authorization: `Bearer ${key}` } });

  /** B's answer for A's id next to B's answer for an id nobody has: they must not differ. */
  const expectSameAsUnknown = (foreign: Answer, unknown: Answer) => {
    expect(sansRequestId(foreign.body)).toEqual(sansRequestId(unknown.body));
    expect(foreign.status).toBe(unknown.status);
    expect(headerNames(foreign.headers)).toEqual(headerNames(unknown.headers));
  };

  beforeAll(async () => {
    stack = await startStack({
      providers: async (sandbox) => {
        const endpoints = await discover(sandbox.issuer);
        ledger = await startProviderLedger(endpoints, { ackInterval: 60 });
        return { still: ledgeredProvider(sandbox.issuer, ledger, endpoints.jwks) };
      },
    });
    base = stack.bff!.url;
    const started = await stack.portal.start({ provider: 'still', loginHint: 'carol', reference: 'victim/receipt-1' });
    expect(started.status).toBe(201);
    expect(started.body!.interval).toBe(60); // no poll, hence no legitimate change, while the file runs
    const first = await firstEvent(events(started.body!.id), bearer(stack.keys.portal));
    expect(first.event?.id).toBeDefined();
    victim = { id: started.body!.id, token: tokenOf(started.body!.eventsUrl), doc: started.body!, seq: first.event!.id! };
    const mine = await stack.other.start({ provider: 'sandbox', loginHint: 'dave' });
    expect(mine.status).toBe(201);
    own = { id: mine.body!.id, token: tokenOf(mine.body!.eventsUrl) };
  });
  afterAll(async () => {
    if (own) await stack.other.cancel(own.id);
    if (victim) await stack.portal.cancel(victim.id);
    await stack?.close();
    await ledger?.close();
  });

  it('reads: GET and GET ?wait= answer 404 at once, exactly as for an unknown id', async () => {
    for (const query of ['', '?wait=1', '?wait=30&status=pending', '?wait=30&status=cancelled']) {
      const startedAt = Date.now();
      const foreign = await stack.other.get(victim.id, query);
      // A long-poll that held for A's id (and not for an unknown one) would tell B the id exists.
      expect(Date.now() - startedAt).toBeLessThan(2000);
      expectProblem(foreign, 'not_found');
      expectSameAsUnknown(foreign, await stack.other.get(UNKNOWN_ID, query));
    }
  });

  it('cancel and user code: 404 exactly as for an unknown id, where the owner gets 409', async () => {
    for (const [method, suffix, body] of [
      ['DELETE', '', undefined],
      ['POST', '/user-code', { userCode: '1234' }],
    ] as const) {
      const foreign = await stack.other.request(method, `/v1/authentications/${victim.id}${suffix}`, body);
      expectProblem(foreign, 'not_found');
      expectSameAsUnknown(foreign, await stack.other.request(method, `/v1/authentications/${UNKNOWN_ID}${suffix}`, body));
    }
    // The route works: the owner is told the request is not waiting for a code.
    expectProblem(await stack.portal.request('POST', `/v1/authentications/${victim.id}/user-code`, { userCode: '1234' }), 'invalid_state');
    // A bad body is refused before any lookup, the same for A's id and an unknown one.
    const badBody = { userCode: '1234', extra: true };
    const foreign = await stack.other.request('POST', `/v1/authentications/${victim.id}/user-code`, badBody);
    expectProblem(foreign, 'invalid_request');
    expectSameAsUnknown(foreign, await stack.other.request('POST', `/v1/authentications/${UNKNOWN_ID}/user-code`, badBody));
  });

  it('events: B’s key on A’s id is a 404 like an unknown id; each token opens only its own id', async () => {
    const foreign = await answerOf(events(victim.id), bearer(stack.keys.other));
    expectProblem(foreign, 'not_found');
    expectSameAsUnknown(foreign, await answerOf(events(UNKNOWN_ID), bearer(stack.keys.other)));

    const forged = await answerOf(events(victim.id, '?token=forged.token'));
    expectProblem(forged, 'unauthorized');
    const crossed = [
      await answerOf(events(own.id, `?token=${victim.token}`)), // A's token, B's id
      await answerOf(events(victim.id, `?token=${own.token}`)), // B's token, A's id
    ];
    for (const answer of crossed) {
      expectProblem(answer, 'unauthorized');
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
      expect(sansRequestId(answer.body)).toEqual(sansRequestId(forged.body));
    }
  });

  it('events: A’s token does not lend A’s rights to a request that carries B’s key', async () => {
    const both = await answerOf(events(victim.id, `?token=${victim.token}`), bearer(stack.keys.other));
    expectProblem(both, 'not_found');
  });

  it('events: a token whose payload names another consumer or id, under A’s signature, is refused', async () => {
    const [payload, signature] = victim.token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const reSigned = (changes: Record<string, unknown>) =>
      `${Buffer.from(JSON.stringify({ ...claims, ...changes })).toString('base64url')}.${signature}`;
    for (const [id, token] of [
      [own.id, reSigned({ a: own.id })],
      [victim.id, reSigned({ c: 'other' })],
      [victim.id, reSigned({ e: Number(claims.e) + 86_400 })],
      [victim.id, `${payload}.${signature}.${signature}`],
      [victim.id, `${payload}.`],
    ]) {
      expectProblem(await answerOf(events(id, `?token=${encodeURIComponent(token)}`)), 'unauthorized');
    }
  });

  it('the events token is read-only: it is not an API key, and ?token= opens no other route', async () => {
    const withToken = new ConsumerClient(base, victim.token);
    for (const [method, path, body] of [
      ['GET', `/v1/authentications/${victim.id}`, undefined],
      ['DELETE', `/v1/authentications/${victim.id}`, undefined],
      ['POST', `/v1/authentications/${victim.id}/user-code`, { userCode: '1234' }],
      ['POST', '/v1/authentications', { provider: 'still', loginHint: 'bob' }],
    ] as const) {
      expectProblem(await withToken.request(method, path, body), 'unauthorized');
      const query = `${path.includes('?') ? '&' : '?'}token=${victim.token}`;
      const viaQuery = await answerOf(`${base}${path}${query}`, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
      expectProblem(viaQuery, 'unauthorized');
    }
  });

  it('starting the same thing never hands B A’s request: not by Idempotency-Key, not by pending_exists', async () => {
    const headers = { 'idempotency-key': 'till-7/receipt-4711' };
    const body = { provider: 'sandbox', loginHint: 'alice', bindingMessage: 'SAME-0001' };
    const mine = await stack.portal.start(body, headers);
    expect(mine.status).toBe(201);
    const theirs = await stack.other.start(body, headers);
    try {
      expect(theirs.status).toBe(201);
      expect(theirs.body!.id).not.toBe(mine.body!.id);
      expect(JSON.stringify(theirs.body)).not.toContain(mine.body!.id);
      // B's own repeat replays B's own answer; a start without the key meets only B's pending one.
      expect((await stack.other.start(body, headers)).body!.id).toBe(theirs.body!.id);
      const duplicate = await stack.other.start({ provider: 'sandbox', loginHint: 'alice' });
      expectProblem(duplicate, 'pending_exists');
      expect(duplicate.body!.pendingId).toBe(theirs.body!.id);
      // A's own key on a provider B may not use: 403, and still not A's document.
      const notAllowed = await stack.other.start({ provider: 'still', loginHint: 'carol', reference: 'victim/receipt-1' });
      expectProblem(notAllowed, 'provider_not_allowed');
      expect(JSON.stringify(notAllowed.body)).not.toContain(victim.id);
    } finally {
      await stack.portal.cancel(mine.body!.id);
      if (theirs.status === 201) await stack.other.cancel(theirs.body!.id);
    }
  });

  const notIds = [
    '..%2F..%2Fhealth%2Fready',
    '..%2f..%2fv1%2Faudit',
    '%2E%2E%2F',
    '%00',
    'ABCDEFGHJKMNPQRSTVWXYZ012%00',
    'x'.repeat(10_000),
    '%F0%9F%98%80'.repeat(26),
    '%C3%A9'.repeat(26),
    '%EF%BC%90'.repeat(26), // fullwidth zero: NFKC would fold it to a well-formed id
    '%E2%80%AE'.repeat(26), // right-to-left override
    '__proto__',
    'constructor',
    '%20'.repeat(26),
    '*',
  ];
  const routes = (id: string): [string, string, string, RequestInit][] => [
    ['GET', `/v1/authentications/${id}`, stack.keys.other, {}],
    ['GET', `/v1/authentications/${id}?wait=1`, stack.keys.other, {}],
    ['DELETE', `/v1/authentications/${id}`, stack.keys.other, {}],
    [
      'POST',
      `/v1/authentications/${id}/user-code`,
      stack.keys.other,
      { headers: { 'content-type': 'application/json' }, body: '{"userCode":"1234"}' },
    ],
    ['GET', `/v1/authentications/${id}/events`, stack.keys.other, {}],
    ['GET', `/v1/authentications/${id}/events?token=${victim.token}`, '', {}],
  ];

  it('ids that are not ids answer 404 not_found, like an unknown id, on every route (never a 500)', async () => {
    for (const id of [...notIds, `${victim.id}%00`, `${victim.id}%0A`, `%20${victim.id}`, victim.id.toLowerCase()]) {
      for (const [method, path, key, init] of routes(id)) {
        const headers = { ...(init.headers as Record<string, string>), ...(key ? { authorization: `Bearer ${key}` } : {}) };
        const answer = await answerOf(`${base}${path}`, { ...init, method, headers });
        try {
          expectProblem(answer, 'not_found');
          expect(answer.body!.detail).toBe((await stack.other.get(UNKNOWN_ID)).body!.detail);
        } catch (error) {
          throw new Error(`${method} ${path.slice(0, 120)}: ${(error as Error).message}`, { cause: error });
        }
      }
    }
  });

  it('an id with malformed percent-encoding is a 4xx problem document, never a 500', async () => {
    for (const id of ['%ZZ', '%', '%E2%80', '%C0%AF']) {
      for (const [method, path, key, init] of routes(id)) {
        const headers = { ...(init.headers as Record<string, string>), ...(key ? { authorization: `Bearer ${key}` } : {}) };
        expectProblem(await answerOf(`${base}${path}`, { ...init, method, headers }), ['not_found', 'invalid_request']);
      }
    }
  });

  it('dot segments in the path, sent as they are (no client-side normalising), reach nothing', async () => {
    for (const path of [
      `/v1/authentications/../../health/ready`,
      `/v1/authentications/${victim.id}/../${victim.id}`,
      `/v1/authentications/./${victim.id}`,
    ]) {
      const answer = await rawRequest(base, { method: 'GET', path, headers: [['Authorization', `Bearer ${stack.keys.other}`]] });
      expect({ path, status: answer.status, type: answer.header('content-type') }).toEqual({
        path,
        status: 404,
        type: expect.stringMatching(/^application\/problem\+json/),
      });
      expect(answer.text).not.toContain(victim.id);
    }
  });

  it('afterwards A’s authentication is exactly as it was: pending, same document, same event sequence', async () => {
    const now = await stack.portal.get(victim.id);
    expect(now.status).toBe(200);
    expect(now.body).toEqual(victim.doc);
    const latest = await firstEvent(events(victim.id), bearer(stack.keys.portal));
    expect(latest.status).toBe(200);
    expect(latest.event!.id).toBe(victim.seq);
    expect(JSON.parse(latest.event!.data!)).toMatchObject({ id: victim.id, status: 'pending' });
    // Only A's own start went through that provider's door; nothing was polled or re-sent.
    expect(ledger.backchannel).toHaveLength(1);
    expect(ledger.backchannel[0].form.login_hint).toBe('carol');
    expect(ledger.tokenRequests).toEqual([]);
    expect(stack.sandbox.pending('carol')).toHaveLength(1);
  });
});
