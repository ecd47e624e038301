import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type JWK, type JWTPayload } from 'jose';
import { cappedFetch } from '../http/capped-fetch.js';
import { IdTokenInvalidError } from './id-token-invalid.error.js';
import { IdTokenVerificationDeferredError } from './id-token-verification-deferred.error.js';
import { IdTokenVerifier, type IdTokenVerifierOptions } from './id-token.verifier.js';
import { RETRY_MARGIN_MS } from './provider-key-set.js';

const ISSUER = 'https://op.example.com';
const CLIENT = 'bff';
const COOLDOWN_MS = 1000;

/** What one jwks_uri of the test server answers; each test has its own path, so its own count. */
type Behaviour = { keys: JWK[] } | { status: number } | { type: string; body: string } | 'hang';

/**
 * "Verification could not run" against "the token is invalid", through the verifier and a real
 * HTTP jwks_uri (ProviderKeySet): the JWKS failing in every way defers, a key missing from a set
 * is refused only after one refetch past the cooldown, and no fetch comes sooner than that.
 */
describe('IdTokenVerifier when the keys cannot be had (ProviderKeySet)', () => {
  let server: Server;
  let base: string;
  const routes = new Map<string, { behaviour: Behaviour; fetches: number[] }>();
  const keys: Record<'k1' | 'k2', { jwk: JWK; privateKey: CryptoKey }> = {} as never;
  const expected = { issuer: ISSUER, clientId: CLIENT };
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (): JWTPayload => ({ iss: ISSUER, aud: CLIENT, sub: 'alice', iat: now(), exp: now() + 300 });
  const sign = (kid: string, key = keys.k1.privateKey) => new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid }).sign(key);
  const sleepUntil = (at: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

  beforeAll(async () => {
    for (const kid of ['k1', 'k2'] as const) {
      const pair = await generateKeyPair('RS256');
      keys[kid] = { jwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' }, privateKey: pair.privateKey };
    }
    server = createServer((request, response) => {
      const route = routes.get(request.url ?? '');
      if (!route) return void response.writeHead(404).end();
      route.fetches.push(Date.now());
      answer(route.behaviour, response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });

  /** A verifier on its own jwks_uri path, with a 1 s cooldown. */
  function verifierAt(path: string, behaviour: Behaviour, options: IdTokenVerifierOptions = {}) {
    const route = { behaviour, fetches: [] as number[] };
    routes.set(`/${path}`, route);
    const verifier = new IdTokenVerifier(`${base}/${path}`, { jwksCooldownSeconds: COOLDOWN_MS / 1000, ...options });
    return { verifier, route };
  }
  const deferral = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected a deferral');
      },
      (error: unknown) => {
        expect(error).toBeInstanceOf(IdTokenVerificationDeferredError);
        return error as IdTokenVerificationDeferredError;
      },
    );

  it.each<[string, Behaviour, IdTokenVerifierOptions]>([
    ['answers 503', { status: 503 }, {}],
    ['answers 404', { status: 404 }, {}],
    ['answers HTML', { type: 'text/html', body: '<h1>maintenance</h1>' }, {}],
    ['answers JSON that is not a key set', { type: 'application/json', body: '{"keys":"none"}' }, {}],
    [
      'answers more than maxResponseBytes',
      { type: 'application/json', body: JSON.stringify({ keys: [{ kty: 'oct', k: 'A'.repeat(8000) }] }) },
      { fetch: cappedFetch(undefined, 4096) },
    ],
  ])('a jwks_uri that %s defers until the cooldown is over, never refuses', async (name, behaviour, options) => {
    const { verifier, route } = verifierAt(name.replace(/\W+/g, '-'), behaviour, options);
    const token = await sign('k1');
    const before = Date.now();
    const error = await deferral(verifier.verify(token, expected));
    expect(error).not.toBeInstanceOf(IdTokenInvalidError);
    expect(route.fetches).toHaveLength(1);
    // A cooldown from when the fetch was sent.
    expect(error.retryAt).toBeGreaterThanOrEqual(before + COOLDOWN_MS);
    expect(error.retryAt).toBeLessThanOrEqual(route.fetches[0] + COOLDOWN_MS + RETRY_MARGIN_MS);
  });

  it('a jwks_uri that refuses connections, or is slower than the timeout, defers', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/jwks`;
    await new Promise((resolve) => closed.close(resolve));
    await deferral(new IdTokenVerifier(closedUrl).verify(await sign('k1'), expected));

    const { verifier, route } = verifierAt('hang', 'hang', { jwksTimeoutSeconds: 1 });
    const started = Date.now();
    await deferral(verifier.verify(await sign('k1'), expected));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(route.fetches).toHaveLength(1);
  });

  it('after a failed fetch none is made within the cooldown; the first after it succeeds', async () => {
    const { verifier, route } = verifierAt('recovers', { status: 503 });
    const token = await sign('k1');
    const first = await deferral(verifier.verify(token, expected));
    const second = await deferral(verifier.verify(token, expected));
    expect(route.fetches).toHaveLength(1);
    expect(second.retryAt).toBe(first.retryAt);
    route.behaviour = { keys: [keys.k1.jwk] };
    await sleepUntil(first.retryAt!);
    await expect(verifier.verify(token, expected)).resolves.toMatchObject({ sub: 'alice' });
    expect(route.fetches).toHaveLength(2);
  });

  it('rotation: a kid missing from the set waits for the cooldown, and the one refetch finds it', async () => {
    const { verifier, route } = verifierAt('rotation', { keys: [keys.k1.jwk] });
    const token = await sign('k2', keys.k2.privateKey);
    const first = await deferral(verifier.verify(token, expected));
    expect(first.retryAt).toBeGreaterThanOrEqual(route.fetches[0] + COOLDOWN_MS);
    // Asked again within the cooldown: still deferred, and the provider is not asked again.
    await deferral(verifier.verify(token, expected));
    expect(route.fetches).toHaveLength(1);
    route.behaviour = { keys: [keys.k1.jwk, keys.k2.jwk] };
    await sleepUntil(first.retryAt!);
    await expect(verifier.verify(token, expected)).resolves.toMatchObject({ sub: 'alice' });
    expect(route.fetches).toHaveLength(2);
    expect(route.fetches[1] - route.fetches[0]).toBeGreaterThanOrEqual(COOLDOWN_MS);
  });

  it('a kid that never appears is refused after that one refetch, not before', async () => {
    const { verifier, route } = verifierAt('never', { keys: [keys.k1.jwk] });
    const token = await sign('k2', keys.k2.privateKey);
    const first = await deferral(verifier.verify(token, expected));
    await sleepUntil(first.retryAt!);
    await expect(verifier.verify(token, expected)).rejects.toThrow(IdTokenInvalidError);
    expect(route.fetches).toHaveLength(2);
  });

  it('an unknown kid met with a set past its cooldown is refetched at once, and refused if still missing', async () => {
    const { verifier, route } = verifierAt('stale', { keys: [keys.k1.jwk] });
    await expect(verifier.verify(await sign('k1'), expected)).resolves.toBeDefined();
    await sleepUntil(route.fetches[0] + COOLDOWN_MS + 150);
    await expect(verifier.verify(await sign('k3'), expected)).rejects.toThrow(IdTokenInvalidError);
    expect(route.fetches).toHaveLength(2);
  });
});

function answer(behaviour: Behaviour, response: ServerResponse): void {
  if (behaviour === 'hang') return;
  if ('keys' in behaviour) return void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(behaviour));
  if ('status' in behaviour) return void response.writeHead(behaviour.status, { 'content-type': 'text/plain' }).end('unavailable');
  response.writeHead(200, { 'content-type': behaviour.type }).end(behaviour.body);
}
