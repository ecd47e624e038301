import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, type ProviderConfig } from '@ciba/config';
import * as client from 'openid-client';
import { createTestPki, type IssuedCertificate, type TestPki } from '../../../../test/client-auth/test-certificates.js';
import { SignJWT, generateKeyPair } from 'jose';
import { GenericAdapter } from '../generic/generic.adapter.js';
import { postForm } from '../http/form-post.js';
import { IdTokenVerificationDeferredError } from '../id-token/id-token-verification-deferred.error.js';
import { ProviderHttp } from '../http/provider-http.js';
import { readMutualTlsMaterial } from './mutual-tls.js';
import { OpenIdConfigurationSource } from './openid-configuration.js';

interface Seen {
  path: string;
  fingerprint256: string | null;
  authorized: boolean;
  body: string;
  remotePort?: number;
}

function provider(
  overrides: Partial<ProviderConfig> & { clientAuth: ProviderConfig['clientAuth'] },
  base = 'https://127.0.0.1:1',
): ProviderConfig {
  return {
    id: 'mtls',
    profile: 'generic',
    issuer: base,
    backchannelAuthenticationEndpoint: `${base}/backchannel`,
    tokenEndpoint: `${base}/token`,
    jwksUri: `${base}/jwks`,
    clientId: 'bff-mtls',
    deliveryMode: 'poll',
    scope: 'openid',
    signedRequests: false,
    allowInsecureHttp: false,
    httpTimeoutSeconds: 5,
    pollConcurrency: 1,
    maxUserCodeAttempts: 3,
    pingFallbackSeconds: 30,
    jwksCooldownSeconds: 30,
    trustedAudiences: [],
    maxResponseBytes: 65_536,
    ...overrides,
  };
}

