import { ConfigError, parseConfig, type ProviderConfig } from '@ciba/config';
import { readSimpleIdServerOptions } from './simpleidserver-options.js';

const provider = (options?: Record<string, unknown>): ProviderConfig =>
  parseConfig({
    providers: {
      sid: {
        profile: 'simpleidserver',
        issuer: 'https://sid.example/master',
        clientId: 'bff',
        clientAuth: { method: 'client_secret_post', secret: 's' },
        options,
      },
    },
  }).providers.get('sid')!;

describe('SimpleIdServer options', () => {
  it('requires a user code by default, and can be told not to', () => {
    expect(readSimpleIdServerOptions(provider())).toEqual({ requireUserCode: true });
    expect(readSimpleIdServerOptions(provider({ requireUserCode: false }))).toEqual({ requireUserCode: false });
  });

  it('names the offending key the way the configuration file spells it', () => {
    let thrown: unknown;
    try {
      readSimpleIdServerOptions(provider({ requireUserCode: 'yes', realm: 'master' }));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).problems).toEqual([
      expect.stringMatching(/^providers\.sid\.options\.realm: unknown option/),
      'providers.sid.options.requireUserCode: must be true or false',
    ]);
  });
});
