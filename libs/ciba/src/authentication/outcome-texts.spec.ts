import { OUTCOME_ERRORS, invalidUserCode, tooManyUserCodeAttempts, type OutcomeErrorName } from './outcome-texts.js';

/**
 * The texts byte for byte as consumers (and tests outside) have always seen them: a change here
 * must be a decision, never a side effect of an edit.
 */
const EXPECTED: [OutcomeErrorName, { code: string; description: string; providerError?: string }][] = [
  ['customerDeclined', { code: 'access_denied', description: 'The customer declined.' }],
  ['providerExpired', { code: 'expired', description: 'The provider reports the request expired.' }],
  ['customerTimedOut', { code: 'expired', description: 'The customer did not answer in time.' }],
  ['providerUnreachable', { code: 'provider_unavailable', description: 'The provider could not be reached before the deadline.' }],
  [
    'resultIndeterminate',
    {
      code: 'result_indeterminate',
      description: 'A token request was interrupted; whether the customer approved cannot be known. Start a new authentication.',
    },
  ],
  [
    'signingKeysUnavailable',
    { code: 'provider_unavailable', description: "The provider's signing keys could not be loaded to verify the approval." },
  ],
  [
    'pushedFailure',
    { code: 'provider_rejected', description: 'The provider reports the authentication failed.', providerError: 'transaction_failed' },
  ],
];

describe('outcome texts', () => {
  it.each(EXPECTED)('%s is kept exactly', (name, expected) => {
    expect(OUTCOME_ERRORS[name]).toStrictEqual(expected);
  });

  it('holds exactly the texts checked above (a new one gets its line)', () => {
    expect(Object.keys(OUTCOME_ERRORS).sort()).toEqual(EXPECTED.map(([name]) => name).sort());
  });

  it('says each text once: no two ends share a description', () => {
    const descriptions = Object.values(OUTCOME_ERRORS).map((error) => error.description);
    expect(new Set(descriptions).size).toBe(descriptions.length);
  });

  it.each([
    [1, 'The customer gave a wrong code 1 times.'],
    [3, 'The customer gave a wrong code 3 times.'],
  ])('too many user-code attempts counts them (%i)', (attempts, description) => {
    expect(tooManyUserCodeAttempts(attempts)).toStrictEqual({ code: 'too_many_user_code_attempts', description });
  });

  it.each([
    [1, 3, 'bad_code', 'The provider refused the code (1 of 3 tries).'],
    [2, 5, undefined, 'The provider refused the code (2 of 5 tries).'],
  ])('an invalid user code shows %i of %i tries', (attempts, limit, providerError, description) => {
    expect(invalidUserCode(attempts, limit, providerError)).toStrictEqual({ code: 'invalid_user_code', description, providerError });
  });
});
