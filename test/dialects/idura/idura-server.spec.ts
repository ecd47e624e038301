import { randomUUID } from 'node:crypto';
import { SignJWT, importJWK, type JWK } from 'jose';
import { BASIC_CLIENT_ID, BASIC_SECRET, KEY_CLIENT_ID, NORWEGIANS, SWEDES, clientKeys } from './idura-fixtures.js';
import { IduraServer } from './idura-server.js';

/** The dialect server must catch what a real Idura tenant would, or the e2e tests prove nothing. */
describe('Idura dialect server strictness', () => {
  let idura: IduraServer;
  let privateJwk: JWK;
  let otherJwk: JWK;

  beforeAll(async () => {
    const ours = await clientKeys();
    privateJwk = ours.privateJwk;
    otherJwk = { ...(await clientKeys()).privateJwk, kid: ours.privateJwk.kid };
    idura = await IduraServer.start([
      { clientId: KEY_CLIENT_ID, publicJwk: ours.publicJwk },
      { clientId: BASIC_CLIENT_ID, secret: BASIC_SECRET },
    ]);
  });
  afterAll(() => idura.close());

  async function assertion(claims: { aud?: string; exp?: number; jti?: string } = {}, jwk = privateJwk): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ jti: claims.jti ?? randomUUID() })
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid })
      .setIssuer(KEY_CLIENT_ID)
      .setSubject(KEY_CLIENT_ID)
      .setAudience(claims.aud ?? idura.issuer)
      .setIssuedAt(now)
      .setExpirationTime(claims.exp ?? now + 60)
      .sign(await importJWK(jwk, 'RS256'));
  }

  async function post(url: string, params: Record<string, string>, headers: Record<string, string> = {}) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(params),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  const swedish = {
    scope: 'openid',
    login_hint: `sub:ssn:${SWEDES[0]}`,
    acr_values: 'urn:grn:authn:se:bankid',
    binding_message: 'ABC123',
    authorization_details: '[{"type":"phoneAuth","callInitiator":"RP"}]',
  };
  const withAssertion = async (params: Record<string, string>, jwt?: string) => ({
    ...params,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: jwt ?? (await assertion()),
  });

  it('accepts a correct request, and refuses a replayed, mis-addressed, long-lived or foreign assertion', async () => {
    const jwt = await assertion();
    expect((await post(idura.endpoints.backchannel, await withAssertion(swedish, jwt))).status).toBe(200);
    expect((await post(idura.endpoints.backchannel, await withAssertion(swedish, jwt))).body.error_description).toBe(
      'assertion jti replayed',
    );
    const refused = [
      await assertion({ aud: idura.endpoints.token }),
      await assertion({ exp: Math.floor(Date.now() / 1000) + 600 }),
      await assertion({}, otherJwk),
    ];
    for (const bad of refused) expect((await post(idura.endpoints.backchannel, await withAssertion(swedish, bad))).status).toBe(401);
  });

  it('Basic authentication needs the URN client id form-urlencoded', async () => {
    const raw = Buffer.from(`${BASIC_CLIENT_ID}:${BASIC_SECRET}`).toString('base64');
    expect((await post(idura.endpoints.backchannel, swedish, { authorization: `Basic ${raw}` })).status).toBe(401);
    const encoded = Buffer.from(`${encodeURIComponent(BASIC_CLIENT_ID)}:${encodeURIComponent(BASIC_SECRET).replace(/%20/g, '+')}`).toString(
      'base64',
    );
    expect((await post(idura.endpoints.backchannel, swedish, { authorization: `Basic ${encoded}` })).status).toBe(200);
  });

  it("refuses backchannel requests that break the seed's rules", async () => {
    const norwegian = { scope: 'openid', login_hint: `sub:ssn:${NORWEGIANS[0]}`, acr_values: 'urn:grn:authn:no:bankid' };
    const cases: Array<[Record<string, string>, string]> = [
      [{ ...norwegian, binding_message: 'ABC123' }, 'binding_message is not supported by Norwegian BankID'],
      [{ ...swedish, binding_message: '' }, 'binding_message is required'],
      [{ ...swedish, requested_expiry: '60' }, 'unsupported parameter requested_expiry'],
      [{ ...swedish, authorization_details: '{"type":"phoneAuth"}' }, 'authorization_details must be a JSON array of objects with a type'],
      [{ ...swedish, authorization_details: '[{"type":"other"}]' }, 'callInitiator is required'],
      [{ ...swedish, login_hint: SWEDES[0] }, 'login_hint must be sub:ssn:<ssn>'],
      [{ ...swedish, acr_values: 'urn:grn:authn:se:bankid urn:grn:authn:no:bankid' }, 'acr_values must be exactly one supported value'],
    ];
    for (const [params, description] of cases) {
      expect(await post(idura.endpoints.backchannel, await withAssertion(params))).toEqual({
        status: 400,
        body: { error: expect.any(String), error_description: description },
      });
    }
    const ack = await post(idura.endpoints.backchannel, await withAssertion(norwegian));
    expect(ack.body).toMatchObject({ expires_in: '120', bindingMessage: expect.any(String) });
    expect(ack.body).not.toHaveProperty('interval');
  });

  it('token endpoint: slow_down before the interval, single-use and known auth_req_id only', async () => {
    idura.ackInterval = 0.2;
    const ack = await post(idura.endpoints.backchannel, await withAssertion({ ...swedish, login_hint: `sub:ssn:${SWEDES[1]}` }));
    const poll = async (authReqId = String(ack.body.auth_req_id)) =>
      post(idura.endpoints.token, await withAssertion({ grant_type: 'urn:openid:params:grant-type:ciba', auth_req_id: authReqId }));
    expect((await poll()).body.error).toBe('slow_down');
    const request = await idura.waitForRequest(SWEDES[1]);
    idura.approve(request);
    await new Promise((resolve) => setTimeout(resolve, 250)); // the interval itself is what is under test
    const tokens = await poll();
    expect(tokens).toMatchObject({ status: 200, body: { token_type: 'Bearer', expires_in: '120', id_token: expect.any(String) } });
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await poll()).body.error).toBe('invalid_grant');
    expect((await poll('unknown')).body.error).toBe('invalid_grant');
  });
});
