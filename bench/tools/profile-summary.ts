import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * `node bench/dist/tools/profile-summary.js <file.cpuprofile> [top]`: where a V8 CPU profile
 * (written by `npm run bench -- --profile`) spent its time — self time by package or source
 * file, self time by function, and inclusive time of the functions that matter most.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** node_modules/<package>, our own dist/<area>, node: internals, or a V8 pseudo-frame. */
function owner(url: string, functionName: string): string {
  if (!url) return `(${functionName || 'anonymous'})`;
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  const ours = /\/dist\/((?:apps|libs)\/[^/]+\/src\/[^/]+)/.exec(url);
  if (ours) return ours[1];
  if (url.startsWith('node:')) return url.split('/')[0];
  return basename(url);
}

const frameName = (node: ProfileNode) =>
  `${node.callFrame.functionName || '(anonymous)'} ${owner(node.callFrame.url, node.callFrame.functionName)}:${node.callFrame.lineNumber + 1}`;

function summarise(file: string, top: number): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  // Self time from the samples and their time deltas (µs), more exact than hitCount × interval.
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const selfByOwner = new Map<string, number>();
  const selfByFrame = new Map<string, number>();
  const inclusiveByFrame = new Map<string, number>();
  const inclusiveByOwner = new Map<string, number>();
  for (const [id, micros] of self) {
    const node = byId.get(id)!;
    const key = owner(node.callFrame.url, node.callFrame.functionName);
    selfByOwner.set(key, (selfByOwner.get(key) ?? 0) + micros);
    selfByFrame.set(frameName(node), (selfByFrame.get(frameName(node)) ?? 0) + micros);
    // Inclusive: every distinct frame on the stack gets the sample once (recursion counted once).
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!;
      for (const name of [frameName(frame), `[${owner(frame.callFrame.url, frame.callFrame.functionName)}]`]) {
        if (seen.has(name)) continue;
        seen.add(name);
        const map = name.startsWith('[') ? inclusiveByOwner : inclusiveByFrame;
        map.set(name, (map.get(name) ?? 0) + micros);
      }
    }
  }
  const rows = (map: Map<string, number>, filter: (name: string) => boolean = () => true) =>
    [...map.entries()]
      .filter(([name]) => filter(name))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([name, micros]) => `  ${((100 * micros) / total).toFixed(1).padStart(5)} %  ${(micros / 1e6).toFixed(2).padStart(7)} s  ${name}`,
      )
      .join('\n');
  return [
    `${basename(file)}: ${(total / 1e6).toFixed(2)} s sampled`,
    'self time by package / source folder:',
    rows(selfByOwner),
    'inclusive time by package / source folder (nested packages counted in each):',
    rows(inclusiveByOwner, (name) => !name.startsWith('[(')),
    'self time by function:',
    rows(selfByFrame),
    'inclusive time, our code (dist/apps, dist/libs):',
    rows(inclusiveByFrame, (name) => / (apps|libs)\//.test(name)),
  ].join('\n');
}

const [file, top] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bench/dist/tools/profile-summary.js <file.cpuprofile> [top=25]\n');
  process.exit(2);
}
process.stdout.write(`${summarise(file, Number(top ?? 25))}\n`);
