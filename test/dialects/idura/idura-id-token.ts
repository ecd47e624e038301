import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';

/** A test person as the eID would describe them. */
export interface IduraPerson {
  givenName: string;
  familyName: string;
}

export type IduraEidName = 'se-bankid' | 'no-bankid' | 'frejaid';

const SCHEME: Record<IduraEidName, { identityscheme: string; country: string }> = {
  'se-bankid': { identityscheme: 'sebankid', country: 'SE' },
  'no-bankid': { identityscheme: 'nobankid', country: 'NO' },
  frejaid: { identityscheme: 'frejaid', country: 'SE' },
};

/** The provider's own signing key (RS256, as seed 002's sample token) and its JWKS. */
export class IduraTokenSigner {
  private constructor(
    private readonly key: CryptoKey,
    readonly jwks: { keys: JWK[] },
    private readonly kid: string,
  ) {}

  static async create(): Promise<IduraTokenSigner> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const kid = randomUUID().replace(/-/g, '').toUpperCase();
    return new IduraTokenSigner(privateKey, { keys: [{ ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' }] }, kid);
  }

  /**
   * An ID Token shaped like seed 002's sample: `aud` is the (URN) client id, `sub` a GUID in
   * braces, the eID in `authenticationtype`, the time in `authenticationinstant`, no `acr`,
   * `auth_time` or `at_hash`; the SSN in `ssn` (and `socialno` for Norwegian BankID).
   */
  async idToken(input: {
    issuer: string;
    clientId: string;
    acr: string;
    eid: IduraEidName;
    ssn: string;
    person: IduraPerson;
    extra?: Record<string, unknown>;
  }): Promise<string> {
    const guid = randomUUID();
    const { identityscheme, country } = SCHEME[input.eid];
    const claims: Record<string, unknown> = {
      identityscheme,
      authenticationtype: input.acr,
      authenticationmethod: 'urn:oasis:names:tc:SAML:2.0:ac:classes:SoftwarePKI',
      authenticationinstant: new Date().toISOString(),
      nameidentifier: guid.replace(/-/g, ''),
      sessionindex: randomUUID(),
      ssn: input.ssn,
      ...(input.eid === 'no-bankid' ? { socialno: input.ssn } : {}),
      name: `${input.person.givenName} ${input.person.familyName}`,
      givenname: input.person.givenName,
      given_name: input.person.givenName,
      surname: input.person.familyName,
      family_name: input.person.familyName,
      country,
      ...input.extra,
    };
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: this.kid })
      .setIssuer(input.issuer)
      .setAudience(input.clientId)
      .setSubject(`{${guid}}`)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + 1200)
      .sign(this.key);
  }
}
