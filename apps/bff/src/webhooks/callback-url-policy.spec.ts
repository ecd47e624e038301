import { parseConfig, type ConsumerConfig } from '@ciba/config';
import { CibaError } from '@ciba/ciba';
import { isAllowedAddress } from './address-policy.js';
import { checkCallbackUrl } from './callback-url-policy.js';

const consumer = (webhook?: Record<string, unknown>): ConsumerConfig =>
  parseConfig({
    providers: { op: { issuer: 'https://op.example.com', clientId: 'c', clientAuth: { method: 'none' } } },
    consumers: { pos: { apiKeySha256: 'a'.repeat(64), providers: ['op'], ...(webhook ? { webhook: { secret: 's', ...webhook } } : {}) } },
  }).consumers.get('pos')!;

const reason = (url: string, c: ConsumerConfig) => {
  try {
    checkCallbackUrl(url, c);
    return 'allowed';
  } catch (error) {
    if (error instanceof CibaError) return error.message;
    throw error;
  }
};

describe('callback URL policy', () => {
  const pos = consumer({ allowedHosts: ['pos.example.com', '10.0.0.1', '169.254.169.254', '127.0.0.1', '[::1]'] });

  it('allows https to an allowed host', () => {
    expect(reason('https://pos.example.com/ciba/result', pos)).toBe('allowed');
    expect(reason('https://POS.example.com:8443/x', pos)).toBe('allowed');
  });

  it.each([
    ['http://pos.example.com/x', /must be https/],
    ['ftp://pos.example.com/x', /must be https/],
    ['https://evil.example.com/x', /not in this consumer's allowedHosts/],
    ['https://user:pw@pos.example.com/x', /credentials/],
    ['https://pos.example.com/x#frag', /fragment/],
    ['https://10.0.0.1/x', /private/],
    ['https://169.254.169.254/latest/meta-data', /private/],
    ['https://127.0.0.1/x', /loopback addresses need allowLoopback/],
    ['http://127.0.0.1/x', /must be https/],
    ['not a url', /absolute URL/],
  ])('refuses %s', (url, why) => {
    expect(reason(url, pos)).toMatch(why);
  });

  it('needs a webhook on the consumer, and allows http to loopback only with allowLoopback', () => {
    expect(reason('https://pos.example.com/x', consumer())).toMatch(/no webhook configured/);
    const dev = consumer({ allowedHosts: ['127.0.0.1', 'localhost'], allowLoopback: true });
    expect(reason('http://127.0.0.1:8080/hook', dev)).toBe('allowed');
    expect(reason('http://localhost:8080/hook', dev)).toBe('allowed');
  });

  it('classifies addresses, IPv4-mapped IPv6 included', () => {
    for (const address of [
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '::1',
      'fe80::1',
      'fc00::1',
      '::ffff:10.0.0.1',
      '0.0.0.0',
      '224.0.0.1',
    ]) {
      expect([address, isAllowedAddress(address, false)]).toEqual([address, false]);
    }
    expect(isAllowedAddress('93.184.216.34', false)).toBe(true);
    expect(isAllowedAddress('127.0.0.1', true)).toBe(true);
    expect(isAllowedAddress('10.0.0.1', true)).toBe(false);
  });
});
