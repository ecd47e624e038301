import type { INestApplication } from '@nestjs/common';
import type { Logger } from 'pino';
import type { HttpDrain } from './http-drain.js';
import { queueWorkers, stopTakingJobs } from './queue-workers.js';
import { HTTP_DRAIN_MS } from './shutdown-budget.js';

/**
 * Stops a running BFF without losing work:
 *
 * 1. No new work, at once: the listener stops accepting connections and BullMQ workers stop
 *    fetching jobs. Requests and poll runs in progress carry on.
 * 2. The poll runs in progress finish: the answer of a token request in flight is stored and
 *    its job handed back as `delayed`, for whichever worker is next at the stored time. This
 *    comes before `app.close()` because Nest runs `onApplicationShutdown` on the root module
 *    first (modules by ascending distance, global ones last): our Redis connections would be
 *    quit while BullMQ's explorer still waits for the job, and the answer could not be stored.
 *    Meanwhile open event streams keep serving, so they may even carry that last poll's result.
 * 3. Nest's lifecycle (`app.close()`): open event streams are told to reconnect and ended
 *    (`beforeApplicationShutdown`), the HTTP server closes once the drain lets it, then the
 *    queues and the Redis connections close (`onApplicationShutdown`).
 */
export async function shutdownBff(
  app: INestApplication,
  http: HttpDrain,
  logger: Pick<Logger, 'info'>,
  graceMs: number = HTTP_DRAIN_MS,
): Promise<void> {
  const workers = queueWorkers(app);
  const failures: unknown[] = [];
  // Every step is observed from the moment it starts, so one failing never goes unreported.
  const attempt = (step: Promise<unknown>) => step.catch((error: unknown) => void failures.push(error));
  logger.info({ event: 'bff.no_new_work', workers: workers.length, requestsInFlight: http.inFlight }, 'no longer taking new work');
  const requests = attempt(http.drain(graceMs).then(() => logger.info({ event: 'bff.http_closed' }, 'HTTP server closed')));
  await attempt(
    stopTakingJobs(workers).then(() => logger.info({ event: 'bff.jobs_finished', workers: workers.length }, 'jobs in progress finished')),
  );
  await attempt(app.close());
  await requests;
  if (failures.length > 0) throw failures[0];
}
