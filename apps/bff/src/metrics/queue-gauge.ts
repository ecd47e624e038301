import type { Queue } from 'bullmq';
import { Gauge, type Registry } from 'prom-client';

/** The job states an operator watches: a growing `waiting` means workers are short. */
const STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * Jobs per queue and state, read from BullMQ at scrape time (deployment-wide, like the counters).
 * A poll queue's `delayed` count is the number of authentications waiting for their next poll.
 */
export function registerQueueGauge(registry: Registry, queues: readonly Queue[]): void {
  new Gauge({
    name: 'ciba_queue_jobs',
    help: 'BullMQ jobs by queue and state (poll-<provider>: one job per active authentication)',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      const counts = await Promise.all(queues.map((queue) => queue.getJobCounts(...STATES)));
      queues.forEach((queue, i) => {
        for (const state of STATES) this.set({ queue: queue.name, state }, counts[i][state] ?? 0);
      });
    },
  });
}
