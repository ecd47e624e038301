import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { AUTH_REQ_ID_CLAIM, PushOpServer, RT_HASH_CLAIM, type PushTamper } from './push-op-server.js';

/** What a client's notification endpoint received. */
interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * The push-mode provider itself: as strict as a real CIBA push OP, or the end-to-end tests prove
 * nothing. A small receiver stands in for the client's notification endpoint.
 */
describe('push-mode OpenID Provider (test double)', () => {
  const client = { id: 'push-client', secret: 'push-secret' };
  const basic = `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`;
  const goodToken = 'c2VjcmV0LW5vdGlmaWNhdGlvbi10b2tlbi0xMjM0NTY';
  let op: PushOpServer;
  let receiver: Server;
  let receiverUrl: string;
  const received: Received[] = [];
  let receiverStatus = 204;

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        if (receiverStatus === 302) response.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end();
        else response.writeHead(receiverStatus).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/ciba/notify/pushop`;
    op = await PushOpServer.start({ clientId: client.id, clientSecret: client.secret, notificationEndpoint: () => receiverUrl });
  });
  afterAll(async () => {
    await op?.close();
    receiver?.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });
  beforeEach(() => {
    received.length = 0;
    receiverStatus = 204;
  });

  const post = async (url: string, params: Record<string, string>, headers: Record<string, string> = { authorization: basic }) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(params).toString(),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const initiate = (params: Record<string, string>, headers?: Record<string, string>) =>
    post(op.backchannelEndpoint, { scope: 'openid profile', ...params }, headers);
  const started = async (hint: string, extra: Record<string, string> = {}) => {
    const ack = await initiate({ login_hint: hint, client_notification_token: goodToken, ...extra });
    expect(ack.status).toBe(200);
    return op.request(ack.body.auth_req_id as string);
  };
  const leftHalfSha256 = (token: string) => createHash('sha256').update(token).digest().subarray(0, 16).toString('base64url');

  it('publishes push-only discovery and its JWKS', async () => {
    const document = (await (await fetch(`${op.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(document).toMatchObject({
      issuer: op.issuer,
      backchannel_authentication_endpoint: op.backchannelEndpoint,
      token_endpoint: op.tokenEndpoint,
      jwks_uri: op.jwksUri,
      backchannel_token_delivery_modes_supported: ['push'],
      grant_types_supported: ['urn:openid:params:grant-type:ciba'],
    });
    const jwks = (await (await fetch(op.jwksUri)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toEqual([expect.objectContaining({ kty: 'RSA', alg: 'RS256', kid: expect.any(String) })]);
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('refuses a backchannel request without client_notification_token, or with one that is no RFC 6750 b64token', async () => {
    const before = op.requests.size;
    expect(await initiate({ login_hint: 'ann' })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await initiate({ login_hint: 'ann', client_notification_token: 'has space' })).toMatchObject({ status: 400 });
    expect(await initiate({ login_hint: 'ann', client_notification_token: 'a'.repeat(1025) })).toMatchObject({ status: 400 });
    expect(await initiate({ login_hint: 'ann', client_notification_token: 'x=y' })).toMatchObject({ status: 400 });
    expect(op.requests.size).toBe(before);
  });

  it('acknowledges a valid request with auth_req_id and expires_in, no interval, and keeps the token it got', async () => {
    const ack = await initiate({ login_hint: 'ann', client_notification_token: 'a'.repeat(1024), requested_expiry: '30' });
    expect(ack.status).toBe(200);
    expect(Object.keys(ack.body).sort()).toEqual(['auth_req_id', 'expires_in']);
    expect(ack.body.expires_in).toBe(30);
    expect(await op.waitForRequest('ann')).toMatchObject({ clientNotificationToken: 'a'.repeat(1024), requestedExpiry: 30 });
  });

  it('authenticates the client with client_secret_basic only', async () => {
    const params = { login_hint: 'ann', client_notification_token: goodToken };
    expect(await initiate(params, {})).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const wrong = `Basic ${Buffer.from(`${client.id}:nope`).toString('base64')}`;
    expect(await initiate(params, { authorization: wrong })).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const viaPost = await initiate({ ...params, client_id: client.id, client_secret: client.secret }, {});
    expect(viaPost).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('requires openid in scope, exactly one hint, and no unknown parameter', async () => {
    const token = { client_notification_token: goodToken };
    expect(await initiate({ ...token, login_hint: 'ann', scope: 'profile' })).toMatchObject({ body: { error: 'invalid_scope' } });
    expect(await initiate({ ...token, login_hint: 'ann', id_token_hint: 'a.b.c' })).toMatchObject({ body: { error: 'invalid_request' } });
    expect(await initiate({ ...token })).toMatchObject({ body: { error: 'invalid_request' } });
    expect(await initiate({ ...token, login_hint: 'ann', user_code: '1234' })).toMatchObject({ body: { error: 'invalid_request' } });
  });

  it('refuses every token request with unauthorized_client and notes it in the ledger', async () => {
    const before = op.tokenCalls().length;
    const answer = await post(op.tokenEndpoint, { grant_type: 'urn:openid:params:grant-type:ciba', auth_req_id: 'x' });
    expect(answer).toMatchObject({ status: 400, body: { error: 'unauthorized_client' } });
    expect(op.tokenCalls()).toHaveLength(before + 1);
  });

  it('approve pushes tokens whose ID Token verifies against its JWKS and carries the binding claims', async () => {
    const request = await started('bea');
    const delivery = await op.approve(request.authReqId);
    expect(delivery.status).toBe(204);
    expect(received).toHaveLength(1);
    expect(received[0].headers.authorization).toBe(`Bearer ${goodToken}`);
    expect(received[0].headers['content-type']).toBe('application/json');
    const body = JSON.parse(received[0].body) as Record<string, string | number>;
    expect(body).toMatchObject({ auth_req_id: request.authReqId, token_type: 'Bearer', expires_in: 3600 });
    const { payload } = await jwtVerify(body.id_token as string, createRemoteJWKSet(new URL(op.jwksUri)), {
      issuer: op.issuer,
      audience: client.id,
      algorithms: ['RS256'],
    });
    expect(payload).toMatchObject({
      sub: request.subject,
      [AUTH_REQ_ID_CLAIM]: request.authReqId,
      at_hash: leftHalfSha256(body.access_token as string),
      [RT_HASH_CLAIM]: leftHalfSha256(body.refresh_token as string),
    });
    expect(payload.exp! - payload.iat!).toBeGreaterThan(0);
  });

  it.each<[PushTamper, (payload: Record<string, unknown>, body: Record<string, string>, authReqId: string) => void]>([
    ['auth_req_id', (payload, _body, id) => expect(payload[AUTH_REQ_ID_CLAIM]).not.toBe(id)],
    ['at_hash', (payload, body) => expect(payload.at_hash).not.toBe(leftHalfSha256(body.access_token))],
    ['rt_hash', (payload, body) => expect(payload[RT_HASH_CLAIM]).not.toBe(leftHalfSha256(body.refresh_token))],
    [
      'no_binding',
      (payload) => expect([payload[AUTH_REQ_ID_CLAIM], payload.at_hash, payload[RT_HASH_CLAIM]]).toEqual([undefined, undefined, undefined]),
    ],
  ])('tamper %s breaks exactly that claim, the signature still verifies', async (tamper, check) => {
    const request = await started(`tamper-${tamper}`);
    const body = (await op.buildApproval(request.authReqId, { tamper })) as unknown as Record<string, string>;
    const { payload } = await jwtVerify(body.id_token, createRemoteJWKSet(new URL(op.jwksUri)), { issuer: op.issuer, audience: client.id });
    check(payload, body, request.authReqId);
    if (tamper !== 'auth_req_id' && tamper !== 'no_binding') expect(payload[AUTH_REQ_ID_CLAIM]).toBe(request.authReqId);
  });

  it('tamper signature: signed by another key under the same kid, so it does not verify', async () => {
    const request = await started('tamper-signature');
    const body = await op.buildApproval(request.authReqId, { tamper: 'signature' });
    expect(decodeJwt(body.id_token)[AUTH_REQ_ID_CLAIM]).toBe(request.authReqId);
    await expect(jwtVerify(body.id_token, createRemoteJWKSet(new URL(op.jwksUri)))).rejects.toThrow(/signature/i);
  });

  it('deny and sendError push CIBA Core §12 error bodies with the request token', async () => {
    const request = await started('cid');
    await op.deny(request.authReqId);
    await op.sendError(request.authReqId, 'transaction_failed');
    expect(received.map((r) => JSON.parse(r.body) as unknown)).toEqual([
      { error: 'access_denied', error_description: expect.any(String), auth_req_id: request.authReqId },
      { error: 'transaction_failed', auth_req_id: request.authReqId },
    ]);
    expect(received.every((r) => r.headers.authorization === `Bearer ${goodToken}`)).toBe(true);
  });

  it('sendRaw sends no Authorization for a null token and never follows a redirect', async () => {
    receiverStatus = 302;
    const delivery = await op.sendRaw({ auth_req_id: 'x' }, null);
    expect(delivery).toMatchObject({ status: 302, location: 'http://127.0.0.1:1/elsewhere', token: null });
    expect(received).toHaveLength(1);
    expect(received[0].headers.authorization).toBeUndefined();
    expect(op.pushes.at(-1)).toBe(delivery);
  });
});
