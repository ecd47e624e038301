import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What the current piece of work is for: the HTTP request being answered, or the queue job
 * working on an authentication. The audit trail reads who asked; the logger adds `requestId`
 * and `authenticationId` to every line written meanwhile, so one grep follows an
 * authentication from the API call through every poll to the delivery.
 */
export interface RequestContext {
  /** This HTTP request's id, or (in a worker) the id of the API call that started the authentication. */
  requestId?: string;
  /** The socket address of an HTTP caller; `worker` for queue work. */
  source: string;
  /** Set as soon as the authentication concerned is known. */
  authenticationId?: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

/** The current context, if any (work outside a request or job has none). */
export const currentRequest = (): RequestContext | undefined => requestContext.getStore();

/** Names the authentication the current request or job is about (no-op outside a context). */
export function bindAuthentication(authenticationId: string, startRequestId?: string | null): void {
  const context = requestContext.getStore();
  if (!context) return;
  context.authenticationId = authenticationId;
  if (startRequestId && context.source === 'worker') context.requestId = startRequestId;
}

/** Runs queue work for one authentication in its own context. */
export function runForAuthentication<T>(authenticationId: string, requestId: string | undefined, work: () => Promise<T>): Promise<T> {
  return requestContext.run({ source: 'worker', authenticationId, requestId }, work);
}

/** The fields the logger adds to each line (pino `mixin`). */
export function logContextFields(): { requestId?: string; authenticationId?: string } {
  const context = requestContext.getStore();
  if (!context) return {};
  return { requestId: context.requestId, authenticationId: context.authenticationId };
}
