import type { ScenarioResult } from '../scenario/scenario-result.js';

export interface TargetCheck {
  target: string;
  where: string;
  value: string;
  met: boolean;
}

const fixed = (value: number, digits = 0): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

/**
 * The targets, checked against a run. They are reported, never enforced: a missed target
 * does not fail the bench. `small` and `large` are the run's sizes (1,000 and 5,000 in a full run).
 */
export function checkTargets(scenarios: ScenarioResult[], intervalSeconds: number): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const sizes = [...new Set(scenarios.map((s) => s.count))].sort((a, b) => a - b);
  const small = sizes[0];
  const large = sizes[sizes.length - 1];
  const bffs = scenarios.filter((s) => s.implementation === 'bff');
  const baselineAt = (count: number) => scenarios.find((s) => s.implementation === 'baseline' && s.count === count);
  const bffAt = (count: number, workers: number) => bffs.find((s) => s.count === count && s.workers === workers);
  const where = (s: ScenarioResult) => `${s.name}, N=${s.count}`;

  for (const s of scenarios) {
    checks.push({
      target: 'early polls = 0',
      where: where(s),
      value: `${s.polling.earlyPolls} (min gap ${fixed(s.polling.minGapMs, 1)} ms)`,
      met: s.polling.earlyPolls === 0,
    });
  }
  for (const s of bffs) {
    const base = baselineAt(s.count);
    if (!base) continue;
    const ratio = s.cpu.perThousandPolls / base.cpu.perThousandPolls;
    checks.push({
      target: 'CPU per 1,000 polls (BFF + Redis) ≤ 1.5 × baseline',
      where: where(s),
      value: `${fixed(s.cpu.perThousandPolls, 2)} s vs ${fixed(base.cpu.perThousandPolls, 2)} s (× ${fixed(ratio, 2)})`,
      met: ratio <= 1.5,
    });
  }
  for (const s of bffs.filter((s) => s.count === small)) {
    checks.push({
      target: `lateness p99 ≤ 100 ms at N=${small}`,
      where: where(s),
      value: `${fixed(s.polling.latenessMs.p99)} ms`,
      met: s.polling.latenessMs.p99 <= 100,
    });
  }
  const maxWorkers = Math.max(0, ...bffs.filter((s) => s.count === large).map((s) => s.workers ?? 0));
  const largeBff = bffAt(large, maxWorkers);
  const largeBase = baselineAt(large);
  if (largeBff && largeBase) {
    checks.push({
      target: `lateness at N=${large}, ${maxWorkers} workers < single-process baseline`,
      where: where(largeBff),
      value: `p50 ${fixed(largeBff.polling.latenessMs.p50)} / p99 ${fixed(largeBff.polling.latenessMs.p99)} ms vs baseline p50 ${fixed(largeBase.polling.latenessMs.p50)} / p99 ${fixed(largeBase.polling.latenessMs.p99)} ms`,
      met:
        largeBff.polling.latenessMs.p99 < largeBase.polling.latenessMs.p99 &&
        largeBff.polling.latenessMs.p50 <= largeBase.polling.latenessMs.p50,
    });
  }
  const limit = (intervalSeconds * 1000) / 2 + 50;
  for (const s of bffs) {
    checks.push({
      target: `approval → result seen p50 ≤ interval/2 + 50 ms (${limit} ms)`,
      where: where(s),
      value: `${fixed(s.approvalToSeenMs.p50)} ms`,
      met: s.approvalToSeenMs.p50 <= limit,
    });
  }
  for (const s of bffs) {
    const bytes = s.redis?.bytesPerPending ?? Number.NaN;
    checks.push({
      target: 'Redis ≤ 3 KiB per pending authentication',
      where: where(s),
      value: `${fixed(bytes)} B (${s.redis?.pendingAtSample ?? 0} pending at the sample)`,
      met: bytes <= 3072,
    });
  }
  for (const s of bffs) {
    const apiSeconds = s.cpu.startPhaseSecondsByProcess?.api;
    if (apiSeconds === undefined) continue;
    const perStartMs = (apiSeconds * 1000) / Math.max(1, s.count - s.start.failed);
    checks.push({
      target: 'API CPU per start ≤ 1.5 ms (start phase)',
      where: where(s),
      value: `${perStartMs.toFixed(2)} ms`,
      met: perStartMs <= 1.5,
    });
  }
  for (const count of sizes) {
    const one = bffAt(count, 1);
    const two = bffAt(count, 2);
    if (!one || !two) continue;
    const ratio = two.polling.sustainedPollsPerSecond / one.polling.sustainedPollsPerSecond;
    checks.push({
      target: '2 workers ≥ 1.8 × the sustained polls/s of 1 (at equal lateness)',
      where: `N=${count}`,
      value: `${fixed(two.polling.sustainedPollsPerSecond)} vs ${fixed(one.polling.sustainedPollsPerSecond)} polls/s (× ${fixed(ratio, 2)}; demand ${fixed(one.polling.demandPollsPerSecond)}/s; lateness p99 ${fixed(two.polling.latenessMs.p99)} vs ${fixed(one.polling.latenessMs.p99)} ms)`,
      met: ratio >= 1.8,
    });
  }
  return checks;
}
