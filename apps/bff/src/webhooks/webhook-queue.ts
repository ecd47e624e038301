import type { JobsOptions } from 'bullmq';

/** Deliveries have their own queue: a slow receiver never delays a poll. */
export const WEBHOOK_QUEUE = 'webhooks';
export const WEBHOOK_JOB = 'deliver';
export const webhookJobId = (authenticationId: string) => `webhook-${authenticationId}`;
export interface WebhookJobData {
  authenticationId: string;
}
export const WEBHOOK_JOB_OPTIONS: JobsOptions = { removeOnComplete: true, removeOnFail: { age: 24 * 3600 } };
