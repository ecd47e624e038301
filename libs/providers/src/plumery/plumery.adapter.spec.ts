import { CibaError } from '@ciba/ciba';
import { ConfigError, parseConfig, type ProviderConfig } from '@ciba/config';
import { SignJWT, exportJWK, generateKeyPair, type JWK, type JWTPayload } from 'jose';
import type { CustomFetch } from 'openid-client';
import { OpenIdConfigurationSource } from '../openid/openid-configuration.js';
import { PlumeryAdapter } from './plumery.adapter.js';

const BASE = 'https://plumery.example';

function providerConfig(options?: Record<string, unknown>): ProviderConfig {
  const config = parseConfig({
    providers: {
      plumery: {
        profile: 'plumery',
        issuer: BASE,
        backchannelAuthenticationEndpoint: `${BASE}/internal/v1/auth/ciba/backchannel-auth`,
        tokenEndpoint: `${BASE}/internal/v1/auth/ciba/token`,
        jwksUri: `${BASE}/internal/v1/auth/jwks`,
        clientId: 'bff',
        clientAuth: { method: 'client_secret_basic', secret: 's3cret' },
        ...(options ? { options } : {}),
      },
    },
  });
  return config.providers.get('plumery')!;
}

/** An adapter whose HTTP calls are answered by `answer` and recorded. */
function adapterAnswering(answer: () => Response) {
  const calls: { url: string; body: URLSearchParams }[] = [];
  const fetch: CustomFetch = (url, init) => {
    calls.push({
      url,
      body: new URLSearchParams(init.body instanceof URLSearchParams || typeof init.body === 'string' ? init.body : undefined),
    });
    return Promise.resolve(answer());
  };
  const provider = providerConfig();
  return { adapter: new PlumeryAdapter(provider, new OpenIdConfigurationSource(provider, fetch)), calls };
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

async function startError(answer: () => Response, loginHint: string | Record<string, unknown> = 'jonas', acrValues?: string) {
  const { adapter, calls } = adapterAnswering(answer);
  const hint = adapter.prepareHint({ kind: 'login_hint', value: loginHint });
  const error = await adapter.start({ scope: 'openid', hint, acrValues }).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error: error as CibaError, calls };
}

describe('PlumeryAdapter', () => {
  it('sends the login hint with the method fields to the configured backchannel endpoint', async () => {
    const { adapter, calls } = adapterAnswering(json(200, { auth_req_id: 'abc', expires_in: 120, interval: 2 }));
    const hint = adapter.prepareHint({ kind: 'login_hint', value: 'personalId:LT:38001085718' });
    await expect(adapter.start({ scope: 'openid', hint, acrValues: 'smart-id', bindingMessage: 'K7QP2M' })).resolves.toEqual({
      authReqId: 'abc',
      expiresIn: 120,
      interval: 2,
    });
    expect(calls[0].url).toBe(`${BASE}/internal/v1/auth/ciba/backchannel-auth`);
    expect(Object.fromEntries(calls[0].body)).toMatchObject({
      login_hint: 'personalId:LT:38001085718',
      acr_values: 'smart-id',
      personal_id: '38001085718',
      country: 'LT',
      binding_message: 'K7QP2M',
    });
  });

  it('refuses mobile-id without a phone number before any call', async () => {
    const { error, calls } = await startError(json(200, {}), 'jonas', 'mobile-id');
    expect(error).toBeInstanceOf(CibaError);
    expect(error.code).toBe('invalid_request');
    expect(calls).toEqual([]);
  });

  it('reads "invalid user" as customer_unknown and the device descriptions as provider_rejected', async () => {
    expect((await startError(json(400, { error: 'invalid_request', error_description: 'invalid user' }))).error.code).toBe(
      'customer_unknown',
    );
    const device = (await startError(json(400, { error: 'invalid_request', error_description: 'missing valid device' }))).error;
    expect([device.code, device.extensions.providerError]).toEqual(['provider_rejected', 'no_device']);
    const certificate = (
      await startError(json(400, { error: 'invalid_request', error_description: 'Missing valid device authentication.' }))
    ).error;
    expect(certificate.extensions.providerError).toBe('no_device_authentication');
    const other = (await startError(json(400, { error: 'invalid_request', error_description: 'something else' }))).error;
    expect(other.extensions.providerError).toBe('invalid_request');
  });

  it('reads 401 invalid_client with a Basic challenge (RFC 6749 §5.2) as our misconfiguration', async () => {
    const challenged = json(401, { error: 'invalid_client' }, { 'www-authenticate': 'Basic realm="plumery"' });
    const { error } = await startError(challenged);
    expect([error.code, error.extensions.providerError]).toEqual(['provider_misconfigured', 'invalid_client']);
    const bodiless = () => new Response('', { status: 401, headers: { 'www-authenticate': 'Basic realm="plumery"' } });
    expect((await startError(bodiless)).error.extensions.providerError).toBe('invalid_client');
  });

  it('polls: OAuth bodies with HTTP 500 (read by the shared classifyFailure) are transient; the CIBA errors keep their meaning', async () => {
    const poll = (answer: () => Response) => adapterAnswering(answer).adapter.poll('abc');
    await expect(poll(json(500, { error: 'server_error' }))).resolves.toMatchObject({ kind: 'transient', reason: 'server_error' });
    await expect(poll(json(500, { error: 'temporarily_unavailable' }))).resolves.toMatchObject({
      kind: 'transient',
      reason: 'temporarily_unavailable',
    });
    await expect(poll(json(400, { error: 'authorization_pending', error_description: 'still pending' }))).resolves.toEqual({
      kind: 'pending',
      progress: 'still pending',
    });
    await expect(poll(json(400, { error: 'slow_down' }))).resolves.toMatchObject({ kind: 'slow_down' });
    await expect(poll(json(400, { error: 'access_denied', error_description: 'not authorized' }))).resolves.toEqual({
      kind: 'denied',
      providerError: 'access_denied',
    });
    await expect(poll(json(400, { error: 'expired_token' }))).resolves.toEqual({ kind: 'expired' });
    const rejected = await poll(json(401, { error: 'invalid_client' }, { 'www-authenticate': 'Basic realm="plumery"' }));
    expect(rejected).toMatchObject({ kind: 'failed', code: 'provider_rejected', providerError: 'invalid_client' });
    expect(rejected.kind === 'failed' && rejected.description).toMatch(/configuration error/);
  });

  it('polls: keeps the method member verify reads, and nothing else beyond the tokens', async () => {
    const tokens = { access_token: 'at', token_type: 'bearer', expires_in: 60 };
    const { adapter } = adapterAnswering(json(200, { ...tokens, authentication_method: 'smart-id', customer: { name: 'Jonas' } }));
    await expect(adapter.poll('abc')).resolves.toEqual({ kind: 'approved', tokens: { ...tokens, authentication_method: 'smart-id' } });
  });

  it('checks its options at construction, naming the key', () => {
    const source = (provider: ProviderConfig) => new OpenIdConfigurationSource(provider);
    const build = (options: Record<string, unknown>) => () => new PlumeryAdapter(providerConfig(options), source(providerConfig(options)));
    expect(build({ personalIdClaim: 'national_id', tlsCa: 'ca.pem' })).not.toThrow();
    expect(build({ personalIdClaim: 'a b' })).toThrow(ConfigError);
    expect(build({ personalIdclaim: 'x' })).toThrow(/providers\.plumery\.options\.personalIdclaim: unknown option/);
    const discovered = { ...providerConfig(), jwksUri: undefined };
    expect(() => new PlumeryAdapter(discovered, source(discovered))).toThrow(/providers\.plumery\.jwksUri: required for profile plumery/);
  });
});

