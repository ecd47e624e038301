import type { Authentication } from './authentication.js';
import type { AuthenticationStatus } from './authentication-status.js';
import type { OutcomeError } from './outcome-error.js';

/**
 * One step of an authentication's life, decided without I/O (authentication-lifecycle.ts) and
 * applied atomically by the store: only while the record is still in one of `from` (a change
 * decided on a record another worker has moved on since must not land).
 */
export interface AuthenticationChange {
  /** The statuses the record must be in for the change to apply. */
  from: readonly AuthenticationStatus[];
  set: Partial<Authentication>;
  /** Apply only while this in-flight marker is held. */
  fence?: string;
  /** When the poll job should next run; ignored for terminal statuses. */
  nextRunAt?: number;
}

/** A change that plans the job's next run: the service reports that time as already stored. */
export type ScheduledChange = AuthenticationChange & { nextRunAt: number };

/** A change that ends an authentication with an error; it names both, for the service's log line. */
export type EndingChange = AuthenticationChange & { set: { status: 'denied' | 'expired' | 'failed'; error: OutcomeError } };

/** A change that settles a verified ID Token: approved with its result, or failed with the reason. */
export type SettlingChange = AuthenticationChange & { set: { status: 'approved' | 'failed' } };
