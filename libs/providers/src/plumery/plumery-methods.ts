import { invalidRequest } from '@ciba/ciba';
import type { PlumeryHintDetails } from './plumery-hint.js';

/** Seed, token response: "Authentication method performed by the user". */
export const PLUMERY_METHODS = ['smart-id', 'mobile-id', 'app-passcode', 'app-biometrics'] as const;
export type PlumeryMethod = (typeof PLUMERY_METHODS)[number];

const isMethod = (value: string): value is PlumeryMethod => (PLUMERY_METHODS as readonly string[]).includes(value);

/**
 * The `acr_values` and the extra form fields of a backchannel request. Seed: `mobile-id` needs
 * `phone_number`, `smart-id` needs `personal_id` and `country`; when given for another method
 * Plumery still checks them against the user, so whatever the hint names is sent.
 * Throws `invalid_request` before any call when a required field is missing.
 */
export function methodParameters(acrValues: string | undefined, details: PlumeryHintDetails): Record<string, string> {
  const parameters: Record<string, string> = {};
  const method = requestedMethod(acrValues);
  if (method === 'mobile-id' && details.phoneNumber === undefined) {
    throw invalidRequest(
      'acrValues mobile-id needs the customer\'s phone number: loginHint {"username" or "personalId", "phoneNumber": "+370..."}',
    );
  }
  if (method === 'smart-id' && details.personalId === undefined) {
    throw invalidRequest(
      'acrValues smart-id needs the customer\'s personal id: loginHint personalId:<country>:<code> or {"personalId": {"country", "id"}}',
    );
  }
  if (method !== undefined) parameters.acr_values = method;
  if (details.phoneNumber !== undefined) parameters.phone_number = details.phoneNumber;
  if (details.personalId !== undefined) {
    parameters.personal_id = details.personalId.id;
    parameters.country = details.personalId.country;
  }
  return parameters;
}

/** One of Plumery's methods, or none (the provider then picks). */
export function requestedMethod(acrValues: string | undefined): PlumeryMethod | undefined {
  if (acrValues === undefined) return undefined;
  const values = acrValues.trim().split(/\s+/).filter(Boolean);
  if (values.length === 0) return undefined;
  if (values.length > 1 || !isMethod(values[0])) {
    throw invalidRequest(`acrValues must be exactly one of ${PLUMERY_METHODS.join(', ')} for this provider`);
  }
  return values[0];
}
