import { type Counters } from '@ciba/store';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

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
} as const;
export type CounterName = keyof typeof COUNTERS;

/**
 * `GET /metrics` (API.md §6): this process's runtime metrics, plus the deployment-wide counters
 * read from Redis at scrape time. Counters are cluster-wide, so sum them with max() across API
 * replicas, not sum().
 */
export function createMetricsRegistry(counters: Counters): Registry {
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
      this.set(await counters.active());
    },
  });
  return registry;
}
