import { prepareIduraHint } from './idura-hint.js';

describe('Idura login_hint', () => {
  it('builds sub:ssn:<digits> from the structured hint', () => {
    expect(prepareIduraHint({ kind: 'login_hint', value: { ssn: '196802020575' } })).toEqual({
      param: 'login_hint',
      value: 'sub:ssn:196802020575',
      customer: '196802020575',
      identityClaim: 'ssn',
      masked: '********0575',
    });
  });

  it('passes a sub:ssn: string through after checking and canonicalising the number', () => {
    expect(prepareIduraHint({ kind: 'login_hint', value: 'sub:ssn:196802020575' }).value).toBe('sub:ssn:196802020575');
    expect(prepareIduraHint({ kind: 'login_hint', value: 'sub:ssn:19680202-0575' }).value).toBe('sub:ssn:196802020575');
    expect(prepareIduraHint({ kind: 'login_hint', value: 'sub:ssn:15038545660' }).customer).toBe('15038545660');
  });

  it('takes the bare number too', () => {
    expect(prepareIduraHint({ kind: 'login_hint', value: ' 19680202-0575 ' }).value).toBe('sub:ssn:196802020575');
  });

  it('refuses an invalid SSN, other object shapes, numbers and the token hints', () => {
    expect(() => prepareIduraHint({ kind: 'login_hint', value: 'sub:ssn:196802020576' })).toThrow(/check digit/);
    expect(() => prepareIduraHint({ kind: 'login_hint', value: { ssn: '196802020575', name: 'x' } })).toThrow(/loginHint must be/);
    expect(() => prepareIduraHint({ kind: 'login_hint', value: { personal_number: '196802020575' } })).toThrow(/loginHint must be/);
    expect(() => prepareIduraHint({ kind: 'login_hint', value: { ssn: 2020202001 } })).toThrow(/must be a string/);
    expect(() => prepareIduraHint({ kind: 'login_hint', value: 'sub:email:a@b.se' })).toThrow(/digits/);
    expect(() => prepareIduraHint({ kind: 'id_token_hint', value: 'a.b.c' })).toThrow(/not supported/);
    expect(() => prepareIduraHint({ kind: 'login_hint_token', value: 'x' })).toThrow(/not supported/);
  });
});
