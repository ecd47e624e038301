import * as client from 'openid-client';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createNetServer } from 'node:net';
import { cappedFetch } from '../http/capped-fetch.js';
import { pollFailureToOutcome, startFailureToError } from './failure-mapping.js';
import { classifyFailure } from './provider-failure.js';

/** Through openid-client for real: how the failures of a provider's token endpoint are read. */
describe(classifyFailure.name, () => {
  let server: Server;
  let answer: { status: number; headers: Record<string, string>; body: string };
  let config: client.Configuration;

  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(answer.status, answer.headers).end(answer.body));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    config = new client.Configuration({ issuer: base, token_endpoint: `${base}/token` }, 'bff', undefined, client.ClientSecretBasic('s'));
    client.allowInsecureRequests(config);
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const failureOf = async () => {
    try {
      await client.genericGrantRequest(config, 'urn:openid:params:grant-type:ciba', { auth_req_id: 'x' });
    } catch (error) {
      return classifyFailure(error);
    }
    throw new Error('expected a failure');
  };
  const json = (status: number, body: object, headers: Record<string, string> = {}) =>
    (answer = { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('reads an OAuth error with its Retry-After', async () => {
    json(400, { error: 'slow_down' }, { 'retry-after': '7' });
    expect(await failureOf()).toMatchObject({ kind: 'oauth', error: 'slow_down', status: 400, retryAfterSeconds: 7 });
  });

  it('reads a 401 invalid_client that carries a WWW-Authenticate challenge', async () => {
    json(401, { error: 'invalid_client' }, { 'www-authenticate': 'Basic realm="op"' });
    expect(await failureOf()).toMatchObject({ kind: 'oauth', error: 'invalid_client', status: 401 });
  });

  it('reads OAuth error bodies on a 500, and a bare 503 as HTTP', async () => {
    json(500, { error: 'server_error' });
    expect(await failureOf()).toMatchObject({ kind: 'oauth', error: 'server_error', status: 500 });
    answer = { status: 503, headers: { 'content-type': 'text/html', 'retry-after': '3' }, body: '<h1>down</h1>' };
    expect(await failureOf()).toMatchObject({ kind: 'http', status: 503, retryAfterSeconds: 3 });
  });

  it('calls a refused connection never sent, and garbage invalid', async () => {
    const port = await closedPort();
    const closed = new client.Configuration(
      { issuer: `http://127.0.0.1:${port}`, token_endpoint: `http://127.0.0.1:${port}/token` },
      'bff',
      undefined,
      client.None(),
    );
    client.allowInsecureRequests(closed);
    const refused = await client
      .genericGrantRequest(closed, 'urn:openid:params:grant-type:ciba', { auth_req_id: 'x' })
      .catch(classifyFailure);
    expect(refused).toMatchObject({ kind: 'network', neverSent: true });
    answer = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"token_type":"mac"}' };
    expect(await failureOf()).toMatchObject({ kind: 'invalid' });
  });

  it('calls an answer past maxResponseBytes too large: a failed poll, a 502 start', async () => {
    const capped = new client.Configuration(config.serverMetadata(), 'bff', undefined, client.ClientSecretBasic('s'));
    client.allowInsecureRequests(capped);
    capped[client.customFetch] = cappedFetch(undefined, 4096);
    json(200, { access_token: 'a', token_type: 'Bearer', padding: 'x'.repeat(5000) });
    const failure = await client
      .genericGrantRequest(capped, 'urn:openid:params:grant-type:ciba', { auth_req_id: 'x' })
      .then(() => undefined, classifyFailure);
    expect(failure).toEqual({ kind: 'too_large', limitBytes: 4096 });
    expect(pollFailureToOutcome(failure!)).toMatchObject({ kind: 'failed', code: 'provider_invalid_response' });
    expect(startFailureToError(failure!)).toMatchObject({ code: 'provider_invalid_response' });
    // Under the cap the same configuration reads the answer.
    json(200, { access_token: 'a', token_type: 'Bearer' });
    await expect(client.genericGrantRequest(capped, 'urn:openid:params:grant-type:ciba', { auth_req_id: 'x' })).resolves.toMatchObject({
      access_token: 'a',
    });
  });
});

/** A port nothing listens on: bound once by us, then closed. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
