import { randomBytes } from 'node:crypto';
import type { Authentication } from '@ciba/ciba';
import { decodeRecord, encodeFields } from './authentication.codec.js';
import { FieldCipher } from './field-cipher.js';
import { Keyring } from './keyring.js';

const record = (): Authentication => ({
  id: 'A1',
  consumer: 'portal',
  provider: 'sandbox',
  status: 'pending',
  seq: 1,
  createdAt: 1,
  expiresAt: 2,
  interval: 5,
  nextPollAt: 3,
  consecutiveFailures: 0,
  bindingMessage: null,
  reference: null,
  progress: null,
  error: null,
  result: null,
  authReqId: 'req',
  customer: '01001011111',
  customerKey: 'k',
  customerMasked: '*******1111',
  requestedAcr: null,
  requestedExpiry: null,
  scope: 'openid',
  inflight: null,
  requestId: 'req-1',
  identityClaim: null,
  tokenResponse: null,
  profileState: null,
  userCodeAttempts: 0,
  deliveryMode: 'ping',
  notificationTokenHash: null,
  pingedAt: null,
  callbackUrl: null,
  webhook: null,
});

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
