import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = process.cwd();
const GUARD = join(root, 'test/support/temp-dir-guard.js');

/** The guard's prefix list, read from its source (it is plain JavaScript, outside the type check). */
function guardPrefixes(): string[] {
  const list = /MKDTEMP_PREFIXES = \[([^\]]*)\]/.exec(readFileSync(GUARD, 'utf8'))?.[1] ?? '';
  return [...list.matchAll(/'([^']+)'/g)].map((match) => match[1]);
}

function sourceFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((path) => /\.(ts|js|mjs)$/.test(path) && !path.includes('node_modules') && !path.startsWith('dist'))
    .map((path) => join(folder, path));
}

/** Runs the guard's setup, then `work` (a script body given the run's TMPDIR), then its teardown, in a real process. */
async function runGuard(outer: string, work: string): Promise<{ error: string | null; tmpdirDuringRun: string }> {
  const script = `
    import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
    import { tmpdir } from 'node:os';
    import { join } from 'node:path';
    const guard = await import(${JSON.stringify(GUARD)});
    guard.setup();
    const inside = tmpdir();
    ${work}
    let error = null;
    try { guard.teardown(); } catch (e) { error = e.message; }
    process.stdout.write(JSON.stringify({ error, tmpdirDuringRun: inside }));
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, TMPDIR: outer },
  });
  return JSON.parse(stdout) as { error: string | null; tmpdirDuringRun: string };
}

describe('temporary-directory guard (Jest globalSetup/globalTeardown)', () => {
  let outer: string;
  beforeEach(() => {
    outer = mkdtempSync(join(tmpdir(), 'ciba-config-guard-'));
  });
  afterEach(() => rmSync(outer, { recursive: true, force: true }));

  it('knows every prefix our code gives mkdtemp', () => {
    const files = [...sourceFiles('apps'), ...sourceFiles('libs'), ...sourceFiles('test')];
    const used = new Set(
      files.flatMap((file) =>
        [...readFileSync(join(root, file), 'utf8').matchAll(/mkdtemp(?:Sync)?\(join\(tmpdir\(\), '([^']+)'\)/g)].map((m) => m[1]),
      ),
    );
    expect(used.size).toBeGreaterThanOrEqual(5);
    const known = guardPrefixes();
    expect([...used].filter((prefix) => !known.some((k) => prefix.startsWith(k)))).toEqual([]);
  });

  it('passes a clean run, hands screenshot folders over, and leaves nothing else', async () => {
    const { error, tmpdirDuringRun } = await runGuard(
      outer,
      `mkdirSync(join(inside, 'ciba-console-screens'));
       writeFileSync(join(inside, 'ciba-console-screens', 'a.png'), 'png');
       mkdtempSync(join(inside, 'playwright_chromiumdev_profile-'));`,
    );
    expect(error).toBeNull();
    expect(tmpdirDuringRun.startsWith(join(outer, 'ciba-test-run-'))).toBe(true);
    expect(existsSync(tmpdirDuringRun)).toBe(false);
    expect(readdirSync(outer)).toEqual(['ciba-console-screens']);
    expect(readdirSync(join(outer, 'ciba-console-screens'))).toEqual(['a.png']);
  });

  it('fails a run that left one of our entries behind, naming it, and still removes it', async () => {
    const { error, tmpdirDuringRun } = await runGuard(
      outer,
      `mkdtempSync(join(inside, 'ciba-config-'));
       mkdtempSync(join(inside, 'embedded-redis-'));`,
    );
    expect(error).toMatch(/left 2 temporary entries behind \(removed now\): ciba-config-\w{6}, embedded-redis-\w{6}/);
    expect(existsSync(tmpdirDuringRun)).toBe(false);
    expect(readdirSync(outer)).toEqual([]);
  });

  it('removes the directory of an earlier run whose process is gone, and only that', async () => {
    mkdirSync(join(outer, 'ciba-test-run-2147483646-abcdef'));
    mkdirSync(join(outer, `ciba-test-run-${process.pid}-abcdef`));
    await runGuard(outer, '');
    expect(readdirSync(outer)).toEqual([`ciba-test-run-${process.pid}-abcdef`]);
  });
});