describe('PlumeryAdapter verify', () => {
  let jwk: JWK;
  let privateKey: CryptoKey;
  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  });

  /** An adapter whose JWKS endpoint serves the test key; the JWKS fetches are counted. */
  function verifying() {
    const fetches: string[] = [];
    const fetch: CustomFetch = (url) => {
      fetches.push(url);
      return Promise.resolve(json(200, { keys: [jwk] })());
    };
    const provider = providerConfig();
    return { adapter: new PlumeryAdapter(provider, new OpenIdConfigurationSource(provider, fetch)), fetches };
  }
  const now = () => Math.floor(Date.now() / 1000);
  const idToken = (claims: JWTPayload = {}) =>
    new SignJWT({ iss: BASE, aud: 'bff', sub: 'plm-1', iat: now(), exp: now() + 300, personal_id: '38001085718', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .sign(privateKey);
  const context = (requestedAcr: string | null) => ({
    authReqId: 'abc',
    hint: { customer: 'personalId:LT:38001085718', identityClaim: 'personal_id' },
    requestedAcr,
  });

  it("the token response's method is the amr, and the method asked for is compared with it (not with the acr)", async () => {
    const { adapter } = verifying();
    const tokens = { id_token: await idToken({ acr: 'loa-low' }), authentication_method: 'smart-id' };
    await expect(adapter.verify(tokens, context('smart-id'))).resolves.toMatchObject({
      kind: 'approved',
      result: { subject: 'plm-1', acr: 'loa-low', amr: ['smart-id'], claims: { personal_id: '38001085718' } },
    });
    await expect(adapter.verify(tokens, context('mobile-id'))).resolves.toEqual({
      kind: 'failed',
      error: { code: 'insufficient_acr', description: 'The customer authenticated with "smart-id", not with the method requested.' },
    });
    const other = { ...tokens, id_token: await idToken({ personal_id: 'PNOLT-49002124277' }) };
    await expect(adapter.verify(other, context('smart-id'))).resolves.toMatchObject({
      kind: 'failed',
      error: { code: 'identity_mismatch' },
    });
  });

  it("pushed tokens must carry the CIBA binding claims, as every provider's (CIBA Core §10.3.1)", async () => {
    const { adapter } = verifying();
    const tokens = { id_token: await idToken(), authentication_method: 'smart-id' };
    await expect(adapter.verify(tokens, context('smart-id'))).resolves.toMatchObject({ kind: 'approved' });
    await expect(adapter.verify(tokens, context('smart-id'), { push: true })).resolves.toEqual({
      kind: 'failed',
      error: { code: 'provider_invalid_response', description: 'The ID Token failed validation.' },
    });
  });

  it('a method member in an unexpected form fails before the ID Token is checked; no ID Token fails first', async () => {
    const { adapter, fetches } = verifying();
    await expect(adapter.verify({ id_token: 'not.a.jwt', authentication_method: 'smart id' }, context(null))).resolves.toEqual({
      kind: 'failed',
      error: {
        code: 'provider_invalid_response',
        description: 'The token response names its authentication method in an unexpected form.',
      },
    });
    await expect(adapter.verify({ authentication_method: 'smart id' }, context(null))).resolves.toEqual({
      kind: 'failed',
      error: { code: 'provider_invalid_response', description: 'The token response has no ID Token.' },
    });
    expect(fetches).toEqual([]);
  });
});
