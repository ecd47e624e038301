import type { ScenarioResult } from '../scenario/scenario-result.js';
import type { RunSettings } from '../scenario/scenario-settings.js';
import type { MachineDescription } from './machine.js';
import type { TargetCheck } from './targets.js';

/** Everything one `npm run bench` wrote: the JSON file is this object. */
export interface RunReport {
  benchmark: 'ciba-bff';
  mode: 'full' | 'quick' | 'custom';
  startedAt: string;
  finishedAt: string;
  settings: RunSettings & { sizes: number[]; workers: number[] };
  machine: MachineDescription;
  scenarios: ScenarioResult[];
  targets: TargetCheck[];
}
