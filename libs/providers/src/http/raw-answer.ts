import type { IncomingHttpHeaders } from 'node:http';
import { NULL_BODY_STATUSES } from './null-body-statuses.js';

/** A provider's answer read whole into memory (at most `maxResponseBytes`), before any parsing. */
export interface RawAnswer {
  status: number;
  statusText: string;
  /** Lower-case names; a repeated header is an array (undici's parsed form). */
  headers: IncomingHttpHeaders;
  body: Uint8Array;
}

/** One header's value; repeated headers are joined with ", " as the Fetch standard does. */
export function answerHeader(answer: RawAnswer, name: string): string | undefined {
  const value = answer.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The answer's headers as a global `Headers`. */
export function answerHeaders(answer: RawAnswer): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}

/** The answer as a global `Response` (what openid-client, oauth4webapi and our classifier read). */
export function answerResponse(answer: RawAnswer): Response {
  // A socket's bytes are never on a SharedArrayBuffer, which is all the DOM typing guards against.
  const body = answer.body as Uint8Array<ArrayBuffer>;
  return new Response(NULL_BODY_STATUSES.has(answer.status) ? null : body, {
    status: answer.status,
    statusText: answer.statusText,
    headers: answerHeaders(answer),
  });
}
