/** What the push-mode OpenID Provider remembers and reports; shared by its parts and its tests. */

/** One backchannel authentication request it accepted (CIBA Core §7.1). */
export interface PushRequest {
  authReqId: string;
  /** Epoch ms when the request was acknowledged. */
  receivedAt: number;
  /** Epoch ms of the end of its lifetime (acknowledgement + expires_in). */
  expiresAt: number;
  expiresIn: number;
  /** The one hint sent (`login_hint`, `login_hint_token` or `id_token_hint`) and its value. */
  hint: { name: HintName; value: string };
  /** The `sub` its ID Tokens carry for this customer. */
  subject: string;
  scope: string;
  bindingMessage?: string;
  acrValues?: string;
  requestedExpiry?: number;
  /** The bearer token the client asked us to present at its notification endpoint. */
  clientNotificationToken: string;
  /** Every form parameter as received (client authentication excluded). */
  params: Record<string, string>;
}

export type HintName = 'login_hint' | 'login_hint_token' | 'id_token_hint';

export type PushOpEndpoint = 'discovery' | 'jwks' | 'backchannel' | 'token' | 'unknown';

/** One HTTP request the provider received, with what it answered. */
export interface PushOpLedgerEntry {
  at: number;
  method: string;
  path: string;
  endpoint: PushOpEndpoint;
  contentType: string | null;
  authorization: string | null;
  params: Record<string, string>;
  status: number;
  /** The OAuth error sent, `ack`, or `document`. */
  answer: string;
  authReqId?: string;
}

/**
 * A fault in a pushed ID Token (CIBA Core §10.3.1 binding claims, or the signature). Every one of
 * them must make the client refuse the push.
 */
export type PushTamper = 'auth_req_id' | 'at_hash' | 'rt_hash' | 'signature' | 'no_binding';

export interface ApproveOptions {
  tamper?: PushTamper;
  /** Push a refresh token (and its `rt_hash`); default true. */
  refreshToken?: boolean;
  /** Extra or overriding ID Token claims. */
  claims?: Record<string, unknown>;
}

/** CIBA Core §12: the errors a push-mode provider sends to the notification endpoint. */
export type PushErrorCode = 'access_denied' | 'expired_token' | 'transaction_failed';

/** One POST the provider made to the client's notification endpoint, and the client's answer. */
export interface PushDelivery {
  at: number;
  url: string;
  /** The bearer token presented, or null when the request had no `Authorization`. */
  token: string | null;
  /** What was sent (the JSON object, or the raw text). */
  sent: unknown;
  status: number;
  contentType: string | null;
  location: string | null;
  /** The answer parsed as JSON when it is JSON, else its text, or null when empty. */
  body: Record<string, any> | string | null;
}

/** An OAuth error answer (RFC 6749 §5.2, CIBA Core §13). */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${error}: ${description}`);
  }
}
