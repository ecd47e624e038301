// Jest globalSetup (this file) and globalTeardown (temp-dir-guard.teardown.js): a test run must
// leave nothing behind in the temporary directory. Plain JavaScript so Jest loads it without a
// transform.
//
// Setup gives the run a temporary directory of its own (TMPDIR, which os.tmpdir() reads on every
// call and every child process inherits: the test workers, redis-server, Chromium, the compiled
// BFF). Teardown fails the run when a folder or file named with one of our mkdtemp prefixes is
// still in it: a test or a helper created it and did not remove it. Then the whole directory is
// removed, so nothing stays behind even after a failure, and other runs on the same machine can
// neither trip this check nor lose their files to it.
import { mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The prefixes our code gives mkdtemp (temp-dir-guard.spec.ts keeps this list complete). */
export const MKDTEMP_PREFIXES = [
  'ciba-config-',
  'ciba-fault-redis-',
  'ciba-mtls-',
  'ciba-openapi-types-',
  'ciba-rotate-',
  'ciba-sentinel-',
  'embedded-redis-',
  'npm-start-',
];
const RUN_PREFIX = 'ciba-test-run-';

/** Any other `ciba-` entry has a fixed name on purpose (the browser tests' screenshot folders): kept. */
const isKeptOutput = (name) => name.startsWith('ciba-') && !name.startsWith(RUN_PREFIX);

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Removes the directories of earlier runs whose Jest process is gone (a run killed before its teardown). */
function removeAbandonedRuns(outer) {
  for (const name of readdirSync(outer)) {
    const match = new RegExp(`^${RUN_PREFIX}(\\d+)-`).exec(name);
    if (match && !isAlive(Number(match[1]))) rmSync(join(outer, name), { recursive: true, force: true });
  }
}

export function setup() {
  const outer = tmpdir();
  removeAbandonedRuns(outer);
  const runDir = mkdtempSync(join(outer, `${RUN_PREFIX}${process.pid}-`));
  globalThis.__cibaTempGuard = { outer, runDir, previous: process.env.TMPDIR };
  process.env.TMPDIR = runDir;
}

export function teardown() {
  const guard = globalThis.__cibaTempGuard;
  if (!guard) return;
  globalThis.__cibaTempGuard = undefined;
  if (guard.previous === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = guard.previous;

  const left = [];
  for (const name of readdirSync(guard.runDir)) {
    if (MKDTEMP_PREFIXES.some((prefix) => name.startsWith(prefix))) {
      left.push(name);
    } else if (isKeptOutput(name)) {
      // Handed over where the tests say they are ($TMPDIR/<name>), replacing an older copy.
      try {
        rmSync(join(guard.outer, name), { recursive: true, force: true });
        renameSync(join(guard.runDir, name), join(guard.outer, name));
      } catch {
        // Another run handed over the same folder at this moment: theirs is as good.
      }
    }
  }
  rmSync(guard.runDir, { recursive: true, force: true });
  if (left.length > 0) {
    throw new Error(
      `The test run left ${left.length} temporary entr${left.length === 1 ? 'y' : 'ies'} behind (removed now): ${left.sort().join(', ')}. ` +
        'Whatever creates one must remove it (in afterAll, or in the helper that made it).',
    );
  }
}

export default setup;
