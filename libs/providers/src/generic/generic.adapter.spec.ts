import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CibaError, ErrorCode, type OutcomeError } from '@ciba/ciba';
import { parseConfig } from '@ciba/config';
import { SignJWT, exportJWK, generateKeyPair, type JWK, type JWTPayload } from 'jose';
import { IdTokenVerificationDeferredError } from '../id-token/id-token-verification-deferred.error.js';
import { RETRY_MARGIN_MS } from '../id-token/provider-key-set.js';
import { OpenIdConfigurationSource } from '../openid/openid-configuration.js';
import { prepareGenericHint } from '../hint.js';
import { GenericAdapter } from './generic.adapter.js';

const CLIENT = 'bff';
type Answer = (response: ServerResponse) => void;

/**
 * The generic adapter against a real local HTTP provider (explicit endpoints): what a poll keeps
 * of a token response, the response size cap on every path, and the provider's ID Token
 * settings reaching the verifier.
 */
describe(GenericAdapter.name, () => {
  let server: Server;
  let issuer: string;
  let jwk: JWK;
  let privateKey: CryptoKey;
  const answers = new Map<string, Answer>();
  const jwksFetches: number[] = [];

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((request, response) => {
      if (request.url?.startsWith('/jwks')) jwksFetches.push(Date.now());
      request.resume();
      request.on('end', () => (answers.get(request.url ?? '') ?? ((r: ServerResponse) => r.writeHead(404).end()))(response));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => answers.clear());

  /** An adapter on its own JWKS path (so on its own key cache), with these provider settings. */
  function adapter(settings: Record<string, unknown> = {}, jwksPath = '/jwks', Adapter = GenericAdapter) {
    const tree = {
      providers: {
        local: {
          issuer,
          backchannelAuthenticationEndpoint: `${issuer}/backchannel`,
          tokenEndpoint: `${issuer}/token`,
          jwksUri: `${issuer}${jwksPath}`,
          clientId: CLIENT,
          clientAuth: { method: 'client_secret_basic', secret: 's' },
          allowInsecureHttp: true,
          ...settings,
        },
      },
    };
    const provider = parseConfig(tree).providers.get('local')!;
    return new Adapter(provider, new OpenIdConfigurationSource(provider));
  }
  const json =
    (body: unknown, status = 200): Answer =>
    (response) =>
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const now = () => Math.floor(Date.now() / 1000);
  const idToken = (claims: JWTPayload = {}) =>
    new SignJWT({ iss: issuer, aud: CLIENT, sub: 'alice', iat: now(), exp: now() + 300, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .sign(privateKey);
  const context = { authReqId: 'req-1', hint: { customer: 'alice' }, requestedAcr: null };

  it('poll keeps only the token response members the BFF reads', async () => {
    const tokens = {
      access_token: 'at',
      id_token: await idToken(),
      refresh_token: 'rt',
      token_type: 'bearer', // openid-client lowercases it
      expires_in: 300,
      scope: 'openid',
    };
    answers.set('/token', json({ ...tokens, customer_profile: { name: 'Alice', iban: 'GE00' }, padding: 'x'.repeat(20_000) }));
    await expect(adapter().poll('req-1')).resolves.toEqual({ kind: 'approved', tokens });
  });

  it('poll: a token response past maxResponseBytes ends failed with provider_invalid_response', async () => {
    answers.set('/token', json({ access_token: 'at', token_type: 'Bearer', padding: 'x'.repeat(10_000) }));
    await expect(adapter({ maxResponseBytes: 4096 }).poll('req-1')).resolves.toMatchObject({
      kind: 'failed',
      code: 'provider_invalid_response',
      description: expect.stringContaining('4096 bytes'),
    });
  });

  it('start: an acknowledgement past maxResponseBytes is provider_invalid_response (502)', async () => {
    answers.set('/backchannel', json({ auth_req_id: 'req-1', expires_in: 120, padding: 'x'.repeat(10_000) }));
    const hint = prepareGenericHint({ kind: 'login_hint', value: 'alice' });
    const error = await adapter({ maxResponseBytes: 4096 })
      .start({ scope: 'openid', hint })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CibaError);
    expect((error as CibaError).code).toBe(ErrorCode.ProviderInvalidResponse);
  });

  it('verify throws the deferral (never answers failed) when the keys cannot be had, with the provider cooldown', async () => {
    answers.set('/jwks-down', (response) => response.writeHead(503).end());
    const fetched = jwksFetches.length;
    const token = await idToken();
    const before = Date.now();
    const error = await adapter({ jwksCooldownSeconds: 7 }, '/jwks-down')
      .verify({ id_token: token }, context)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IdTokenVerificationDeferredError);
    // Seven seconds from when the JWKS fetch was sent (and the margin every retryAt has).
    expect((error as IdTokenVerificationDeferredError).retryAt).toBeGreaterThanOrEqual(before + 7_000 + RETRY_MARGIN_MS);
    expect((error as IdTokenVerificationDeferredError).retryAt).toBeLessThanOrEqual(jwksFetches[fetched] + 7_000 + RETRY_MARGIN_MS);
  });

  it('verify reads the JWKS through the provider fetch, capped at maxResponseBytes', async () => {
    answers.set('/jwks-big', json({ keys: [jwk, { kty: 'oct', k: 'A'.repeat(8000) }] }));
    const token = await idToken();
    await expect(adapter({ maxResponseBytes: 4096 }, '/jwks-big').verify({ id_token: token }, context)).rejects.toBeInstanceOf(
      IdTokenVerificationDeferredError,
    );
    await expect(adapter({}, '/jwks-big').verify({ id_token: token }, context)).resolves.toMatchObject({ kind: 'approved' });
  });

  it("verify accepts another audience only when it is in the provider's trustedAudiences", async () => {
    answers.set('/jwks', json({ keys: [jwk] }));
    const token = await idToken({ aud: [CLIENT, 'payments-api'], azp: CLIENT });
    await expect(adapter({ trustedAudiences: ['payments-api'] }).verify({ id_token: token }, context)).resolves.toMatchObject({
      kind: 'approved',
      result: { subject: 'alice' },
    });
    await expect(adapter().verify({ id_token: token }, context)).resolves.toEqual({
      kind: 'failed',
      error: { code: 'provider_invalid_response', description: 'The ID Token failed validation.' },
    });
  });

  it('verify runs in steps: a dialect overriding the approval check keeps the ID Token validation and the result', async () => {
    answers.set('/jwks', json({ keys: [jwk] }));
    class HighOnly extends GenericAdapter {
      protected override checkApproval(payload: JWTPayload): OutcomeError | null {
        return payload.acr === 'high' ? null : { code: 'insufficient_acr', description: 'Not high.' };
      }
    }
    const dialect = adapter({}, '/jwks', HighOnly);
    await expect(dialect.verify({ id_token: await idToken({ acr: 'high', nickname: 'Al' }) }, context)).resolves.toMatchObject({
      kind: 'approved',
      result: { subject: 'alice', acr: 'high', claims: { sub: 'alice', nickname: 'Al' } },
    });
    await expect(dialect.verify({ id_token: await idToken({ acr: 'low' }) }, context)).resolves.toEqual({
      kind: 'failed',
      error: { code: 'insufficient_acr', description: 'Not high.' },
    });
    // The generic steps around it are unchanged.
    await expect(dialect.verify({ id_token: await idToken({ acr: 'high', aud: 'another-client' }) }, context)).resolves.toEqual({
      kind: 'failed',
      error: { code: 'provider_invalid_response', description: 'The ID Token failed validation.' },
    });
    await expect(dialect.verify({ access_token: 'at' }, context)).resolves.toEqual({
      kind: 'failed',
      error: { code: 'provider_invalid_response', description: 'The token response has no ID Token.' },
    });
  });
});
