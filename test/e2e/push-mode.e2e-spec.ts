import { randomBytes } from 'node:crypto';
import { dumpRedis } from '../dialects/simpleidserver/redis-text-dump.js';
import { AUTH_REQ_ID_CLAIM, RT_HASH_CLAIM, type PushDelivery, type PushErrorCode, type PushTamper } from '../push/push-op-server.js';
import { PUSH_PROVIDER, startPushStack, type PushStack } from '../push/push-stack.js';
import { readSse, type SseEvent } from '../support/sse-reader.js';

/**
 * CIBA Core push mode (§10.3, §12) end to end: a push-mode provider POSTs tokens or errors to the
 * BFF's notification endpoint (API.md §5). The BFF must validate the pushed ID Token before it
 * stores anything, answer every unauthenticated push alike, and never call the token endpoint.
 */
describe('push mode', () => {
  let stack: PushStack;

  beforeAll(async () => {
    stack = await startPushStack();
  });
  afterAll(async () => {
    await stack?.close();
  });
  // CIBA Core §11: a push client may not use the token endpoint; no test may make it.
  afterEach(() => {
    expect(stack.op.tokenCalls()).toEqual([]);
  });

  /** Starts an authentication and returns it with the backchannel request the provider received. */
  const begin = async (loginHint: string, extra: Record<string, unknown> = {}) => {
    const start = await stack.portal.start({ provider: PUSH_PROVIDER, loginHint, ...extra });
    expect(start.status).toBe(201);
    expect(start.body).toMatchObject({ status: 'pending', result: null });
    const request = await stack.op.waitForRequest(loginHint);
    return { id: start.body!.id as string, document: start.body!, request };
  };
  const expectStillPending = async (id: string) => {
    const now = await stack.portal.get(id);
    expect(now.body).toMatchObject({ status: 'pending', result: null, error: null });
  };
  const expectProblem = (delivery: PushDelivery, status: number, code: string) => {
    expect({ status: delivery.status, code: (delivery.body as Record<string, unknown> | null)?.code }).toEqual({ status, code });
    expect(delivery.contentType).toMatch(/^application\/problem\+json/);
    expect(delivery.location).toBeNull();
  };
  const withoutRequestId = (delivery: PushDelivery) => {
    const { requestId: _ignored, ...rest } = delivery.body as Record<string, unknown>;
    return rest;
  };

  it('approve: the pushed tokens reach the events stream as `approved` with the validated claims', async () => {
    const { id, document, request } = await begin('alice');
    expect(request.params).toMatchObject({ scope: 'openid profile', login_hint: 'alice' });
    const events: SseEvent[] = [];
    const stream = await readSse(`${stack.bff.url}${document.eventsUrl}`, {}, (event) => events.push(event));
    expect(stream.status).toBe(200);

    const delivery = await stack.op.approve(request.authReqId);
    expect(delivery.status).toBe(204);
    expect(delivery.location).toBeNull();
    await stream.ended;

    expect(JSON.parse(events[0].data!).status).toBe('pending');
    const last = JSON.parse(events.at(-1)!.data!);
    const pushed = delivery.sent as Record<string, string | number>;
    expect(last).toMatchObject({
      id,
      status: 'approved',
      error: null,
      result: {
        subject: request.subject,
        claims: { sub: request.subject, name: 'Customer alice', preferred_username: 'alice' },
        acr: 'urn:push-op:loa:2',
        amr: ['mfa'],
        authTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        tokens: {
          accessToken: pushed.access_token,
          refreshToken: pushed.refresh_token,
          idToken: pushed.id_token,
          tokenType: 'Bearer',
          expiresIn: 3600,
        },
      },
    });
    expect(last.result.claims).not.toHaveProperty([AUTH_REQ_ID_CLAIM]);
    expect(last.result.claims).not.toHaveProperty([RT_HASH_CLAIM]);
  });

  it('client_notification_token: at least 128 bits of base64url, fresh per authentication, never stored in clear', async () => {
    const first = await begin('dora');
    const second = await begin('emil');
    const tokens = [first.request.clientNotificationToken, second.request.clientNotificationToken];
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{22,}={0,2}$/);
      expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
    }
    expect(tokens[0]).not.toBe(tokens[1]);
    const stored = await dumpRedis(stack.redis.url, stack.redis.prefix, stack.keyring);
    expect(stored.length).toBeGreaterThan(0);
    for (const token of tokens) expect(stored.filter((entry) => entry.text.includes(token)).map((entry) => entry.key)).toEqual([]);
  });

  it.each<[string, PushTamper]>([
    ['a wrong auth_req_id claim', 'auth_req_id'],
    ['a wrong at_hash', 'at_hash'],
    ['a wrong rt_hash', 'rt_hash'],
    ['a signature by another key', 'signature'],
    ['no binding claims', 'no_binding'],
  ])('a push with %s is a 400 and stores nothing; a valid push then approves', async (_label, tamper) => {
    const { id, request } = await begin(`tamper-${tamper}`);
    expectProblem(await stack.op.approve(request.authReqId, { tamper }), 400, 'invalid_request');
    await expectStillPending(id);
    expect((await stack.op.approve(request.authReqId)).status).toBe(204);
    const done = await stack.portal.waitForStatusChange(id, 'pending', 20);
    expect(done.body).toMatchObject({ status: 'approved', result: { subject: request.subject } });
  });

  it('a success push without an ID Token is a 400 and stores nothing', async () => {
    const { id, request } = await begin('gus');
    const { id_token: _dropped, ...withoutIdToken } = await stack.op.buildApproval(request.authReqId);
    expectProblem(await stack.op.sendRaw(withoutIdToken, request.clientNotificationToken), 400, 'invalid_request');
    await expectStillPending(id);
  });

  it('a replayed valid push answers 401 and changes nothing', async () => {
    const { id, request } = await begin('fred');
    const push = await stack.op.buildApproval(request.authReqId);
    expect((await stack.op.sendRaw(push, request.clientNotificationToken)).status).toBe(204);
    const approved = await stack.portal.waitForStatusChange(id, 'pending', 20);
    expect(approved.body!.status).toBe('approved');

    expectProblem(await stack.op.sendRaw(push, request.clientNotificationToken), 401, 'unauthorized');
    expectProblem(await stack.op.deny(request.authReqId), 401, 'unauthorized');
    const after = await stack.portal.get(id);
    expect(after.body).toEqual(approved.body);
  });

  it('a wrong, missing or non-Bearer token answers 401 and the authentication stays pending', async () => {
    const { id, request } = await begin('gina');
    const push = await stack.op.buildApproval(request.authReqId);
    const token = request.clientNotificationToken;
    const lastByteFlipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const delivery of [
      await stack.op.sendRaw(push, randomBytes(32).toString('base64url')),
      await stack.op.sendRaw(push, lastByteFlipped),
      await stack.op.sendRaw(push, null),
      await stack.op.sendRaw(push, token, { scheme: 'Basic' }),
    ]) {
      expectProblem(delivery, 401, 'unauthorized');
    }
    await expectStillPending(id);
    // None of them consumed the authentication: the genuine push still lands.
    expect((await stack.op.sendRaw(push, token)).status).toBe(204);
    expect((await stack.portal.waitForStatusChange(id, 'pending', 20)).body!.status).toBe('approved');
  });

  it('an unknown auth_req_id, another authentication’s token or another provider’s path answers exactly like a wrong token', async () => {
    const hugo = await begin('hugo');
    const ivy = await begin('ivy');
    const push = await stack.op.buildApproval(hugo.request.authReqId);
    const wrongToken = await stack.op.sendRaw(push, randomBytes(32).toString('base64url'));
    const unknownId = await stack.op.sendRaw(
      { ...push, auth_req_id: randomBytes(24).toString('base64url') },
      hugo.request.clientNotificationToken,
    );
    const otherToken = await stack.op.sendRaw(push, ivy.request.clientNotificationToken);
    const otherProvider = await stack.op.sendRaw(push, hugo.request.clientNotificationToken, {
      url: stack.notificationEndpoint.replace(/[^/]+$/, 'no-such-provider'),
    });
    for (const delivery of [wrongToken, unknownId, otherToken, otherProvider]) expectProblem(delivery, 401, 'unauthorized');
    for (const delivery of [unknownId, otherToken, otherProvider]) expect(withoutRequestId(delivery)).toEqual(withoutRequestId(wrongToken));
    await expectStillPending(hugo.id);
    await expectStillPending(ivy.id);
  });

  it.each<[PushErrorCode, string, string]>([
    ['access_denied', 'denied', 'access_denied'],
    ['expired_token', 'expired', 'expired'],
    ['transaction_failed', 'failed', 'provider_rejected'],
  ])('a pushed %s ends `%s` with code %s', async (error, status, code) => {
    const { id, request } = await begin(`error-${error}`);
    expect((await stack.op.sendError(request.authReqId, error, 'told by the provider')).status).toBe(204);
    const done = await stack.portal.waitForStatusChange(id, 'pending', 20);
    expect(done.body).toMatchObject({ status, result: null, error: { code } });
  });

  it('no push by the deadline: `expired`, with no token request, and a late push is refused', async () => {
    const { id, document, request } = await begin('late', { requestedExpiry: 3 });
    expect(request.expiresIn).toBe(3);
    const deadline = Date.parse(document.expiresAt);
    expect(deadline - Date.parse(document.createdAt)).toBe(3000);
    const done = await stack.portal.waitForStatusChange(id, 'pending', 20);
    expect(done.body).toMatchObject({ status: 'expired', result: null, error: { code: 'expired' } });
    expect(Date.now()).toBeGreaterThanOrEqual(deadline);
    expect(stack.op.tokenCalls()).toEqual([]);
    expectProblem(await stack.op.approve(request.authReqId), 401, 'unauthorized');
    expect((await stack.portal.get(id)).body!.status).toBe('expired');
  });
});
