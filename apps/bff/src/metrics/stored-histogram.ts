import type { HistogramSpec, Histograms } from '@ciba/store';
import type { Metric, MetricValueWithName, Registry } from 'prom-client';

const renderBound = (upper: number) => (upper === Infinity ? '+Inf' : String(upper));

/**
 * A Prometheus histogram whose buckets live in Redis (`Histograms`), so every replica's
 * `/metrics` shows the whole deployment's observations. prom-client's own `Histogram` keeps its
 * buckets in this process and has no way to load them, hence this small collector: it gives the
 * registry the same series (`_bucket` with `le`, `_sum`, `_count`) the library would.
 */
export function registerStoredHistogram(
  registry: Registry,
  store: Histograms,
  definition: { spec: HistogramSpec; help: string; labels: readonly string[] },
): void {
  const { spec, help, labels } = definition;
  const metric = {
    name: spec.name,
    help,
    type: 'histogram',
    aggregator: 'max',
    reset: () => undefined,
    get: async () => {
      const values: MetricValueWithName<string>[] = [];
      for (const series of await store.read([spec])) {
        const named = Object.fromEntries(labels.map((label, i) => [label, series.labels[i] ?? '']));
        for (const [upper, count] of series.buckets)
          values.push({ metricName: `${spec.name}_bucket`, labels: { ...named, le: renderBound(upper) }, value: count });
        values.push({ metricName: `${spec.name}_sum`, labels: named, value: series.sum });
        values.push({ metricName: `${spec.name}_count`, labels: named, value: series.count });
      }
      return { name: spec.name, help, type: 'histogram', aggregator: 'max', values };
    },
  };
  // prom-client types `registerMetric` as its own classes only; the registry needs just these members.
  registry.registerMetric(metric as unknown as Metric);
}
