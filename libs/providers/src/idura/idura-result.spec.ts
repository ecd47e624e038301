import type { AuthenticationResult } from '@ciba/ciba';
import { bindIduraResult } from './idura-result.js';

const NOW = new Date('2026-03-01T12:00:00Z');

/** The claims of seed 002's sample ID Token (protocol claims removed, as buildResult does). */
const result = (claims: Record<string, unknown>): AuthenticationResult => ({
  subject: '{bb9c2364-dfae-44f3-bcfd-999053d94f9e}',
  claims: {
    sub: '{bb9c2364-dfae-44f3-bcfd-999053d94f9e}',
    identityscheme: 'sebankid',
    authenticationtype: 'urn:grn:authn:se:bankid',
    authenticationinstant: '2024-05-22T10:41:41.361Z',
    ssn: '196802020575',
    name: 'Terne Paulsen',
    country: 'SE',
    ...claims,
  },
  acr: null,
  amr: null,
  authTime: null,
  tokens: { accessToken: 'cf1ce646', idToken: 'x.y.z', tokenType: 'bearer', expiresIn: 120 },
});

const context = (customer: string, requestedAcr: string | null = 'urn:grn:authn:se:bankid') => ({
  authReqId: 'a1',
  hint: { customer, identityClaim: 'ssn' },
  requestedAcr,
});

describe('Idura result binding', () => {
  it("approves the person named by the hint, and fills acr and authTime from Idura's claims", () => {
    const outcome = bindIduraResult(result({}), context('196802020575'), NOW);
    expect(outcome).toMatchObject({
      kind: 'approved',
      result: {
        acr: 'urn:grn:authn:se:bankid',
        authTime: '2024-05-22T10:41:41.361Z',
        claims: { ssn: '196802020575', name: 'Terne Paulsen' },
      },
    });
  });

  it('compares Swedish numbers in their 12-digit form', () => {
    expect(bindIduraResult(result({ ssn: '6802020575' }), context('196802020575'), NOW).kind).toBe('approved');
    expect(bindIduraResult(result({ ssn: '680202+0575' }), context('196802020575'), NOW)).toMatchObject({
      kind: 'failed',
      error: { code: 'identity_mismatch' },
    });
  });

  it('fails another person, and a token that names no SSN at all', () => {
    expect(bindIduraResult(result({ ssn: '199001011239' }), context('196802020575'), NOW)).toMatchObject({
      kind: 'failed',
      error: { code: 'identity_mismatch' },
    });
    expect(bindIduraResult(result({ ssn: undefined }), context('196802020575'), NOW)).toMatchObject({
      kind: 'failed',
      error: { code: 'identity_mismatch', description: expect.stringMatching(/names no SSN/) },
    });
  });

  it("reads Norwegian BankID's socialno when there is no ssn", () => {
    const norwegian = { ssn: undefined, socialno: '15038545660', authenticationtype: 'urn:grn:authn:no:bankid' };
    expect(bindIduraResult(result(norwegian), context('15038545660', 'urn:grn:authn:no:bankid'), NOW).kind).toBe('approved');
    expect(bindIduraResult(result(norwegian), context('05050505008', 'urn:grn:authn:no:bankid'), NOW).kind).toBe('failed');
  });

  it('fails an authentication with another eID than the one requested', () => {
    expect(bindIduraResult(result({}), context('196802020575', 'urn:grn:authn:se:frejaid'), NOW)).toMatchObject({
      kind: 'failed',
      error: { code: 'insufficient_acr' },
    });
    expect(
      bindIduraResult(result({ authenticationtype: 'urn:grn:authn:se:bankid:another-device' }), context('196802020575'), NOW).kind,
    ).toBe('approved');
  });
});
