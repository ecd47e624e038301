import type { Authentication } from './authentication.js';

/** Who reads or acts on an authentication: the consumer a request is made for and, in the console, its agent. */
export interface Viewer {
  consumer: string;
  agent?: { subject: string; supervisor: boolean };
}

/**
 * API.md §4 and §7: a consumer reaches only its own authentications; an agent only those they
 * started; a supervisor all of the consumer's. Anything else must answer exactly like an unknown id.
 */
export function mayAccess(viewer: Viewer, record: Pick<Authentication, 'consumer' | 'initiatedBy'>): boolean {
  if (record.consumer !== viewer.consumer) return false;
  if (!viewer.agent || viewer.agent.supervisor) return true;
  return record.initiatedBy.type === 'agent' && record.initiatedBy.subject === viewer.agent.subject;
}
