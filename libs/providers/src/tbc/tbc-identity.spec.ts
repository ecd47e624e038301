import { checkTbcIdentity } from './tbc-identity.js';

describe('TBC identity binding', () => {
  const byPersonalNumber = 'personal_number:01001011111';
  const byPhone = 'msisdn:995599123456';

  it('passes when the ID Token names the person of the hint', () => {
    expect(checkTbcIdentity({ personal_number: '01001011111' }, byPersonalNumber)).toBeNull();
    expect(checkTbcIdentity({ personal_number: '０１００１０１１１１１' }, byPersonalNumber)).toBeNull();
    expect(checkTbcIdentity({ phone_number: '+995 599 12-34-56' }, byPhone)).toBeNull();
    expect(checkTbcIdentity({ msisdn: 995599123456 }, byPhone)).toBeNull();
  });

  it('fails identity_mismatch for another person, naming the claim but not the values', () => {
    const mismatch = checkTbcIdentity({ personal_number: '01001022222' }, byPersonalNumber);
    expect(mismatch).toEqual({ code: 'identity_mismatch', description: expect.stringContaining('personal_number differs') });
    expect(JSON.stringify(mismatch)).not.toMatch(/0100102|01001011111/);
    // A personal number sent as a JSON number has lost its leading zero: not the same person.
    expect(checkTbcIdentity({ personal_number: 1001011111 }, byPersonalNumber)).toMatchObject({ code: 'identity_mismatch' });
  });

  it('fails when any identity claim present differs, or when none is present', () => {
    expect(checkTbcIdentity({ phone_number: '+995599123456', msisdn: '995599000000' }, byPhone)).toMatchObject({
      code: 'identity_mismatch',
    });
    expect(checkTbcIdentity({ sub: 'x' }, byPersonalNumber)).toMatchObject({
      code: 'identity_mismatch',
      description: expect.stringContaining('carries no personal_number'),
    });
    expect(checkTbcIdentity({ personal_number: '01001011111' }, byPhone)).toMatchObject({
      description: expect.stringContaining('phone_number or msisdn'),
    });
    expect(checkTbcIdentity({ personal_number: { value: '01001011111' } }, byPersonalNumber)).toMatchObject({ code: 'identity_mismatch' });
  });
});
