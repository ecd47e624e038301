import { PlumeryAnswer } from './plumery-wire.js';
import type { PlumeryUser } from './plumery-users.js';

/** CIBA Core §7.1 parameters, plus Plumery's method fields (seed, backchannel endpoint). */
export const BACKCHANNEL_PARAMETERS: ReadonlySet<string> = new Set([
  'client_id',
  'scope',
  'client_notification_token',
  'acr_values',
  'login_hint_token',
  'id_token_hint',
  'login_hint',
  'binding_message',
  'user_code',
  'requested_expiry',
  'phone_number',
  'personal_id',
  'country',
]);
export const PLUMERY_ACR_VALUES: ReadonlySet<string> = new Set(['smart-id', 'mobile-id', 'app-passcode', 'app-biometrics']);

export interface AcceptedBackchannel {
  user: PlumeryUser;
  acrValues?: string;
  requestedExpiry?: number;
}

const fail = (description: string) => PlumeryAnswer.error(400, 'invalid_request', description);

/**
 * The checks of `POST /internal/v1/auth/ciba/backchannel-auth`, in the order a real server would
 * make them: the request's shape, the user the hint names, the method's extra fields (which must
 * match that user), then the user's device.
 */
export function checkBackchannel(form: Map<string, string>, users: readonly PlumeryUser[]): AcceptedBackchannel | PlumeryAnswer {
  const scope = form.get('scope');
  if (scope === undefined) return fail('scope is required');
  if (!scope.split(' ').includes('openid')) return PlumeryAnswer.error(400, 'invalid_scope', 'scope must contain openid');
  const hints = ['login_hint', 'login_hint_token', 'id_token_hint'].filter((name) => form.has(name));
  if (hints.length !== 1) return fail('exactly one of login_hint, id_token_hint or login_hint_token must be provided');
  if (hints[0] !== 'login_hint') return fail(`${hints[0]} is not supported by this test server`);
  const user = findUser(form.get('login_hint')!, users);
  if (!user) return fail('invalid user');

  const acrValues = form.get('acr_values');
  if (acrValues !== undefined && !PLUMERY_ACR_VALUES.has(acrValues)) return fail('unsupported acr_values');
  const phone = form.get('phone_number');
  const personalId = form.get('personal_id');
  const country = form.get('country');
  if (acrValues === 'mobile-id' && phone === undefined) return fail('phone_number is mandatory for mobile-id');
  if (acrValues === 'smart-id' && (personalId === undefined || country === undefined))
    return fail('personal_id and country are mandatory for smart-id');
  // Seed: given for another method, the fields are still checked against the user.
  if (phone !== undefined && (!/^\+\d{8,15}$/.test(phone) || phone !== user.phoneNumber))
    return fail('phone_number does not match the user');
  if ((personalId === undefined) !== (country === undefined)) return fail('personal_id and country go together');
  if (personalId !== undefined && (personalId !== user.personalId || country !== user.country))
    return fail('personal_id and country do not match the user');

  if (user.device === 'missing') return fail('missing valid device');
  if (user.device === 'uncertified') return fail('missing valid device authentication');

  const expiry = form.get('requested_expiry');
  if (expiry !== undefined && !/^[1-9]\d{0,5}$/.test(expiry)) return fail('requested_expiry must be a positive integer');
  const bindingMessage = form.get('binding_message');
  if (bindingMessage !== undefined && (bindingMessage.length === 0 || bindingMessage.length > 64))
    return fail('binding_message is too long');
  return { user, acrValues, requestedExpiry: expiry === undefined ? undefined : Number(expiry) };
}

/** Seed: a plain username, `username:{username}`, or `personalId:{countryCode}:{personalId}`. */
function findUser(hint: string, users: readonly PlumeryUser[]): PlumeryUser | undefined {
  const personal = /^personalId:([A-Z]{2}):([^:]+)$/.exec(hint);
  if (personal) return users.find((u) => u.country === personal[1] && u.personalId === personal[2]);
  const name = hint.startsWith('username:') ? hint.slice('username:'.length) : hint;
  if (name.includes(':')) return undefined;
  return users.find((u) => u.username === name);
}
