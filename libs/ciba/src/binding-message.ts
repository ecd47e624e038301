import { randomInt } from 'node:crypto';

/** Letters and digits that cannot be mistaken for one another when read aloud or off a screen. */
export const BINDING_MESSAGE_ALPHABET = 'ACDEFHJKMNPRTUVWXY345679';
export const BINDING_MESSAGE_LENGTH = 6;

/**
 * A short code for the customer to compare on the phone (CIBA Core §7.1: "a random value of
 * reasonable entropy"; FAPI-CIBA §7.3: the customer's only way to tell our request from a
 * fraudster's), e.g. `K7RT4X`: 6 characters of 24, about 27 bits. It fits the strictest common
 * rule, `^[a-zA-Z0-9-._+/!?#]{1,20}$`, and is never free text a consumer could abuse.
 */
export function generateBindingMessage(): string {
  return Array.from({ length: BINDING_MESSAGE_LENGTH }, () => BINDING_MESSAGE_ALPHABET[randomInt(BINDING_MESSAGE_ALPHABET.length)]).join(
    '',
  );
}
