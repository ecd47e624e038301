import type { AuthenticationResult } from './authentication-result.js';
import type { AuthenticationStatus } from './authentication-status.js';
import type { Initiator } from './initiator.js';
import type { OutcomeError } from './outcome-error.js';
import type { WebhookState } from './webhook-state.js';
import type { RawTokenResponse } from '../polling/poll-outcome.js';

/**
 * Our record of one CIBA authentication. Secret and personal fields (`authReqId`, `customer`,
 * `result`, `profileState`, `initiatedBy`) are encrypted by the store; the rest is operational data.
 */
export interface Authentication {
  id: string;
  consumer: string;
  /** Who started it (API.md §7): decides which agents may see it. Never changes. */
  initiatedBy: Initiator;
  provider: string;
  status: AuthenticationStatus;
  /** Increases with every change a consumer can see; the SSE event id. */
  seq: number;
  createdAt: number;
  /** Our deadline (epoch ms): acknowledgement + expires_in, or the requested expiry if shorter. */
  expiresAt: number;
  /** Seconds, after every slow_down. */
  interval: number;
  nextPollAt: number;
  consecutiveFailures: number;
  bindingMessage: string | null;
  reference: string | null;
  progress: string | null;
  error: OutcomeError | null;
  result: AuthenticationResult | null;
  /** The provider's handle for the request (secret). */
  authReqId: string;
  /** The canonical customer identifier the consumer asked for (personal data). */
  customer: string;
  /** Keyed hash of `customer`: correlates without revealing it. */
  customerKey: string;
  /** For logs and the audit trail, e.g. `*******1111`. */
  customerMasked: string;
  requestedAcr: string | null;
  requestedExpiry: number | null;
  scope: string;
  /** Set while a token request is in flight: the fencing marker (see the poll service). */
  inflight: string | null;
  /**
   * `<marker>@<epoch ms>`: when a marker was first found without an answer after its grace. Only
   * a marker still there a grace later is judged orphaned (its worker may just have been waiting
   * for Redis to come back to store what it knows).
   */
  inflightSuspect: string | null;
  /** The ID Token claim that must equal `customer` (identity binding), if the hint names one. */
  identityClaim: string | null;
  /** A token response received but not yet verified: saved first, so a crash cannot lose it. */
  tokenResponse: RawTokenResponse | null;
  /** How the provider tells us the outcome (CIBA Core §5). */
  deliveryMode: 'poll' | 'ping' | 'push';
  /** SHA-256 (hex) of the client_notification_token we sent (ping and push); the token itself is not kept. */
  notificationTokenHash: string | null;
  /** When a valid ping arrived (a repeated ping changes nothing). */
  pingedAt: number | null;
  /** Where the terminal status document is POSTed, if the consumer asked for a webhook. */
  callbackUrl: string | null;
  webhook: WebhookState | null;
  /** Wrong user codes given so far (two-step profiles). */
  userCodeAttempts: number;
  /** Profile-specific state between steps (e.g. a two-step provider's middle token); secret. */
  profileState: Record<string, unknown> | null;
  /** The request id of the API call that started it: every log line of its life carries it. */
  requestId: string | null;
}

/**
 * What a status read needs: the status document's fields, the owner (a consumer sees only its
 * own, an agent only what they started) and the event sequence. Reading only these decrypts the
 * result and the initiator and nothing else (not the customer, the provider's handle or the tokens).
 */
export const VIEW_FIELDS = [
  'id',
  'consumer',
  'initiatedBy',
  'provider',
  'status',
  'seq',
  'bindingMessage',
  'reference',
  'createdAt',
  'expiresAt',
  'interval',
  'progress',
  'result',
  'error',
  'webhook',
] as const satisfies readonly (keyof Authentication)[];
export type AuthenticationView = Pick<Authentication, (typeof VIEW_FIELDS)[number]>;

/** The fields a consumer can see change; a change to any of them is an event. */
export const VISIBLE_FIELDS = [
  'status',
  'interval',
  'progress',
  'error',
  'result',
  'bindingMessage',
] as const satisfies readonly (keyof Authentication)[];
