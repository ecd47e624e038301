import type { IduraEidName } from './idura-id-token.js';

/** What Idura's /ciba/bc-authorize takes (seed 002, Caller Authentication guide). */
const PARAMETERS = new Set([
  'scope',
  'login_hint',
  'acr_values',
  'binding_message',
  'authorization_details',
  'client_id',
  'client_assertion_type',
  'client_assertion',
]);

const EIDS: Record<string, { eid: IduraEidName; ssnDigits: number }> = {
  'urn:grn:authn:se:bankid': { eid: 'se-bankid', ssnDigits: 12 },
  'urn:grn:authn:no:bankid': { eid: 'no-bankid', ssnDigits: 11 },
  'urn:grn:authn:se:frejaid': { eid: 'frejaid', ssnDigits: 12 },
};

export interface BackchannelParams {
  ssn: string;
  acr: string;
  eid: IduraEidName;
  bindingMessage?: string;
  authorizationDetails?: Record<string, unknown>[];
}

export type RuleResult = { ok: true; value: BackchannelParams } | { ok: false; error: string; description: string };

const refuse = (error: string, description: string): RuleResult => ({ ok: false, error, description });

/**
 * The checks a real Idura tenant makes on a backchannel request, strictly: known parameters
 * only, each once; `scope=openid`; `login_hint=sub:ssn:<digits>` of the eID's length; exactly one
 * known `acr_values`; a binding message for Swedish BankID and none for Norwegian BankID;
 * `authorization_details` a JSON array, with `phoneAuth` + `callInitiator` for Swedish BankID.
 */
export function checkBackchannelParams(params: URLSearchParams): RuleResult {
  for (const name of new Set(params.keys())) {
    if (!PARAMETERS.has(name)) return refuse('invalid_request', `unsupported parameter ${name}`);
    if (params.getAll(name).length > 1) return refuse('invalid_request', `${name} given more than once`);
  }
  const scopes = (params.get('scope') ?? '').split(' ');
  if (!scopes.includes('openid') || scopes.some((scope) => scope !== 'openid')) return refuse('invalid_scope', 'scope must be openid');
  const acr = params.get('acr_values') ?? '';
  const known = EIDS[acr];
  if (!known) return refuse('invalid_request', 'acr_values must be exactly one supported value');
  const hint = /^sub:ssn:(\d+)$/.exec(params.get('login_hint') ?? '');
  if (!hint || hint[1].length !== known.ssnDigits) return refuse('invalid_request', 'login_hint must be sub:ssn:<ssn>');
  const bindingMessage = params.get('binding_message') ?? undefined;
  if (known.eid === 'no-bankid' && bindingMessage !== undefined)
    return refuse('invalid_request', 'binding_message is not supported by Norwegian BankID');
  if (known.eid === 'se-bankid' && !bindingMessage) return refuse('invalid_request', 'binding_message is required');
  const details = readDetails(params.get('authorization_details'));
  if (details === 'invalid') return refuse('invalid_request', 'authorization_details must be a JSON array of objects with a type');
  if (
    known.eid === 'se-bankid' &&
    !details?.some((d) => d.type === 'phoneAuth' && (d.callInitiator === 'RP' || d.callInitiator === 'user'))
  ) {
    return refuse('invalid_request', 'callInitiator is required');
  }
  return { ok: true, value: { ssn: hint[1], acr, eid: known.eid, bindingMessage, authorizationDetails: details } };
}

function readDetails(text: string | null): Record<string, unknown>[] | undefined | 'invalid' {
  if (text === null) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    const valid =
      Array.isArray(value) &&
      value.every((d) => d !== null && typeof d === 'object' && !Array.isArray(d) && typeof (d as { type?: unknown }).type === 'string');
    return valid ? (value as Record<string, unknown>[]) : 'invalid';
  } catch {
    return 'invalid';
  }
}
