import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { registerChild, stopChild } from '../support/child-registry.js';
import { waitForJsonLine } from '../support/json-line.js';
import type { LedgerSnapshot } from './provider-ledger.js';
import { PROVIDER_SETTINGS_VARIABLE, type ProviderSettings } from './provider-settings.js';

const ENTRY = fileURLToPath(new URL('./fast-provider.main.js', import.meta.url));

export interface ProviderProcess {
  url: string;
  child: ChildProcess;
  ledger(): Promise<LedgerSnapshot>;
  stop(): Promise<void>;
}

/** Starts a fresh provider process (one per scenario: its ledger then holds that scenario only). */
export async function startProviderProcess(settings: ProviderSettings): Promise<ProviderProcess> {
  const child = spawn(process.execPath, [ENTRY], {
    env: { ...process.env, [PROVIDER_SETTINGS_VARIABLE]: JSON.stringify(settings) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  registerChild(child);
  const url = await waitForJsonLine(child, 'the bench provider', (entry) => (entry.ready === true ? String(entry.url) : undefined), {
    timeoutMs: 15_000,
  });
  return {
    url,
    child,
    ledger: async () => {
      const response = await fetch(`${url}/admin/ledger`);
      if (!response.ok) throw new Error(`provider ledger: HTTP ${response.status}`);
      return (await response.json()) as LedgerSnapshot;
    },
    stop: () => stopChild(child),
  };
}
