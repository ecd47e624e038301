import { CibaError } from '@ciba/ciba';
import { ConfigError, type ProviderConfig } from '@ciba/config';
import { SignJWT, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify, type JWK } from 'jose';
import type { CustomFetch } from 'openid-client';
import { OpenIdConfigurationSource } from '../openid/openid-configuration.js';
import type { BackchannelRequest } from '../profile-adapter.js';
import { IduraAdapter } from './idura.adapter.js';

const ISSUER = 'https://bank.idura.broker';
const TOKEN_ENDPOINT = `${ISSUER}/oauth2/token`;
const CLIENT_ID = 'urn:my:application:identifier:1234';

interface Sent {
  url: string;
  headers: Record<string, string>;
  params: Record<string, string>;
}

/** A provider behind openid-client's fetch seam: records each request, answers from a script. */
function fakeIdura(answers: Array<() => Response>) {
  const sent: Sent[] = [];
  const fetch: CustomFetch = (url, options) => {
    sent.push({ url, headers: options.headers, params: Object.fromEntries(new URLSearchParams(options.body as URLSearchParams)) });
    const answer = answers.shift();
    return answer ? Promise.resolve(answer()) : Promise.reject(new Error(`unexpected request to ${url}`));
  };
  return { sent, fetch };
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

function adapterFor(fetch: CustomFetch, overrides: Partial<ProviderConfig>): IduraAdapter {
  const provider: ProviderConfig = {
    id: 'idura',
    profile: 'idura',
    issuer: ISSUER,
    backchannelAuthenticationEndpoint: `${ISSUER}/ciba/bc-authorize`,
    tokenEndpoint: TOKEN_ENDPOINT,
    jwksUri: `${ISSUER}/.well-known/jwks`,
    clientId: CLIENT_ID,
    clientAuth: { method: 'client_secret_basic', secret: 'unused' },
    deliveryMode: 'poll',
    scope: 'openid',
    signedRequests: false,
    allowInsecureHttp: false,
    httpTimeoutSeconds: 5,
    pollConcurrency: 5,
    maxUserCodeAttempts: 3,
    pingFallbackSeconds: 30,
    jwksCooldownSeconds: 30,
    trustedAudiences: [],
    maxResponseBytes: 65_536,
    ...overrides,
  };
  return new IduraAdapter(provider, new OpenIdConfigurationSource(provider, fetch));
}

function swedishRequest(adapter: IduraAdapter, extra: Partial<BackchannelRequest> = {}): BackchannelRequest {
  const acrValues = 'urn:grn:authn:se:bankid';
  return {
    scope: 'openid',
    hint: adapter.prepareHint({ kind: 'login_hint', value: { ssn: '196802020575' } }),
    bindingMessage: adapter.bindingMessage('Kundtjänst 4711', { acrValues }),
    acrValues,
    authorizationDetails: [{ type: 'phoneAuth', callInitiator: 'RP' }],
    ...extra,
  };
}

describe('IduraAdapter', () => {
  let privateJwk: JWK;
  let publicKey: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateJwk = { ...(await exportJWK(pair.privateKey)), kid: 'bff-2026' };
    publicKey = pair.publicKey;
  });

  const keyAuth = () => ({ clientAuth: { method: 'private_key_jwt' as const, privateKey: privateJwk as Record<string, unknown> } });

  it("signs a fresh client assertion for each call, as Idura's private key JWT guide asks", async () => {
    const idura = fakeIdura([json(200, { auth_req_id: 'a1', expires_in: 120 }), json(200, { auth_req_id: 'a2', expires_in: 120 })]);
    const adapter = adapterFor(idura.fetch, keyAuth());
    await adapter.start(swedishRequest(adapter));
    await adapter.start(swedishRequest(adapter));

    const jtis = new Set<unknown>();
    for (const { params } of idura.sent) {
      expect(params.client_assertion_type).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      expect(decodeProtectedHeader(params.client_assertion)).toMatchObject({ alg: 'RS256', kid: 'bff-2026' });
      const { payload } = await jwtVerify(params.client_assertion, publicKey, { issuer: CLIENT_ID, subject: CLIENT_ID, audience: ISSUER });
      expect(payload.exp! - payload.iat!).toBe(60);
      expect(typeof payload.jti).toBe('string');
      jtis.add(payload.jti);
    }
    expect(jtis.size).toBe(2);
  });

  it('sends exactly the parameters of seed 002, authorization_details as a JSON string', async () => {
    const idura = fakeIdura([json(200, { auth_req_id: 'a1', expires_in: 120 })]);
    const adapter = adapterFor(idura.fetch, keyAuth());
    const ack = await adapter.start(swedishRequest(adapter, { requestedExpiry: 60 }));

    const { client_assertion: _assertion, ...params } = idura.sent[0].params;
    expect(idura.sent[0].url).toBe(`${ISSUER}/ciba/bc-authorize`);
    expect(params).toEqual({
      scope: 'openid',
      login_hint: 'sub:ssn:196802020575',
      acr_values: 'urn:grn:authn:se:bankid',
      binding_message: 'Kundtjänst 4711',
      authorization_details: '[{"type":"phoneAuth","callInitiator":"RP"}]',
      client_id: CLIENT_ID,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    });
    expect(ack).toEqual({ authReqId: 'a1', expiresIn: 120, interval: undefined });
  });

  it('points the assertion at the token endpoint when options.assertionAudience says so', async () => {
    const idura = fakeIdura([json(400, { error: 'authorization_pending', error_description: 'awaiting first user interaction' })]);
    const adapter = adapterFor(idura.fetch, { ...keyAuth(), options: { assertionAudience: 'tokenEndpoint' } });
    expect(await adapter.poll('a1')).toEqual({
      kind: 'pending',
      progress: 'awaiting first user interaction',
      retryAfterSeconds: undefined,
    });
    const { payload } = await jwtVerify(idura.sent[0].params.client_assertion, publicKey, { audience: TOKEN_ENDPOINT });
    expect(payload.aud).toBe(TOKEN_ENDPOINT);
  });

  it('form-urlencodes a URN client id and the secret before Basic authentication (RFC 6749 §2.3.1)', async () => {
    const idura = fakeIdura([json(200, { auth_req_id: 'a1', expires_in: 120 })]);
    const adapter = adapterFor(idura.fetch, { clientAuth: { method: 'client_secret_basic', secret: 'sä cret+/' } });
    await adapter.start(swedishRequest(adapter));
    const credentials = Buffer.from(idura.sent[0].headers.authorization.replace(/^Basic /, ''), 'base64').toString();
    expect(credentials).toBe('urn%3Amy%3Aapplication%3Aidentifier%3A1234:s%C3%A4+cret%2B%2F');
    expect(idura.sent[0].params).not.toHaveProperty('client_assertion');
  });

  it("Norwegian BankID: sends no binding message and returns the provider's word pair; expires_in may be a string", async () => {
    const idura = fakeIdura([json(200, { auth_req_id: 'n1', expires_in: '120', bindingMessage: 'Frekk Julekos' })]);
    const adapter = adapterFor(idura.fetch, keyAuth());
    const acrValues = 'urn:grn:authn:no:bankid';
    const bindingMessage = adapter.bindingMessage(undefined, { acrValues });
    const ack = await adapter.start({
      scope: 'openid',
      hint: adapter.prepareHint({ kind: 'login_hint', value: 'sub:ssn:15038545660' }),
      bindingMessage,
      acrValues,
    });
    expect(ack).toEqual({ authReqId: 'n1', expiresIn: 120, interval: undefined, bindingMessage: 'Frekk Julekos' });
    expect(idura.sent[0].params).not.toHaveProperty('binding_message');
    expect(idura.sent[0].params.login_hint).toBe('sub:ssn:15038545660');
  });

  it('Norwegian BankID without the word pair is not a usable acknowledgement', async () => {
    const idura = fakeIdura([json(200, { auth_req_id: 'n1', expires_in: 120 })]);
    const adapter = adapterFor(idura.fetch, keyAuth());
    const hint = adapter.prepareHint({ kind: 'login_hint', value: { ssn: '15038545660' } });
    await expect(adapter.start({ scope: 'openid', hint, acrValues: 'urn:grn:authn:no:bankid' })).rejects.toMatchObject({
      code: 'provider_invalid_response',
    });
  });

  it('refuses a bad request before anything is sent', async () => {
    const idura = fakeIdura([]);
    const adapter = adapterFor(idura.fetch, keyAuth());
    await expect(adapter.start(swedishRequest(adapter, { acrValues: 'urn:grn:authn:no:bankid' }))).rejects.toThrow(CibaError);
    await expect(adapter.start(swedishRequest(adapter, { acrValues: undefined }))).rejects.toMatchObject({ code: 'invalid_request' });
    expect(() => adapter.bindingMessage('ABC', { acrValues: 'urn:grn:authn:no:bankid' })).toThrow(/word pair/);
    expect(idura.sent).toEqual([]);
  });

  it("reads Idura's poll answers: progress, refusal, and 429 as transient with Retry-After", async () => {
    const idura = fakeIdura([
      json(400, { error: 'authorization_pending', error_description: 'awaiting user identification' }),
      json(400, { error: 'access_denied', error_description: 'user declined' }),
      json(429, { error: 'too_many_requests' }, { 'retry-after': '7' }),
      () => new Response('Too Many Requests', { status: 429, headers: { 'retry-after': '9' } }),
    ]);
    const adapter = adapterFor(idura.fetch, keyAuth());
    expect(await adapter.poll('a1')).toMatchObject({ kind: 'pending', progress: 'awaiting user identification' });
    expect(await adapter.poll('a1')).toEqual({ kind: 'denied', providerError: 'access_denied' });
    expect(await adapter.poll('a1')).toMatchObject({ kind: 'transient', retryAfterSeconds: 7 });
    expect(await adapter.poll('a1')).toMatchObject({ kind: 'transient', retryAfterSeconds: 9 });
    expect(idura.sent.map((s) => s.params.grant_type)).toEqual(Array(4).fill('urn:openid:params:grant-type:ciba'));
  });

  it('a 429 at initiation is "unavailable, come back", never a refusal', async () => {
    const idura = fakeIdura([json(429, { error: 'rate_limited' }, { 'retry-after': '30' })]);
    const adapter = adapterFor(idura.fetch, keyAuth());
    const failure = await adapter.start(swedishRequest(adapter)).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'provider_unavailable', extensions: { retryAfterSeconds: 30 } });
  });

  it('refuses a configuration Idura would not accept, at construction', () => {
    expect(() => adapterFor(fakeIdura([]).fetch, { clientAuth: { method: 'none' } })).toThrow(ConfigError);
  });
});

describe('IduraAdapter verify', () => {
  it("passes a push on: pushed tokens must carry the CIBA binding claims, as every provider's (CIBA Core §10.3.1)", async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const { fetch } = fakeIdura([json(200, { keys: [jwk] })]);
    const adapter = adapterFor(fetch, {});
    const now = Math.floor(Date.now() / 1000);
    const idToken = await new SignJWT({ sub: 'customer-1' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setAudience(CLIENT_ID)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(privateKey);
    const context = { authReqId: 'req-1', hint: { customer: 'customer-1' }, requestedAcr: null };
    const invalid = { kind: 'failed', error: { code: 'provider_invalid_response', description: 'The ID Token failed validation.' } };
    await expect(adapter.verify({ id_token: idToken }, context, { push: true })).resolves.toEqual(invalid);
    // The same token polled (no binding claims needed) passes the signature and claim checks.
    await expect(adapter.verify({ id_token: idToken }, context)).resolves.not.toEqual(invalid);
  });
});
