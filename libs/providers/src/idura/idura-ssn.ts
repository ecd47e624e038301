import { invalidRequest } from '@ciba/ciba';
import { normaliseText } from '../hint.js';

/** The countries whose national identity numbers Idura's CIBA eIDs take. */
export type SsnCountry = 'SE' | 'NO';

/**
 * A checked national identity number in its canonical form: a Swedish personnummer (or
 * samordningsnummer) as 12 digits `YYYYMMDDNNNC`, a Norwegian fødselsnummer (or D-number) as 11.
 */
export interface Ssn {
  country: SsnCountry;
  digits: string;
}

/** Norwegian check digits (Skatteetaten): two mod-11 sums over the digits before each. */
const NO_WEIGHTS_1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const NO_WEIGHTS_2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
/** Swedish samordningsnummer: the day of birth plus 60. */
const COORDINATION_OFFSET = 60;

/**
 * Reads a personnummer or fødselsnummer as a person would write it: Unicode digits folded,
 * spaces and `-` dropped, `+` only as the Swedish "100 years or older" separator (`YYMMDD+NNNC`).
 * The country comes from the length (10 or 12 digits: SE, 11: NO) or from `expected` when the
 * request names the eID. Messages never echo the number: it is personal data.
 */
export function parseSsn(input: string, expected?: SsnCountry, now = new Date()): Ssn {
  const text = normaliseText(input).replace(/[\s-]/g, '');
  const centenarian = /^\d{6}\+\d{4}$/.test(text);
  if (!/^\d+$/.test(text) && !centenarian) {
    throw invalidRequest('loginHint: the SSN must be digits, with an optional "-" (or "+" in YYMMDD+NNNN for a Swede of 100 or more)');
  }
  const digits = text.replace('+', '');
  const country: SsnCountry | undefined = digits.length === 11 ? 'NO' : digits.length === 10 || digits.length === 12 ? 'SE' : undefined;
  if (!country) throw invalidRequest('loginHint: the SSN must have 10 or 12 digits (Swedish personnummer) or 11 (Norwegian fødselsnummer)');
  if (expected && country !== expected) {
    throw invalidRequest(
      `loginHint: acrValues names a ${expected === 'SE' ? 'Swedish' : 'Norwegian'} eID, but the SSN is ${country === 'SE' ? 'a Swedish personnummer' : 'a Norwegian fødselsnummer'}`,
    );
  }
  return country === 'NO' ? norwegian(digits) : swedish(digits.length === 10 ? withCentury(digits, centenarian, now) : digits, now);
}

/** The canonical digits of an ID Token's SSN claim, or the normalised text when it is not one. */
export function canonicalSsn(claimValue: string, now = new Date()): string {
  try {
    return parseSsn(claimValue, undefined, now).digits;
  } catch {
    return normaliseText(claimValue);
  }
}

function swedish(digits: string, now: Date): Ssn {
  if (!luhnValid(digits.slice(2))) throw invalidRequest('loginHint: not a valid Swedish personnummer (check digit)');
  const birth = swedishBirthDate(digits);
  if (!birth || birth.getTime() > now.getTime()) throw invalidRequest('loginHint: not a valid Swedish personnummer (date of birth)');
  return { country: 'SE', digits };
}

function norwegian(digits: string): Ssn {
  const d = [...digits].map(Number);
  const first = checkDigit(d, NO_WEIGHTS_1);
  const second = checkDigit(d, NO_WEIGHTS_2);
  // D-numbers (day + 40), H-numbers and test numbers (month + 40 / + 80) share the check digits,
  // so the date is not checked: the check digits are the rule every variant keeps.
  if (first !== d[9] || second !== d[10]) throw invalidRequest('loginHint: not a valid Norwegian fødselsnummer (check digits)');
  return { country: 'NO', digits };
}

/** Mod 11: 11 - (sum mod 11), where 11 means 0 and 10 means no valid number. */
function checkDigit(digits: number[], weights: number[]): number {
  const rest = weights.reduce((sum, weight, i) => sum + weight * digits[i], 0) % 11;
  const check = rest === 0 ? 0 : 11 - rest;
  return check === 10 ? -1 : check;
}

/** Luhn over `YYMMDDNNNC`, doubling from the first digit (Skatteverket SKV 704). */
export function luhnValid(tenDigits: string): boolean {
  let sum = 0;
  for (let i = 0; i < tenDigits.length; i += 1) {
    let value = Number(tenDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (value > 9) value -= 9;
    sum += value;
  }
  return sum % 10 === 0;
}

/**
 * The century of a 10-digit personnummer (SKV 704): "-" means the person is younger than 100, so
 * the most recent year ending in YY whose birthday is not in the future; "+" means 100 years more.
 */
function withCentury(tenDigits: string, centenarian: boolean, now: Date): string {
  const yy = Number(tenDigits.slice(0, 2));
  const thisYear = now.getUTCFullYear();
  let year = thisYear - ((((thisYear - yy) % 100) + 100) % 100);
  const candidate = swedishBirthDate(`${year}${tenDigits.slice(2)}`);
  if (candidate && candidate.getTime() > now.getTime()) year -= 100;
  if (centenarian) year -= 100;
  return `${year}${tenDigits.slice(2)}`;
}

/** The date of birth in a 12-digit personnummer (coordination numbers too), or null if none. */
function swedishBirthDate(twelveDigits: string): Date | null {
  const year = Number(twelveDigits.slice(0, 4));
  const month = Number(twelveDigits.slice(4, 6));
  let day = Number(twelveDigits.slice(6, 8));
  if (day > COORDINATION_OFFSET) day -= COORDINATION_OFFSET;
  const date = new Date(Date.UTC(year, month - 1, day));
  const valid = year >= 1800 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return valid ? date : null;
}
