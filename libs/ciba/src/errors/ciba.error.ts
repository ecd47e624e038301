import type { ErrorCode } from './error-code.js';

/** Extra members a problem document may carry besides the standard ones. */
export interface ErrorExtensions {
  providerError?: string;
  pendingId?: string;
  retryAfterSeconds?: number;
}

/**
 * The one base class of every error the domain raises on purpose. It carries a `code`, never an
 * HTTP status: the API maps codes to problem documents in one table.
 */
export class CibaError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extensions: ErrorExtensions = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CibaError';
  }
}
