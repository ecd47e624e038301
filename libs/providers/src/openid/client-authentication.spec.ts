import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { ClientAuthConfig } from '@ciba/config';
import { decodeProtectedHeader, exportJWK, exportPKCS8, generateKeyPair, jwtVerify, type CryptoKey as JoseKey } from 'jose';
import type * as client from 'openid-client';
import { clientAuthentication, privateKey } from './client-authentication.js';

const AS = { issuer: 'https://op.example.com' } as client.ServerMetadata;
const CLIENT_ID = 'bff';

/** Runs a ClientAuth the way openid-client does and returns what it put on the request. */
async function apply(auth: client.ClientAuth): Promise<{ body: URLSearchParams; headers: Headers }> {
  const body = new URLSearchParams({ grant_type: 'urn:openid:params:grant-type:ciba' });
  const headers = new Headers();
  // A ClientAuth may or may not return a promise (client assertions are signed asynchronously).
  await Promise.resolve(auth(AS, { client_id: CLIENT_ID }, body, headers));
  return { body, headers };
}

async function keyPair(alg: string, options: { crv?: string } = {}) {
  const { privateKey: priv, publicKey } = await generateKeyPair(alg, { extractable: true, ...options });
  return { priv, publicKey, jwk: await exportJWK(priv), pem: await exportPKCS8(priv) };
}

