import { randomBytes } from 'node:crypto';
import type { Authentication } from '@ciba/ciba';
import { decodeRecord, encodeFields } from './authentication.codec.js';
import { FieldCipher } from './field-cipher.js';
import { Keyring } from './keyring.js';
import { sampleAuthentication } from '../../../test/support/sample-authentication.js';

const record = (): Authentication => sampleAuthentication();

describe('authentication codec', () => {
  const cipher = new FieldCipher(Keyring.parse(randomBytes(32).toString('base64')));

  it('round-trips a record: absent fields come back as null, numbers as numbers, secrets encrypted', () => {
    const original = { ...record(), pingedAt: 42, error: { code: 'expired' as const, description: 'x' } };
    const { set, del } = encodeFields(original.id, original, cipher);
    expect(set.customer).not.toContain('01001011111');
    expect(del).toContain('progress');
    expect(decodeRecord(set, cipher)).toEqual(original);
    expect(decodeRecord(encodeFields('A1', record(), cipher).set, cipher)).toEqual(record());
  });
});
