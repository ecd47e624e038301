import { createRemoteJWKSet, jwtVerify } from 'jose';
import { SimpleIdServerDialect } from './simpleidserver-server.js';

/**
 * The dialect server itself: it must be as strict as SimpleIdServer, or the end-to-end tests
 * prove nothing. Its clock is moved by hand, so timing rules are tested without waiting.
 */
describe('SimpleIdServer dialect server', () => {
  let server: SimpleIdServerDialect;
  let clock = Date.now();
  const client = { client_id: 'ciba-bff', client_secret: 'sid-secret' };

  beforeAll(async () => {
    server = await SimpleIdServerDialect.start({
      clientId: client.client_id,
      clientSecret: client.client_secret,
      users: [
        { sub: 'user', password: 'password', claims: { name: 'Some User', email: 'user@example.com' } },
        { sub: 'late', password: 'pw-late' },
        { sub: 'gone', password: 'pw-gone' },
      ],
      interval: 1,
      now: () => clock,
    });
  });
  afterAll(() => server?.close());

  const post = async (url: string, params: Record<string, string>, headers: Record<string, string> = {}) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(params).toString(),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const initiate = (extra: Record<string, string> = {}) =>
    post(server.bcAuthorizeEndpoint, { ...client, scope: 'openid profile email', login_hint: 'user', user_code: 'password', ...extra });
  const poll = (authReqId: string) =>
    post(server.tokenEndpoint, { ...client, grant_type: 'urn:openid:params:grant-type:ciba', auth_req_id: authReqId });
  const advance = (ms: number) => {
    clock += ms;
  };

  it('serves discovery under the realm only, with a token endpoint apart from bc-authorize', async () => {
    const document = (await (await fetch(`${server.url}/master/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(document.issuer).toBe(`${server.url}/master`);
    expect(document.backchannel_authentication_endpoint).toBe(`${server.url}/master/bc-authorize`);
    expect(document.token_endpoint).toBe(`${server.url}/master/token`);
    expect(document.token_endpoint).not.toBe(document.backchannel_authentication_endpoint);
    expect((await fetch(`${server.url}/.well-known/openid-configuration`)).status).toBe(404);
  });

  it('accepts client_secret_post only: Basic, a wrong or missing secret are 401 invalid_client', async () => {
    const basic = `Basic ${Buffer.from('ciba-bff:sid-secret').toString('base64')}`;
    const viaBasic = await post(
      server.bcAuthorizeEndpoint,
      { client_id: 'ciba-bff', scope: 'openid', login_hint: 'user', user_code: 'password' },
      { authorization: basic },
    );
    expect(viaBasic).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(await initiate({ client_secret: 'wrong' })).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const noSecret = await post(server.bcAuthorizeEndpoint, {
      client_id: 'ciba-bff',
      scope: 'openid',
      login_hint: 'user',
      user_code: 'password',
    });
    expect(noSecret).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const json = await fetch(server.bcAuthorizeEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...client, scope: 'openid' }),
    });
    expect(json.status).toBe(400);
  });

  it("refuses a token grant sent to bc-authorize (the seed page's mistake)", async () => {
    const before = server.requests.size;
    const misdirected = await post(server.bcAuthorizeEndpoint, {
      ...client,
      grant_type: 'urn:openid:params:grant-type:ciba',
      auth_req_id: 'x'.repeat(62),
    });
    expect(misdirected).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(server.requests.size).toBe(before);
  });

  it('checks the initiation: user_code required and checked as the password, known user, known parameters', async () => {
    expect(await initiate({ user_code: '' })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await initiate({ user_code: 'not-the-password' })).toMatchObject({ status: 400, body: { error: 'invalid_credentials' } });
    expect(await initiate({ login_hint: 'nobody' })).toMatchObject({
      status: 400,
      body: { error: 'unknown_user_id', error_description: expect.stringContaining('nobody') },
    });
    expect(await initiate({ prompt: 'login' })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await initiate({ scope: 'openid payments' })).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    expect(await initiate({ binding_message: 'x'.repeat(151) })).toMatchObject({ status: 400, body: { error: 'invalid_binding_message' } });
    const ack = await initiate({ binding_message: 'Ödeme onayı 4411 — ' + 'x'.repeat(120) });
    expect(ack.status).toBe(200);
    expect(ack.body).toEqual({ auth_req_id: expect.stringMatching(/^[A-Za-z0-9]{62}$/), expires_in: 120, interval: 1 });
  });

  it('answers slow_down to any early poll, even after approval, and each one pushes the next allowed time', async () => {
    const { body } = await initiate();
    const id = String(body.auth_req_id);
    advance(500);
    expect((await poll(id)).body.error).toBe('slow_down'); // sooner than one interval after the ack
    advance(700);
    expect((await poll(id)).body.error).toBe('slow_down'); // 1.2 s after the ack, but 0.7 s after the last poll
    advance(1001);
    expect((await poll(id)).body.error).toBe('authorization_pending');
    server.approve(id);
    advance(500);
    expect((await poll(id)).body.error).toBe('slow_down');
    advance(1001);
    const issued = await poll(id);
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String), id_token: expect.any(String) });
    advance(1001);
    expect(await poll(id)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } }); // "Sent": single use
    expect(server.polls(id).map((entry) => entry.answer)).toEqual([
      'slow_down',
      'slow_down',
      'authorization_pending',
      'slow_down',
      'tokens',
      'invalid_grant',
    ]);
  });

  it('signs ID Tokens with its own key, with the subject, acr, amr and profile claims', async () => {
    const { body } = await initiate({ acr_values: 'sid-load-02' });
    server.approve(String(body.auth_req_id));
    advance(1001);
    const tokens = await poll(String(body.auth_req_id));
    const { payload } = await jwtVerify(String(tokens.body.id_token), createRemoteJWKSet(new URL(`${server.issuer}/jwks`)), {
      issuer: server.issuer,
      audience: 'ciba-bff',
      currentDate: new Date(clock),
    });
    expect(payload).toMatchObject({
      sub: 'user',
      acr: 'sid-load-02',
      amr: ['pwd'],
      name: 'Some User',
      email: 'user@example.com',
      auth_time: expect.any(Number),
      at_hash: expect.any(String),
    });
  });

  it('keeps answering authorization_pending after expiry, and never says expired_token for a pending request', async () => {
    const { body } = await post(server.bcAuthorizeEndpoint, {
      ...client,
      scope: 'openid',
      login_hint: 'late',
      user_code: 'pw-late',
      requested_expiry: '2',
    });
    expect(body.expires_in).toBe(2);
    const id = String(body.auth_req_id);
    advance(10_000);
    expect((await poll(id)).body.error).toBe('authorization_pending');
    advance(60_000);
    expect((await poll(id)).body.error).toBe('authorization_pending');
    server.approve(id); // approved too late: only now does it say so
    advance(1001);
    expect((await poll(id)).body.error).toBe('expired_token');
  });

  it('denial is access_denied; an unknown auth_req_id is invalid_grant; only the CIBA grant is served', async () => {
    const { body } = await post(server.bcAuthorizeEndpoint, { ...client, scope: 'openid', login_hint: 'gone', user_code: 'pw-gone' });
    server.deny(String(body.auth_req_id));
    advance(1001);
    expect((await poll(String(body.auth_req_id))).body.error).toBe('access_denied');
    expect((await poll('A'.repeat(62))).body.error).toBe('invalid_grant');
    const other = await post(server.tokenEndpoint, { ...client, grant_type: 'client_credentials' });
    expect(other.body.error).toBe('unsupported_grant_type');
    const basic = `Basic ${Buffer.from('ciba-bff:sid-secret').toString('base64')}`;
    const viaBasic = await post(
      server.tokenEndpoint,
      { grant_type: 'urn:openid:params:grant-type:ciba', auth_req_id: String(body.auth_req_id) },
      { authorization: basic },
    );
    expect(viaBasic).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });
});
