import { CibaError } from '@ciba/ciba';
import type { HintInput } from '../profile-adapter.js';
import { preparePlumeryHint } from './plumery-hint.js';

const claims = { username: 'preferred_username', personalId: 'personal_id' };
const prepare = (value: HintInput['value'], kind: HintInput['kind'] = 'login_hint') =>
  preparePlumeryHint({ kind, value } as HintInput, claims);
const refusal = (value: HintInput['value'], kind?: HintInput['kind']) => {
  try {
    prepare(value, kind);
  } catch (error) {
    return error instanceof CibaError ? `${error.code}: ${error.message}` : 'not a CibaError';
  }
  return 'accepted';
};

describe('Plumery login hint', () => {
  it('sends a plain name and username:<name> with the prefix, compared case-insensitively with preferred_username', () => {
    for (const value of ['Jonas', 'username:Jonas', 'USERNAME:Jonas', { username: 'Jonas' }]) {
      expect(prepare(value)).toMatchObject({
        param: 'login_hint',
        value: 'username:Jonas',
        customer: 'username:jonas',
        identityClaim: 'preferred_username',
        masked: 'username:J****',
        plumery: {},
      });
    }
  });

  it('sends personalId:<CC>:<code>, from the string or the object, compared with personal_id', () => {
    for (const value of ['personalId:LT:38001085718', 'personalid:lt:38001085718', { personalId: { country: 'lt', id: '38001085718' } }]) {
      expect(prepare(value)).toMatchObject({
        value: 'personalId:LT:38001085718',
        customer: 'personalId:LT:38001085718',
        identityClaim: 'personal_id',
        masked: 'personalId:LT:*******5718',
        plumery: { personalId: { country: 'LT', id: '38001085718' } },
      });
    }
  });

  it('carries the phone number and a personal id given beside a username', () => {
    const hint = prepare({ username: 'ruta', personalId: { country: 'LT', id: '48505051233' }, phoneNumber: '+37060000777' });
    expect(hint.value).toBe('username:ruta');
    expect(hint.plumery).toEqual({ personalId: { country: 'LT', id: '48505051233' }, phoneNumber: '+37060000777' });
  });

  it('refuses what Plumery could misread or what is not a person', () => {
    expect(refusal('personalId:LT')).toMatch(/^invalid_request/);
    expect(refusal('personalId:LT:38001085718:x')).toMatch(/^invalid_request/);
    expect(refusal('email:jonas@example.com')).toMatch(/^invalid_request/);
    expect(refusal('jonas doe')).toMatch(/^invalid_request/);
    expect(refusal('jo\u200bnas')).toMatch(/^invalid_request/);
    expect(refusal({ phoneNumber: '+37060000666' })).toMatch(/^invalid_request: loginHint must name the customer/);
    expect(refusal({ username: 'jonas', msisdn: '1' })).toMatch(/unknown members \(msisdn\)/);
    expect(refusal({ personalId: 'LT:38001085718' })).toMatch(/must be an object/);
    expect(refusal({ personalId: { country: 'LT', id: '38001085718', name: 'x' } })).toMatch(/unknown members \(name\)/);
    expect(refusal('eyJ.a.b', 'id_token_hint')).toMatch(/loginHint only/);
  });
});