/** The assertion must verify with the public key and carry the RFC 7523 §3 claims. */
async function expectAssertion(
  auth: client.ClientAuth,
  verifyKey: JoseKey | KeyObject | Uint8Array,
  expected: { alg: string; kid?: string },
) {
  const { body, headers } = await apply(auth);
  expect(headers.has('authorization')).toBe(false);
  expect(body.get('client_id')).toBe(CLIENT_ID);
  expect(body.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
  const assertion = body.get('client_assertion')!;
  expect(decodeProtectedHeader(assertion)).toMatchObject({ alg: expected.alg, ...(expected.kid ? { kid: expected.kid } : {}) });
  const { payload } = await jwtVerify(assertion, verifyKey, { issuer: CLIENT_ID, subject: CLIENT_ID, audience: AS.issuer });
  expect(payload.jti).toEqual(expect.any(String));
  expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(60);
}

describe('clientAuthentication', () => {
  it('client_secret_basic puts the secret in the Authorization header (RFC 6749 §2.3.1)', async () => {
    const { body, headers } = await apply(await clientAuthentication({ method: 'client_secret_basic', secret: 's3cret' }));
    expect(headers.get('authorization')).toBe(`Basic ${Buffer.from('bff:s3cret').toString('base64')}`);
    expect(body.has('client_secret')).toBe(false);
  });

  it('client_secret_post puts client_id and client_secret in the body', async () => {
    const { body, headers } = await apply(await clientAuthentication({ method: 'client_secret_post', secret: 's3cret' }));
    expect(headers.has('authorization')).toBe(false);
    expect(body.get('client_id')).toBe(CLIENT_ID);
    expect(body.get('client_secret')).toBe('s3cret');
  });

  it('client_secret_jwt signs an HS256 assertion with the secret', async () => {
    const secret = 'a-client-secret-of-at-least-32-bytes-long!';
    await expectAssertion(await clientAuthentication({ method: 'client_secret_jwt', secret }), new TextEncoder().encode(secret), {
      alg: 'HS256',
    });
  });

  it('client_secret_jwt refuses an algorithm openid-client cannot sign with', async () => {
    await expect(clientAuthentication({ method: 'client_secret_jwt', secret: 'x', alg: 'HS512' })).rejects.toThrow(
      /clientAuth\.alg: client_secret_jwt supports HS256 only/,
    );
  });

  it.each(['none', 'tls_client_auth'] as const)('%s sends client_id and no credential', async (method) => {
    const { body, headers } = await apply(await clientAuthentication({ method }));
    expect([...body.keys()].sort()).toEqual(['client_id', 'grant_type']);
    expect(headers.has('authorization')).toBe(false);
  });

  describe('private_key_jwt', () => {
    it.each([
      ['RS256', {}],
      ['PS256', {}],
      ['ES256', {}],
      ['EdDSA', { crv: 'Ed25519' }],
    ])('%s: a JWK object, JWK JSON text and PKCS#8 PEM all sign verifiable assertions', async (alg, options) => {
      const pair = await keyPair(alg, options);
      const sources: ClientAuthConfig[] = [
        { method: 'private_key_jwt', privateKey: { ...pair.jwk, kid: 'jwk-kid' }, alg },
        { method: 'private_key_jwt', privateKey: JSON.stringify({ ...pair.jwk, kid: 'jwk-kid' }), alg },
        { method: 'private_key_jwt', privateKey: pair.pem, kid: 'pem-kid', alg },
      ];
      for (const auth of sources) {
        const kid = typeof auth.privateKey === 'string' && auth.privateKey.startsWith('-----') ? 'pem-kid' : 'jwk-kid';
        await expectAssertion(await clientAuthentication(auth), pair.publicKey, { alg, kid });
      }
    });

    it.each([
      ['RSA', 'RS256', () => generateKeyPairSync('rsa', { modulusLength: 2048 })],
      ['EC P-256', 'ES256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' })],
      ['EC P-384', 'ES384', () => generateKeyPairSync('ec', { namedCurve: 'P-384' })],
      ['Ed25519', 'EdDSA', () => generateKeyPairSync('ed25519')],
    ])('a PKCS#8 PEM %s key without alg defaults to %s (read from the key, not the PEM label)', async (_name, alg, make) => {
      const { privateKey: keyObject, publicKey } = make();
      const pem = keyObject.export({ format: 'pem', type: 'pkcs8' }).toString();
      expect(pem).toContain('-----BEGIN PRIVATE KEY-----');
      const imported = await privateKey({ method: 'private_key_jwt', privateKey: pem });
      expect(imported.alg).toBe(alg);
      await expectAssertion(await clientAuthentication({ method: 'private_key_jwt', privateKey: pem }), publicKey, { alg });
    });

    it('the older PKCS#1 (BEGIN RSA) and SEC1 (BEGIN EC) PEM forms import too', async () => {
      const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'sec1' }).toString();
      expect(rsa).toContain('BEGIN RSA PRIVATE KEY');
      expect(ec).toContain('BEGIN EC PRIVATE KEY');
      expect((await privateKey({ method: 'private_key_jwt', privateKey: rsa })).alg).toBe('RS256');
      expect((await privateKey({ method: 'private_key_jwt', privateKey: ec })).alg).toBe('ES256');
    });

    it('a configured alg wins over the key default (PS256 from a plain RSA key)', async () => {
      const { privateKey: keyObject, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const pem = keyObject.export({ format: 'pem', type: 'pkcs8' }).toString();
      const imported = await privateKey({ method: 'private_key_jwt', privateKey: pem, alg: 'PS256' });
      expect(imported.key.algorithm.name).toBe('RSA-PSS');
      await expectAssertion(await clientAuthentication({ method: 'private_key_jwt', privateKey: pem, alg: 'PS256' }), publicKey, {
        alg: 'PS256',
      });
    });

    it('a JWK without alg takes its default from kty/crv; the JWK kid is used unless one is configured', async () => {
      const { jwk } = await keyPair('ES384');
      const imported = await privateKey({ method: 'private_key_jwt', privateKey: { ...jwk, kid: 'from-jwk' } });
      expect(imported).toMatchObject({ alg: 'ES384', kid: 'from-jwk' });
      expect(
        (
          await privateKey({
            method: 'private_key_jwt',
            privateKey: { ...jwk, kid: 'from-jwk' },
            kid: 'configured',
          })
        ).kid,
      ).toBe('configured');
    });

    it.each<[string, Partial<ClientAuthConfig> | (() => Promise<Partial<ClientAuthConfig>>), RegExp]>([
      [
        'a public JWK',
        async () => ({ privateKey: (await exportJWK((await keyPair('RS256')).publicKey)) as Record<string, unknown> }),
        /has no private part/,
      ],
      ['broken JSON', { privateKey: '{"kty": "RSA",' }, /not valid JSON/],
      ['not a PEM', { privateKey: 'hello' }, /not a readable PEM private key/],
      [
        'a symmetric alg',
        async () => ({ privateKey: (await keyPair('RS256')).pem, alg: 'HS256' }),
        /HS256 is not an asymmetric JWS algorithm/,
      ],
      ['an alg of another key type', async () => ({ privateKey: (await keyPair('RS256')).pem, alg: 'ES256' }), /cannot sign ES256/],
      [
        'an EC JWK with an RSA alg',
        async () => ({ privateKey: (await keyPair('ES256')).jwk as Record<string, unknown>, alg: 'RS256' }),
        /cannot sign RS256/,
      ],
      ['no key at all', { privateKey: undefined }, /privateKey: required/],
      [
        'an RSA-PSS-only PEM (WebCrypto cannot import it)',
        {
          privateKey: generateKeyPairSync('rsa-pss', { modulusLength: 2048 })
            .privateKey.export({ format: 'pem', type: 'pkcs8' })
            .toString(),
        },
        /RSA-PSS-only key .* use the plain RSA form with alg: PS256/,
      ],
    ])('refuses %s with a message naming the setting', async (_name, given, message) => {
      const settings = typeof given === 'function' ? await given() : given;
      await expect(clientAuthentication({ method: 'private_key_jwt', ...settings })).rejects.toThrow(message);
    });

    it('an EdDSA key is announced as "EdDSA" unless "Ed25519" is configured', async () => {
      const pair = await keyPair('EdDSA', { crv: 'Ed25519' });
      await expectAssertion(await clientAuthentication({ method: 'private_key_jwt', privateKey: pair.pem }), pair.publicKey, {
        alg: 'EdDSA',
      });
      const { body } = await apply(await clientAuthentication({ method: 'private_key_jwt', privateKey: pair.pem, alg: 'Ed25519' }));
      expect(decodeProtectedHeader(body.get('client_assertion')!).alg).toBe('Ed25519');
    });
  });
});
