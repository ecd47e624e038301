import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { readOptions, type BenchOptions } from './bench-options.js';
import { waitForQuietMachine } from './metrics/machine-load.js';
import { describeMachine } from './report/machine.js';
import type { RunReport } from './report/run-report.js';
import { resultsTable, targetsTable } from './report/table.js';
import { checkTargets } from './report/targets.js';
import { writeResults } from './report/write-results.js';
import { runBaselineScenario } from './scenario/baseline-scenario.js';
import { runBffScenario } from './scenario/bff-scenario.js';
import type { ScenarioResult } from './scenario/scenario-result.js';
import type { RunSettings } from './scenario/scenario-settings.js';
import { productIsBuilt, REPO_ROOT } from './support/repo-paths.js';

/**
 * `npm run bench`: the BFF (1 and 2 worker processes) against a plain openid-client baseline,
 * both polling the same fast CIBA provider, at each size. Prints the table, writes JSON, Markdown
 * and an SVG chart. Exits non-zero only when the benchmark itself could not run.
 */
async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  ensureBuilt(options);
  const startedAt = new Date().toISOString();
  // The commit and dist/ as they are when the measurement starts (others may commit meanwhile).
  const machine = describeMachine();
  const out = options.out ?? join(REPO_ROOT, 'bench', 'results', ...(options.mode === 'quick' ? ['quick'] : []));
  const settings: RunSettings = {
    intervalSeconds: options.intervalSeconds,
    approvalDelaySeconds: options.approvalDelaySeconds,
    approvalJitterMs: options.intervalSeconds * 1000,
    expiresInSeconds: options.expiresInSeconds,
    startConcurrency: options.startConcurrency,
    startRate: options.startRate,
    warmUp: options.warmUp,
    follow: options.follow,
    pollConcurrency: options.pollConcurrency,
    aof: options.aof,
    redisConfig: options.redisConfig,
    cpuProfileDir: options.profile ? join(out, 'profiles', startedAt.replace(/:/g, '-')) : undefined,
  };
  const scenarios: ScenarioResult[] = [];
  for (const count of options.sizes) {
    if (options.baseline) {
      await quiet(options);
      scenarios.push(announce(await runBaselineScenario(count, settings)));
    }
    for (const workers of options.workers) {
      await quiet(options);
      scenarios.push(announce(await runBffScenario(count, workers, settings)));
    }
  }
  const report: RunReport = {
    benchmark: 'ciba-bff',
    mode: options.mode,
    startedAt,
    finishedAt: new Date().toISOString(),
    settings: { ...settings, sizes: options.sizes, workers: options.workers },
    machine,
    scenarios,
    targets: checkTargets(scenarios, settings.intervalSeconds),
  };
  const written = await writeResults(report, out);
  process.stdout.write(`\n${resultsTable(report)}\n\n${targetsTable(report)}\n\n`);
  process.stdout.write(`Results: ${written.json}\n         ${written.markdown}\n         ${written.chart}\n`);
  if (settings.cpuProfileDir) process.stdout.write(`CPU profiles: ${settings.cpuProfileDir}\n`);
  // Missed targets are results; a scenario where most authentications never got an answer means
  // the bench itself did not work (bad configuration, a crashed process).
  const broken = scenarios.filter((s) => (s.outcomes.approved ?? 0) < s.count / 2);
  if (broken.length > 0) throw new Error(`too few approvals in: ${broken.map((s) => `${s.name}, N=${s.count}`).join('; ')}`);
}

function ensureBuilt(options: BenchOptions): void {
  if (productIsBuilt() && !options.build) return;
  process.stderr.write('[bench] building the product (npm run build)\n');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, stdio: 'inherit' });
}

/** Other processes may use this share of the CPUs when a scenario starts. */
const QUIET_SHARE = 0.25;

async function quiet(options: BenchOptions): Promise<void> {
  if (options.quietWaitSeconds === 0) return;
  const share = await waitForQuietMachine(QUIET_SHARE, options.quietWaitSeconds * 1000, (seen) =>
    process.stderr.write(`[bench] other processes use ${(seen * 100).toFixed(0)} % of the CPUs; waiting for them to calm down\n`),
  );
  if (share >= QUIET_SHARE) process.stderr.write(`[bench] the machine stayed busy (${(share * 100).toFixed(0)} %); measuring anyway\n`);
}

/** Above this share of the machine used by other processes, the numbers of a scenario are suspect. */
const BUSY_NEIGHBOUR_SHARE = 0.1;

function announce(result: ScenarioResult): ScenarioResult {
  const p = result.polling;
  if (result.machineLoad.foreignShare > BUSY_NEIGHBOUR_SHARE) {
    process.stderr.write(
      `[bench] WARNING: other processes used ${(result.machineLoad.foreignShare * 100).toFixed(0)} % of the machine during ${result.name}, N=${result.count}; its numbers are pessimistic\n`,
    );
  }
  process.stderr.write(
    `[bench] ${result.name}, N=${result.count}: ${p.polls} polls, ${p.earlyPolls} early, lateness p99 ${Math.round(p.latenessMs.p99)} ms, ` +
      `approval → seen p50 ${Math.round(result.approvalToSeenMs.p50)} ms, CPU ${result.cpu.perThousandPolls.toFixed(2)} s / 1k polls\n`,
  );
  return result;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`[bench] the benchmark failed to run: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
