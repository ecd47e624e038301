import { useTestRedisClient } from '../../../test/support/test-redis.js';
import { HashIncrements } from './hash-increments.js';
import { Histograms, type HistogramSpec } from './histograms.js';
import { RedisKeys } from './redis-keys.js';

const LATENESS: HistogramSpec = { name: 'lateness', buckets: [0.1, 0.5, 1] };
const OTHER: HistogramSpec = { name: 'other', buckets: [10] };

describe('Histograms (real Redis)', () => {
  const db = useTestRedisClient();
  let histograms: Histograms;
  let errors: unknown[];

  beforeAll(async () => {
    errors = [];
    // A flush period no test waits out: reads flush what this process buffered.
    const increments = new HashIncrements(db.client, (error) => errors.push(error), 3_600_000);
    histograms = new Histograms(db.client, new RedisKeys(db.redis.prefix), increments);
  });

  it('reads back cumulative buckets, sum and count per label set', async () => {
    for (const value of [0.05, 0.1, 0.3, 0.7, 3]) histograms.observe(LATENESS, ['a'], value);
    histograms.observe(LATENESS, ['b'], 0.2);
    histograms.observe(OTHER, ['a'], 1);

    const series = await histograms.read([LATENESS]);
    const a = series.find((entry) => entry.labels[0] === 'a')!;
    expect(a.buckets).toEqual([
      [0.1, 2],
      [0.5, 3],
      [1, 4],
      [Infinity, 5],
    ]);
    expect(a.count).toBe(5);
    expect(a.sum).toBeCloseTo(4.15, 10);
    const b = series.find((entry) => entry.labels[0] === 'b')!;
    expect(b.buckets.map(([, count]) => count)).toEqual([0, 1, 1, 1]);
    // Only the histograms asked for.
    expect(series.every((entry) => entry.name === 'lateness')).toBe(true);
    expect(errors).toEqual([]);
  });

  it('adds whole values to a fractional sum (a sum is always written as a float)', async () => {
    histograms.observe(LATENESS, ['a'], 0);
    histograms.observe(LATENESS, ['a'], 1);
    const a = (await histograms.read([LATENESS])).find((entry) => entry.labels[0] === 'a')!;
    expect(a.count).toBe(7);
    expect(a.sum).toBeCloseTo(5.15, 10);
    expect(errors).toEqual([]);
  });

  it('ignores values that are not finite', async () => {
    histograms.observe(OTHER, ['nan'], Number.NaN);
    histograms.observe(OTHER, ['inf'], Infinity);
    const series = await histograms.read([OTHER]);
    expect(series.map((entry) => entry.labels[0])).toEqual(['a']);
  });
});
