import { BENCH_PROVIDER_ID } from '../bff/bff-config.js';
import { startBffCluster, type BffCluster } from '../bff/bff-cluster.js';
import { ConsumerDriver, newApiKey } from '../driver/consumer-driver.js';
import type { ClientObservation } from '../driver/client-observation.js';
import { analysePolling } from '../metrics/poll-analysis.js';
import { MachineMeter, type MachineLoad } from '../metrics/machine-load.js';
import { CpuMeter, peakRssBytes } from '../metrics/proc-stats.js';
import { commandStats, keyBreakdown, resetCommandStats, type CommandStat } from '../metrics/redis-diagnostics.js';
import { RedisMemorySampler } from '../metrics/redis-memory.js';
import { measuredPart, type LedgerSnapshot } from '../provider/provider-ledger.js';
import type { Redis } from 'ioredis';
import { sleep } from '../support/clock.js';
import { analyseObservations } from './observation-analysis.js';
import { progressTicker, providerForRun } from './provider-for-run.js';
import type { RedisBreakdown, ScenarioResult } from './scenario-result.js';
import { CLIENT_ID, CLIENT_SECRET, startsPerSecond, warmUpPollingMs, type RunSettings } from './scenario-settings.js';

/** Lets the workers finish their start-up work (provider discovery, job schedulers) before measuring. */
const SETTLE_MS = 1000;

/**
 * The BFF under test as real processes (one API, `workers` workers, its own redis-server),
 * driven through the public API only. CPU is counted for every BFF process and redis-server,
 * from the first start request to the last result seen.
 */
export async function runBffScenario(count: number, workers: number, settings: RunSettings): Promise<ScenarioResult> {
  const name = `BFF, ${workers} worker${workers > 1 ? 's' : ''}`;
  const provider = await providerForRun(settings);
  const apiKey = newApiKey();
  let cluster: BffCluster | undefined;
  let observations: ClientObservation[];
  let ledger: LedgerSnapshot;
  let measured: Pick<ScenarioResult, 'cpu' | 'peakRss' | 'problems'> & {
    machineLoad: MachineLoad;
    memory: { baseline: number; final: number; sampler: RedisMemorySampler; breakdown: RedisBreakdown | null };
    commands: CommandStat[];
  };
  try {
    cluster = await startBffCluster({
      providerUrl: provider.url,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      apiKey,
      pollConcurrency: settings.pollConcurrency,
      workers,
      aof: settings.aof,
      redisConfig: settings.redisConfig,
      cpuProfileDir: settings.cpuProfileDir,
    });
    await sleep(SETTLE_MS);
    const redis = cluster.redis;
    const pids = cluster.pids();
    const driver = new ConsumerDriver(cluster.apiUrl, apiKey, BENCH_PROVIDER_ID, settings.follow);
    await driver.warmUp(settings.warmUp, settings.startConcurrency, warmUpPollingMs(settings));
    const baseline = await redis.usedMemory();
    const sampler = new RedisMemorySampler(() => redis.usedMemory(), driver.progress);
    const stopTicker = progressTicker(`${name}, N=${count}`, count, driver.progress);
    await resetCommandStats(redis.client);
    sampler.start();
    const cpu = new CpuMeter(pids);
    const machine = new MachineMeter([...Object.values(pids), provider.child.pid!]);
    let startPhase: Record<string, number> | undefined;
    driver.onStartsDone = () => (startPhase = cpu.elapsed());
    const breakdown = breakdownWhenAllPending(count, driver.progress, redis.client, baseline, () => redis.usedMemory());
    try {
      observations = await driver.run(count, settings.startConcurrency, startsPerSecond(settings, count));
    } finally {
      stopTicker();
      sampler.stop();
      breakdown.cancel();
    }
    const secondsByProcess = cpu.elapsed();
    const machineLoad = machine.elapsed();
    const commands = await commandStats(redis.client);
    const final = await redis.usedMemory();
    const bytesByProcess = Object.fromEntries(Object.entries(pids).map(([process, pid]) => [process, peakRssBytes(pid)]));
    ledger = measuredPart(await provider.ledger());
    const problemSample = cluster.processes.flatMap((process) => process.problems.sample).slice(0, 10);
    measured = {
      cpu: { ...cpuSummary(secondsByProcess, 0), startPhaseSecondsByProcess: startPhase },
      peakRss: { bytesByProcess, totalBytes: sum(Object.values(bytesByProcess)) },
      problems: { count: sum(cluster.processes.map((process) => process.problems.count)), sample: problemSample },
      memory: { baseline, final, sampler, breakdown: await breakdown.result },
      commands,
      machineLoad,
    };
  } finally {
    await cluster?.stop();
    await provider.stop();
  }
  const polling = analysePolling(ledger);
  const firstApprovalAt = Math.min(...ledger.entries.map((entry) => entry.approveAt));
  const { memory, commands, ...rest } = measured;
  const created = observations.filter((o) => !o.status.startsWith('error:start')).length;
  return {
    name,
    implementation: 'bff',
    count,
    workers,
    ...analyseObservations(observations, ledger),
    polling,
    ...rest,
    cpu: {
      ...cpuSummary(measured.cpu.secondsByProcess, polling.polls),
      startPhaseSecondsByProcess: measured.cpu.startPhaseSecondsByProcess,
    },
    redis: {
      ...memory.sampler.perPending(memory.baseline, firstApprovalAt),
      bytesPerFinished: created > 0 ? (memory.final - memory.baseline) / created : 0,
      breakdown: memory.breakdown,
      commands: commands.slice(0, 12).map((stat) => ({
        command: stat.command,
        perPoll: stat.calls / Math.max(1, polling.polls),
        usecPerCall: stat.usecPerCall,
      })),
    },
  };
}

export function cpuSummary(secondsByProcess: Record<string, number>, polls: number): ScenarioResult['cpu'] {
  const totalSeconds = sum(Object.values(secondsByProcess));
  return { secondsByProcess, totalSeconds, perThousandPolls: polls > 0 ? (totalSeconds * 1000) / polls : Number.NaN };
}

export const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);

/**
 * Once every authentication is created and none has finished yet (before the first approval is
 * collected), takes the Redis key breakdown: what one pending authentication costs, by key kind.
 */
function breakdownWhenAllPending(
  count: number,
  progress: { created: number; finished: number },
  redis: Redis,
  baseline: number,
  usedMemory: () => Promise<number>,
): { result: Promise<RedisBreakdown | null>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  let settle: (value: RedisBreakdown | null) => void = () => undefined;
  const result = new Promise<RedisBreakdown | null>((resolve) => (settle = resolve));
  const check = async () => {
    if (progress.finished > 0) return settle(null);
    if (progress.created < count) {
      timer = setTimeout(() => void check(), 100);
      return;
    }
    const growth = (await usedMemory()) - baseline;
    const groups = await keyBreakdown(redis);
    if (progress.finished > 0) return settle(null);
    settle({
      pending: count,
      usedMemoryGrowthPerPending: growth / count,
      groups: groups.map((group) => ({ pattern: group.pattern, keys: group.keys, bytesPerPending: group.bytes / count })),
    });
  };
  timer = setTimeout(() => void check().catch(() => settle(null)), 100);
  return {
    result,
    cancel: () => {
      clearTimeout(timer);
      settle(null);
    },
  };
}
