import { createRemoteJWKSet, jwtVerify } from 'jose';
import { PlumeryServer } from './plumery-server.js';

/** The dialect server itself: it must refuse what the real Plumery would refuse. */
describe('Plumery dialect server', () => {
  let server: PlumeryServer;
  const basic = (id: string, secret: string) =>
    `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
  const post = (endpoint: 'backchannel' | 'token', params: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(server.endpoint(endpoint), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('bff', 'plumery-secret'), ...headers },
      body: new URLSearchParams(params).toString(),
    }).then(async (r) => ({ status: r.status, headers: r.headers, body: (await r.json()) as Record<string, unknown> }));
  const start = (params: Record<string, string>) => post('backchannel', { scope: 'openid', ...params });

  beforeAll(async () => {
    server = await PlumeryServer.start({ clientId: 'bff', clientSecret: 'plumery-secret', interval: 1 });
  });
  afterAll(() => server.close());

  it('accepts the three login_hint formats and answers a CIBA acknowledgement', async () => {
    for (const hint of ['jonas', 'username:ruta', 'personalId:LT:39001010000']) {
      const answer = await start({ login_hint: hint });
      expect(answer).toMatchObject({ status: 200, body: { expires_in: 120, interval: 1 } });
      expect(answer.body.auth_req_id).toEqual(expect.any(String));
    }
  });

  it('refuses other client authentication than client_secret_basic, and a wrong secret, with 401 invalid_client', async () => {
    const post_ = await post(
      'backchannel',
      { scope: 'openid', login_hint: 'jonas', client_id: 'bff', client_secret: 'plumery-secret' },
      { authorization: '' },
    );
    expect(post_).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const wrong = await post('backchannel', { scope: 'openid', login_hint: 'jonas' }, { authorization: basic('bff', 'nope') });
    expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic /);
  });

  it('refuses a JSON body, unknown parameters and a scope without openid', async () => {
    const json = await fetch(server.endpoint('backchannel'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic('bff', 'plumery-secret') },
      body: '{}',
    });
    expect(json.status).toBe(400);
    expect(await start({ login_hint: 'jonas', claims: '{}' })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await post('backchannel', { scope: 'profile', login_hint: 'jonas' })).toMatchObject({
      status: 400,
      body: { error: 'invalid_scope' },
    });
  });

  it("answers the seed's invalid_request descriptions for unknown users and missing devices", async () => {
    expect((await start({ login_hint: 'nobody' })).body).toEqual({ error: 'invalid_request', error_description: 'invalid user' });
    expect((await start({ login_hint: 'personalId:LT:38001085719' })).body).toMatchObject({ error_description: 'invalid user' });
    expect((await start({ login_hint: 'ona' })).body).toMatchObject({ error_description: 'missing valid device' });
    expect((await start({ login_hint: 'ieva' })).body).toMatchObject({ error_description: 'missing valid device authentication' });
  });

  it('requires the method fields and checks them against the user', async () => {
    expect((await start({ login_hint: 'jonas', acr_values: 'mobile-id' })).status).toBe(400);
    expect((await start({ login_hint: 'jonas', acr_values: 'smart-id', personal_id: '38001085718' })).status).toBe(400);
    expect((await start({ login_hint: 'jonas', acr_values: 'mobile-id', phone_number: '+37060000777' })).body).toMatchObject({
      error_description: 'phone_number does not match the user',
    });
    expect((await start({ login_hint: 'jonas', acr_values: 'smart-id', personal_id: '38001085718', country: 'EE' })).status).toBe(400);
    expect((await start({ login_hint: 'jonas', acr_values: 'password' })).status).toBe(400);
    expect((await start({ login_hint: 'kestas', acr_values: 'mobile-id', phone_number: '+37060001444' })).status).toBe(200);
  });

  it('answers slow_down to a poll sooner than the interval', async () => {
    const { body } = await start({ login_hint: 'vytas' });
    const early = await post('token', { grant_type: 'urn:openid:params:grant-type:ciba', auth_req_id: String(body.auth_req_id) });
    expect(early).toMatchObject({ status: 400, body: { error: 'slow_down' } });
  });

  it('redeems an auth_req_id once, and signs ID Tokens with its own published key', async () => {
    const { body } = await start({ login_hint: 'aldona', acr_values: 'smart-id', personal_id: '36606060605', country: 'LT' });
    const id = String(body.auth_req_id);
    const poll = () => post('token', { grant_type: 'urn:openid:params:grant-type:ciba', auth_req_id: id });
    const interval = () => new Promise((resolve) => setTimeout(resolve, 1000)); // the rule is about time itself
    server.approve(id);
    await interval();
    const tokens = await poll();
    expect(tokens).toMatchObject({ status: 200, body: { token_type: 'Bearer', authentication_method: 'smart-id' } });
    const { payload } = await jwtVerify(String(tokens.body.id_token), createRemoteJWKSet(new URL(server.endpoint('jwks'))), {
      issuer: server.issuer,
      audience: 'bff',
    });
    expect(payload).toMatchObject({ sub: 'plm-1011', personal_id: '36606060605', preferred_username: 'aldona' });
    await interval();
    expect((await poll()).body).toMatchObject({ error: 'invalid_grant' });
    expect((await post('token', { grant_type: 'password', auth_req_id: id })).status).toBe(400);
  });
});
