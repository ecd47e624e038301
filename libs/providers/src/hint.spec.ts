import { CibaError } from '@ciba/ciba';
import { mask, normaliseText, prepareGenericHint } from './hint.js';

describe('hints', () => {
  it('folds fullwidth and Arabic-Indic digits to ASCII', () => {
    expect(normaliseText('０１２３')).toBe('0123');
    expect(normaliseText('٠١٢٣٤٥٦٧٨٩')).toBe('0123456789');
    expect(normaliseText('۴۵')).toBe('45');
  });

  it('masks all but the last four characters of long identifiers', () => {
    expect(mask('01001011111')).toBe('*******1111');
    expect(mask('alice')).toBe('a****');
  });

  it('refuses invisible characters, objects and empty values for the generic profile', () => {
    expect(() => prepareGenericHint({ kind: 'login_hint', value: 'al\u202Eice' })).toThrow(CibaError);
    expect(() => prepareGenericHint({ kind: 'login_hint', value: { personal_number: '1' } })).toThrow(/loginHint must be a string/);
    expect(() => prepareGenericHint({ kind: 'login_hint', value: '  ' })).toThrow(/1 to 2048/);
    expect(() => prepareGenericHint({ kind: 'id_token_hint', value: 'not-a-jwt' })).toThrow(/compact JWS/);
  });

  it('keeps the normalised value as the canonical customer', () => {
    expect(prepareGenericHint({ kind: 'login_hint', value: ' alice ' })).toMatchObject({
      param: 'login_hint',
      value: 'alice',
      customer: 'alice',
    });
  });
});
