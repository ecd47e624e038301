import type { HistogramSpec } from '@ciba/store';

/**
 * How late a token request went out, against the time the poll policy planned for it (seconds;
 * label: provider). Never negative: a poll is never sent early. A rising p99 means the workers
 * cannot keep up (add workers or `pollConcurrency`) or Redis is slow.
 */
export const POLL_LATENESS: HistogramSpec = {
  name: 'ciba_poll_lateness_seconds',
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
};

/**
 * From the customer's approval at the provider (the ID Token's `auth_time`) to the verified
 * result stored and published to the waiting consumer (seconds; labels: provider, delivery
 * mode). `auth_time` has whole seconds, so values are up to 1 s high, and include any clock
 * difference with the provider. In poll mode it is dominated by the interval.
 */
export const APPROVAL_TO_RESULT: HistogramSpec = {
  name: 'ciba_approval_to_result_seconds',
  buckets: [0.5, 1, 2, 3, 5, 7.5, 10, 15, 30, 60],
};

export const HISTOGRAMS = [
  { spec: POLL_LATENESS, help: 'Lateness of token requests against their planned time', labels: ['provider'] },
  { spec: APPROVAL_TO_RESULT, help: 'From the approval (auth_time) to the stored result', labels: ['provider', 'delivery_mode'] },
] as const;
