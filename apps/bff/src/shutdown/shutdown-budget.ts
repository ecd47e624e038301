/**
 * How long a stopping process may take, and how that time is shared. The promise is 25 s from
 * SIGTERM to exit: Kubernetes' default grace period is 30 s and docker-compose.yml gives 30 s, so
 * a process that keeps it is never SIGKILLed (a kill mid token request costs the customer's
 * answer: `result_indeterminate`).
 */

/** The hard stop: past this, the process exits 1 whatever is still open (one second of margin for the exit itself). */
export const SHUTDOWN_DEADLINE_MS = 24_000;

/**
 * Requests in progress get this long to finish; then their connections are closed. Longer than
 * the default provider timeout (10 s), so a start waiting for the backchannel answer completes;
 * shorter than the deadline, so Redis is still there for the steps after it.
 */
export const HTTP_DRAIN_MS = 15_000;

/** The SSE reconnection time told to clients of a stopping replica (HTML Living Standard, `retry:`). */
export const SSE_RETRY_MS = 1000;

/** The signals that stop the BFF gracefully: orchestrators (SIGTERM), a terminal (SIGINT, SIGHUP). */
export const SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];
