import { CibaError } from '@ciba/ciba';
import { canonicalSubject, prepareSimpleIdServerHint } from './simpleidserver-hint.js';

describe('SimpleIdServer hint', () => {
  it('sends the subject trimmed, binds it to the ID Token sub, and masks it for logs', () => {
    expect(prepareSimpleIdServerHint({ kind: 'login_hint', value: '  administrator ' })).toEqual({
      param: 'login_hint',
      value: 'administrator',
      customer: 'administrator',
      identityClaim: 'sub',
      masked: '*********ator',
    });
  });

  it('does not fold Unicode: the subject must match exactly, so a folded value would name someone else', () => {
    expect(prepareSimpleIdServerHint({ kind: 'login_hint', value: 'ｕｓｅｒ１' }).value).toBe('ｕｓｅｒ１');
    expect(canonicalSubject(' ｕｓｅｒ１ ')).toBe('ｕｓｅｒ１');
    expect(canonicalSubject('User')).not.toBe('user');
  });

  it('refuses empty, overlong, control and invisible characters, objects, and other hint kinds', () => {
    const refuse = (input: Parameters<typeof prepareSimpleIdServerHint>[0], message: RegExp) => {
      expect(() => prepareSimpleIdServerHint(input)).toThrow(CibaError);
      expect(() => prepareSimpleIdServerHint(input)).toThrow(message);
    };
    refuse({ kind: 'login_hint', value: '   ' }, /1 to 2048/);
    refuse({ kind: 'login_hint', value: 'x'.repeat(2049) }, /1 to 2048/);
    refuse({ kind: 'login_hint', value: 'us\u0000er' }, /control or invisible/);
    refuse({ kind: 'login_hint', value: 'us\u200Ber' }, /control or invisible/);
    refuse({ kind: 'login_hint', value: { sub: 'user' } }, /must be a string/);
    refuse({ kind: 'id_token_hint', value: 'a.b.c' }, /takes loginHint/);
    refuse({ kind: 'login_hint_token', value: 'a.b.c' }, /takes loginHint/);
  });
});
