import { onlyAllowed, refuse } from './tbc-wire.js';

export interface TbcCustomer {
  personalNumber: string;
  /** Digits, country code first. */
  msisdn: string;
  sub: string;
  name: string;
  /** The code the bank gives the customer for the second step. */
  userCode: string;
}

const INITIALIZE_FIELDS = ['client_id', 'scope', 'claims', 'login_hint', 'ui_locales'];
const FINALIZE_FIELDS = ['client_id', 'user_code', 'id_token_hint'];

/**
 * The seed's initialize request: `scope` with openid, `claims` an object (JSON), `login_hint` an
 * object (JSON) with exactly one of `personal_number` (11 digits) or `msisdn` (digits); nothing
 * of the finalize request. Returns the customer it names.
 */
export function checkInitialize(form: Record<string, string>, customers: TbcCustomer[]): TbcCustomer {
  onlyAllowed(form, INITIALIZE_FIELDS);
  if (!form.client_id) refuse(400, 'invalid_request', 'client_id is required');
  if (!form.scope?.split(' ').includes('openid')) refuse(400, 'invalid_scope', 'scope must contain openid');
  const claims = jsonObject(form.claims, 'claims');
  for (const [member, value] of Object.entries(claims)) {
    if (!['id_token', 'userinfo'].includes(member) || value === null || typeof value !== 'object')
      refuse(400, 'invalid_request', `claims.${member} is not a claims request`);
  }
  const hint = jsonObject(form.login_hint, 'login_hint');
  const keys = Object.keys(hint);
  if (keys.length !== 1 || !['personal_number', 'msisdn'].includes(keys[0])) {
    refuse(400, 'invalid_request', 'LoginHint must contain only one parameter, personal_number or msisdn');
  }
  const value = hint[keys[0]];
  if (keys[0] === 'personal_number' && (typeof value !== 'string' || !/^\d{11}$/.test(value)))
    refuse(400, 'invalid_request', 'personal_number must be 11 digits');
  if (keys[0] === 'msisdn' && (typeof value !== 'string' || !/^\d{8,15}$/.test(value)))
    refuse(400, 'invalid_request', 'msisdn must be digits');
  const customer = customers.find((c) => (keys[0] === 'personal_number' ? c.personalNumber : c.msisdn) === value);
  if (!customer) refuse(400, 'CUSTOMER_NOT_FOUND', `no customer ${String(value)}`);
  return customer;
}

/**
 * The seed's finalize request: `user_code` and `id_token_hint`, the latter exactly a middle token
 * this server issued and that has not been finalized yet; nothing of the initialize request.
 */
export function checkFinalize(
  form: Record<string, string>,
  middle: { request: { customer: TbcCustomer }; finalized: boolean } | undefined,
): void {
  onlyAllowed(form, FINALIZE_FIELDS);
  if (!form.client_id) refuse(400, 'invalid_request', 'client_id is required');
  if (!form.user_code || !form.id_token_hint) refuse(400, 'invalid_request', 'user_code and id_token_hint are required to finalize');
  if (!middle || middle.finalized) refuse(400, 'invalid_request', 'id_token_hint is not a middle token issued to this client');
  if (form.user_code !== middle.request.customer.userCode) refuse(400, 'invalid_user_code', `code ${form.user_code} is wrong`);
}

function jsonObject(text: string | undefined, name: string): Record<string, unknown> {
  if (text === undefined) refuse(400, 'invalid_request', `${name} is required`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    refuse(400, 'invalid_request', `${name} is not valid JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) refuse(400, 'invalid_request', `${name} must be a JSON object`);
  return value as Record<string, unknown>;
}
