import { AsyncLocalStorage } from 'node:async_hooks';

/** Who is asking, for the audit trail, without threading it through every call. */
export interface RequestContext {
  requestId: string;
  source: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

/** The current request's context; work the queue does has none (its source is the worker). */
export const currentRequest = (): RequestContext | undefined => requestContext.getStore();
