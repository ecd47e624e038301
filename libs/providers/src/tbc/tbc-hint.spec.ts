import { CibaError, ErrorCode } from '@ciba/ciba';
import { canonicalClaimDigits, prepareTbcHint } from './tbc-hint.js';

const hint = (value: unknown) => prepareTbcHint({ kind: 'login_hint', value: value as Record<string, unknown> });

function refusal(value: unknown): string {
  try {
    hint(value);
  } catch (error) {
    expect(error).toBeInstanceOf(CibaError);
    expect((error as CibaError).code).toBe(ErrorCode.InvalidRequest);
    return (error as CibaError).message;
  }
  throw new Error('the hint was accepted');
}

describe('TBC login_hint', () => {
  it('sends a personal number as a JSON object string and binds it to the personal_number claim', () => {
    expect(hint({ personal_number: '01001011111' })).toEqual({
      param: 'login_hint',
      value: '{"personal_number":"01001011111"}',
      customer: 'personal_number:01001011111',
      identityClaim: 'personal_number',
      masked: 'personal_number:*******1111',
    });
  });

  it('folds Unicode digits and strips spaces, dashes and dots', () => {
    expect(hint({ personal_number: '０１００１ ０１１-１１.１' }).value).toBe('{"personal_number":"01001011111"}');
    expect(hint({ personal_number: '٠١٠٠١٠١١١١١' }).customer).toBe('personal_number:01001011111');
    expect(hint({ personal_number: '010\u2013010\u201411111' }).customer).toBe('personal_number:01001011111');
  });

  it('strips a leading + from an msisdn only', () => {
    expect(hint({ msisdn: '+995 599 12-34-56' })).toMatchObject({
      value: '{"msisdn":"995599123456"}',
      customer: 'msisdn:995599123456',
      identityClaim: 'msisdn',
    });
    expect(refusal({ personal_number: '+01001011111' })).toMatch(/only digits, spaces, dashes and dots/);
    expect(refusal({ msisdn: '995+599123456' })).toMatch(/only digits, spaces, dashes, dots and a leading \+/);
  });

  it.each([
    ['a string', '01001011111', /must be an object/],
    ['null', null, /must be an object/],
    ['an array', ['01001011111'], /must be an object/],
    ['no key', {}, /exactly one/],
    ['both keys', { personal_number: '01001011111', msisdn: '995599123456' }, /exactly one/],
    ['another key', { personal_number: '01001011111', email: 'a@b.ge' }, /may hold only .* remove "email"/],
    ['a number', { personal_number: 1001011111 }, /string of digits/],
    ['10 digits', { personal_number: '0100101111' }, /11 digits .* has 10/],
    ['12 digits', { personal_number: '010010111112' }, /11 digits .* has 12/],
    ['letters', { personal_number: '0100101111O' }, /only digits/],
    ['an invisible character', { personal_number: '01001\u200B011111' }, /only digits/],
    ['an empty msisdn', { msisdn: ' + ' }, /is empty/],
    ['a local msisdn', { msisdn: '0599123456' }, /country code first.*starts with 0/],
    ['a 00 prefix', { msisdn: '00995599123456' }, /starts with 0/],
    ['16 digits', { msisdn: '9955991234567890' }, /8 to 15 digits/],
  ])('refuses %s, saying why', (_label, value, reason) => {
    expect(refusal(value)).toMatch(reason);
  });

  it('never echoes the value in its messages (personal data)', () => {
    expect(refusal({ personal_number: '0100101111' })).not.toContain('0100101111');
    expect(refusal({ msisdn: '0599123456' })).not.toContain('0599123456');
  });

  it('takes no loginHintToken and no idTokenHint', () => {
    expect(() => prepareTbcHint({ kind: 'login_hint_token', value: 'a.b.c' })).toThrow(/only loginHint/);
    expect(() => prepareTbcHint({ kind: 'id_token_hint', value: 'a.b.c' })).toThrow(/only loginHint/);
  });

  it('reads identity claims the same way: phone numbers as digits only', () => {
    expect(canonicalClaimDigits('msisdn', '+995 (599) 12-34-56')).toBe('995599123456');
    expect(canonicalClaimDigits('personal_number', ' ０１００１０１１１１１ ')).toBe('01001011111');
  });
});
