import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { startStack, type Stack } from '../support/bff-stack.js';
import { startMtlsGateway, type MtlsGateway } from '../client-auth/mtls-gateway.js';
import { createTestPki, type IssuedCertificate, type TestPki } from '../client-auth/test-certificates.js';

/** Secrets of the sandbox clients (HS256 wants at least 32 bytes of secret). */
const POST_SECRET = 'post-secret-for-the-client-auth-e2e';
const HS256_SECRET = 'hs256-secret-of-more-than-32-bytes-for-client-secret-jwt';
/** What the mTLS gateway itself authenticates to the sandbox with (the sandbox knows no mTLS). */
const GATEWAY_SECRET = 'gateway-upstream-secret';

interface Metadata {
  backchannel_authentication_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
}

/**
 * Every client authentication method of API.md §3 against the real sandbox OpenID Provider
 * (oidc-provider), one sandbox client per method; tls_client_auth through an HTTPS gateway that
 * checks the client certificate (the sandbox listens on plain http).
 */
describe('client authentication methods, end to end', () => {
  let stack: Stack;
  let pki: TestPki;
  let gateway: MtlsGateway | undefined;
  let registered: IssuedCertificate;
  let impostor: IssuedCertificate;

  beforeAll(async () => {
    pki = await createTestPki();
    [registered, impostor] = await Promise.all([pki.issueClient('cap-mtls'), pki.issueClient('impostor')]);
    const rsa = await generateKeyPair('RS256', { extractable: true });
    const ec = await generateKeyPair('ES256', { extractable: true });
    const rsaPublic = { ...(await exportJWK(rsa.publicKey)), kid: 'rs-1', alg: 'RS256', use: 'sig' };
    const ecPublic = { ...(await exportJWK(ec.publicKey)), kid: 'es-1', alg: 'ES256', use: 'sig' };

    stack = await startStack({
      sandboxClients: [
        { client_id: 'cap-post', client_secret: POST_SECRET, token_endpoint_auth_method: 'client_secret_post' },
        { client_id: 'cap-rs256', token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [rsaPublic] } },
        { client_id: 'cap-es256', token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [ecPublic] } },
        { client_id: 'cap-hs256', client_secret: HS256_SECRET, token_endpoint_auth_method: 'client_secret_jwt' },
        { client_id: 'cap-public', token_endpoint_auth_method: 'none' },
        { client_id: 'cap-mtls', client_secret: GATEWAY_SECRET, token_endpoint_auth_method: 'client_secret_post' },
      ],
      providers: async (sandbox) => {
        const metadata = (await (await fetch(`${sandbox.issuer}/.well-known/openid-configuration`)).json()) as Metadata;
        gateway = await startMtlsGateway({
          server: pki.server,
          ca: pki.ca.cert,
          clientId: 'cap-mtls',
          fingerprint256: registered.fingerprint256,
          upstream: {
            backchannel: metadata.backchannel_authentication_endpoint,
            token: metadata.token_endpoint,
            clientSecret: GATEWAY_SECRET,
          },
        });
        const viaDiscovery = (clientId: string, clientAuth: Record<string, unknown>) => ({
          issuer: sandbox.issuer,
          clientId,
          clientAuth,
          scope: 'openid profile',
          allowInsecureHttp: true,
        });
        const viaGateway = (certificate: IssuedCertificate) => ({
          issuer: sandbox.issuer,
          backchannelAuthenticationEndpoint: `${gateway!.url}/backchannel`,
          tokenEndpoint: `${gateway!.url}/token`,
          // ID Token keys come straight from the sandbox: the JWKS fetch needs no client certificate.
          jwksUri: metadata.jwks_uri,
          clientId: 'cap-mtls',
          // The gateway's server certificate comes from the test CA: clientAuth.ca trusts it.
          clientAuth: { method: 'tls_client_auth', cert: certificate.certPath, key: certificate.keyPath, ca: pki.ca.certPath },
          scope: 'openid profile',
          allowInsecureHttp: true,
        });
        return {
          'cap-post': viaDiscovery('cap-post', { method: 'client_secret_post', secret: POST_SECRET }),
          // RS256 from a PKCS#8 PEM (alg read from the key), ES256 from JWK JSON text (kid inside).
          'cap-rs256': viaDiscovery('cap-rs256', { method: 'private_key_jwt', privateKey: await exportPKCS8(rsa.privateKey), kid: 'rs-1' }),
          'cap-es256': viaDiscovery('cap-es256', {
            method: 'private_key_jwt',
            privateKey: JSON.stringify({ ...(await exportJWK(ec.privateKey)), kid: 'es-1' }),
          }),
          'cap-hs256': viaDiscovery('cap-hs256', { method: 'client_secret_jwt', secret: HS256_SECRET }),
          'cap-public': viaDiscovery('cap-public', { method: 'none' }),
          'cap-mtls': viaGateway(registered),
          'cap-mtls-impostor': viaGateway(impostor),
        };
      },
    });
  });

  afterAll(async () => {
    await stack?.close();
    await gateway?.close();
    await pki?.remove();
  });

  /** start → the sandbox request of that client → approve → the final status document. */
  async function approvedFlow(provider: string, clientId: string, customer: string) {
    const start = await stack.portal.start({ provider, loginHint: customer });
    expect({ provider, status: start.status }).toEqual({ provider, status: 201 });
    // oidc-provider files the request for the device before it acknowledges it, so it is there now.
    const request = stack.sandbox.pending(customer).find((pending) => pending.clientId === clientId);
    expect(request).toMatchObject({ clientId, customer });
    await stack.sandbox.approve(request!.id);
    const done = await stack.portal.waitForStatusChange(start.body!.id, 'pending', 30);
    return done.body!;
  }

  function expectApprovedFor(document: Record<string, any>, username: string, clientId: string) {
    const customer = stack.sandbox.customers.find((c) => c.username === username)!;
    expect(document).toMatchObject({
      status: 'approved',
      error: null,
      result: {
        subject: customer.sub,
        claims: { sub: customer.sub, name: customer.name, personal_number: customer.personalNumber },
        tokens: { idToken: expect.any(String), accessToken: expect.any(String) },
      },
    });
    // The ID Token was issued to this very client (its `aud`), so the method really was the one used.
    const payload = JSON.parse(Buffer.from(document.result.tokens.idToken.split('.')[1], 'base64url').toString()) as {
      aud: string | string[];
    };
    expect([payload.aud].flat()).toEqual([clientId]);
  }

  it('client_secret_post, private_key_jwt (RS256 PEM, ES256 JWK), client_secret_jwt, none and tls_client_auth each reach `approved`', async () => {
    const flows: Array<[provider: string, clientId: string, customer: string]> = [
      ['cap-post', 'cap-post', 'alice'],
      ['cap-rs256', 'cap-rs256', 'bob'],
      ['cap-es256', 'cap-es256', 'carol'],
      ['cap-hs256', 'cap-hs256', 'dave'],
      // oidc-provider lets a public client use CIBA although CIBA Core §4 asks for confidential ones.
      ['cap-public', 'cap-public', 'carol'],
      ['cap-mtls', 'cap-mtls', 'alice'],
    ];
    const documents = await Promise.all(flows.map(([provider, clientId, customer]) => approvedFlow(provider, clientId, customer)));
    documents.forEach((document, index) => expectApprovedFor(document, flows[index][2], flows[index][1]));

    // tls_client_auth: the backchannel request and every poll came with the registered certificate.
    const mtls = gateway!.ledger.filter((entry) => entry.clientId === 'cap-mtls' && entry.fingerprint256 === registered.fingerprint256);
    expect(mtls.map((entry) => entry.path)).toEqual(['/backchannel', ...mtls.slice(1).map(() => '/token')]);
    expect(mtls.length).toBeGreaterThanOrEqual(2);
    expect(mtls.every((entry) => entry.accepted)).toBe(true);
  });

  it('tls_client_auth with another certificate: 500 provider_misconfigured (invalid_client), refused by the gateway, never at the sandbox', async () => {
    const before = gateway!.ledger.length;
    const start = await stack.portal.start({ provider: 'cap-mtls-impostor', loginHint: 'bob' });
    expect(start.status).toBe(500);
    expect(start.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(start.body).toMatchObject({ status: 500, code: 'provider_misconfigured', providerError: 'invalid_client' });

    const seen = gateway!.ledger.slice(before);
    expect(seen).toEqual([
      expect.objectContaining({
        path: '/backchannel',
        clientId: 'cap-mtls',
        fingerprint256: impostor.fingerprint256,
        accepted: false,
        reason: 'client certificate does not match the registered one',
      }),
    ]);
    expect(stack.sandbox.pending('bob').filter((pending) => pending.clientId === 'cap-mtls')).toEqual([]);
  });
});
