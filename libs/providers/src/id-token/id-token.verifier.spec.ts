import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type JWK, type JWTPayload } from 'jose';
import { IdTokenInvalidError } from './id-token-invalid.error.js';
import { AUTH_REQ_ID_CLAIM, IdTokenVerifier, RT_HASH_CLAIM } from './id-token.verifier.js';
import { tokenHash } from './token-hash.js';

const ISSUER = 'https://op.example.com';
const CLIENT = 'bff';

/** The OIDF RP negatives that apply to a CIBA token response (no nonce), against a served JWKS. */
describe(IdTokenVerifier.name, () => {
  let server: Server;
  let sut: IdTokenVerifier;
  let jwksUrl: string;
  let signingKey: CryptoKey;
  let otherKey: CryptoKey;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    signingKey = pair.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
    sut = new IdTokenVerifier(jwksUrl);
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const sign = (claims: JWTPayload, options: { key?: CryptoKey; kid?: string; alg?: string } = {}) =>
    new SignJWT(claims).setProtectedHeader({ alg: options.alg ?? 'RS256', kid: options.kid ?? 'k1' }).sign(options.key ?? signingKey);
  const base = (): JWTPayload => ({ iss: ISSUER, aud: CLIENT, sub: '248289761001', iat: now(), exp: now() + 300 });
  const expected = { issuer: ISSUER, clientId: CLIENT };

  it('accepts a valid token, with aud as a string or an array of our client id alone', async () => {
    await expect(sut.verify(await sign(base()), expected)).resolves.toMatchObject({ sub: '248289761001' });
    await expect(sut.verify(await sign({ ...base(), aud: [CLIENT] }), expected)).resolves.toBeDefined();
  });

  // OIDC Core §3.1.3.7 (3) and (4).
  it('refuses an audience the client does not trust, even with our client as azp', async () => {
    await expect(sut.verify(await sign({ ...base(), aud: [CLIENT, 'stranger'], azp: CLIENT }), expected)).rejects.toThrow(
      /an audience this client does not trust/,
    );
  });

  it('accepts a trusted audience beside ours only with our client as azp', async () => {
    const trusting = new IdTokenVerifier(jwksUrl, { trustedAudiences: ['api.example'] });
    const twoAudiences = { ...base(), aud: [CLIENT, 'api.example'] };
    await expect(trusting.verify(await sign({ ...twoAudiences, azp: CLIENT }), expected)).resolves.toBeDefined();
    await expect(trusting.verify(await sign(twoAudiences), expected)).rejects.toThrow(/azp is not our client id/);
    await expect(trusting.verify(await sign({ ...twoAudiences, azp: 'api.example' }), expected)).rejects.toThrow(
      /azp is not our client id/,
    );
    await expect(trusting.verify(await sign({ ...twoAudiences, aud: ['api.example'] }), expected)).rejects.toThrow(IdTokenInvalidError);
    await expect(
      trusting.verify(await sign({ ...twoAudiences, aud: [CLIENT, 'api.example', 'stranger'], azp: CLIENT }), expected),
    ).rejects.toThrow(/does not trust/);
  });

  it.each([
    ['a wrong iss', { iss: 'https://evil.example.com' }],
    ['a wrong aud', { aud: 'someone-else' }],
    ['an extra aud without our azp', { aud: [CLIENT, 'other'] }],
    ['an expired exp', { exp: now() - 120, iat: now() - 400 }],
    ['iat a week ago', { iat: now() - 7 * 86400, exp: now() + 300 }],
    ['iat in the future', { iat: now() + 600 }],
    ['no sub', { sub: undefined }],
    ['no exp', { exp: undefined }],
    ['no iss', { iss: undefined }],
    ['no aud', { aud: undefined }],
  ])('rejects %s', async (_name, change) => {
    const claims = { ...base(), ...change } as Record<string, unknown>;
    for (const key of Object.keys(change)) if ((change as Record<string, unknown>)[key] === undefined) delete claims[key];
    await expect(sut.verify(await sign(claims), expected)).rejects.toThrow(IdTokenInvalidError);
  });

  // An unknown kid is refused only after a refetch: see provider-key-set.spec.ts.
  it('rejects a bad signature, alg none and HMAC', async () => {
    await expect(sut.verify(await sign(base(), { key: otherKey }), expected)).rejects.toThrow(IdTokenInvalidError);
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(JSON.stringify(base())).toString('base64url')}.`;
    await expect(sut.verify(unsigned, expected)).rejects.toThrow(IdTokenInvalidError);
    const hmac = await new SignJWT(base()).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).sign(new TextEncoder().encode('x'.repeat(32)));
    await expect(sut.verify(hmac, expected)).rejects.toThrow(IdTokenInvalidError);
  });

  it('checks the CIBA binding claims when present, and requires them in push mode', async () => {
    const accessToken = 'access-token-value';
    const refreshToken = 'refresh-token-value';
    const bound = {
      ...base(),
      [AUTH_REQ_ID_CLAIM]: 'req-1',
      at_hash: tokenHash(accessToken, 'RS256'),
      [RT_HASH_CLAIM]: tokenHash(refreshToken, 'RS256'),
    };
    const strict = { ...expected, authReqId: 'req-1', accessToken, refreshToken, requireBindingClaims: true };
    await expect(sut.verify(await sign(bound), strict)).resolves.toBeDefined();
    await expect(sut.verify(await sign(bound), { ...strict, authReqId: 'req-2' })).rejects.toThrow(/auth_req_id does not match/);
    await expect(sut.verify(await sign(bound), { ...strict, accessToken: 'another' })).rejects.toThrow(/at_hash does not match/);
    await expect(sut.verify(await sign(bound), { ...strict, refreshToken: 'another' })).rejects.toThrow(/rt_hash does not match/);
    await expect(sut.verify(await sign(base()), strict)).rejects.toThrow(/auth_req_id is missing/);
    // Poll mode: absent binding claims are allowed.
    await expect(sut.verify(await sign(base()), { ...expected, authReqId: 'req-1', accessToken })).resolves.toBeDefined();
  });
});
