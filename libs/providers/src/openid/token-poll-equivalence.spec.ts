import type { ServerResponse } from 'node:http';
import type { PollOutcome } from '@ciba/ciba';
import { SignJWT, generateKeyPair } from 'jose';
import * as client from 'openid-client';
import {
  comparableRequest,
  jsonAnswer,
  localProvider,
  startTokenEndpoint,
  type SeenRequest,
  type TokenAnswer,
  type TokenEndpointServer,
} from '../../../../test/support/token-endpoint.js';
import { classifyPlumeryFailure } from '../plumery/plumery-failure.js';
import { pollFailureToOutcome } from './failure-mapping.js';
import { OpenIdConfigurationSource } from './openid-configuration.js';
import { classifyFailure, type ProviderFailure } from './provider-failure.js';
import { storedTokenResponse } from './stored-token-response.js';
import { CIBA_GRANT_TYPE, pollTokenEndpoint } from './token-poll.js';

type Classify = (error: unknown) => Promise<ProviderFailure>;

/**
 * The pooled poll holds to openid-client's: for the same answer, the same outcome as
 * `genericGrantRequest` read by the same classifier (the shared one and a dialect's); for the
 * same client authentication, the same request but the User-Agent.
 */
describe('token poll: the same as openid-client', () => {
  let endpoint: TokenEndpointServer;
  let source: OpenIdConfigurationSource;
  let idToken: string;

  beforeAll(async () => {
    endpoint = await startTokenEndpoint();
    source = sourceFor({ method: 'client_secret_basic', secret: 's3cret' });
    const now = Math.floor(Date.now() / 1000);
    const { privateKey } = await generateKeyPair('ES256');
    idToken = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k' })
      .setIssuer(endpoint.origin)
      .setAudience('bff')
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(privateKey);
  });
  afterAll(async () => {
    await source.close();
    await endpoint.close();
  });

  function sourceFor(clientAuth: Record<string, unknown>): OpenIdConfigurationSource {
    return new OpenIdConfigurationSource(localProvider(endpoint.origin, { clientAuth }));
  }

  async function pooled(classify: Classify, from = source): Promise<PollOutcome> {
    const result = await pollTokenEndpoint(from, 'req-1', classify);
    return 'tokens' in result ? { kind: 'approved', tokens: storedTokenResponse(result.tokens) } : pollFailureToOutcome(result.failure);
  }

  /** The poll as it was: openid-client over the provider's capped fetch. */
  async function throughOpenIdClient(classify: Classify, from = source): Promise<PollOutcome> {
    try {
      const response = await client.genericGrantRequest(await from.get(), CIBA_GRANT_TYPE, { auth_req_id: 'req-1' });
      return { kind: 'approved', tokens: storedTokenResponse(response) };
    } catch (error) {
      return pollFailureToOutcome(await classify(error));
    }
  }

  const raw =
    (status: number, headers: Record<string, string>, body: string | Buffer): TokenAnswer =>
    (response: ServerResponse) =>
      response.writeHead(status, headers).end(body);
  const json = 'application/json';
  const pending = JSON.stringify({ error: 'authorization_pending', error_description: 'waiting for the app' });
  const farFuture = new Date(Date.now() + 7_200_000).toUTCString();

  const answers: Record<string, TokenAnswer> = {
    pending: jsonAnswer(400, { error: 'authorization_pending' }),
    'pending with progress and Retry-After': jsonAnswer(
      400,
      { error: 'authorization_pending', error_description: 'in app' },
      { 'retry-after': '4' },
    ),
    'pending with an HTTP-date Retry-After': jsonAnswer(400, { error: 'authorization_pending' }, { 'retry-after': farFuture }),
    'pending with markup as progress': jsonAnswer(400, { error: 'authorization_pending', error_description: '<script>x</script>' }),
    'pending with a non-string description': jsonAnswer(400, { error: 'authorization_pending', error_description: 7 }),
    'slow_down with Retry-After': jsonAnswer(400, { error: 'slow_down' }, { 'retry-after': '9' }),
    'pending, JSON with a charset': raw(400, { 'content-type': 'application/json; charset=utf-8' }, pending),
    'pending, labelled text/plain': raw(400, { 'content-type': 'text/plain' }, pending),
    'pending, labelled Application/JSON': raw(400, { 'content-type': 'Application/JSON' }, pending),
    'pending with a byte-order mark': raw(
      400,
      { 'content-type': json },
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(pending)]),
    ),
    'pending with a WWW-Authenticate challenge': raw(400, { 'content-type': json, 'www-authenticate': 'Bearer error="x"' }, pending),
    'pending on a 401': raw(401, { 'content-type': json }, pending),
    'pending on a 500': raw(500, { 'content-type': json }, pending),
    'error that is not a string': jsonAnswer(400, { error: 42 }),
    'empty error': jsonAnswer(400, { error: '' }),
    'a JSON array': jsonAnswer(400, [{ error: 'authorization_pending' }]),
    'broken JSON on a 400': raw(400, { 'content-type': json }, '{"error":'),
    access_denied: jsonAnswer(400, { error: 'access_denied' }),
    expired_token: jsonAnswer(400, { error: 'expired_token' }),
    invalid_grant: jsonAnswer(400, { error: 'invalid_grant', error_description: 'unknown auth_req_id' }),
    'invalid_request naming an unknown user (Plumery)': jsonAnswer(400, { error: 'invalid_request', error_description: 'invalid user' }),
    'invalid_client with a Basic challenge': raw(
      401,
      { 'content-type': json, 'www-authenticate': 'Basic realm="op"' },
      '{"error":"invalid_client"}',
    ),
    'a bare 401 with a challenge': raw(401, { 'www-authenticate': 'Basic realm="op"' }, ''),
    'a 429 with Retry-After': raw(429, { 'retry-after': '30' }, 'slow down'),
    'a 429 with an OAuth body': jsonAnswer(429, { error: 'slow_down' }, { 'retry-after': '5' }),
    'a 503 page': raw(503, { 'content-type': 'text/html', 'retry-after': '3' }, '<h1>down</h1>'),
    'server_error on a 500': jsonAnswer(500, { error: 'server_error' }),
    'a 302': raw(302, { location: '/elsewhere' }, ''),
    'a 204': raw(204, {}, ''),
    'a 418 without body': raw(418, {}, ''),
    'tokens with an ID Token': (response) =>
      jsonAnswer(200, {
        access_token: 'at',
        token_type: 'Bearer',
        expires_in: 60,
        id_token: idToken,
        refresh_token: 'rt',
        scope: 'openid',
        extra: 1,
      })(response, {} as SeenRequest),
    'tokens with a DPoP token type': jsonAnswer(200, { access_token: 'at', token_type: 'DPoP' }),
    'tokens without token_type': jsonAnswer(200, { access_token: 'at' }),
    'tokens of an unknown token type': jsonAnswer(200, { access_token: 'at', token_type: 'mac' }),
    'tokens with a bad expires_in': jsonAnswer(200, { access_token: 'at', token_type: 'Bearer', expires_in: 'soon' }),
    'an ID Token that is not base64url': jsonAnswer(200, { access_token: 'at', token_type: 'Bearer', id_token: '!!.!!.!!' }),
    'an ID Token of another issuer': jsonAnswer(200, { access_token: 'at', token_type: 'Bearer', id_token: 'e30.eyJpc3MiOiJ4In0.c2ln' }),
    'a 200 as text': raw(200, { 'content-type': 'text/plain' }, '{"access_token":"at","token_type":"Bearer"}'),
    'a 200 of broken JSON': raw(200, { 'content-type': json }, '{"access_token":'),
    'an empty 200': raw(200, {}, ''),
  };

  it.each(Object.keys(answers))('%s: the same outcome (shared classifier, Plumery classifier)', async (name) => {
    endpoint.answer = answers[name];
    for (const classify of [classifyFailure, classifyPlumeryFailure]) {
      const before = await throughOpenIdClient(classify);
      expect(await pooled(classify)).toEqual(before);
    }
  });

  it.each([
    { method: 'client_secret_basic', secret: 'p@ss:word' },
    { method: 'client_secret_post', secret: 'p@ss word' },
    { method: 'client_secret_jwt', secret: 'a-shared-secret-of-enough-length!' },
    { method: 'none' },
  ])('$method: the same request', async (clientAuth) => {
    const other = sourceFor(clientAuth);
    endpoint.answer = answers.pending;
    endpoint.seen.splice(0);
    await throughOpenIdClient(classifyFailure, other);
    await pooled(classifyFailure, other);
    await other.close();
    const [before, after] = endpoint.seen.splice(0).map(comparableRequest);
    expect(after).toEqual(before);
    expect(after.form.grant_type).toBe(CIBA_GRANT_TYPE);
  });
});
