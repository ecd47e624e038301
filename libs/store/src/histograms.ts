import type { HashIncrements } from './hash-increments.js';
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
 * to its own bucket (not cumulative, so it is one field) and to the series' count and sum;
 * cumulation happens when read. Writes are buffered like the counters' (`HashIncrements`).
 */
export class Histograms {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
    private readonly increments: HashIncrements,
  ) {}

  observe(spec: HistogramSpec, labels: string[], value: number): void {
    if (!Number.isFinite(value)) return;
    const series = [spec.name, ...labels].join(SEPARATOR);
    const bound = spec.buckets.find((upper) => value <= upper);
    const key = this.keys.histograms();
    this.increments.add(key, `${series}${SEPARATOR}b${SEPARATOR}${bound === undefined ? INF : String(bound)}`, 1);
    this.increments.add(key, `${series}${SEPARATOR}count`, 1);
    this.increments.addFloat(key, `${series}${SEPARATOR}sum`, value);
  }

  /** Every series of the given histograms, with cumulative buckets in the spec's bounds. */
  async read(specs: readonly HistogramSpec[]): Promise<HistogramSeries[]> {
    await this.increments.flush();
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
