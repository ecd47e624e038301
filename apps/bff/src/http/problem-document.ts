import { type CibaError, ErrorCode } from '@ciba/ciba';
import { PROBLEM_TYPES, problemTypeUri } from './problem-types.js';

/** RFC 9457 problem document with our `code` (API.md §4). */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
  providerError?: string;
  pendingId?: string;
  requestId?: string;
}

export function problemFor(error: CibaError, requestId?: string): ProblemDocument {
  const { status, title } = PROBLEM_TYPES[error.code];
  const document: ProblemDocument = { type: problemTypeUri(error.code), title, status, detail: error.message, code: error.code };
  if (error.extensions.providerError) document.providerError = error.extensions.providerError;
  if (error.extensions.pendingId) document.pendingId = error.extensions.pendingId;
  if (requestId) document.requestId = requestId;
  return document;
}

/** 5xx answers hide internals: the detail is only a request id to quote; the log has the rest. */
export function internalProblem(requestId: string): ProblemDocument {
  return {
    type: problemTypeUri(ErrorCode.InternalError),
    title: PROBLEM_TYPES[ErrorCode.InternalError].title,
    status: 500,
    detail: `An internal error occurred; quote request id ${requestId}.`,
    code: ErrorCode.InternalError,
    requestId,
  };
}
