import { startProviderProcess, type ProviderProcess } from '../provider/provider-process.js';
import { CLIENT_ID, CLIENT_SECRET, type RunSettings } from './scenario-settings.js';

/** A fresh provider for one scenario, with the run's interval and approval delay. */
export function providerForRun(settings: RunSettings): Promise<ProviderProcess> {
  return startProviderProcess({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    interval: settings.intervalSeconds,
    expiresIn: settings.expiresInSeconds,
    approvalDelayMs: settings.approvalDelaySeconds * 1000,
    approvalJitterMs: settings.approvalJitterMs,
  });
}

/** Prints progress every few seconds while a scenario runs (to stderr: stdout carries the table). */
export function progressTicker(label: string, count: number, progress: { created: number; finished: number }): () => void {
  const startedAt = Date.now();
  const timer = setInterval(() => {
    const seconds = Math.round((Date.now() - startedAt) / 1000);
    process.stderr.write(`[bench] ${label}: ${seconds} s, started ${progress.created}/${count}, finished ${progress.finished}\n`);
  }, 5000);
  return () => clearInterval(timer);
}
