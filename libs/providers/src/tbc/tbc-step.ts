/**
 * Which of TBC's two backchannel requests an `auth_req_id` belongs to. The seed's "initialize"
 * request (scope, claims, login_hint) leads to the "middle" ID Token; its "finalize" request
 * (user_code, id_token_hint) leads to the final tokens.
 *
 * The step is decided by OUR record of which request created the `auth_req_id`, never by the shape
 * of the token answer: an answer that looked final (say, one with an access token) after the first
 * step would otherwise approve a customer who never gave the code. Adapters are stateless across
 * processes (the API starts, a worker polls), so the step travels inside the id we store: the
 * acknowledged `auth_req_id` is prefixed with its step, and the prefix is removed before anything
 * is sent to TBC or compared with a token's `auth_req_id` claim.
 */
export type TbcStep = 'initialize' | 'finalize';

const PREFIX: Record<TbcStep, string> = { initialize: 'tbc-1:', finalize: 'tbc-2:' };

/** The id we store for a provider `auth_req_id` acknowledged at `step`. */
export function tagAuthReqId(step: TbcStep, authReqId: string): string {
  return `${PREFIX[step]}${authReqId}`;
}

/**
 * The step and the provider's own `auth_req_id`. An id without a prefix counts as the first
 * step: its answer can then never approve, at worst it asks for a code.
 */
export function readAuthReqId(stored: string): { step: TbcStep; authReqId: string } {
  for (const step of ['initialize', 'finalize'] as const) {
    if (stored.startsWith(PREFIX[step])) return { step, authReqId: stored.slice(PREFIX[step].length) };
  }
  return { step: 'initialize', authReqId: stored };
}
