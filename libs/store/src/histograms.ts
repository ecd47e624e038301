import type { RedisConnection } from './redis-clients.js';
import type { RedisKeys } from './redis-keys.js';

/** A histogram's name and its bucket bounds (upper bounds, ascending, without +Inf). */
export interface HistogramSpec {
  name: string;
  buckets: readonly number[];
}

/** One histogram series as read back: cumulative bucket counts (the last is +Inf), sum and count. */
export interface HistogramSeries {
  name: string;
  labels: string[];
  /** `[upperBound, cumulativeCount]`, ending with `[Infinity, count]`. */
  buckets: [number, number][];
  sum: number;
  count: number;
}

const SEPARATOR = '|';
const INF = '+Inf';

/**
 * Histograms shared by every process, in one Redis hash: a worker observes a poll's lateness,
 * and any API replica's `/metrics` shows the deployment's distribution. Each observation adds 1
 * to its own bucket (not cumulative, so it is one write) and to the series' count and sum, in
 * one round trip; cumulation happens when read. Observing never fails a request.
 */
export class Histograms {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /** Records a value; the promise (which never rejects) is there for tests, callers need not wait. */
  observe(spec: HistogramSpec, labels: string[], value: number): Promise<void> {
    if (!Number.isFinite(value)) return Promise.resolve();
    const series = [spec.name, ...labels].join(SEPARATOR);
    const bound = spec.buckets.find((upper) => value <= upper);
    const bucket = bound === undefined ? INF : String(bound);
    return this.redis
      .pipeline()
      .hincrby(this.keys.histograms(), `${series}${SEPARATOR}b${SEPARATOR}${bucket}`, 1)
      .hincrby(this.keys.histograms(), `${series}${SEPARATOR}count`, 1)
      .hincrbyfloat(this.keys.histograms(), `${series}${SEPARATOR}sum`, value)
      .exec()
      .then((results) => {
        const failed = results?.find(([error]) => error);
        if (failed) this.onError(failed[0]);
      }, this.onError);
  }

  /** Every series of the given histograms, with cumulative buckets in the spec's bounds. */
  async read(specs: readonly HistogramSpec[]): Promise<HistogramSeries[]> {
    const hash = await this.redis.hgetall(this.keys.histograms());
    const byName = new Map(specs.map((spec) => [spec.name, spec]));
    const series = new Map<string, { spec: HistogramSpec; labels: string[]; perBucket: Map<string, number>; sum: number; count: number }>();
    for (const [field, raw] of Object.entries(hash)) {
      const parts = field.split(SEPARATOR);
      const spec = byName.get(parts[0]);
      if (!spec) continue;
      const bucketAt = parts.length >= 3 && parts[parts.length - 2] === 'b' ? parts.length - 2 : -1;
      const labels = parts.slice(1, bucketAt >= 0 ? bucketAt : parts.length - 1);
      const id = [spec.name, ...labels].join(SEPARATOR);
      const entry = series.get(id) ?? { spec, labels, perBucket: new Map<string, number>(), sum: 0, count: 0 };
      series.set(id, entry);
      if (bucketAt >= 0) entry.perBucket.set(parts[parts.length - 1], Number(raw));
      else if (parts[parts.length - 1] === 'sum') entry.sum = Number(raw);
      else if (parts[parts.length - 1] === 'count') entry.count = Number(raw);
    }
    return [...series.values()].map(({ spec, labels, perBucket, sum, count }) => {
      let running = 0;
      const buckets: [number, number][] = spec.buckets.map((upper) => {
        running += perBucket.get(String(upper)) ?? 0;
        return [upper, running];
      });
      // Prometheus: the +Inf bucket is the count (it also holds values of bounds no longer configured).
      buckets.push([Infinity, Math.max(count, running)]);
      return { name: spec.name, labels, buckets, sum, count };
    });
  }
}
