import { CibaError } from '@ciba/ciba';
import { baltic11CheckDigit, countryCode, personalId, phoneNumber } from './plumery-identifiers.js';

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof CibaError ? error.code : 'not a CibaError';
  }
  return 'accepted';
};

describe('Plumery identifiers', () => {
  it('computes the isikukood / asmens kodas check digit, second stage included', () => {
    expect(baltic11CheckDigit('38001085718')).toBe(8); // first stage: 184 mod 11
    expect(baltic11CheckDigit('37605030299')).toBe(9); // an Estonian code
    // 3800000002: first stage 21 mod 11 = 10, second stage 47 mod 11 = 3
    expect(baltic11CheckDigit('3800000002')).toBe(3);
  });

  it('accepts LT and EE personal codes only with 11 digits and a right check digit', () => {
    expect(personalId('lt', '38001085718', 'f')).toEqual({ country: 'LT', id: '38001085718' });
    expect(personalId('EE', '49403136526', 'f')).toEqual({ country: 'EE', id: '49403136526' });
    expect(personalId('LT', '３８００１０８５７１８', 'f').id).toBe('38001085718'); // fullwidth digits fold
    expect(refusal(() => personalId('LT', '38001085719', 'f'))).toBe('invalid_request');
    expect(refusal(() => personalId('EE', '3800108571', 'f'))).toBe('invalid_request');
    expect(refusal(() => personalId('LT', '3800108571A', 'f'))).toBe('invalid_request');
  });

  it("takes other countries' identifiers as letters, digits and hyphens", () => {
    expect(personalId('LV', '010101-12345', 'f')).toEqual({ country: 'LV', id: '010101-12345' });
    expect(refusal(() => personalId('LV', '0101 01', 'f'))).toBe('invalid_request');
    expect(refusal(() => personalId('LV', '', 'f'))).toBe('invalid_request');
  });

  it('accepts ISO 3166-1 alpha-2 codes only, upper-cased', () => {
    expect(countryCode('lt', 'c')).toBe('LT');
    for (const code of ['XX', 'EU', 'UK', 'LTU', 'L', 7]) expect(refusal(() => countryCode(code, 'c'))).toBe('invalid_request');
  });

  it('accepts E.164 phone numbers: + then 8-15 digits, no leading zero', () => {
    expect(phoneNumber('+37060000666', 'p')).toBe('+37060000666');
    expect(phoneNumber('+12345678', 'p')).toBe('+12345678');
    for (const phone of ['37060000666', '+3706000', '+0370600006', '+3706000066612345', '+370 600 00666', 37060000666]) {
      expect(refusal(() => phoneNumber(phone, 'p'))).toBe('invalid_request');
    }
  });
});
