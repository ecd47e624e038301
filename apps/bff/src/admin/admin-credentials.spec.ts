import type { CibaConfig, ConsumerConfig } from '@ciba/config';
import { createHash } from 'node:crypto';
import { ConsumerDirectory } from '../consumers/consumer-directory.js';
import { adminAccess, presentedApiKey } from './admin-credentials.js';

const withAuthorization = (authorization?: string) => ({ headers: authorization === undefined ? {} : { authorization } });
const basic = (userPass: string) => `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`;
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

describe('presentedApiKey', () => {
  it('reads a Bearer key', () => {
    expect(presentedApiKey(withAuthorization('Bearer key-123'))).toBe('key-123');
  });

  it('reads the password of HTTP Basic and ignores the user name, whatever it is', () => {
    expect(presentedApiKey(withAuthorization(basic('operator:key-123')))).toBe('key-123');
    expect(presentedApiKey(withAuthorization(basic(':key-123')))).toBe('key-123');
    expect(presentedApiKey(withAuthorization(basic('über:key-123')))).toBe('key-123');
  });

  it('takes everything after the first colon as the password (a key may contain colons)', () => {
    expect(presentedApiKey(withAuthorization(basic('ops:a:b:c')))).toBe('a:b:c');
  });

  it('accepts the Basic scheme name in any case (RFC 9110 §11.1)', () => {
    expect(presentedApiKey(withAuthorization(basic('ops:key-123').replace('Basic', 'bAsIc')))).toBe('key-123');
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['another scheme', 'Digest username="ops"'],
    ['Bearer without a key', 'Bearer '],
    ['Basic without credentials', 'Basic '],
    ['Basic without a colon', basic('key-123')],
    ['Basic with an empty password', basic('ops:')],
    ['Basic with a space in the password', basic('ops:key 123')],
    ['Basic with a non-ASCII password', basic('ops:kéy')],
    ['Basic that is not base64', 'Basic not*base64!'],
    ['Basic with a truncated base64 value', 'Basic b3BzOmtleS0xMj'],
    ['Basic with a key longer than any API key', basic(`ops:${'k'.repeat(513)}`)],
  ])('returns null for %s', (_case, header) => {
    expect(presentedApiKey(withAuthorization(header))).toBeNull();
  });
});

describe('adminAccess', () => {
  const consumer = (id: string, key: string, admin: boolean) =>
    ({ id, apiKeySha256: sha256(key), keyHashes: [sha256(key)], admin }) as unknown as ConsumerConfig;
  const directory = new ConsumerDirectory({
    consumers: new Map([
      ['ops', consumer('ops', 'admin-key', true)],
      ['portal', consumer('portal', 'portal-key', false)],
    ]),
  } as unknown as CibaConfig);

  it('lets an admin consumer in, by Bearer or by Basic', () => {
    expect(adminAccess(directory, withAuthorization('Bearer admin-key'))).toMatchObject({ kind: 'admin', consumer: { id: 'ops' } });
    expect(adminAccess(directory, withAuthorization(basic('anyone:admin-key')))).toMatchObject({ kind: 'admin', consumer: { id: 'ops' } });
  });

  it("tells a non-admin consumer's valid key apart from a wrong one", () => {
    expect(adminAccess(directory, withAuthorization(basic('anyone:portal-key')))).toEqual({ kind: 'not-admin' });
    expect(adminAccess(directory, withAuthorization('Bearer wrong-key'))).toEqual({ kind: 'unauthorized' });
    expect(adminAccess(directory, withAuthorization(basic('admin-key:nothing')))).toEqual({ kind: 'unauthorized' });
    expect(adminAccess(directory, withAuthorization())).toEqual({ kind: 'unauthorized' });
  });
});
