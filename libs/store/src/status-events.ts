import type { RedisConnection } from './redis-clients.js';
import type { RedisKeys } from './redis-keys.js';

export type StatusListener = (seq: number) => void;

/** How this process hears changes: one pattern for all of them, or a channel per watched id. */
type Mode = 'pattern' | 'channels';

const isNoPermission = (error: unknown) => error instanceof Error && error.message.startsWith('NOPERM');

/**
 * Hears "authentication X changed" from any process, over Redis pub/sub. Pub/sub is at-most-once,
 * so a message is only a hint: listeners re-read the record, and re-read it after a reconnect too.
 *
 * The process holds one pattern subscription to the key prefix's channels (taken on the first
 * watch and kept), so watching an id costs no Redis command: a long-poll or an SSE stream is a
 * read and a map entry, not SUBSCRIBE + UNSUBSCRIBE. Every process hears every change (two or
 * three per authentication); the ones nobody here waits for are dropped by a map lookup.
 *
 * The pattern is the bare prefix (`{ciba}*`) because Redis ACLs compare a PSUBSCRIBE pattern with
 * the user's channel rules literally: the documented rule `&{ciba}*` allows exactly that one. A
 * user whose rules allow channels but not that pattern (NOPERM) falls back to a SUBSCRIBE per
 * watched id, as before, with one warning.
 */
export class StatusEvents {
  private readonly listeners = new Map<string, Set<StatusListener>>();
  private readonly pattern: string;
  private readonly channelPrefix: string;
  private mode: Promise<Mode> | undefined;

  constructor(
    private readonly subscriber: RedisConnection,
    private readonly keys: RedisKeys,
    private readonly onFallback: (error: Error) => void = () => undefined,
  ) {
    this.pattern = `${keys.prefix}*`;
    this.channelPrefix = keys.events('');
    const hear = (channel: string, message: string) => {
      if (!channel.startsWith(this.channelPrefix)) return;
      const set = this.listeners.get(channel.slice(this.channelPrefix.length));
      if (set) for (const listener of set) listener(Number(message));
    };
    subscriber.on('pmessage', (_pattern: string, channel: string, message: string) => hear(channel, message));
    subscriber.on('message', hear);
    // Messages published while the connection was down are lost: once our subscription holds
    // again, everyone is told to re-read. The subscription is taken again here, not left to
    // ioredis: a connection that closes again after 'ready' but before ioredis's own resubscribe
    // was answered makes ioredis forget it (seen with two resets in a row), and the process
    // would hear nothing more, every long-poll waiting for its timeout. Taking it twice is
    // harmless. A re-read before the subscription holds could miss a change published in
    // between. (A call that fails means another reconnect, and another 'ready'.)
    let dropped = false;
    subscriber.on('close', () => (dropped = true));
    subscriber.on('ready', () => {
      // Not after a drop (the first connection): every watch subscribes before it reads.
      if (!dropped) return;
      dropped = false;
      queueMicrotask(() => void this.subscribeAgain());
    });
  }

  /**
   * Calls `listener` on every change of `id` from the moment this resolves until the returned
   * function is called. With the pattern, only the first watch of the process waits for Redis.
   */
  async watch(id: string, listener: StatusListener): Promise<() => Promise<void>> {
    const mode = await this.subscribed();
    let set = this.listeners.get(id);
    if (!set) {
      set = new Set();
      this.listeners.set(id, set);
      if (mode === 'channels') await this.subscriber.subscribe(this.keys.events(id));
    }
    set.add(listener);
    return async () => {
      const current = this.listeners.get(id);
      if (!current?.delete(listener) || current.size > 0) return;
      this.listeners.delete(id);
      if (mode === 'channels') await this.subscriber.unsubscribe(this.keys.events(id)).catch(() => undefined);
    };
  }

  get watchedCount(): number {
    return this.listeners.size;
  }

  /** After a reconnect: our subscription taken again, then every watcher told to re-read. */
  private async subscribeAgain(): Promise<void> {
    const mode = await this.mode?.catch(() => undefined);
    if (mode === undefined) return; // never subscribed: nobody watches
    try {
      if (mode === 'pattern') await this.subscriber.psubscribe(this.pattern);
      else if (this.listeners.size > 0) await this.subscriber.subscribe(...[...this.listeners.keys()].map((id) => this.keys.events(id)));
    } catch {
      return;
    }
    for (const set of this.listeners.values()) for (const listener of set) listener(Number.NaN);
  }

  private subscribed(): Promise<Mode> {
    this.mode ??= this.subscriber.psubscribe(this.pattern).then(
      (): Mode => 'pattern',
      (error: unknown): Mode => {
        if (!isNoPermission(error)) {
          this.mode = undefined; // Redis unreachable: the next watch tries again
          throw error;
        }
        this.onFallback(error as Error);
        return 'channels';
      },
    );
    return this.mode;
  }
}
