import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';

import type { OidcProvider } from './oidc-provider-types.js';
import type { SandboxRequestView } from './sandbox-types.js';

/**
 * What the phone can say about a request. CIBA has no cancel (the relying party just stops
 * asking), so `abandoned` is inferred: a poll-mode client that stopped polling for it.
 */
export type DeviceRequestState = 'pending' | 'abandoned' | 'expired';

/** A request as the device page shows it. */
export interface DeviceRequestView extends SandboxRequestView {
  state: DeviceRequestState;
  /** ISO time of the client's last token request for it; null before the first */
  lastPolledAt: string | null;
}

/** What the token endpoint saw of one request: the sandbox's only sign of a cancel. */
interface PollRecord {
  /** learnt from the client's registration shortly after the request arrives */
  deliveryMode?: 'poll' | 'ping';
  lastMs?: number;
  /** time between the last two polls (or between the request and its first poll) */
  gapMs?: number;
}

export interface PendingRequest {
  view: SandboxRequestView;
  /** oidc-provider's auth_req_id; never shown to the simulator */
  authReqId: string;
  expiresAtMs: number;
  createdAtMs: number;
  polls: PollRecord;
}

/**
 * CIBA Core §7.3: without an `interval` in the answer (oidc-provider sends none) a poll-mode
 * client polls every 5 s. Three missed polls, at the interval the client has been keeping if
 * that is longer, and it has stopped: cancelled, or the relying party is gone.
 */
const DEFAULT_INTERVAL_MS = 5_000;
const MISSED_POLLS = 3;
/** How long an expired request stays on the phone, marked, before it is forgotten. */
const KEEP_EXPIRED_MS = 2 * 60_000;

function stoppedPolling(entry: PendingRequest, now: number): boolean {
  if (entry.polls.deliveryMode !== 'poll') return false; // a ping client polls only after its ping
  const interval = Math.max(DEFAULT_INTERVAL_MS, entry.polls.gapMs ?? 0);
  return now - (entry.polls.lastMs ?? entry.createdAtMs) > MISSED_POLLS * interval;
}

function deviceView(entry: PendingRequest, now: number): DeviceRequestView {
  const state: DeviceRequestState = entry.expiresAtMs <= now ? 'expired' : stoppedPolling(entry, now) ? 'abandoned' : 'pending';
  const lastPolledAt = entry.polls.lastMs === undefined ? null : new Date(entry.polls.lastMs).toISOString();
  return { ...entry.view, state, lastPolledAt };
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
  /** expired ones, kept a little while so the phone can say so rather than drop the card */
  readonly #expired = new Map<string, PendingRequest>();
  readonly #byAuthReqId = new Map<string, string>();
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
    this.#entries.set(view.id, { view, authReqId, expiresAtMs: expiresAt.getTime(), createdAtMs: createdAt.getTime(), polls: {} });
    this.#byAuthReqId.set(authReqId, view.id);
    this.#events.emit('added', view);
    return view;
  }

  /** Calls `listener` with every request added from now on. */
  onAdded(listener: (view: SandboxRequestView) => void): void {
    this.#events.on('added', listener);
  }

  noteDeliveryMode(id: string, mode: 'poll' | 'ping'): void {
    const entry = this.#entries.get(id);
    if (entry) entry.polls.deliveryMode = mode;
  }

  /** The client asked the token endpoint about this auth_req_id (any answer). */
  notePoll(authReqId: string, now = Date.now()): void {
    const id = this.#byAuthReqId.get(authReqId);
    const entry = id === undefined ? undefined : this.#entries.get(id);
    if (!entry) return;
    entry.polls.gapMs = now - (entry.polls.lastMs ?? entry.createdAtMs);
    entry.polls.lastMs = now;
  }

  /** A customer's phone: undecided requests, and those that expired lately, oldest first. */
  inbox(customer: string, now = Date.now()): DeviceRequestView[] {
    this.#pruneExpired(now);
    return [...this.#entries.values(), ...this.#expired.values()]
      .filter((entry) => entry.view.customer === customer)
      .sort((a, b) => a.createdAtMs - b.createdAtMs)
      .map((entry) => deviceView(entry, now));
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
    this.#forget(id);
    return entry;
  }

  restore(entry: PendingRequest): void {
    this.#entries.set(entry.view.id, entry);
    this.#byAuthReqId.set(entry.authReqId, entry.view.id);
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
    this.#expired.clear();
    this.#byAuthReqId.clear();
  }

  #forget(id: string): void {
    const entry = this.#entries.get(id);
    if (entry) this.#byAuthReqId.delete(entry.authReqId);
    this.#entries.delete(id);
  }

  #pruneExpired(now = Date.now()): void {
    for (const [id, entry] of this.#entries) {
      if (entry.expiresAtMs > now) continue;
      this.#forget(id);
      this.#expired.set(id, entry);
    }
    for (const [id, entry] of this.#expired) if (entry.expiresAtMs + KEEP_EXPIRED_MS <= now) this.#expired.delete(id);
  }
}

interface TokenRequestContext {
  oidc?: { params?: Record<string, unknown> };
}

/**
 * Feeds `pending` what the provider sees of each request after it is made: the client's delivery
 * mode (from its registration) and every token request naming its auth_req_id. oidc-provider
 * emits `grant.success` or `grant.error` (authorization_pending included) for each.
 */
export function followTokenPolls(provider: Pick<OidcProvider, 'on' | 'Client'>, pending: PendingRequests): void {
  const onTokenRequest = (ctx: unknown) => {
    const authReqId = (ctx as TokenRequestContext).oidc?.params?.auth_req_id;
    if (typeof authReqId === 'string') pending.notePoll(authReqId);
  };
  provider.on('grant.success', onTokenRequest);
  provider.on('grant.error', onTokenRequest);
  pending.onAdded((view) => {
    provider.Client.find(view.clientId).then(
      (client) => {
        const mode = (client as { backchannelTokenDeliveryMode?: string } | undefined)?.backchannelTokenDeliveryMode;
        pending.noteDeliveryMode(view.id, mode === 'ping' ? 'ping' : 'poll');
      },
      () => undefined, // an unknown client cannot have made the request; nothing to mark
    );
  });
}
