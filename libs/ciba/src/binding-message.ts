import { randomInt } from 'node:crypto';

/** Letters that cannot be mistaken for one another when read aloud or off a screen. */
const LETTERS = 'ACDEFHJKMNPRTUVWXY';
const DIGITS = '0123456789';

/**
 * A short code for the customer to compare on the phone (CIBA Core §7.1: "a random value of
 * reasonable entropy"), e.g. `KXRT-4821`. It fits the strictest common rule,
 * `^[a-zA-Z0-9-._+/!?#]{1,20}$`.
 */
export function generateBindingMessage(): string {
  const pick = (alphabet: string, n: number) =>
    Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');
  return `${pick(LETTERS, 4)}-${pick(DIGITS, 4)}`;
}
