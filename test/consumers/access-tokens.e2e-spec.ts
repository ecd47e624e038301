import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPublicKey } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { sha256, startStack, type Stack } from '../support/bff-stack.js';
import { ConsumerClient } from '../support/consumer-client.js';
import { closeServer } from '../support/http-server.js';

const AUDIENCE = 'ciba-bff';
const SUBJECT = 'pos-service';

interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/**
 * The bank's identity provider, as far as a resource server sees it: a discovery document and a
 * JWKS over HTTP. (The tokens are minted here with jose: the negative cases are tokens no real
 * provider would issue.)
 */
async function startIssuer(keys: SigningKey[]): Promise<{ issuer: string; server: Server; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (request.url === '/.well-known/openid-configuration') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
    } else if (request.url === '/jwks') {
      const body = { keys: keys.map((key) => ({ ...key.publicJwk, kid: key.kid, alg: key.alg, use: 'sig' })) };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    } else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { issuer: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, requests };
}

async function signingKey(alg: string, kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicJwk: await exportJWK(publicKey) };
}

/** A compact JWS that the server must refuse, signed or not as the case needs. */
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('consumers: JWT access tokens from the bank IdP, and several API keys per consumer (API.md §7)', () => {
  let stack: Stack;
  let idp: Awaited<ReturnType<typeof startIssuer>>;
  let keys: Record<'RS256' | 'ES256' | 'PS256', SigningKey>;
  let stranger: SigningKey;
  const rotation = { old: `old-${Date.now()}`, current: `current-${Date.now()}` };

  beforeAll(async () => {
    keys = {
      RS256: await signingKey('RS256', 'rsa-1'),
      ES256: await signingKey('ES256', 'ec-1'),
      PS256: await signingKey('PS256', 'pss-1'),
    };
    stranger = await signingKey('ES256', 'unknown-kid');
    idp = await startIssuer(Object.values(keys));
    stack = await startStack({
      configure: (tree) => {
        tree.consumers.pos = {
          jwt: { issuer: idp.issuer, audience: AUDIENCE, subjects: [SUBJECT], allowInsecureHttp: true },
          providers: ['sandbox'],
        };
        tree.consumers.rotating = { apiKeysSha256: [sha256(rotation.old), sha256(rotation.current)], providers: ['sandbox'] };
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
    if (idp) await closeServer(idp.server);
  });

  /** A good access token of `key`, with `claims` and `header` overriding its parts. */
  const token = (key: SigningKey, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: idp.issuer, aud: AUDIENCE, client_id: SUBJECT, iat: now, exp: now + 300, ...claims })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...header })
      .sign(key.privateKey);
  };
  const client = (bearer: string) => new ConsumerClient(stack.bff!.url, bearer);

  it.each(['RS256', 'ES256', 'PS256'] as const)('a valid %s access token starts and reads as its consumer', async (alg) => {
    const pos = client(await token(keys[alg]));
    const started = await pos.start({ provider: 'sandbox', loginHint: 'carol', bindingMessage: `JWT-${alg}` });
    expect(started.status).toBe(201);
    const read = await pos.get(started.body!.id as string);
    expect(read.status).toBe(200);
    // Another consumer never sees it.
    expect((await stack.portal.get(started.body!.id as string)).status).toBe(404);
    expect((await pos.cancel(started.body!.id as string)).status).toBe(200);
  });

  it('refuses every bad token with the same 401, and none reaches the provider', async () => {
    const rsa = keys.RS256;
    const rsaPublicPem = createPublicKey({ key: rsa.publicJwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const now = Math.floor(Date.now() / 1000);
    const bad: Record<string, string> = {
      'wrong audience': await token(rsa, { aud: 'someone-else' }),
      'wrong issuer': await new SignJWT({ client_id: SUBJECT })
        .setProtectedHeader({ alg: 'RS256', kid: rsa.kid })
        .setIssuer('https://evil.example')
        .setAudience(AUDIENCE)
        .setExpirationTime('5m')
        .sign(rsa.privateKey),
      expired: await token(rsa, { exp: now - 120, iat: now - 600 }),
      'no exp': await token(rsa, { exp: undefined }),
      'alg none': `${base64url({ alg: 'none', kid: rsa.kid })}.${base64url({ iss: idp.issuer, aud: AUDIENCE, client_id: SUBJECT, exp: now + 300 })}.`,
      'HS256 keyed with the public key': await new SignJWT({ client_id: SUBJECT })
        .setProtectedHeader({ alg: 'HS256', kid: rsa.kid })
        .setIssuer(idp.issuer)
        .setAudience(AUDIENCE)
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(String(rsaPublicPem))),
      'unknown subject': await token(rsa, { client_id: 'other-service' }),
      'unknown kid': await token(stranger),
      'an ID Token, not an access token': await token(rsa, {}, { typ: 'id_token+jwt' }),
      'a signature that does not match': `${(await token(rsa)).slice(0, -8)}AAAAAAAA`,
    };
    const before = stack.sandbox.pending('dave').length;
    for (const [name, value] of Object.entries(bad)) {
      const answer = await client(value).start({ provider: 'sandbox', loginHint: 'dave' });
      expect({ name, status: answer.status, code: answer.body?.code }).toEqual({ name, status: 401, code: 'unauthorized' });
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect(stack.sandbox.pending('dave')).toHaveLength(before);
    // The same body for all: nothing tells a caller which check failed.
    const bodies = await Promise.all(Object.values(bad).map(async (value) => (await client(value).get('01J0000000000000000000000A')).body));
    expect(new Set(bodies.map((body) => JSON.stringify({ ...body, requestId: undefined }))).size).toBe(1);
  });

  it('a consumer with several API keys is reached with each, so a key is rotated without downtime', async () => {
    for (const key of [rotation.old, rotation.current]) {
      const answer = await client(key).get('01J0000000000000000000000A');
      expect(answer.status).toBe(404); // authenticated: the id is simply unknown to this consumer
    }
    expect((await client('retired-key').get('01J0000000000000000000000A')).status).toBe(401);
  });

  it('the event stream takes an access token too', async () => {
    const pos = client(await token(keys.ES256));
    const started = await pos.start({ provider: 'sandbox', loginHint: 'bob', bindingMessage: 'JWT-SSE' });
    expect(started.status).toBe(201);
    const controller = new AbortController();
    const stream = await fetch(`${stack.bff!.url}/v1/authentications/${started.body!.id as string}/events`, {
      headers: { authorization: `Bearer ${pos.apiKey}` },
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    controller.abort();
    expect((await pos.cancel(started.body!.id as string)).status).toBe(200);
  });
});
