import type { RunReport } from './run-report.js';
import type { ScenarioResult } from '../scenario/scenario-result.js';

const PANEL_WIDTH = 460;
const PANEL_HEIGHT = 300;
const MARGIN = { left: 60, right: 20, top: 50, bottom: 50 };
const COLOURS: Record<string, string> = { baseline: '#6b7280', bff1: '#2563eb', bff2: '#ea580c', bff3: '#16a34a', bff4: '#9333ea' };

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const colour = (s: ScenarioResult) => (s.implementation === 'baseline' ? COLOURS.baseline : (COLOURS[`bff${s.workers}`] ?? '#111827'));

/** A round axis maximum at or above `value`. */
function niceMax(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(value, 1)));
  return [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].map((step) => step * magnitude).find((candidate) => candidate >= value) ?? value;
}

/**
 * One panel per N: the cumulative distribution of approval → result seen, BFF (per worker count)
 * against the baseline, with the target (interval/2 + 50 ms) as a dashed line. Hand-written SVG.
 */
export function latencyChart(report: RunReport): string {
  const sizes = [...new Set(report.scenarios.map((s) => s.count))].sort((a, b) => a - b);
  const target = (report.settings.intervalSeconds * 1000) / 2 + 50;
  const width = sizes.length * PANEL_WIDTH;
  const height = PANEL_HEIGHT + 40;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">Approval → result seen by the client (CDF), interval ${report.settings.intervalSeconds} s</text>`,
  ];
  sizes.forEach((count, index) =>
    parts.push(
      panel(
        report.scenarios.filter((s) => s.count === count),
        count,
        index * PANEL_WIDTH,
        target,
      ),
    ),
  );
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function panel(scenarios: ScenarioResult[], count: number, offsetX: number, target: number): string {
  const plotWidth = PANEL_WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const finite = scenarios.flatMap((s) => s.approvalToSeenCurve).filter(Number.isFinite);
  const xMax = niceMax(Math.max(target * 1.2, ...finite));
  const x = (ms: number) => offsetX + MARGIN.left + (Math.max(0, ms) / xMax) * plotWidth;
  const y = (fraction: number) => 40 + MARGIN.top + plotHeight - fraction * plotHeight;
  const out: string[] = [
    `<g>`,
    `<text x="${offsetX + PANEL_WIDTH / 2}" y="${y(1) - 14}" text-anchor="middle" font-weight="bold">N = ${count.toLocaleString('en-US')}</text>`,
  ];
  // Axes and grid.
  for (let i = 0; i <= 5; i += 1) {
    const ms = (xMax / 5) * i;
    out.push(`<line x1="${x(ms)}" y1="${y(0)}" x2="${x(ms)}" y2="${y(1)}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${x(ms)}" y="${y(0) + 16}" text-anchor="middle">${Math.round(ms)}</text>`);
  }
  for (let i = 0; i <= 4; i += 1) {
    out.push(`<line x1="${x(0)}" y1="${y(i / 4)}" x2="${x(xMax)}" y2="${y(i / 4)}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${x(0) - 6}" y="${y(i / 4) + 4}" text-anchor="end">${i * 25}%</text>`);
  }
  out.push(`<line x1="${x(0)}" y1="${y(0)}" x2="${x(xMax)}" y2="${y(0)}" stroke="#111827"/>`);
  out.push(`<line x1="${x(0)}" y1="${y(0)}" x2="${x(0)}" y2="${y(1)}" stroke="#111827"/>`);
  out.push(`<text x="${x(xMax / 2)}" y="${y(0) + 34}" text-anchor="middle">ms from approval to result seen</text>`);
  // The target p50.
  out.push(`<line x1="${x(target)}" y1="${y(0)}" x2="${x(target)}" y2="${y(1)}" stroke="#dc2626" stroke-dasharray="4 3"/>`);
  out.push(`<text x="${x(target) + 4}" y="${y(0.04)}" fill="#dc2626">target p50 ${target} ms</text>`);
  // One step curve per scenario.
  scenarios.forEach((s, i) => {
    const points = s.approvalToSeenCurve
      .map((ms, q) => (Number.isFinite(ms) ? `${x(Math.min(ms, xMax)).toFixed(1)},${y((q + 1) / 100).toFixed(1)}` : ''))
      .filter(Boolean);
    if (points.length > 0) out.push(`<polyline fill="none" stroke="${colour(s)}" stroke-width="2" points="${points.join(' ')}"/>`);
    const legendY = y(0.4) + i * 16;
    out.push(`<line x1="${x(xMax) - 225}" y1="${legendY}" x2="${x(xMax) - 205}" y2="${legendY}" stroke="${colour(s)}" stroke-width="3"/>`);
    out.push(`<text x="${x(xMax) - 200}" y="${legendY + 4}">${escape(s.name)} (p50 ${Math.round(s.approvalToSeenMs.p50)})</text>`);
  });
  out.push('</g>');
  return out.join('\n');
}
