import type { StatusListener } from '@ciba/store';
import type { StatusHints } from '../../apps/bff/src/delivery/watch-then-read.js';

/** A stand-in for StatusEvents: listeners heard from once subscribed; the subscription can be held back. */
export class FakeStatusEvents implements StatusHints {
  readonly listeners = new Set<StatusListener>();
  private subscribed: Promise<void> = Promise.resolve();
  private settle: (error?: Error) => void = () => undefined;

  /** The process's first subscription: on its way until `subscribe()`. */
  holdSubscription(): void {
    this.subscribed = new Promise<void>((resolve, reject) => (this.settle = (error) => (error ? reject(error) : resolve())));
  }

  subscribe(error?: Error): void {
    this.settle(error);
  }

  async watch(_id: string, listener: StatusListener): Promise<() => Promise<void>> {
    await this.subscribed;
    this.listeners.add(listener);
    return async () => void this.listeners.delete(listener);
  }

  /** Pub/sub: a message nobody listens to yet is lost. */
  publish(seq: number): void {
    for (const listener of this.listeners) listener(seq);
  }
}

/** What ioredis throws for a command while its connection is down (a store failure, `isStoreFailure`). */
export const connectionClosed = (): Error => new Error('Connection is closed.');