describe('mutual TLS (tls_client_auth, RFC 8705 §2)', () => {
  let pki: TestPki;
  let mine: IssuedCertificate;
  let server: Server;
  let base: string;
  const seen: Seen[] = [];

  beforeAll(async () => {
    pki = await createTestPki();
    mine = await pki.issueClient('bff');
    server = createServer(
      { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requestCert: true, rejectUnauthorized: false },
      (request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          const socket = request.socket as TLSSocket;
          const peer = socket.getPeerCertificate();
          seen.push({
            path: request.url!,
            fingerprint256: peer?.fingerprint256 ?? null,
            authorized: socket.authorized,
            body: Buffer.concat(chunks).toString(),
            ...(request.url === '/token' ? { remotePort: socket.remotePort } : {}),
          });
          if (request.url === '/redirect') return void response.writeHead(302, { location: 'https://example.com/' }).end();
          if (request.url === '/empty') return void response.writeHead(204).end();
          if (request.url === '/jwks') return void response.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[]}');
          if (request.url === '/token') {
            return void response
              .writeHead(400, { 'content-type': 'application/json' })
              .end(JSON.stringify({ error: 'authorization_pending' }));
          }
          response.writeHead(200, { 'content-type': 'application/json', 'x-test': 'yes' }).end(JSON.stringify({ ok: true }));
        });
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await pki?.remove();
  });

  const mtlsAuth = () => ({ method: 'tls_client_auth' as const, cert: mine.certPath, key: mine.keyPath });

  it('reads the PEM files at start-up and names the setting when one is missing', () => {
    const missing = provider({
      clientAuth: { method: 'tls_client_auth', cert: join(pki.dir, 'nope.crt'), key: join(pki.dir, 'nope.key') },
    });
    expect(() => readMutualTlsMaterial(missing)).toThrow(ConfigError);
    try {
      readMutualTlsMaterial(missing);
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        `providers.mtls.clientAuth.cert: cannot read ${join(pki.dir, 'nope.crt')} (ENOENT)`,
        `providers.mtls.clientAuth.key: cannot read ${join(pki.dir, 'nope.key')} (ENOENT)`,
      ]);
    }
    // The wiring fails just as early: constructing the source reads the files.
    expect(() => new OpenIdConfigurationSource(missing)).toThrow(/providers\.mtls\.clientAuth\.cert: cannot read/);
  });

  it('refuses a file that is not PEM, a key of another certificate, and an unreadable ca', async () => {
    const garbage = join(pki.dir, 'garbage.pem');
    await writeFile(garbage, 'not a certificate');
    expect(() => readMutualTlsMaterial(provider({ clientAuth: { method: 'tls_client_auth', cert: garbage, key: garbage } }))).toThrow(
      /providers\.mtls\.clientAuth\.cert: not a PEM certificate[\s\S]*providers\.mtls\.clientAuth\.key: not an unencrypted PEM private key/,
    );
    const other = await pki.issueClient('other');
    expect(() =>
      readMutualTlsMaterial(provider({ clientAuth: { method: 'tls_client_auth', cert: mine.certPath, key: other.keyPath } })),
    ).toThrow(/providers\.mtls\.clientAuth\.key: does not belong to the certificate/);
    expect(() => readMutualTlsMaterial(provider({ clientAuth: { ...mtlsAuth(), ca: join(pki.dir, 'missing-ca.pem') } }))).toThrow(
      /providers\.mtls\.clientAuth\.ca: cannot read .*missing-ca\.pem \(ENOENT\)/,
    );
    expect(() => readMutualTlsMaterial(provider({ clientAuth: { ...mtlsAuth(), ca: 42 as unknown as string } }))).toThrow(
      /providers\.mtls\.clientAuth\.ca: must be a PEM file path/,
    );
  });

  /** The fetch the provider's calls but the form POSTs travel on. */
  const mtlsFetch = (settings: ProviderConfig) => new ProviderHttp(settings).fetch;

  it('presents the client certificate and hands back a global Response', async () => {
    const doFetch = mtlsFetch(provider({ clientAuth: { ...mtlsAuth(), ca: pki.ca.certPath } }));
    const response = await doFetch(`${base}/hello`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
      redirect: 'manual',
    });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-test')).toBe('yes');
    expect(await response.json()).toEqual({ ok: true });
    expect(seen.at(-1)).toEqual({ path: '/hello', fingerprint256: mine.fingerprint256, authorized: true, body: 'a=1' });
  });

  it('never follows a redirect and copes with a bodiless status', async () => {
    const doFetch = mtlsFetch(provider({ clientAuth: { ...mtlsAuth(), ca: pki.ca.certPath } }));
    const before = seen.length;
    const redirect = await doFetch(`${base}/redirect`, { method: 'GET', headers: {}, body: undefined, redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('https://example.com/');
    expect((await doFetch(`${base}/empty`, { method: 'GET', headers: {}, body: undefined, redirect: 'manual' })).status).toBe(204);
    expect(seen.slice(before).map((s) => s.path)).toEqual(['/redirect', '/empty']);
  });

  it('without clientAuth.ca the test server certificate is not trusted (the CA option is what trusts it)', async () => {
    const doFetch = mtlsFetch(provider({ clientAuth: mtlsAuth() }));
    const failure = await doFetch(`${base}/hello`, { method: 'GET', headers: {}, body: undefined, redirect: 'manual' }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as { cause?: { code?: string } }).cause?.code).toMatch(/^(SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)$/);
  });

  it('OpenIdConfigurationSource uses it for openid-client calls and for postForm', async () => {
    const source = new OpenIdConfigurationSource(provider({ clientAuth: { ...mtlsAuth(), ca: pki.ca.certPath } }, base));
    const before = seen.length;

    // openid-client: the Configuration built by get() carries the fetch (token request).
    await expect(
      client.genericGrantRequest(await source.get(), 'urn:openid:params:grant-type:ciba', { auth_req_id: 'r1' }),
    ).rejects.toMatchObject({
      error: 'authorization_pending',
    });
    // postForm (dialects' own calls) goes through source.fetch.
    const answer = await postForm(source, `${base}/form`, { auth_req_id: 'r2' });
    expect(answer.json).toEqual({ ok: true });

    expect(seen.slice(before)).toEqual([
      expect.objectContaining({ path: '/token', fingerprint256: mine.fingerprint256, authorized: true }),
      expect.objectContaining({ path: '/form', fingerprint256: mine.fingerprint256, authorized: true }),
    ]);
    expect(new URLSearchParams(seen.at(-1)!.body).get('client_id')).toBe('bff-mtls');
  });

  it('polls the token endpoint on the same certificate, one kept-alive connection for several polls', async () => {
    const settings = provider({ clientAuth: { ...mtlsAuth(), ca: pki.ca.certPath } }, base);
    const adapter = new GenericAdapter(settings, new OpenIdConfigurationSource(settings));
    const before = seen.length;
    for (let i = 0; i < 3; i += 1) {
      await expect(adapter.poll(`r${i}`)).resolves.toEqual({ kind: 'pending' });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const polls = seen.slice(before);
    const onCertificate = expect.objectContaining({ path: '/token', fingerprint256: mine.fingerprint256, authorized: true }) as unknown;
    expect(polls).toEqual([onCertificate, onCertificate, onCertificate]);
    expect(new URLSearchParams(polls[0].body).get('client_id')).toBe('bff-mtls');
    expect(new Set(polls.map((poll) => poll.remotePort)).size).toBe(1);
    await adapter.close();
  });

  it("the ID Token verifier fetches the provider's JWKS over it too", async () => {
    const settings = provider({ clientAuth: { ...mtlsAuth(), ca: pki.ca.certPath } }, base);
    const adapter = new GenericAdapter(settings, new OpenIdConfigurationSource(settings));
    const token = await new SignJWT({ sub: 'x' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k' })
      .sign((await generateKeyPair('ES256')).privateKey);
    const before = seen.length;
    // The set has no key yet: deferred, which proves the JWKS was read.
    await expect(
      adapter.verify({ id_token: token }, { authReqId: 'r', hint: { customer: 'x' }, requestedAcr: null }),
    ).rejects.toBeInstanceOf(IdTokenVerificationDeferredError);
    expect(seen.slice(before)).toEqual([expect.objectContaining({ path: '/jwks', fingerprint256: mine.fingerprint256, authorized: true })]);
  });

  it('an injected customFetch takes precedence', async () => {
    const called: string[] = [];
    const injected: client.CustomFetch = (url) => {
      called.push(url);
      return Promise.resolve(Response.json({ injected: true }));
    };
    const http = new OpenIdConfigurationSource(provider({ clientAuth: mtlsAuth() }), injected).http;
    const answer = await http.fetch(`${base}/hello`, { method: 'GET', headers: {}, body: undefined, redirect: 'manual' });
    expect(await answer.json()).toEqual({ injected: true });
    expect(called).toEqual([`${base}/hello`]);
  });
});
