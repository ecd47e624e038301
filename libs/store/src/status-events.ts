import type { RedisConnection } from './redis-clients.js';
import type { RedisKeys } from './redis-keys.js';

export type StatusListener = (seq: number) => void;

/**
 * Hears "authentication X changed" from any process, over Redis pub/sub, on one subscriber
 * connection per process. Pub/sub is at-most-once, so a message is only a hint: listeners re-read
 * the record, and re-read it after a reconnect too (`onReconnect`).
 */
export class StatusEvents {
  private readonly listeners = new Map<string, Set<StatusListener>>();

  constructor(
    private readonly subscriber: RedisConnection,
    private readonly keys: RedisKeys,
  ) {
    subscriber.on('message', (channel: string, message: string) => {
      const id = channel.slice(channel.lastIndexOf(':') + 1);
      for (const listener of this.listeners.get(id) ?? []) listener(Number(message));
    });
    // Messages published while the connection was down are lost: tell everyone to re-read.
    subscriber.on('ready', () => {
      for (const set of this.listeners.values()) for (const listener of set) listener(Number.NaN);
    });
  }

  /** Calls `listener` on every change of `id` until the returned function is called. */
  async watch(id: string, listener: StatusListener): Promise<() => Promise<void>> {
    let set = this.listeners.get(id);
    if (!set) {
      set = new Set();
      this.listeners.set(id, set);
      await this.subscriber.subscribe(this.keys.events(id));
    }
    set.add(listener);
    return async () => {
      const current = this.listeners.get(id);
      if (!current?.delete(listener) || current.size > 0) return;
      this.listeners.delete(id);
      await this.subscriber.unsubscribe(this.keys.events(id)).catch(() => undefined);
    };
  }

  get watchedCount(): number {
    return this.listeners.size;
  }
}
