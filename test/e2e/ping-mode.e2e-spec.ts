import { generateKeyPair, exportJWK } from 'jose';
import { readSse, type SseEvent } from '../support/sse-reader.js';
import { startStack, type Stack } from '../support/bff-stack.js';
import { discover, startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';

/**
 * Ping mode against the real sandbox provider (oidc-provider pings the BFF itself), and signed
 * authentication requests (FAPI-CIBA) that oidc-provider verifies.
 */
describe('ping mode and signed requests', () => {
  let stack: Stack;
  let proxy: RecordingProxy;
  let signingJwk: Record<string, unknown>;

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('PS256', { extractable: true });
    signingJwk = { ...(await exportJWK(privateKey)), kid: 'fapi-1', alg: 'PS256' };
    const publicJwk = { ...(await exportJWK(publicKey)), kid: 'fapi-1', alg: 'PS256', use: 'sig' };
    stack = await startStack({
      sandboxClients: (bffUrl) => [
        {
          client_id: 'bff-ping',
          client_secret: 'ping-secret',
          backchannel_token_delivery_mode: 'ping',
          backchannel_client_notification_endpoint: `${bffUrl}/ciba/notify/ping`,
        },
        {
          client_id: 'bff-fapi',
          token_endpoint_auth_method: 'private_key_jwt',
          jwks: { keys: [publicJwk] },
          backchannel_authentication_request_signing_alg: 'PS256',
        },
      ],
      providers: async (sandbox) => {
        const endpoints = await discover(sandbox.issuer);
        // The token endpoint through a recording proxy: the ledger shows when the BFF polled.
        proxy = await startRecordingProxy(endpoints);
        return {
          ping: {
            issuer: sandbox.issuer,
            tokenEndpoint: `${proxy.url}/token`,
            clientId: 'bff-ping',
            clientAuth: { method: 'client_secret_basic', secret: 'ping-secret' },
            deliveryMode: 'ping',
            scope: 'openid profile',
            allowInsecureHttp: true,
          },
          fapi: {
            issuer: sandbox.issuer,
            clientId: 'bff-fapi',
            clientAuth: { method: 'private_key_jwt', privateKey: signingJwk },
            signedRequests: true,
            scope: 'openid profile',
            allowInsecureHttp: true,
          },
        };
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await proxy?.close();
  });

  it('the ping reaches the BFF, the token is fetched at once, and nothing polled before it', async () => {
    const start = await stack.portal.start({ provider: 'ping', loginHint: 'alice' });
    expect(start.status).toBe(201);
    const events: SseEvent[] = [];
    const stream = await readSse(`${stack.bff!.url}${start.body!.eventsUrl}`, {}, (event) => events.push(event));
    const request = await stack.sandbox.waitForRequest('alice');
    const approvedAt = Date.now();
    await stack.sandbox.approve(request.id);
    await stream.ended;
    const last = JSON.parse(events.at(-1)!.data!) as { status: string; result: { claims: Record<string, unknown> } };
    expect(last.status).toBe('approved');
    expect(last.result.claims.personal_number).toBe('01001011111');
    // One token request, made after the notification, none before it (the fallback is 30 s away).
    expect(proxy.tokenRequests).toHaveLength(1);
    expect(proxy.tokenRequests[0]).toBeGreaterThanOrEqual(approvedAt);
  });

  it('a notification with a wrong token, an unknown auth_req_id or no token is the same 401, and changes nothing', async () => {
    const start = await stack.portal.start({ provider: 'ping', loginHint: 'bob' });
    const notify = (headers: Record<string, string>, body: unknown) =>
      fetch(`${stack.bff!.url}/ciba/notify/ping`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const answers = [
      await notify({ authorization: 'Bearer not-the-token' }, { auth_req_id: 'unknown' }),
      await notify({}, { auth_req_id: 'unknown' }),
      await notify({ authorization: 'Bearer x' }, { auth_req_id: 'y' }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(answer.headers.get('location')).toBeNull();
    }
    expect((await notify({ authorization: 'Bearer x' }, { nothing: true })).status).toBe(400);
    expect((await stack.portal.get(start.body!.id)).body!.status).toBe('pending');
    await stack.portal.cancel(start.body!.id);
  });

  it('a signed authentication request is accepted and verified by the provider', async () => {
    const start = await stack.portal.start({ provider: 'fapi', loginHint: 'carol', bindingMessage: 'FAPI-1' });
    expect(start.status).toBe(201);
    const request = await stack.sandbox.waitForRequest('carol');
    expect(request.clientId).toBe('bff-fapi');
    expect(request.bindingMessage).toBe('FAPI-1');
    await stack.sandbox.approve(request.id);
    const done = await stack.portal.waitForStatusChange(start.body!.id, 'pending', 30);
    expect(done.body!.status).toBe('approved');
  });
});
