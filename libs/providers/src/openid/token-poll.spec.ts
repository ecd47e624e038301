import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { jest } from '@jest/globals';
import type { PollOutcome } from '@ciba/ciba';
import * as client from 'openid-client';
import { jsonAnswer, localProvider, startTokenEndpoint, type TokenEndpointServer } from '../../../../test/support/token-endpoint.js';
import { pollFailureToOutcome } from './failure-mapping.js';
import { OpenIdConfigurationSource } from './openid-configuration.js';
import { classifyFailure } from './provider-failure.js';
import { storedTokenResponse } from './stored-token-response.js';
import { CIBA_GRANT_TYPE, pollTokenEndpoint } from './token-poll.js';

const FIVE_MB = 5 * 1024 * 1024;

/**
 * The token request of a poll against a real local token endpoint: what it sends, that it keeps
 * one connection, and what it reads of each answer. `token-poll-equivalence.spec.ts` holds it to
 * openid-client's own reading.
 */
describe(pollTokenEndpoint.name, () => {
  let endpoint: TokenEndpointServer;
  const sources: OpenIdConfigurationSource[] = [];

  beforeAll(async () => {
    endpoint = await startTokenEndpoint();
  });
  beforeEach(() => endpoint.seen.splice(0));
  afterEach(async () => {
    await Promise.all(sources.splice(0).map((source) => source.close()));
  });
  afterAll(() => endpoint.close());

  /** A source for a provider on the local endpoint, closed after the test. */
  function sourceFor(settings: Record<string, unknown> = {}, customFetch?: client.CustomFetch): OpenIdConfigurationSource {
    const origin = (settings.origin as string | undefined) ?? endpoint.origin;
    delete settings.origin;
    const source = new OpenIdConfigurationSource(localProvider(origin, settings), customFetch);
    sources.push(source);
    return source;
  }

  async function poll(source: OpenIdConfigurationSource, authReqId = 'req-1'): Promise<PollOutcome> {
    const result = await pollTokenEndpoint(source, authReqId, classifyFailure);
    return 'tokens' in result ? { kind: 'approved', tokens: storedTokenResponse(result.tokens) } : pollFailureToOutcome(result.failure);
  }

  const pending = jsonAnswer(400, { error: 'authorization_pending' });

  it('sends the CIBA grant with client_secret_basic: form body, Basic header, JSON accepted', async () => {
    endpoint.answer = pending;
    await poll(sourceFor(), 'req-1');
    const [request] = endpoint.seen.splice(0);
    expect(request).toMatchObject({ method: 'POST', path: '/token' });
    expect(request.form).toEqual({ grant_type: CIBA_GRANT_TYPE, auth_req_id: 'req-1' });
    expect(request.headers).toMatchObject({
      authorization: `Basic ${Buffer.from('bff:s3cret').toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
      accept: 'application/json',
      'user-agent': 'ciba-bff',
    });
  });

  it('sends the client id and secret in the body with client_secret_post, and no Authorization', async () => {
    endpoint.answer = pending;
    await poll(sourceFor({ clientAuth: { method: 'client_secret_post', secret: 'p@ss word' } }), 'req-2');
    const [request] = endpoint.seen.splice(0);
    expect(request.form).toEqual({ grant_type: CIBA_GRANT_TYPE, auth_req_id: 'req-2', client_id: 'bff', client_secret: 'p@ss word' });
    expect(request.headers.authorization).toBeUndefined();
  });

  it('keeps one connection for a run of polls, and closes it on close()', async () => {
    endpoint.answer = pending;
    const source = sourceFor();
    const opened = endpoint.connections;
    for (let i = 0; i < 5; i += 1) {
      await expect(poll(source)).resolves.toEqual({ kind: 'pending' });
      // undici reuses a socket one event-loop turn after its answer (a request sent sooner gets a
      // second one); polls are seconds apart.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const polls = endpoint.seen.splice(0);
    expect(polls).toHaveLength(5);
    expect(new Set(polls.map((request) => request.socket)).size).toBe(1);
    expect(endpoint.connections - opened).toBe(1);

    const closed = endpoint.closedConnections;
    await source.close();
    await waitFor(() => endpoint.closedConnections > closed);
    // A poll after shutdown is a network failure, never a new connection.
    await expect(poll(source)).resolves.toMatchObject({ kind: 'transient', reason: expect.stringMatching(/^network: /) });
    expect(endpoint.connections - opened).toBe(1);
  });

  it('reads the waits: pending with progress, slow_down, Retry-After', async () => {
    const source = sourceFor();
    endpoint.answer = jsonAnswer(400, { error: 'authorization_pending', error_description: 'awaiting user identification' });
    await expect(poll(source)).resolves.toEqual({ kind: 'pending', progress: 'awaiting user identification' });
    endpoint.answer = jsonAnswer(400, { error: 'slow_down' }, { 'retry-after': '7' });
    await expect(poll(source)).resolves.toEqual({ kind: 'slow_down', retryAfterSeconds: 7 });
    endpoint.answer = jsonAnswer(400, { error: 'authorization_pending', error_description: '<b>hi</b>' }, { 'retry-after': '99999' });
    // Markup is not progress; Retry-After is capped at an hour.
    await expect(poll(source)).resolves.toEqual({ kind: 'pending', retryAfterSeconds: 3600 });
  });

  it('validates a 200 with oauth4webapi: a token response is approved, a malformed one failed', async () => {
    const source = sourceFor();
    endpoint.answer = jsonAnswer(200, { access_token: 'at', token_type: 'Bearer', expires_in: '60', extra: 'dropped' });
    await expect(poll(source)).resolves.toEqual({ kind: 'approved', tokens: { access_token: 'at', token_type: 'bearer', expires_in: 60 } });
    const invalid = { kind: 'failed', code: 'provider_invalid_response', description: expect.stringContaining('not a token response') };
    endpoint.answer = jsonAnswer(200, { access_token: 'at' });
    await expect(poll(source)).resolves.toEqual(invalid);
    endpoint.answer = (response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":');
    await expect(poll(source)).resolves.toEqual(invalid);
    // A JWT that is not base64url: oauth4webapi's parse error carries a TypeError, which is no network failure.
    endpoint.answer = jsonAnswer(200, { access_token: 'at', token_type: 'Bearer', id_token: '!!.!!.!!' });
    await expect(poll(source)).resolves.toEqual(invalid);
  });

  it('stops reading at maxResponseBytes, declared or streamed, and drops the connection', async () => {
    const source = sourceFor();
    const tooLarge = { kind: 'failed', code: 'provider_invalid_response', description: expect.stringContaining('65536 bytes') };
    endpoint.answer = (response) =>
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(FIVE_MB) }).end('x'.repeat(FIVE_MB));
    await expect(poll(source)).resolves.toEqual(tooLarge);
    let written = 0;
    const closed = endpoint.closedConnections;
    endpoint.answer = (response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const chunk = 'x'.repeat(64 * 1024);
      const next = (): void => {
        if (written >= FIVE_MB || response.destroyed) return void response.end();
        written += chunk.length;
        response.write(chunk, () => setTimeout(next, 2));
      };
      next();
    };
    await expect(poll(source)).resolves.toEqual(tooLarge);
    await waitFor(() => endpoint.closedConnections > closed);
    expect(written).toBeLessThan(FIVE_MB);
  });

  it('gives up at httpTimeoutSeconds: transient, with the timeout as reason', async () => {
    endpoint.answer = () => undefined;
    const started = Date.now();
    await expect(poll(sourceFor({ httpTimeoutSeconds: 1 }))).resolves.toEqual({ kind: 'transient', reason: 'timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('never follows a redirect', async () => {
    endpoint.answer = (response) => response.writeHead(302, { location: `${endpoint.origin}/elsewhere` }).end();
    await expect(poll(sourceFor())).resolves.toEqual({
      kind: 'failed',
      code: 'provider_invalid_response',
      description: 'The token endpoint answered HTTP 302 without an OAuth error.',
    });
    expect(endpoint.seen.splice(0).map((request) => request.path)).toEqual(['/token']);
  });

  it('reads a refused connection as transient', async () => {
    const origin = `http://127.0.0.1:${await closedPort()}`;
    await expect(poll(sourceFor({ origin }))).resolves.toEqual({ kind: 'transient', reason: 'network: ECONNREFUSED' });
  });

  it('refuses plain http without allowInsecureHttp before anything leaves', async () => {
    // Discovered metadata can name an http token endpoint the configuration checks never saw.
    const source = sourceFor({ allowInsecureHttp: false, origin: 'https://op.example' });
    const discovered = new client.Configuration({ issuer: 'https://op.example', token_endpoint: `${endpoint.origin}/token` }, 'bff');
    jest.spyOn(source, 'get').mockResolvedValue(discovered);
    await expect(poll(source)).resolves.toMatchObject({ kind: 'failed', code: 'provider_invalid_response' });
    expect(endpoint.seen).toEqual([]);
  });

  it('goes through an injected fetch (tests) and reads its answers alike', async () => {
    const calls: string[] = [];
    const injected: client.CustomFetch = (url, options) => {
      calls.push(`${options.method} ${url}`);
      return Promise.resolve(
        new Response(JSON.stringify({ error: 'slow_down', error_description: 'easy' }), {
          status: 400,
          headers: { 'content-type': 'application/json', 'retry-after': '3' },
        }),
      );
    };
    await expect(poll(sourceFor({}, injected))).resolves.toEqual({ kind: 'slow_down', progress: 'easy', retryAfterSeconds: 3 });
    expect(calls).toEqual([`POST ${endpoint.origin}/token`]);
    expect(endpoint.seen).toEqual([]);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 2_000) throw new Error('condition not met in 2 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A port nothing listens on: bound once by us, then closed. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
