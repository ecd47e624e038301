import { randomBytes } from 'node:crypto';
import { VIEW_FIELDS, type Authentication } from '@ciba/ciba';
import { decodeRecord, decodeView, encodeFields } from './authentication.codec.js';
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

  it('a status view decodes the document fields only: the result decrypted, the customer, the handle and the tokens never', () => {
    const approved = {
      ...record(),
      status: 'approved' as const,
      result: { subject: 's', claims: { personal_number: '01001011111' }, acr: null, amr: null, authTime: null, tokens: { idToken: 'x' } },
      webhook: { state: 'pending', attempts: 0, lastError: null, deliveryId: 'd', firstAttemptAt: null },
    } as Authentication;
    const { set } = encodeFields(approved.id, approved, cipher);
    // A value that cannot be decrypted where the view must not look: reading it would throw.
    const hash: Record<string, string> = { ...set, customer: 'garbage', authReqId: 'garbage', tokenResponse: 'garbage' };
    const view = decodeView(
      VIEW_FIELDS.map((name) => hash[name] ?? null),
      cipher,
    );
    expect(view).toEqual(Object.fromEntries(VIEW_FIELDS.map((name) => [name, approved[name]])));
    expect(() => decodeRecord(hash, cipher)).toThrow();
    expect(
      decodeView(
        VIEW_FIELDS.map(() => null),
        cipher,
      ),
    ).toBeNull();
  });
});

describe('authentication codec: initiatedBy', () => {
  const cipher = new FieldCipher(Keyring.parse(randomBytes(32).toString('base64')));
  const byAgent = sampleAuthentication({ initiatedBy: { type: 'agent', subject: 'agent-7', name: 'Nino Beridze' } });

  it("round-trips an agent initiator, stored as one field encrypted (the agent's name is personal data)", () => {
    const { set } = encodeFields(byAgent.id, byAgent, cipher);
    expect(set.initiatedBy).toMatch(/^v1\./);
    expect(set.initiatedBy).not.toContain('Nino');
    expect(decodeRecord(set, cipher).initiatedBy).toEqual(byAgent.initiatedBy);
    const view = decodeView(
      VIEW_FIELDS.map((name) => set[name] ?? null),
      cipher,
    );
    expect(view?.initiatedBy).toEqual(byAgent.initiatedBy);
  });

  it('stores no initiatedBy for a record its own consumer started: nothing to encrypt, and it reads back the same', () => {
    const byConsumer = sampleAuthentication({ consumer: 'portal', initiatedBy: { type: 'consumer', id: 'portal' } });
    const { set } = encodeFields(byConsumer.id, byConsumer, cipher);
    expect(Object.keys(set)).not.toContain('initiatedBy');
    expect(decodeRecord(set, cipher).initiatedBy).toEqual({ type: 'consumer', id: 'portal' });
    // Another consumer's id is not the record's own: kept, encrypted, as written.
    const odd = sampleAuthentication({ consumer: 'portal', initiatedBy: { type: 'consumer', id: 'other' } });
    const stored = encodeFields(odd.id, odd, cipher).set;
    expect(stored.initiatedBy).toMatch(/^v1\./);
    expect(decodeRecord(stored, cipher).initiatedBy).toEqual({ type: 'consumer', id: 'other' });
  });

  it('a record written before initiatedBy existed reads as started by its consumer (record and status view)', () => {
    const { set } = encodeFields('OLD1', sampleAuthentication({ id: 'OLD1', consumer: 'branch-portal' }), cipher);
    const { initiatedBy: _absent, ...before } = set;
    expect(decodeRecord(before, cipher).initiatedBy).toEqual({ type: 'consumer', id: 'branch-portal' });
    const view = decodeView(
      VIEW_FIELDS.map((name) => before[name] ?? null),
      cipher,
    );
    expect(view?.initiatedBy).toEqual({ type: 'consumer', id: 'branch-portal' });
  });
});
