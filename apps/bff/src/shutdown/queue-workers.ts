import type { INestApplicationContext } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { WorkerHost } from '@nestjs/bullmq';
import type { Worker } from 'bullmq';

/** The BullMQ workers of this process (poll, webhook and maintenance processors); none in an API process. */
export function queueWorkers(app: Pick<INestApplicationContext, 'get'>): Worker[] {
  let discovery: DiscoveryService;
  try {
    discovery = app.get(DiscoveryService, { strict: false });
  } catch {
    return []; // no BullModule, so no workers
  }
  const workers: Worker[] = [];
  for (const wrapper of discovery.getProviders()) {
    const instance: unknown = wrapper.instance;
    if (!(instance instanceof WorkerHost)) continue;
    try {
      workers.push((instance as WorkerHost<Worker>).worker);
    } catch {
      // A processor whose worker was never started has nothing to stop.
    }
  }
  return workers;
}

/**
 * Stops fetching jobs at once and resolves when the jobs in progress have finished (BullMQ
 * `Worker.close()` without force). A poll run in progress ends as it always does: its answer
 * stored, its job moved back to `delayed` for whichever worker is next, so nothing is redeemed
 * twice and nothing waits for a lock to expire. Nest calls the same `close()` later (its
 * `onApplicationShutdown`); BullMQ returns the same promise then.
 */
export async function stopTakingJobs(workers: Worker[]): Promise<void> {
  await Promise.all(workers.map((worker) => worker.close()));
}
