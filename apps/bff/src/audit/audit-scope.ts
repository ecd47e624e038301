import type { Caller } from '../authentications/caller.js';

/** Which events a caller may read: all of them, those of one consumer, or none (a 404). */
export type AuditScope = { kind: 'all' } | { kind: 'consumer'; consumer: string } | { kind: 'none' };

/**
 * API.md §6 and §7. A Bearer caller: an admin consumer reads the whole trail, as before. A console
 * caller: a supervisor reads its own consumer's events (the console acts for one consumer, and
 * its supervisors are not the bank's operators), a plain agent nothing, even when that consumer
 * is an admin: the cookie speaks for the agent, not for the consumer's API key.
 */
export function auditScope(caller: Caller): AuditScope {
  if (!caller.agent) return caller.consumer.admin ? { kind: 'all' } : { kind: 'none' };
  return caller.agent.supervisor ? { kind: 'consumer', consumer: caller.consumer.id } : { kind: 'none' };
}
