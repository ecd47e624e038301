import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';

import type { SandboxRequestView } from './sandbox-types.js';

export interface PendingRequest {
  view: SandboxRequestView;
  /** oidc-provider's auth_req_id; never shown to the simulator */
  authReqId: string;
  expiresAtMs: number;
}

export type NewPendingRequest = Omit<SandboxRequestView, 'id' | 'createdAt' | 'expiresAt'> & {
  authReqId: string;
  createdAt: Date;
  expiresAt: Date;
};

export class UnknownSandboxRequestError extends Error {
  constructor(id: string) {
    super(`no pending sandbox request with id ${id}`);
    this.name = 'UnknownSandboxRequestError';
  }
}

/**
 * The authentication devices' inbox: CIBA requests waiting for a person (or a test) to decide.
 * Entries leave when decided or when they expire (checked whenever the list is read).
 */
export class PendingRequests {
  readonly #entries = new Map<string, PendingRequest>();
  readonly #events = new EventEmitter();
  readonly #closers = new Set<(error: Error) => void>();

  constructor() {
    // every waitFor() subscribes; many parallel waits in a test suite are legitimate
    this.#events.setMaxListeners(0);
  }

  add(request: NewPendingRequest): SandboxRequestView {
    const { authReqId, createdAt, expiresAt, ...rest } = request;
    const view: SandboxRequestView = {
      id: randomUUID(),
      ...rest,
      createdAt: createdAt.toISOString(),
      expiresAt: expiresAt.toISOString(),
    };
    this.#entries.set(view.id, { view, authReqId, expiresAtMs: expiresAt.getTime() });
    this.#events.emit('added', view);
    return view;
  }

  /** Oldest first. */
  list(customer?: string): SandboxRequestView[] {
    this.#pruneExpired();
    return [...this.#entries.values()].map((entry) => entry.view).filter((view) => customer === undefined || view.customer === customer);
  }

  /** Removes and returns a request for deciding on it; `restore` puts it back if that fails. */
  take(id: string): PendingRequest {
    this.#pruneExpired();
    const entry = this.#entries.get(id);
    if (!entry) throw new UnknownSandboxRequestError(id);
    this.#entries.delete(id);
    return entry;
  }

  restore(entry: PendingRequest): void {
    this.#entries.set(entry.view.id, entry);
  }

  /** Resolves with the newest pending request for `customer`, or the next one that arrives. */
  waitFor(customer: string, timeoutMs: number): Promise<SandboxRequestView> {
    const existing = this.list(customer).at(-1);
    if (existing) return Promise.resolve(existing);

    return new Promise<SandboxRequestView>((resolve, reject) => {
      const finish = (outcome: () => void) => {
        clearTimeout(timer);
        this.#events.off('added', onAdded);
        this.#closers.delete(onClose);
        outcome();
      };
      const onAdded = (view: SandboxRequestView) => {
        if (view.customer === customer) finish(() => resolve(view));
      };
      const onClose = (error: Error) => finish(() => reject(error));
      const timer = setTimeout(() => onClose(new Error(`no CIBA request for customer ${customer} within ${timeoutMs} ms`)), timeoutMs);
      this.#events.on('added', onAdded);
      this.#closers.add(onClose);
    });
  }

  /** Fails outstanding waits (the sandbox is shutting down) and forgets everything. */
  close(): void {
    for (const close of [...this.#closers]) close(new Error('sandbox provider closed'));
    this.#entries.clear();
  }

  #pruneExpired(): void {
    const now = Date.now();
    for (const [id, entry] of this.#entries) if (entry.expiresAtMs <= now) this.#entries.delete(id);
  }
}
