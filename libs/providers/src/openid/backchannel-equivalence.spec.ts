import type { ServerResponse } from 'node:http';
import * as client from 'openid-client';
import {
  comparableRequest,
  jsonAnswer,
  localProvider,
  startTokenEndpoint,
  type TokenAnswer,
  type TokenEndpointServer,
} from '../../../../test/support/token-endpoint.js';
import { classifyPlumeryFailure } from '../plumery/plumery-failure.js';
import { initiateBackchannelRequest } from './backchannel-request.js';
import { OpenIdConfigurationSource } from './openid-configuration.js';
import { classifyFailure, type ProviderFailure } from './provider-failure.js';

type Classify = (error: unknown) => Promise<ProviderFailure>;
type Outcome = { ack: unknown } | { failure: ProviderFailure };

const PARAMETERS = { scope: 'openid', login_hint: 'alice', binding_message: 'W4SP' };

/**
 * The pooled backchannel request holds to openid-client's `initiateBackchannelAuthentication`:
 * for the same answer, the same acknowledgement or the same failure read by the same classifier
 * (the shared one and a dialect's); for the same client authentication, the same request but
 * the User-Agent.
 */
describe('backchannel request: the same as openid-client', () => {
  let endpoint: TokenEndpointServer;
  let source: OpenIdConfigurationSource;

  beforeAll(async () => {
    endpoint = await startTokenEndpoint();
    source = sourceFor({ method: 'client_secret_basic', secret: 's3cret' });
  });
  afterAll(async () => {
    await source.close();
    await endpoint.close();
  });

  function sourceFor(clientAuth: Record<string, unknown>): OpenIdConfigurationSource {
    return new OpenIdConfigurationSource(localProvider(endpoint.origin, { clientAuth }));
  }

  async function pooled(classify: Classify, from = source): Promise<Outcome> {
    try {
      return { ack: await initiateBackchannelRequest(from, PARAMETERS) };
    } catch (error) {
      return { failure: await classify(error) };
    }
  }

  /** The start as it was: openid-client over the provider's capped fetch. */
  async function throughOpenIdClient(classify: Classify, from = source): Promise<Outcome> {
    try {
      return { ack: await client.initiateBackchannelAuthentication(await from.get(), PARAMETERS) };
    } catch (error) {
      return { failure: await classify(error) };
    }
  }

  const raw =
    (status: number, headers: Record<string, string>, body: string): TokenAnswer =>
    (response: ServerResponse) =>
      response.writeHead(status, headers).end(body);
  const json = 'application/json';
  const ack = { auth_req_id: 'req-1', expires_in: 120, interval: 2 };

  const answers: Record<string, TokenAnswer> = {
    'an acknowledgement': jsonAnswer(200, ack),
    'an acknowledgement without interval': jsonAnswer(200, { auth_req_id: 'req-1', expires_in: 120 }),
    'an acknowledgement with extra members': jsonAnswer(200, { ...ack, note: 'x' }),
    'an acknowledgement labelled text/plain': raw(200, { 'content-type': 'text/plain' }, JSON.stringify(ack)),
    'an acknowledgement with a charset': raw(200, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(ack)),
    'expires_in as a string': jsonAnswer(200, { auth_req_id: 'req-1', expires_in: '120' }),
    'expires_in as nonsense': jsonAnswer(200, { auth_req_id: 'req-1', expires_in: 'soon' }),
    'expires_in 0': jsonAnswer(200, { auth_req_id: 'req-1', expires_in: 0 }),
    'expires_in negative': jsonAnswer(200, { auth_req_id: 'req-1', expires_in: -5 }),
    'no expires_in': jsonAnswer(200, { auth_req_id: 'req-1' }),
    'interval 0': jsonAnswer(200, { ...ack, interval: 0 }),
    'interval as a string': jsonAnswer(200, { ...ack, interval: '5' }),
    'interval null': jsonAnswer(200, { ...ack, interval: null }),
    'no auth_req_id': jsonAnswer(200, { expires_in: 120 }),
    'an empty auth_req_id': jsonAnswer(200, { auth_req_id: '', expires_in: 120 }),
    'a numeric auth_req_id': jsonAnswer(200, { auth_req_id: 7, expires_in: 120 }),
    'a JSON array': jsonAnswer(200, [ack]),
    'JSON null': raw(200, { 'content-type': json }, 'null'),
    'broken JSON': raw(200, { 'content-type': json }, '{"auth_req_id":'),
    'broken JSON as text': raw(200, { 'content-type': 'text/plain' }, 'ok'),
    'an empty 200': raw(200, {}, ''),
    'a 201 acknowledgement': jsonAnswer(201, ack),
    unknown_user_id: jsonAnswer(400, { error: 'unknown_user_id', error_description: 'no such user' }),
    invalid_request: jsonAnswer(400, { error: 'invalid_request' }),
    access_denied: jsonAnswer(403, { error: 'access_denied' }),
    'invalid_client with a Basic challenge': raw(
      401,
      { 'content-type': json, 'www-authenticate': 'Basic realm="op"' },
      '{"error":"invalid_client"}',
    ),
    'a bare 401 with a challenge': raw(401, { 'www-authenticate': 'Basic realm="op"' }, ''),
    'a 429 with Retry-After': raw(429, { 'retry-after': '30' }, 'slow down'),
    'a 503 page': raw(503, { 'content-type': 'text/html', 'retry-after': '3' }, '<h1>down</h1>'),
    'server_error on a 500': jsonAnswer(500, { error: 'server_error' }),
    'a 302': raw(302, { location: '/elsewhere' }, ''),
    'a 204': raw(204, {}, ''),
  };

  it.each(Object.keys(answers))('%s: the same outcome (shared classifier, Plumery classifier)', async (name) => {
    endpoint.answer = answers[name];
    for (const classify of [classifyFailure, classifyPlumeryFailure]) {
      const before = await throughOpenIdClient(classify);
      expect(coded(await pooled(classify))).toEqual(coded(before));
    }
  });

  it.each([
    { method: 'client_secret_basic', secret: 'p@ss:word' },
    { method: 'client_secret_post', secret: 'p@ss word' },
    { method: 'client_secret_jwt', secret: 'a-shared-secret-of-enough-length!' },
    { method: 'none' },
  ])('$method: the same request', async (clientAuth) => {
    const other = sourceFor(clientAuth);
    endpoint.answer = answers['an acknowledgement'];
    endpoint.seen.splice(0);
    await throughOpenIdClient(classifyFailure, other);
    await pooled(classifyFailure, other);
    await other.close();
    const [before, after] = endpoint.seen.splice(0).map(comparableRequest);
    expect(after).toEqual(before);
    expect(after.path).toBe('/backchannel');
    expect(after.form).toMatchObject({ ...PARAMETERS, client_id: 'bff' });
  });
});

/**
 * An answer oauth4webapi refuses keeps its kind and code; only the operator's detail may differ:
 * openid-client replaces oauth4webapi's message ("\"response\" body \"auth_req_id\" property must
 * be a string") with a generic one ("invalid response encountered"), which we no longer do.
 */
function coded(outcome: Outcome): Outcome {
  if (!('failure' in outcome) || outcome.failure.kind !== 'invalid') return outcome;
  return { failure: { ...outcome.failure, detail: outcome.failure.detail.split(':')[0] } };
}
