import { readSse, type SseEvent } from '../support/sse-reader.js';
import { startStack, type Stack } from '../support/bff-stack.js';

/** The contract of API.md §4 that needs no approval: errors, ownership, idempotency, cancel. */
describe('consumer API contract', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      providers: (sandbox) => ({
        'sandbox-post': {
          issuer: sandbox.issuer,
          clientId: 'bff-post',
          clientAuth: { method: 'client_secret_post', secret: 'post-secret' },
          scope: 'openid profile',
          allowInsecureHttp: true,
        },
      }),
      sandboxClients: [{ client_id: 'bff-post', client_secret: 'post-secret', token_endpoint_auth_method: 'client_secret_post' }],
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const expectProblem = (
    response: { status: number; headers: Headers; body: Record<string, any> | null },
    status: number,
    code: string,
  ) => {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String), code });
  };

  describe('bad input gets a clear answer and never reaches the provider', () => {
    it('unknown provider → 404 unknown_provider', async () => {
      expectProblem(await stack.portal.start({ provider: 'nope', loginHint: 'alice' }), 404, 'unknown_provider');
    });

    it('a provider the consumer may not use → 403 provider_not_allowed', async () => {
      expectProblem(await stack.other.start({ provider: 'sandbox-post', loginHint: 'alice' }), 403, 'provider_not_allowed');
    });

    it('unknown fields are rejected and named', async () => {
      const response = await stack.portal.start({ provider: 'sandbox', loginHint: 'alice', tenantId: 'x' });
      expectProblem(response, 400, 'invalid_request');
      expect(response.body!.detail).toContain('tenantId');
    });

    it('a missing hint, or two hints, → 400', async () => {
      expectProblem(await stack.portal.start({ provider: 'sandbox' }), 400, 'invalid_request');
      const two = await stack.portal.start({ provider: 'sandbox', loginHint: 'alice', loginHintToken: 'abc' });
      expectProblem(two, 400, 'invalid_request');
      expect(two.body!.detail).toMatch(/exactly one/);
    });

    it('a binding message the provider would refuse → 400, and the provider hears nothing', async () => {
      const response = await stack.portal.start({ provider: 'sandbox', loginHint: 'dave', bindingMessage: 'Approve to get a refund' });
      expectProblem(response, 400, 'invalid_request');
      expect(stack.sandbox.pending('dave')).toEqual([]);
    });

    it('a scope without openid → 400', async () => {
      expectProblem(await stack.portal.start({ provider: 'sandbox', loginHint: 'dave', scope: 'profile' }), 400, 'invalid_request');
    });

    it('a body over 64 KiB → 413 payload_too_large', async () => {
      expectProblem(
        await stack.portal.start({ provider: 'sandbox', loginHint: 'alice', reference: 'x'.repeat(70 * 1024) }),
        413,
        'payload_too_large',
      );
    });

    it('a body that is not JSON → 415; malformed JSON → 400', async () => {
      expectProblem(
        await stack.portal.request('POST', '/v1/authentications', 'provider=sandbox', {
          'content-type': 'application/x-www-form-urlencoded',
        }),
        415,
        'unsupported_media_type',
      );
      expectProblem(
        await stack.portal.request('POST', '/v1/authentications', '{"provider":', { 'content-type': 'application/json' }),
        400,
        'invalid_request',
      );
    });

    it('?wait out of range → 400', async () => {
      const start = await stack.portal.start({ provider: 'sandbox', loginHint: '01001044444' });
      expect(start.status).toBe(201);
      for (const wait of ['0', '61', 'abc']) expectProblem(await stack.portal.get(start.body!.id, `?wait=${wait}`), 400, 'invalid_request');
      expectProblem(await stack.portal.get(start.body!.id, '?wait=1&status=nonsense'), 400, 'invalid_request');
      await stack.portal.cancel(start.body!.id);
    });

    it('an unknown customer → 422 customer_unknown with the provider error', async () => {
      const response = await stack.portal.start({ provider: 'sandbox', loginHint: 'mallory' });
      expectProblem(response, 422, 'customer_unknown');
      expect(response.body!.providerError).toBe('unknown_user_id');
    });
  });

  describe('authentication of consumers', () => {
    it('a missing, malformed or wrong key → 401 with one body for all', async () => {
      const url = `${stack.bff!.url}/v1/authentications/00000000000000000000000000`;
      const answers = await Promise.all(
        ([{}, { authorization: 'Basic abc' }, { authorization: 'Bearer wrong-key' }] as Record<string, string>[]).map(async (headers) => {
          const response = await fetch(url, { headers });
          const body = (await response.json()) as Record<string, unknown>;
          expect(response.status).toBe(401);
          expect(response.headers.get('www-authenticate')).toBe('Bearer');
          delete body.requestId;
          return body;
        }),
      );
      expect(answers[1]).toEqual(answers[0]);
      expect(answers[2]).toEqual(answers[0]);
      expect(answers[0]).toMatchObject({ status: 401, code: 'unauthorized' });
    });
  });

  describe('a consumer sees only its own requests', () => {
    it("another consumer's id answers 404 exactly like an unknown one, on every route", async () => {
      const start = await stack.portal.start({ provider: 'sandbox', loginHint: 'carol' });
      expect(start.status).toBe(201);
      const id = start.body!.id as string;
      const unknown = await stack.other.get('0123456789ABCDEFGHJKMNPQRS');
      for (const response of [
        await stack.other.get(id),
        await stack.other.get(id, '?wait=1'),
        await stack.other.cancel(id),
        await stack.other.request('GET', `/v1/authentications/${id}/events`),
      ]) {
        expectProblem(response, 404, 'not_found');
        expect({ ...response.body, requestId: undefined }).toEqual({ ...unknown.body, requestId: undefined });
      }
      const portalToken = new URL(start.body!.eventsUrl, 'http://x').searchParams.get('token')!;
      const otherId = (await stack.other.start({ provider: 'sandbox', loginHint: '+995599345678' })).body!.id as string;
      const crossToken = await fetch(`${stack.bff!.url}/v1/authentications/${otherId}/events?token=${portalToken}`);
      expect(crossToken.status).toBe(401);
      await stack.portal.cancel(id);
      await stack.other.cancel(otherId);
    });
  });

  describe('idempotency and duplicates', () => {
    it('the same Idempotency-Key and body answer 201 with the same id; the provider is called once', async () => {
      const body = { provider: 'sandbox', loginHint: 'bob', bindingMessage: 'IDEM-0001' };
      const headers = { 'idempotency-key': 'order-4711' };
      const [first, second] = await Promise.all([stack.portal.start(body, headers), stack.portal.start(body, headers)]);
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.body!.id).toBe(first.body!.id);
      expect(stack.sandbox.pending('bob').filter((r) => r.bindingMessage === 'IDEM-0001')).toHaveLength(1);
      const third = await stack.portal.start(body, headers);
      expect(third.body!.id).toBe(first.body!.id);
      expect(third.headers.get('location')).toBe(`/v1/authentications/${first.body!.id}`);

      const conflict = await stack.portal.start({ ...body, bindingMessage: 'IDEM-0002' }, headers);
      expectProblem(conflict, 409, 'idempotency_conflict');
      // Keys are per consumer: another consumer's same key is its own.
      const others = await stack.other.start({ provider: 'sandbox', loginHint: '01001022222' }, headers);
      expect(others.status).toBe(201);
      await stack.other.cancel(others.body!.id);
      await stack.portal.cancel(first.body!.id);
    });

    it('a second start for the same consumer, provider and customer → 409 pending_exists with its id', async () => {
      const first = await stack.portal.start({ provider: 'sandbox', loginHint: '+995599123456' });
      expect(first.status).toBe(201);
      const second = await stack.portal.start({ provider: 'sandbox', loginHint: '+995599123456' });
      expectProblem(second, 409, 'pending_exists');
      expect(second.body!.pendingId).toBe(first.body!.id);
      await stack.portal.cancel(first.body!.id);
      const third = await stack.portal.start({ provider: 'sandbox', loginHint: '+995599123456' });
      expect(third.status).toBe(201);
      await stack.portal.cancel(third.body!.id);
    });
  });

  describe('cancel', () => {
    it('stops the authentication; a second cancel is 409 invalid_state; a late approval is ignored', async () => {
      const start = await stack.portal.start({ provider: 'sandbox-post', loginHint: 'alice' });
      expect(start.status).toBe(201);
      const request = await stack.sandbox.waitForRequest('alice');
      const cancelled = await stack.portal.cancel(start.body!.id);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ id: start.body!.id, status: 'cancelled' });
      expectProblem(await stack.portal.cancel(start.body!.id), 409, 'invalid_state');
      await stack.sandbox.approve(request.id);
      const later = await stack.portal.get(start.body!.id, '?wait=7&status=cancelled');
      expect(later.body!.status).toBe('cancelled');
    });
  });

  describe('events stream', () => {
    it('sends the current state first, resumes after Last-Event-ID, and needs a key or the token', async () => {
      const start = await stack.portal.start({ provider: 'sandbox', loginHint: '01001011111' });
      const id = start.body!.id as string;
      expect((await fetch(`${stack.bff!.url}/v1/authentications/${id}/events`)).status).toBe(401);
      expect((await fetch(`${stack.bff!.url}/v1/authentications/${id}/events?token=forged.token`)).status).toBe(401);

      await stack.portal.cancel(id);
      const all: SseEvent[] = [];
      const replay = await readSse(
        `${stack.bff!.url}/v1/authentications/${id}/events`,
        { headers: { authorization: `Bearer ${stack.keys.portal}` } },
        (e) => all.push(e),
      );
      await replay.ended;
      expect(replay.status).toBe(200);
      expect(all).toHaveLength(1);
      expect(JSON.parse(all[0].data!).status).toBe('cancelled');
      expect(all[0].data).not.toContain('\n');

      // Reconnecting after the final event: 204, so an EventSource stops reconnecting.
      const resumed = await fetch(`${stack.bff!.url}${start.body!.eventsUrl}`, { headers: { 'last-event-id': all[0].id! } });
      expect(resumed.status).toBe(204);
      // An older Last-Event-ID gets the current state.
      const older: SseEvent[] = [];
      const again = await readSse(`${stack.bff!.url}${start.body!.eventsUrl}`, { headers: { 'last-event-id': '1' } }, (e) => older.push(e));
      await again.ended;
      expect(older.map((e) => (JSON.parse(e.data!) as { status: string }).status)).toEqual(['cancelled']);
    });
  });

  describe('operations', () => {
    it('health, readiness and the OpenAPI document answer without a key', async () => {
      expect(await (await fetch(`${stack.bff!.url}/health/live`)).json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${stack.bff!.url}/health/ready`);
      expect(ready.status).toBe(200);
      const docs = (await (await fetch(`${stack.bff!.url}/docs-json`)).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(docs.paths)).toEqual(
        expect.arrayContaining(['/v1/authentications', '/v1/authentications/{id}', '/v1/authentications/{id}/events']),
      );
      expect((await fetch(`${stack.bff!.url}/docs`)).status).toBe(200);
    });

    it('an unknown route is a problem document too', async () => {
      expectProblem(await stack.portal.request('GET', '/v1/nothing-here'), 404, 'not_found');
    });
  });
});
