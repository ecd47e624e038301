import { ConfigError, type ProviderConfig } from '@ciba/config';
import { readIduraOptions } from './idura-options.js';

const provider = (overrides: Partial<ProviderConfig> = {}): ProviderConfig => ({
  id: 'idura',
  profile: 'idura',
  issuer: 'https://bank.idura.broker',
  clientId: 'urn:my:application:identifier:1234',
  clientAuth: { method: 'private_key_jwt', privateKey: { kty: 'RSA', n: 'x', e: 'AQAB', d: 'y' } },
  deliveryMode: 'poll',
  scope: 'openid',
  signedRequests: false,
  allowInsecureHttp: false,
  httpTimeoutSeconds: 10,
  pollConcurrency: 50,
  maxUserCodeAttempts: 3,
  pingFallbackSeconds: 30,
  jwksCooldownSeconds: 30,
  trustedAudiences: [],
  maxResponseBytes: 65_536,
  ...overrides,
});

function problems(config: ProviderConfig): string[] {
  try {
    readIduraOptions(config);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('Idura provider options', () => {
  it('defaults the assertion audience to the issuer', () => {
    expect(readIduraOptions(provider())).toEqual({ assertionAudience: { kind: 'issuer' }, callInitiator: undefined });
  });

  it('reads assertionAudience and callInitiator', () => {
    expect(readIduraOptions(provider({ options: { assertionAudience: 'tokenEndpoint', callInitiator: 'RP' } }))).toEqual({
      assertionAudience: { kind: 'tokenEndpoint' },
      callInitiator: 'RP',
    });
    expect(readIduraOptions(provider({ options: { assertionAudience: 'https://bank.idura.broker/' } })).assertionAudience).toEqual({
      kind: 'url',
      url: 'https://bank.idura.broker/',
    });
  });

  it('allows client_secret_basic and refuses methods Idura does not document', () => {
    expect(problems(provider({ clientAuth: { method: 'client_secret_basic', secret: 's' } }))).toEqual([]);
    expect(problems(provider({ clientAuth: { method: 'client_secret_post', secret: 's' } }))).toEqual([
      'providers.idura.clientAuth.method: Idura accepts private_key_jwt (recommended) or client_secret_basic, not client_secret_post',
    ]);
  });

  it('refuses assertion keys that sign with anything but RS256 or ES256', () => {
    expect(problems(provider({ clientAuth: { method: 'private_key_jwt', privateKey: { kty: 'EC', crv: 'P-256' } } }))).toEqual([]);
    expect(problems(provider({ clientAuth: { method: 'private_key_jwt', privateKey: { kty: 'OKP', crv: 'Ed25519' } } }))[0]).toMatch(
      /^providers\.idura\.clientAuth: .*signs with OKP Ed25519/,
    );
    expect(problems(provider({ clientAuth: { method: 'private_key_jwt', privateKey: '{"kty":"RSA"}', alg: 'PS256' } }))[0]).toMatch(
      /signs with PS256/,
    );
    expect(problems(provider({ clientAuth: { method: 'private_key_jwt', privateKey: '{not json' } }))).toEqual([
      'providers.idura.clientAuth.privateKey: not valid JWK JSON',
    ]);
  });

  it('names every bad option key', () => {
    const found = problems(provider({ options: { callInitiator: 'agent', assertionAudience: 'http://x', mode: 1 } }));
    expect(found).toEqual([
      'providers.idura.options.mode: unknown option for the idura profile (known: assertionAudience, callInitiator)',
      'providers.idura.options.assertionAudience: must be "issuer" (the default), "tokenEndpoint" or an https URL',
      'providers.idura.options.callInitiator: must be "RP" (we call the customer) or "user" (the customer called us)',
    ]);
    expect(
      problems(provider({ clientAuth: { method: 'client_secret_basic', secret: 's' }, options: { assertionAudience: 'tokenEndpoint' } })),
    ).toEqual(['providers.idura.options.assertionAudience: only meaningful with clientAuth.method private_key_jwt']);
  });
});
