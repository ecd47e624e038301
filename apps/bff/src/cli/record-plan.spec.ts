import { randomBytes } from 'node:crypto';
import { FieldCipher, Keyring } from '@ciba/store';
import { envelopeKid } from './encrypted-fields.js';
import { planRecord } from './record-plan.js';

const secret = (kid: string) => `${kid}:${randomBytes(32).toString('base64')}`;
const A = secret('a');
const B = secret('b');

describe('planRecord', () => {
  const old = new FieldCipher(Keyring.parse(A));
  const rotating = Keyring.parse(`${B},${A}`);
  const cipher = new FieldCipher(rotating);

  it('re-encrypts fields under a former key for the same record and field, and leaves current ones', () => {
    const current = cipher.encrypt('req-1', 'R1', 'authReqId');
    const plan = planRecord(
      'R1',
      { authReqId: current, customer: old.encrypt('01001011111', 'R1', 'customer'), result: null },
      rotating,
      cipher,
    );
    expect(plan.kind).toBe('rotate');
    if (plan.kind !== 'rotate') return;
    expect(plan.changes.map((change) => change.field)).toEqual(['customer']);
    const [change] = plan.changes;
    expect(envelopeKid(change.to)).toBe('b');
    expect(change.to).not.toContain('01001011111');
    expect(new FieldCipher(Keyring.parse(B)).decrypt(change.to, 'R1', 'customer')).toBe('01001011111');
    // The AAD still binds the value to its record and field.
    expect(() => cipher.decrypt(change.to, 'R2', 'customer')).toThrow('does not authenticate');
    expect(() => cipher.decrypt(change.to, 'R1', 'authReqId')).toThrow('does not authenticate');
  });

  it('skips the whole record when any field is under a key id the keyring lacks', () => {
    const unknown = new FieldCipher(Keyring.parse(secret('c'))).encrypt('x', 'R1', 'result');
    const plan = planRecord('R1', { customer: old.encrypt('01001011111', 'R1', 'customer'), result: unknown }, rotating, cipher);
    expect(plan).toEqual({ kind: 'skip', unknownKids: ['c'] });
  });

  it('fails, naming the field but not the value, when a field is not an envelope', () => {
    const plan = planRecord('R1', { customer: '01001011111' }, rotating, cipher);
    expect(plan).toEqual({ kind: 'fail', reason: 'customer: not an encrypted value' });
  });

  it('fails when a value was moved from another record', () => {
    const plan = planRecord('R1', { customer: old.encrypt('01001011111', 'R9', 'customer') }, rotating, cipher);
    expect(plan).toMatchObject({ kind: 'fail', reason: expect.stringMatching(/^customer: the value does not authenticate/) });
  });
});

describe('envelopeKid', () => {
  it('reads the key id of an envelope and nothing else', () => {
    expect(envelopeKid('v1.k0.aaa.bbb.ccc')).toBe('k0');
    expect(envelopeKid('v1.k0.aaa..ccc')).toBe('k0');
    expect(envelopeKid('v2.k0.aaa.bbb.ccc')).toBeNull();
    expect(envelopeKid('v1..aaa.bbb.ccc')).toBeNull();
    expect(envelopeKid('plain text')).toBeNull();
  });
});
