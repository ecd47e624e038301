import { generateBindingMessage, invalidRequest } from '@ciba/ciba';
import { normaliseText } from '../hint.js';
import type { BackchannelRequest } from '../profile-adapter.js';
import type { IduraAcr } from './idura-acr.js';
import type { IduraOptions } from './idura-options.js';
import { parseSsn } from './idura-ssn.js';

/**
 * Swedish BankID shows the message in the app, where Swedish text reads better than a code, so
 * letters (å, ä, ö), digits, spaces and plain punctuation are allowed; CIBA Core §7.1 asks for a
 * short message, hence 40 characters (the seed gives no limit).
 */
const BINDING_MESSAGE_RULE = /^[\p{L}\p{N}][\p{L}\p{N} .,:;!?#+/_()'-]{0,39}$/u;
const PHONE_AUTH = 'phoneAuth';

/**
 * The binding message for an Idura eID. Norwegian BankID forbids ours (Idura's Caller
 * Authentication guide: "Do not include a binding_message"): it returns its own word pair in the
 * acknowledgement. Swedish BankID requires one, so one is made when the consumer gave none.
 */
export function iduraBindingMessage(given: string | undefined, acr: IduraAcr): string | undefined {
  if (acr.eid === 'no-bankid') {
    if (given !== undefined) {
      throw invalidRequest(
        'bindingMessage: Norwegian BankID makes its own word pair (shown as bindingMessage in the status document); do not send one',
      );
    }
    return undefined;
  }
  if (given === undefined) return generateBindingMessage();
  const message = normaliseText(given);
  if (!BINDING_MESSAGE_RULE.test(message)) {
    throw invalidRequest(
      "bindingMessage must be 1-40 characters: letters, digits, spaces and . , : ; ! ? # + / _ ( ) ' -, starting with a letter or digit",
    );
  }
  return message;
}

/**
 * Everything Idura's CIBA endpoint is strict about, checked before the request leaves (seed 002,
 * Caller Authentication guide). Returns the `authorization_details` to send.
 */
export function checkIduraRequest(
  request: BackchannelRequest,
  acr: IduraAcr,
  options: IduraOptions,
): Record<string, unknown>[] | undefined {
  const unsupported = [request.claims && 'claims', request.userCode && 'userCode', request.uiLocales && 'uiLocales'].filter(Boolean);
  if (unsupported.length > 0) throw invalidRequest(`${unsupported.join(', ')}: not supported by Idura's CIBA endpoint`);
  parseSsn(request.hint.customer, acr.country);
  if (acr.eid === 'no-bankid' && request.bindingMessage !== undefined) {
    throw invalidRequest('bindingMessage: Norwegian BankID makes its own word pair; do not send one');
  }
  if (acr.eid === 'se-bankid' && !request.bindingMessage) throw invalidRequest('bindingMessage: Swedish BankID requires one');
  return authorizationDetails(request.authorizationDetails, acr, options);
}

/**
 * RFC 9396 §2: an array of objects, each with a string `type`. Swedish BankID phone
 * authentication needs `{"type":"phoneAuth","callInitiator":"RP"|"user"}` (who placed the call);
 * `options.callInitiator` supplies it for consumers that do not send it.
 */
function authorizationDetails(
  given: Record<string, unknown>[] | undefined,
  acr: IduraAcr,
  options: IduraOptions,
): Record<string, unknown>[] | undefined {
  for (const detail of given ?? []) {
    if (
      detail === null ||
      typeof detail !== 'object' ||
      Array.isArray(detail) ||
      typeof detail.type !== 'string' ||
      detail.type.length === 0
    ) {
      throw invalidRequest('authorizationDetails: every entry must be an object with a "type" string');
    }
    if (detail.type === PHONE_AUTH && detail.callInitiator !== 'RP' && detail.callInitiator !== 'user') {
      throw invalidRequest(
        'authorizationDetails: phoneAuth needs callInitiator "RP" (we called the customer) or "user" (the customer called us)',
      );
    }
  }
  if (acr.eid !== 'se-bankid' || given?.some((detail) => detail.type === PHONE_AUTH)) return given;
  if (!options.callInitiator) {
    throw invalidRequest('authorizationDetails: Swedish BankID needs [{"type":"phoneAuth","callInitiator":"RP"|"user"}]');
  }
  return [...(given ?? []), { type: PHONE_AUTH, callInitiator: options.callInitiator }];
}
