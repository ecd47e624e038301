import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ClientObservation, ClientProgress } from '../driver/client-observation.js';
import { registerChild, stopChild } from '../support/child-registry.js';
import { BASELINE_SETTINGS_VARIABLE, type BaselineMessage, type BaselineSettings } from './baseline-settings.js';

const ENTRY = fileURLToPath(new URL('./baseline.main.js', import.meta.url));

export interface BaselineProcess {
  pid: number;
  progress: ClientProgress;
  /** Starts the measured phase; resolves with every observation when all have an outcome. */
  run(): Promise<ClientObservation[]>;
  stop(): Promise<void>;
}

/** Spawns the baseline and waits until it has done discovery (outside the measured phase). */
export async function startBaselineProcess(settings: BaselineSettings, nodeFlags: string[] = []): Promise<BaselineProcess> {
  const child: ChildProcess = spawn(process.execPath, [...nodeFlags, ENTRY], {
    env: { ...process.env, [BASELINE_SETTINGS_VARIABLE]: JSON.stringify(settings) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  registerChild(child);
  const progress: ClientProgress = { created: 0, finished: 0 };
  let finish: ((observations: ClientObservation[]) => void) | undefined;
  let fail: ((error: Error) => void) | undefined;
  let ready: (() => void) | undefined;
  const readiness = new Promise<void>((resolve, reject) => {
    ready = resolve;
    fail = reject;
  });
  child.on('message', (message: BaselineMessage) => {
    if (message.type === 'ready') ready?.();
    else if (message.type === 'progress') Object.assign(progress, { created: message.created, finished: message.finished });
    else if (message.type === 'done') finish?.(message.observations);
    else fail?.(new Error(`baseline failed: ${message.error}`));
  });
  child.once('exit', (code, signal) => fail?.(new Error(`baseline exited (${code ?? signal})`)));
  await readiness;
  return {
    pid: child.pid!,
    progress,
    run: () =>
      new Promise<ClientObservation[]>((resolve, reject) => {
        finish = resolve;
        fail = reject;
        child.send('go');
      }),
    stop: () => stopChild(child),
  };
}
