import { authenticationMethod, identityMismatch, methodMismatch, readPersonalId } from './plumery-verification.js';

describe('Plumery verification rules', () => {
  it('reads the method from the configured member, then from the known alternatives', () => {
    expect(authenticationMethod({ authentication_method: 'smart-id' }, 'authentication_method')).toEqual({
      kind: 'method',
      method: 'smart-id',
    });
    expect(authenticationMethod({ authenticationMethod: 'mobile-id' }, 'authentication_method')).toEqual({
      kind: 'method',
      method: 'mobile-id',
    });
    expect(authenticationMethod({ method_used: 'app-passcode' }, 'method_used')).toEqual({ kind: 'method', method: 'app-passcode' });
    expect(authenticationMethod({ access_token: 'x' }, 'authentication_method')).toEqual({ kind: 'absent' });
    expect(authenticationMethod({ authentication_method: ['smart-id'] }, 'authentication_method')).toEqual({ kind: 'invalid' });
    expect(authenticationMethod({ authentication_method: '<b>x</b>' }, 'authentication_method')).toEqual({ kind: 'invalid' });
  });

  it('reads personal id claims bare, with our prefix, or as an ETSI semantics identifier', () => {
    expect(readPersonalId('38001085718')).toEqual({ id: '38001085718' });
    expect(readPersonalId('lt:38001085718')).toEqual({ country: 'LT', id: '38001085718' });
    expect(readPersonalId('PNOLT-38001085718')).toEqual({ country: 'LT', id: '38001085718' });
  });

  it('binds a personal id hint to the personal id claim, country included when the claim has one', () => {
    const hint = { customer: 'personalId:LT:38001085718', identityClaim: 'personal_id' };
    expect(identityMismatch({ personal_id: '38001085718' }, hint)).toBeNull();
    expect(identityMismatch({ personal_id: 38001085718 }, hint)).toBeNull();
    expect(identityMismatch({ personal_id: 'PNOLT-38001085718' }, hint)).toBeNull();
    expect(identityMismatch({ personal_id: 'PNOEE-38001085718' }, hint)).toMatchObject({ code: 'identity_mismatch' });
    expect(identityMismatch({ personal_id: '48505051233' }, hint)).toMatchObject({ code: 'identity_mismatch' });
    expect(identityMismatch({ sub: 'x' }, hint)).toBeNull(); // a claim not carried is not compared
  });

  it('binds a username hint to preferred_username without regard to case', () => {
    const hint = { customer: 'username:jonas', identityClaim: 'preferred_username' };
    expect(identityMismatch({ preferred_username: 'Jonas' }, hint)).toBeNull();
    expect(identityMismatch({ preferred_username: 'ruta' }, hint)).toMatchObject({ code: 'identity_mismatch' });
    expect(identityMismatch({ preferred_username: { name: 'jonas' } }, hint)).toMatchObject({ code: 'identity_mismatch' });
  });

  it('compares the requested method with the method performed, else with the ID Token acr', () => {
    expect(methodMismatch({}, 'smart-id', 'smart-id')).toBeNull();
    expect(methodMismatch({}, 'mobile-id', 'smart-id')).toMatchObject({ code: 'insufficient_acr' });
    expect(methodMismatch({ acr: 'smart-id' }, undefined, 'smart-id')).toBeNull();
    expect(methodMismatch({ acr: 'app-passcode' }, undefined, 'smart-id')).toMatchObject({ code: 'insufficient_acr' });
    expect(methodMismatch({ acr: 'urn:other' }, 'smart-id', 'smart-id')).toBeNull(); // the named method wins
    expect(methodMismatch({}, undefined, 'smart-id')).toBeNull();
    expect(methodMismatch({}, 'mobile-id', null)).toBeNull();
  });
});
