/** An RFC 9457 problem document as the BFF answers it (API.md §4). */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  providerError?: string;
  pendingId?: string;
  requestId?: string;
  [member: string]: unknown;
}

/** A call the BFF refused or could not serve: its problem document, and `Retry-After` when it sent one. */
export class CibaProblemError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(
    readonly problem: ProblemDocument,
    readonly retryAfterSeconds?: number,
  ) {
    super(`${problem.status} ${problem.code}: ${problem.detail ?? problem.title}`);
    this.name = 'CibaProblemError';
    this.status = problem.status;
    this.code = problem.code;
  }

  /** Worth trying again later (a limit, the store or the provider away): 429 and 503. */
  get retryable(): boolean {
    return this.status === 429 || this.status === 503;
  }
}

/** The problem of a failed answer (a body that is not a problem document still becomes one). */
export function problemOf(status: number, body: unknown, retryAfter: string | null): CibaProblemError {
  const problem =
    body && typeof body === 'object' && typeof (body as ProblemDocument).code === 'string'
      ? (body as ProblemDocument)
      : { type: 'about:blank', title: 'Unexpected answer', status, code: `http_${status}` };
  const seconds = retryAfter !== null && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
  return new CibaProblemError(problem, seconds);
}
