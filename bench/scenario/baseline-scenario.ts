import { startBaselineProcess, type BaselineProcess } from '../baseline/baseline-process.js';
import type { ClientObservation } from '../driver/client-observation.js';
import { analysePolling } from '../metrics/poll-analysis.js';
import { MachineMeter, type MachineLoad } from '../metrics/machine-load.js';
import { CpuMeter, peakRssBytes } from '../metrics/proc-stats.js';
import { measuredPart, type LedgerSnapshot } from '../provider/provider-ledger.js';
import { cpuSummary } from './bff-scenario.js';
import { analyseObservations } from './observation-analysis.js';
import { progressTicker, providerForRun } from './provider-for-run.js';
import type { ScenarioResult } from './scenario-result.js';
import { CLIENT_ID, CLIENT_SECRET, startsPerSecond, warmUpPollingMs, type RunSettings } from './scenario-settings.js';

/** The same provider, polled by one plain Node process with openid-client (see baseline.main.ts). */
export async function runBaselineScenario(count: number, settings: RunSettings): Promise<ScenarioResult> {
  const provider = await providerForRun(settings);
  let baseline: BaselineProcess | undefined;
  let observations: ClientObservation[];
  let ledger: LedgerSnapshot;
  let secondsByProcess: Record<string, number>;
  let peak: number;
  let machineLoad: MachineLoad;
  try {
    const nodeFlags = settings.cpuProfileDir
      ? ['--cpu-prof', `--cpu-prof-dir=${settings.cpuProfileDir}`, `--cpu-prof-name=baseline-${Date.now()}.cpuprofile`]
      : [];
    baseline = await startBaselineProcess(
      {
        issuer: provider.url,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        count,
        concurrency: settings.startConcurrency,
        startsPerSecond: startsPerSecond(settings, count),
        warmUp: settings.warmUp,
        warmUpPollingMs: warmUpPollingMs(settings),
      },
      nodeFlags,
    );
    const cpu = new CpuMeter({ baseline: baseline.pid });
    const machine = new MachineMeter([baseline.pid, provider.child.pid!]);
    const stopTicker = progressTicker(`baseline, N=${count}`, count, baseline.progress);
    try {
      observations = await baseline.run();
    } finally {
      stopTicker();
    }
    secondsByProcess = cpu.elapsed();
    machineLoad = machine.elapsed();
    peak = peakRssBytes(baseline.pid);
    ledger = measuredPart(await provider.ledger());
  } finally {
    await baseline?.stop();
    await provider.stop();
  }
  const polling = analysePolling(ledger);
  return {
    name: 'baseline (openid-client)',
    implementation: 'baseline',
    count,
    workers: null,
    ...analyseObservations(observations, ledger),
    polling,
    cpu: cpuSummary(secondsByProcess, polling.polls),
    peakRss: { bytesByProcess: { baseline: peak }, totalBytes: peak },
    redis: null,
    machineLoad,
    problems: { count: 0, sample: [] },
  };
}
