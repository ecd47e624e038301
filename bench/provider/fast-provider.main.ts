import { FastProvider } from './fast-provider.js';
import { PROVIDER_SETTINGS_VARIABLE, type ProviderSettings } from './provider-settings.js';

/**
 * The bench's CIBA provider as its own process, so its CPU is counted against neither the BFF
 * nor the baseline. Prints `{"ready":true,"url":...}` when it listens; SIGTERM stops it.
 */
async function main(): Promise<void> {
  const settings = JSON.parse(process.env[PROVIDER_SETTINGS_VARIABLE] ?? '') as ProviderSettings;
  const url = await new FastProvider(settings).start();
  process.stdout.write(`${JSON.stringify({ ready: true, url })}\n`);
  process.once('SIGTERM', () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`provider failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
