import { invalidRequest } from '@ciba/ciba';
import type { SsnCountry } from './idura-ssn.js';

/** The eIDs Idura Verify offers over CIBA (seed 002; Idura's "Caller Authentication" guide). */
export type IduraEid = 'se-bankid' | 'no-bankid' | 'frejaid';

export interface IduraAcr {
  value: string;
  eid: IduraEid;
  /** Whose national identity numbers this eID takes. */
  country: SsnCountry;
}

const KNOWN: Record<string, Omit<IduraAcr, 'value'>> = {
  'urn:grn:authn:se:bankid': { eid: 'se-bankid', country: 'SE' },
  'urn:grn:authn:no:bankid': { eid: 'no-bankid', country: 'NO' },
  'urn:grn:authn:se:frejaid': { eid: 'frejaid', country: 'SE' },
};

/**
 * The eID a request names. Idura takes exactly one `acr_values` value, and it decides the SSN
 * rule and the binding message rule, so a request without one cannot be checked: 400.
 */
export function parseIduraAcr(acrValues: string | undefined): IduraAcr {
  const values = acrValues?.trim().split(/\s+/).filter(Boolean) ?? [];
  if (values.length !== 1) {
    throw invalidRequest(`acrValues: Idura needs exactly one value, one of ${Object.keys(KNOWN).join(', ')}`);
  }
  const known = KNOWN[values[0]];
  if (!known) throw invalidRequest(`acrValues: Idura offers CIBA only with ${Object.keys(KNOWN).join(', ')}`);
  return { value: values[0], ...known };
}
