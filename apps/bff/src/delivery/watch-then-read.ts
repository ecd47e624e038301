import { isStoreFailure, type StatusEvents } from '@ciba/store';

/** Where change hints come from: `StatusEvents` in the app, a fake in specs. */
export type StatusHints = Pick<StatusEvents, 'watch'>;

/** What a waiting client is told once it follows a watched record. */
export interface RecordFollower<T> {
  /** A fresh read, taken because the record may have changed. */
  changed(record: T): void;
  /**
   * A re-read failed. Redis being away is told once per run of failures: the watch carries on and
   * reads again by itself (after `RETRY_FIRST_MS`, doubling to `RETRY_MAX_MS`) until a read succeeds, and on
   * every hint meanwhile.
   */
  readFailed(error: Error): void;
  /** The watch could not be set up: no change of this record will be heard. */
  watchFailed(error: Error): void;
}

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

/**
 * A failed re-read is tried again this soon, then twice as late each time up to the maximum (each
 * delay shortened by up to half, at random). It typically follows a reconnect (the pub/sub
 * connection came back, the command connection is still on its way), and a change made during
 * the outage is heard only through such a re-read.
 */
export const RETRY_FIRST_MS = 100;
export const RETRY_MAX_MS = 2_000;

/** One turn of the event loop: long enough for a watch that needs no Redis command to be in place. */
const nextTurn = () => new Promise<false>((resolve) => setImmediate(() => resolve(false)));

/**
 * Watch, then read: the one way a long-poll and an event stream learn about a record. The watch
 * is asked for before the record is read, so a change made after the read is heard; pub/sub is
 * only a hint, so every hint is answered by reading the record again (reads one at a time, so
 * what they find is handed on in order).
 *
 * The read does not wait for the process's first subscription: that one waits for Redis, and a
 * process whose first watch meets an outage must still answer 503 at once (the subscriber
 * connection queues, it never times out). When the watch was not yet listening as the read
 * began, a change between the read and the subscription could go unheard: the record is read
 * again once it listens.
 */
export class RecordWatch<T> {
  private readonly watching: Promise<() => Promise<void>>;
  private listeningBeforeTheRead = false;
  private hintedBeforeFollowing = false;
  private follower: RecordFollower<T> | undefined;
  private reading: Promise<void> = Promise.resolve();
  private stopped = false;
  private failuresInARow = 0;
  private retry: NodeJS.Timeout | undefined;

  private constructor(
    events: StatusHints,
    id: string,
    private readonly read: () => Promise<T>,
  ) {
    this.watching = events.watch(id, () => this.hinted());
  }

  /** Watches `id`, then reads it. A failed read stops the watch and is thrown. */
  static async open<T>(events: StatusHints, id: string, read: () => Promise<T>): Promise<{ first: T; watch: RecordWatch<T> }> {
    const watch = new RecordWatch(events, id, read);
    try {
      watch.listeningBeforeTheRead = await watch.listensWithinTheTurn();
      return { first: await read(), watch };
    } catch (error) {
      watch.stop();
      throw error;
    }
  }

  /** Hands every later read to `follower`, starting with the ones the first read may have missed. */
  follow(follower: RecordFollower<T>): void {
    if (this.stopped || this.follower) return;
    this.follower = follower;
    if (this.hintedBeforeFollowing) void this.readAgain(); // a change heard while the first read was on its way
    if (this.listeningBeforeTheRead) return;
    this.watching.then(
      () => void this.readAgain(),
      (error: unknown) => {
        if (!this.stopped) follower.watchFailed(asError(error));
      },
    );
  }

  /**
   * Reads now (after the reads already asked for) and hands the record to the follower; resolves
   * with the error when this read failed (the follower hears of it as `readFailed` says).
   */
  readAgain(): Promise<Error | undefined> {
    const done = this.reading.then(async (): Promise<Error | undefined> => {
      const follower = this.follower;
      if (this.stopped || !follower) return undefined;
      try {
        const record = await this.read();
        this.failuresInARow = 0;
        if (!this.stopped) follower.changed(record);
        return undefined;
      } catch (error) {
        const failure = asError(error);
        if (this.stopped) return failure;
        // Only Redis being away is waited out; any other failure (the record is gone) is told each time.
        if (!isStoreFailure(failure)) {
          follower.readFailed(failure);
          return failure;
        }
        this.failuresInARow += 1;
        if (this.failuresInARow === 1) follower.readFailed(failure);
        this.readAgainLater();
        return failure;
      }
    });
    this.reading = done.then(() => undefined);
    return done;
  }

  /** Stops listening; nothing is handed on after this. Safe to call twice. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.retry);
    void this.watching.then(
      (unwatch) => unwatch(),
      () => undefined,
    );
  }

  /** A watch that costs no Redis command is in place within the turn; a first one is not waited for. */
  private listensWithinTheTurn(): Promise<boolean> {
    const listening = this.watching.then(
      () => true,
      () => false,
    );
    return Promise.race([listening, nextTurn()]);
  }

  private readAgainLater(): void {
    if (this.retry) return;
    // Between half and all of it, at random: every watch of a process re-reads at once after a
    // reconnect, and their retries should not reach a recovering Redis all at the same moment.
    const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** (this.failuresInARow - 1)) * (0.5 + Math.random() / 2);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.readAgain();
    }, delay);
    this.retry.unref(); // a watch nobody stopped must not keep a process alive
  }

  private hinted(): void {
    if (this.follower) void this.readAgain();
    else this.hintedBeforeFollowing = true;
  }
}
