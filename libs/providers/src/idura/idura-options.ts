import { ConfigError, type ClientAuthConfig, type ProviderConfig } from '@ciba/config';

/** Where the client assertion's `aud` points (Idura's private key JWT guide: the Idura domain). */
export type AssertionAudience = { kind: 'issuer' } | { kind: 'tokenEndpoint' } | { kind: 'url'; url: string };

/** Swedish BankID phone authentication: who placed the call (Idura's Caller Authentication guide). */
export type CallInitiator = 'RP' | 'user';

/** The `options` of an `idura` provider, validated. */
export interface IduraOptions {
  assertionAudience: AssertionAudience;
  /** Sent as `[{"type":"phoneAuth","callInitiator":...}]` for Swedish BankID when the consumer sends no authorizationDetails. */
  callInitiator?: CallInitiator;
}

/** Idura documents these two; private_key_jwt is its recommendation, the secret the "less secure" one. */
const CLIENT_AUTH_METHODS = ['private_key_jwt', 'client_secret_basic'];
/** Idura's guide signs with RS256; ES256 is the other algorithm our keys come in. */
const ASSERTION_ALGORITHMS = ['RS256', 'ES256'];
const KNOWN_OPTIONS = new Set(['assertionAudience', 'callInitiator']);

/** Checks the provider's client authentication and options; a `ConfigError` names each bad key. */
export function readIduraOptions(provider: ProviderConfig): IduraOptions {
  const path = `providers.${provider.id}`;
  const problems: string[] = [];
  const options = provider.options ?? {};
  const auth = provider.clientAuth;
  if (!CLIENT_AUTH_METHODS.includes(auth.method)) {
    problems.push(`${path}.clientAuth.method: Idura accepts private_key_jwt (recommended) or client_secret_basic, not ${auth.method}`);
  }
  if (auth.method === 'private_key_jwt') checkAssertionKey(auth, `${path}.clientAuth`, problems);
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key))
      problems.push(`${path}.options.${key}: unknown option for the idura profile (known: ${[...KNOWN_OPTIONS].join(', ')})`);
  }
  const assertionAudience = readAudience(options.assertionAudience, provider, `${path}.options.assertionAudience`, problems);
  const callInitiator = options.callInitiator;
  if (callInitiator !== undefined && callInitiator !== 'RP' && callInitiator !== 'user') {
    problems.push(`${path}.options.callInitiator: must be "RP" (we call the customer) or "user" (the customer called us)`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { assertionAudience, callInitiator: callInitiator as CallInitiator | undefined };
}

function readAudience(value: unknown, provider: ProviderConfig, key: string, problems: string[]): AssertionAudience {
  if (value === undefined || value === 'issuer') return { kind: 'issuer' };
  if (provider.clientAuth.method !== 'private_key_jwt') {
    problems.push(`${key}: only meaningful with clientAuth.method private_key_jwt`);
    return { kind: 'issuer' };
  }
  if (value === 'tokenEndpoint') return { kind: 'tokenEndpoint' };
  if (typeof value === 'string' && isAllowedUrl(value, provider.allowInsecureHttp)) return { kind: 'url', url: value };
  problems.push(`${key}: must be "issuer" (the default), "tokenEndpoint" or an https URL`);
  return { kind: 'issuer' };
}

function isAllowedUrl(value: string, allowInsecureHttp: boolean): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (allowInsecureHttp && url.protocol === 'http:');
  } catch {
    return false;
  }
}

/** The signing algorithm the key will get (as `privateKey()` decides it) must be one Idura takes. */
function checkAssertionKey(auth: ClientAuthConfig, key: string, problems: string[]): void {
  const source = auth.privateKey;
  if (source === undefined) return; // the shared cross-checks already report it
  let alg = auth.alg;
  if (!alg && (typeof source === 'object' || source.trim().startsWith('{'))) {
    let jwk: Record<string, unknown>;
    try {
      jwk = typeof source === 'object' ? source : (JSON.parse(source) as Record<string, unknown>);
    } catch {
      problems.push(`${key}.privateKey: not valid JWK JSON`);
      return;
    }
    alg = jwkAlgorithm(jwk);
  }
  alg ??= typeof source === 'string' && source.includes('BEGIN EC') ? 'ES256' : 'RS256';
  if (!ASSERTION_ALGORITHMS.includes(alg)) {
    problems.push(
      `${key}: Idura client assertions are signed with ${ASSERTION_ALGORITHMS.join(' or ')}; this key signs with ${alg} (an RSA or P-256 key, or set alg)`,
    );
  }
}

/** As `privateKey()` chooses: the JWK's own `alg`, else RS256 for RSA, ES256 for P-256. */
function jwkAlgorithm(jwk: Record<string, unknown>): string {
  if (typeof jwk.alg === 'string') return jwk.alg;
  if (jwk.kty === 'RSA') return 'RS256';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  const described = [jwk.kty, jwk.crv].filter((part): part is string => typeof part === 'string').join(' ');
  return described || 'an unknown key type';
}
