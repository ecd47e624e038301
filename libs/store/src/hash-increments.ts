import type { RedisConnection } from './redis-clients.js';

/** How often buffered increments are written: metrics may lag this much, a poll pays nothing. */
export const METRICS_FLUSH_MS = 1000;

/**
 * Increments of Redis hash fields, added up in memory and written once a second in one pipeline
 * (`HINCRBY`, or `HINCRBYFLOAT` for sums), instead of a round trip per poll. A process that dies
 * loses at most the last second of metrics; a stopping one calls `flush()`. A failed write is
 * reported to `onError` and those increments are dropped: counting never fails a request.
 */
export class HashIncrements {
  /** key → field → the amount to add, and whether the field holds a float (a sum). */
  private pending = new Map<string, Map<string, { amount: number; float: boolean }>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: RedisConnection,
    private readonly onError: (error: unknown) => void = () => undefined,
    private readonly flushMs = METRICS_FLUSH_MS,
  ) {}

  /** Adds to an integer field (`HINCRBY`). */
  add(key: string, field: string, amount: number): void {
    this.accumulate(key, field, amount, false);
  }

  /** Adds to a float field (`HINCRBYFLOAT`; a float field must never be given to `HINCRBY`). */
  addFloat(key: string, field: string, amount: number): void {
    this.accumulate(key, field, amount, true);
  }

  private accumulate(key: string, field: string, amount: number, float: boolean): void {
    const fields = this.pending.get(key) ?? new Map<string, { amount: number; float: boolean }>();
    this.pending.set(key, fields);
    fields.set(field, { amount: (fields.get(field)?.amount ?? 0) + amount, float });
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.flushMs);
      this.timer.unref(); // a process may exit with metrics unwritten rather than be held open
    }
  }

  /** Writes everything added so far; resolves when Redis has it (or the failure was reported). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const pipeline = this.redis.pipeline();
    for (const [key, fields] of batch) {
      for (const [field, { amount, float }] of fields) {
        if (float) pipeline.hincrbyfloat(key, field, amount);
        else pipeline.hincrby(key, field, amount);
      }
    }
    try {
      const failed = (await pipeline.exec())?.find(([error]) => error);
      if (failed) this.onError(failed[0]);
    } catch (error) {
      this.onError(error);
    }
  }
}
