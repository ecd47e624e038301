import { parseConfig, type ProviderConfig } from '@ciba/config';
import type { ServerMetadata } from 'openid-client';
import { checkProviderMetadata, checkUserCodeSupported } from './metadata-checks.js';

const provider = (settings: Record<string, unknown>): ProviderConfig =>
  parseConfig({
    providers: {
      op: { issuer: 'https://op.example.com', clientId: 'bff', clientAuth: { method: 'client_secret_basic', secret: 's' }, ...settings },
    },
    notifications: { publicBaseUrl: 'https://bff.example.com' },
  }).providers.get('op')!;
const discovered = (extra: Record<string, unknown>): ServerMetadata => ({
  issuer: 'https://op.example.com',
  backchannel_token_delivery_modes_supported: ['poll', 'ping'],
  ...extra,
});

describe('provider metadata checks', () => {
  it('refuses a delivery mode the provider does not offer, saying which key to fix', () => {
    expect(() => checkProviderMetadata(provider({ deliveryMode: 'push' }), discovered({}))).toThrow(
      /does not support push delivery \(it offers poll, ping\); fix providers\.op\.deliveryMode/,
    );
    expect(() => checkProviderMetadata(provider({ deliveryMode: 'ping' }), discovered({}))).not.toThrow();
  });

  it('checks the request signing algorithm against the advertised ones', () => {
    const signed = provider({ signedRequests: true, clientAuth: { method: 'private_key_jwt', privateKey: '{}' } });
    expect(() =>
      checkProviderMetadata(signed, discovered({ backchannel_authentication_request_signing_alg_values_supported: ['PS256'] }), 'RS256'),
    ).toThrow(/does not accept signed requests in RS256/);
    expect(() =>
      checkProviderMetadata(signed, discovered({ backchannel_authentication_request_signing_alg_values_supported: ['PS256'] }), 'PS256'),
    ).not.toThrow();
    expect(() => checkProviderMetadata(signed, discovered({}), 'PS256')).toThrow(/advertises no signed authentication requests/);
  });

  it('refuses a user code the provider does not take, and checks nothing without discovery', () => {
    expect(() => checkUserCodeSupported(provider({}), discovered({}), '1234')).toThrow(/does not accept a user code/);
    expect(() =>
      checkUserCodeSupported(provider({}), discovered({ backchannel_user_code_parameter_supported: true }), '1234'),
    ).not.toThrow();
    expect(() => checkUserCodeSupported(provider({}), { issuer: 'https://op.example.com' }, '1234')).not.toThrow();
    expect(() => checkProviderMetadata(provider({ deliveryMode: 'push' }), { issuer: 'https://op.example.com' })).not.toThrow();
  });
});
