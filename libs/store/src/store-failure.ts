/**
 * Redis's and ioredis's failures in our terms, read in this one place. Two kinds matter to
 * callers:
 * - `unreachable`: no answer came (connection refused, reset or closed, a command timed out,
 *   the retries of a request ran out). Nothing can be read or written now.
 * - `refusing`: Redis answered but will not do it (out of memory, a read-only replica, still
 *   loading its data, a cluster without a master). Reads may still work.
 */
export type StoreFailureKind = 'unreachable' | 'refusing';

/** Replies by which a live Redis refuses a command for a reason of its own state, not ours. */
const REFUSAL_PREFIXES = ['OOM', 'READONLY', 'LOADING', 'MASTERDOWN', 'CLUSTERDOWN', 'TRYAGAIN', 'BUSY ', 'NOREPLICAS', 'MISCONF'];

/** What ioredis says when a command could not reach Redis or got no reply in time. */
const UNREACHABLE_MESSAGES = [
  'Connection is closed.',
  // A pipelined command whose connection closed after Redis answered earlier ones of its batch:
  // ioredis cannot send it again (it may have run), and aborts it.
  'Command aborted due to connection close',
  "Stream isn't writeable and enableOfflineQueue options is false",
  'Command timed out',
  'None of startup nodes is available',
  'Failed to refresh slots cache.',
];

const UNREACHABLE_NAMES = new Set(['MaxRetriesPerRequestError', 'ClusterAllFailedError']);
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTCONN', 'ECONNABORTED']);

/** The kind of store failure an error is, or null when it is not one (a bug, a script error). */
export function storeFailureKind(error: unknown): StoreFailureKind | null {
  if (!(error instanceof Error)) return null;
  if (error.name === 'ReplyError') {
    // A MULTI that Redis discarded names its reasons in the errors of the queued commands.
    const reasons = error.message.startsWith('EXECABORT') ? ((error as { previousErrors?: Error[] }).previousErrors ?? []) : [error];
    return reasons.some((reason) => REFUSAL_PREFIXES.some((prefix) => reason.message.startsWith(prefix))) ? 'refusing' : null;
  }
  if (UNREACHABLE_NAMES.has(error.name)) return 'unreachable';
  if (UNREACHABLE_MESSAGES.some((message) => error.message.startsWith(message))) return 'unreachable';
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return 'unreachable';
  return null;
}

export const isStoreFailure = (error: unknown): boolean => storeFailureKind(error) !== null;
