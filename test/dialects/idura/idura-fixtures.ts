import { exportJWK, generateKeyPair, type JWK } from 'jose';

/** Valid Swedish personnummer (Luhn) in 12-digit form, one per test so per-customer limits never meet. */
export const SWEDES = [
  '196802020575',
  '199001011239',
  '198507099870',
  '201212121212',
  '197506152342',
  '194503201115',
  '202001055512',
  '200101010015',
];
/** Valid Norwegian fødselsnummer (both mod-11 check digits). */
export const NORWEGIANS = ['15038545660', '31129900183', '02020202001', '10057034543'];

export const KEY_CLIENT_ID = 'urn:my:application:identifier:1234';
export const BASIC_CLIENT_ID = 'urn:my:application:identifier:5678';
/** Needs form-urlencoding before Basic authentication (RFC 6749 §2.3.1). */
export const BASIC_SECRET = 'sä cret+/:x';

/** Our client key: the private JWK goes into the provider's clientAuth, the public one to Idura. */
export async function clientKeys(): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = 'ciba-bff-test';
  return {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
  };
}

/** The provider block of the BFF configuration for an Idura tenant (API.md §3). */
export function iduraProvider(
  endpoints: { backchannel: string; token: string; jwks: string },
  issuer: string,
  clientAuth: Record<string, unknown>,
  clientId: string,
) {
  return {
    profile: 'idura',
    issuer,
    backchannelAuthenticationEndpoint: endpoints.backchannel,
    tokenEndpoint: endpoints.token,
    jwksUri: endpoints.jwks,
    clientId,
    clientAuth,
    scope: 'openid',
    allowInsecureHttp: true,
    options: { callInitiator: 'RP' },
  };
}
