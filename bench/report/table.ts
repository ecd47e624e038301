import type { RunReport } from './run-report.js';
import type { ScenarioResult } from '../scenario/scenario-result.js';

const num = (value: number | null | undefined, digits = 0): string =>
  value === null || value === undefined || !Number.isFinite(value)
    ? 'n/a'
    : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mib = (bytes: number) => num(bytes / 1024 / 1024);

function outcomes(s: ScenarioResult): string {
  return Object.entries(s.outcomes)
    .map(([status, count]) => `${status} ${count}`)
    .join(', ');
}

/** The results table (Markdown: it goes to latest.md, and to the terminal as is). */
export function resultsTable(report: RunReport): string {
  const header = [
    'scenario',
    'N',
    'polls',
    'early',
    'lateness p50 / p99 ms',
    'approval → seen p50 / p99 ms',
    'redeemed → seen p50 ms',
    'CPU s / 1k polls',
    'start req/s',
    'Redis B / pending',
    'peak RSS MiB',
    'polls/s sustained / demand',
    'outcomes',
  ];
  const rows = report.scenarios.map((s) => [
    s.name,
    num(s.count),
    num(s.polling.polls),
    num(s.polling.earlyPolls),
    `${num(s.polling.latenessMs.p50)} / ${num(s.polling.latenessMs.p99)}`,
    `${num(s.approvalToSeenMs.p50)} / ${num(s.approvalToSeenMs.p99)}`,
    num(s.redeemedToSeenMs.p50),
    num(s.cpu.perThousandPolls, 2),
    num(s.start.requestsPerSecond),
    s.redis ? num(s.redis.bytesPerPending) : '—',
    mib(s.peakRss.totalBytes),
    `${num(s.polling.sustainedPollsPerSecond)} / ${num(s.polling.demandPollsPerSecond)}`,
    outcomes(s),
  ]);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function targetsTable(report: RunReport): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(['target', 'where', 'measured', 'met']),
    line(['---', '---', '---', '---']),
    ...report.targets.map((t) => line([t.target, t.where, t.value, t.met ? 'yes' : '**no**'])),
  ].join('\n');
}

/** Per-process detail: CPU seconds and peak RSS. */
export function processTable(report: RunReport): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const rows = report.scenarios.map((s) => {
    const cpu = Object.entries(s.cpu.secondsByProcess)
      .map(([name, seconds]) => `${name} ${num(seconds, 2)}`)
      .join(', ');
    const rss = Object.entries(s.peakRss.bytesByProcess)
      .map(([name, bytes]) => `${name} ${mib(bytes)}`)
      .join(', ');
    return line([
      s.name,
      num(s.count),
      num(s.durationSeconds, 1),
      `${num(s.cpu.totalSeconds, 2)} (${cpu})`,
      s.cpu.startPhaseSecondsByProcess ? num((s.cpu.startPhaseSecondsByProcess.api * 1000) / (s.count - s.start.failed), 2) : '—',
      rss,
      s.redis ? num(s.redis.bytesPerFinished) : '—',
      `${num(s.start.latencyMs.p50)} / ${num(s.start.latencyMs.p99)}`,
      num(s.problems.count),
      `${num(s.machineLoad.foreignCpuSeconds, 1)} s (${num(s.machineLoad.foreignShare * 100)} %)`,
    ]);
  });
  return [
    line([
      'scenario',
      'N',
      'duration s',
      'CPU s (by process)',
      'API CPU ms per start (start phase)',
      'peak RSS MiB (by process)',
      'Redis B / finished (kept 24 h)',
      'start latency p50 / p99 ms',
      'BFF warn+ log lines',
      'CPU used by other processes',
    ]),
    line(['---', '---', '---', '---', '---', '---', '---', '---', '---', '---']),
    ...rows,
  ].join('\n');
}

/** Redis per BFF scenario: commands per poll (and µs each), and what a pending authentication is made of. */
export function redisTable(report: RunReport): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const rows = report.scenarios
    .filter((s) => s.redis)
    .map((s) => {
      const redis = s.redis!;
      const commands = redis.commands
        .slice(0, 8)
        .map((c) => `${c.command} ${num(c.perPoll, 2)} (${num(c.usecPerCall, 1)} µs)`)
        .join(', ');
      const breakdown = redis.breakdown
        ? `${num(redis.breakdown.usedMemoryGrowthPerPending)} B: ` +
          redis.breakdown.groups
            .filter((g) => g.bytesPerPending >= 20)
            .map((g) => `\`${g.pattern}\` ${num(g.bytesPerPending)}`)
            .join(', ')
        : 'not taken (not all were pending at once)';
      const total = num(sumPerPoll(redis.commands), 1);
      return line([s.name, num(s.count), `${total}: ${commands}`, breakdown]);
    });
  return [
    line(['scenario', 'N', 'Redis commands per poll (top: per poll, µs each)', 'per pending authentication, by key kind (B)']),
    line(['---', '---', '---', '---']),
    ...rows,
  ].join('\n');
}

const sumPerPoll = (commands: { perPoll: number }[]) => commands.reduce((total, c) => total + c.perPoll, 0);
