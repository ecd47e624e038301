import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { REPO_ROOT } from '../support/repo-paths.js';
import { latencyChart } from './latency-chart.js';
import type { RunReport } from './run-report.js';
import { processTable, redisTable, resultsTable, targetsTable } from './table.js';

export interface WrittenResults {
  json: string;
  latestJson: string;
  markdown: string;
  chart: string;
}

/**
 * `<ISO timestamp>.json`, `latest.json`, `latest.md` and `latency.svg` in `directory`. The JSON
 * goes through Prettier with the repository's settings, so `npm run lint` (prettier --check .)
 * accepts committed results as they are.
 */
export async function writeResults(report: RunReport, directory: string): Promise<WrittenResults> {
  mkdirSync(directory, { recursive: true });
  const stamp = report.startedAt.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
  const json = join(directory, `${stamp}.json`);
  const latestJson = join(directory, 'latest.json');
  const markdown = join(directory, 'latest.md');
  const chart = join(directory, 'latency.svg');
  // The repository's Prettier settings, wherever the files go (--out may point outside the repo).
  const options = (await resolveConfig(join(REPO_ROOT, 'bench', 'results', 'latest.json'))) ?? {};
  const text = await format(JSON.stringify(report), { ...options, parser: 'json', filepath: json });
  writeFileSync(json, text);
  writeFileSync(latestJson, text);
  writeFileSync(markdown, markdownReport(report));
  writeFileSync(chart, latencyChart(report));
  return { json, latestJson, markdown, chart };
}

export function markdownReport(report: RunReport): string {
  const m = report.machine;
  const s = report.settings;
  return [
    `# CIBA BFF benchmark (${report.mode} run, ${report.startedAt})`,
    '',
    `Machine: ${m.cpuCount} × ${m.cpuModel} (${m.cpuMhz} MHz), ${(m.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB, ${m.os}, Node ${m.node}, ${m.redisServer}.`,
    `Commit ${m.commit}${m.workingTreeDirty ? ' (working tree modified)' : ''}; \`dist/\` built ${m.distBuiltAt ?? 'unknown'}.`,
    '',
    `Interval ${s.intervalSeconds} s, approval ${s.approvalDelaySeconds} s after the acknowledgement (+ a per-hint offset in [0, ${s.approvalJitterMs}) ms), ` +
      `${s.startConcurrency} starts in flight ${s.startRate === 'interval' ? 'spread evenly over one interval' : s.startRate === 'max' ? 'sent as fast as they are answered' : `at ${s.startRate}/s`}, ${s.warmUp} warm-up authentications before each measured phase, the BFF's results followed ${s.follow === 'sse' ? 'on events streams (SSE)' : 'by long-polls'}, pollConcurrency ${s.pollConcurrency ?? 'default (50)'} per worker, Redis AOF ${s.aof ? 'on' : 'off'}` +
      `${
        Object.keys(s.redisConfig).length
          ? `, Redis ${Object.entries(s.redisConfig)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')}`
          : ''
      }. ` +
      'Every process (provider, BFF, Redis, driver, baseline) shares this machine.',
    '',
    '## Results',
    '',
    resultsTable(report),
    '',
    '## Targets (reported, not enforced)',
    '',
    targetsTable(report),
    '',
    '## Per process',
    '',
    processTable(report),
    '',
    '## Redis',
    '',
    redisTable(report),
    '',
    '![approval → result seen](latency.svg)',
    '',
  ].join('\n');
}
