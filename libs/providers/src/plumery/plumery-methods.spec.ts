import { CibaError } from '@ciba/ciba';
import { methodParameters } from './plumery-methods.js';

const jonas = { personalId: { country: 'LT', id: '38001085718' } };
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof CibaError ? error.code : 'not a CibaError';
  }
  return 'accepted';
};

describe('Plumery method fields', () => {
  it('smart-id sends personal_id and country', () => {
    expect(methodParameters('smart-id', jonas)).toEqual({ acr_values: 'smart-id', personal_id: '38001085718', country: 'LT' });
  });

  it('mobile-id sends phone_number, and whatever else the hint names', () => {
    expect(methodParameters(' mobile-id ', { ...jonas, phoneNumber: '+37060000666' })).toEqual({
      acr_values: 'mobile-id',
      phone_number: '+37060000666',
      personal_id: '38001085718',
      country: 'LT',
    });
  });

  it('without acrValues sends no acr_values but still the fields the hint names', () => {
    expect(methodParameters(undefined, { phoneNumber: '+37060000666' })).toEqual({ phone_number: '+37060000666' });
    expect(methodParameters('', {})).toEqual({});
  });

  it('refuses a method whose fields are missing, unknown methods, and several at once', () => {
    expect(code(() => methodParameters('mobile-id', jonas))).toBe('invalid_request');
    expect(code(() => methodParameters('smart-id', { phoneNumber: '+37060000666' }))).toBe('invalid_request');
    expect(code(() => methodParameters('password', jonas))).toBe('invalid_request');
    expect(code(() => methodParameters('smart-id mobile-id', { ...jonas, phoneNumber: '+37060000666' }))).toBe('invalid_request');
    expect(code(() => methodParameters('app-biometrics', {}))).toBe('accepted');
  });
});
