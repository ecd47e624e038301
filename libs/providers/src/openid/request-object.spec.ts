import { decodeProtectedHeader, generateKeyPair, jwtVerify } from 'jose';
import { signRequestObject } from './request-object.js';

describe(signRequestObject.name, () => {
  it('carries every parameter and the FAPI-CIBA claims, objects as objects, never client credentials', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwt = await signRequestObject(
      {
        scope: 'openid',
        login_hint: 'alice',
        binding_message: 'K7RT4X',
        requested_expiry: '120',
        claims: '{"id_token":{"name":null}}',
        client_assertion: 'secret-assertion',
      },
      { clientId: 'bff', issuer: 'https://op.example.com', signer: { key: privateKey, alg: 'ES256', kid: 'k1' }, now: Date.now() },
    );
    expect(decodeProtectedHeader(jwt)).toMatchObject({ alg: 'ES256', kid: 'k1' });
    const { payload } = await jwtVerify(jwt, publicKey, { issuer: 'bff', audience: 'https://op.example.com' });
    expect(payload).toMatchObject({
      scope: 'openid',
      login_hint: 'alice',
      binding_message: 'K7RT4X',
      requested_expiry: '120',
      claims: { id_token: { name: null } },
    });
    expect(payload).not.toHaveProperty('client_assertion');
    expect(payload.exp! - payload.nbf!).toBeLessThanOrEqual(3600);
    expect(payload.iat).toBe(payload.nbf);
    expect(typeof payload.jti).toBe('string');
  });

  it('uses a fresh jti every time', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const context = { clientId: 'bff', issuer: 'https://op', signer: { key: privateKey, alg: 'ES256' } };
    const jtis = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const [, body] = (await signRequestObject({ scope: 'openid' }, context)).split('.');
        return (JSON.parse(Buffer.from(body, 'base64url').toString()) as { jti: string }).jti;
      }),
    );
    expect(new Set(jtis).size).toBe(20);
  });
});
