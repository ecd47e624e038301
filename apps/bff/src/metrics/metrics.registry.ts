import { type Counters, type Histograms } from '@ciba/store';
import type { Queue } from 'bullmq';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { HISTOGRAMS } from './histogram-specs.js';
import { registerQueueGauge } from './queue-gauge.js';
import { registerStoredHistogram } from './stored-histogram.js';

/** The counters the BFF keeps, with their Prometheus names and label names. */
export const COUNTERS = {
  started: { metric: 'ciba_authentications_started_total', help: 'Authentications the providers acknowledged', labels: ['provider'] },
  finished: {
    metric: 'ciba_authentications_finished_total',
    help: 'Authentications that ended, by status',
    labels: ['provider', 'status'],
  },
  polls: { metric: 'ciba_token_polls_total', help: 'Token requests, by what the provider answered', labels: ['provider', 'outcome'] },
  notifications: {
    metric: 'ciba_notifications_total',
    help: 'Ping and push notifications, accepted or refused',
    labels: ['provider', 'result'],
  },
  webhooks: {
    metric: 'ciba_webhook_deliveries_total',
    help: 'Webhooks that ended, delivered or failed for good (retries are not counted)',
    labels: ['provider', 'result'],
  },
} as const;
export type CounterName = keyof typeof COUNTERS;

/** What the registry reads at scrape time. */
export interface MetricsSources {
  counters: Counters;
  histograms: Histograms;
  /** Every BullMQ queue of the deployment. */
  queues: readonly Queue[];
  /** This process's open Server-Sent Events streams. */
  openStreams: () => number;
  /** The configured providers (their due sets hold the active authentications). */
  providers: readonly string[];
}

/**
 * `GET /metrics` (API.md §6): this process's runtime metrics and open SSE streams, plus the
 * deployment-wide counters, histograms and queue sizes read from Redis at scrape time. The
 * deployment-wide series are the same on every API replica: aggregate them with max(), not
 * sum(); `ciba_sse_connections` and the runtime metrics are per process: sum() those.
 */
export function createMetricsRegistry({ counters, histograms, queues, openStreams, providers }: MetricsSources): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ciba_bff_' });
  for (const [name, spec] of Object.entries(COUNTERS)) {
    new Counter({
      name: spec.metric,
      help: spec.help,
      labelNames: [...spec.labels],
      registers: [registry],
      async collect() {
        this.reset();
        for (const entry of await counters.read()) {
          if (entry.name !== name) continue;
          this.inc(Object.fromEntries(spec.labels.map((label, i) => [label, entry.labels[i] ?? ''])), entry.value);
        }
      },
    });
  }
  new Gauge({
    name: 'ciba_authentications_active',
    help: 'Authentications pending or awaiting a user code',
    registers: [registry],
    async collect() {
      this.set(await counters.active(providers));
    },
  });
  new Gauge({
    name: 'ciba_poll_due',
    help: 'Authentications whose next run is due now and not yet claimed by a worker (the poll backlog), per provider',
    labelNames: ['provider'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const provider of providers) this.set({ provider }, await counters.due(provider));
    },
  });
  new Gauge({
    name: 'ciba_poll_leased',
    help: 'Authentications claimed by a worker whose run is not yet stored (a poll in flight), per provider',
    labelNames: ['provider'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const provider of providers) this.set({ provider }, await counters.leased(provider));
    },
  });
  new Gauge({
    name: 'ciba_sse_connections',
    help: 'Server-Sent Events streams open on this process',
    registers: [registry],
    collect() {
      this.set(openStreams());
    },
  });
  for (const definition of HISTOGRAMS) registerStoredHistogram(registry, histograms, definition);
  registerQueueGauge(registry, queues);
  return registry;
}
