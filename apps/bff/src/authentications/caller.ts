import { initiatorOf, mayAccess, type Authentication, type Initiator } from '@ciba/ciba';
import type { ConsumerConfig } from '@ciba/config';
import type { SignedInAgent } from '../agents/signed-in-agent.js';
import type { AuthenticatedRequest } from '../consumers/api-key.guard.js';

/**
 * Who makes a `/v1` call: the consumer it is made for and, when it came with the console's
 * session cookie, the signed-in agent (API.md §7). A Bearer call has no agent.
 */
export interface Caller {
  consumer: ConsumerConfig;
  agent?: SignedInAgent;
}

export const callerOf = (request: AuthenticatedRequest): Caller =>
  request.agent ? { consumer: request.consumer, agent: request.agent } : { consumer: request.consumer };

/** What a start by this caller records as `initiatedBy`. */
export const initiatorOfCaller = (caller: Caller): Initiator => initiatorOf(caller.consumer.id, caller.agent);

/** An agent who is not a supervisor: sees only what they started themselves. */
export const isPlainAgent = (caller: Caller): boolean => caller.agent !== undefined && !caller.agent.supervisor;

/** Whether the caller may see and act on the authentication (else: 404, exactly as for an unknown id). */
export const callerMayAccess = (caller: Caller, record: Pick<Authentication, 'consumer' | 'initiatedBy'>): boolean =>
  mayAccess({ consumer: caller.consumer.id, agent: caller.agent }, record);
