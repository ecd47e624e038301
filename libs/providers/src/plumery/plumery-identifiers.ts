import { invalidRequest } from '@ciba/ciba';
import { normaliseText } from '../hint.js';
import { ISO_COUNTRY_CODES } from './iso-country-codes.js';

/** A national personal identifier, as Plumery's `personalId:{country}:{id}` names it. */
export interface PersonalId {
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  id: string;
}

/** Countries whose codes we can check digit by digit (isikukood / asmens kodas). */
const CHECKSUMMED = new Set(['LT', 'EE']);
/** Other countries' identifiers: letters, digits and hyphens (e.g. Latvia's `DDMMYY-NNNNN`). */
const OTHER_ID_RULE = /^[A-Z0-9](?:[A-Z0-9-]{0,30}[A-Z0-9])?$/;
/** E.164: `+`, no leading zero, 8 to 15 digits in all. */
const E164_RULE = /^\+[1-9]\d{7,14}$/;

/** ISO 3166-1 alpha-2, upper-cased; `field` names it in the 400. */
export function countryCode(value: unknown, field: string): string {
  const code = typeof value === 'string' ? normaliseText(value).toUpperCase() : '';
  if (!/^[A-Z]{2}$/.test(code) || !ISO_COUNTRY_CODES.has(code)) {
    throw invalidRequest(`${field} must be an ISO 3166-1 alpha-2 country code such as LT or EE`);
  }
  return code;
}

/** A personal identifier, checked where the country's rule is known. */
export function personalId(country: unknown, id: unknown, field: string): PersonalId {
  const code = countryCode(country, `${field}.country`);
  const value = typeof id === 'string' ? normaliseText(id).toUpperCase() : '';
  if (CHECKSUMMED.has(code)) {
    if (!/^\d{11}$/.test(value)) throw invalidRequest(`${field}.id must be the 11-digit personal code of ${code}`);
    if (baltic11CheckDigit(value) !== Number(value[10]))
      throw invalidRequest(`${field}.id is not a valid ${code} personal code (check digit)`);
  } else if (!OTHER_ID_RULE.test(value)) {
    throw invalidRequest(`${field}.id must be 1-32 letters, digits or hyphens`);
  }
  return { country: code, id: value };
}

/** A phone number in E.164 form, e.g. +37060000666. */
export function phoneNumber(value: unknown, field: string): string {
  const phone = typeof value === 'string' ? normaliseText(value) : '';
  if (!E164_RULE.test(phone)) throw invalidRequest(`${field} must be an E.164 phone number: + and 8-15 digits, e.g. +37060000666`);
  return phone;
}

/**
 * The check digit of an Estonian isikukood or a Lithuanian asmens kodas (the same rule): the
 * first ten digits weighted 1,2,…,9,1 modulo 11; a remainder of 10 is retried with weights
 * 3,4,…,9,1,2,3; a second 10 gives 0.
 */
export function baltic11CheckDigit(code: string): number {
  const digits = [...code.slice(0, 10)].map(Number);
  const weighted = (offset: number) => digits.reduce((sum, digit, i) => sum + digit * (((i + offset) % 9) + 1), 0) % 11;
  const first = weighted(0);
  if (first !== 10) return first;
  const second = weighted(2);
  return second === 10 ? 0 : second;
}
