import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DIST,
  EMBEDDED_MAIN,
  READY_LINE,
  ROOT,
  STOP_LINE,
  accepts,
  eventually,
  freePorts,
  stopGroup,
  redisPortOf,
  redisServersOn,
  run,
  type AppProcess,
} from './embedded-process.js';

/**
 * `npm start` stops completely however it is asked to: a signal to its own PID (a process
 * manager, `kill`), to npm's, or its parent dying; SIGKILL leaves no redis-server behind.
 */
describe('npm start stops completely', () => {
  const started: AppProcess[] = [];
  afterEach(() => Promise.all(started.splice(0).map(stopGroup)));

  async function expectAllClosed(ports: { PORT: string; SANDBOX_PORT: string }, redisPort: number): Promise<void> {
    expect(await accepts(Number(ports.PORT))).toBe(false);
    expect(await accepts(Number(ports.SANDBOX_PORT))).toBe(false);
    expect(await accepts(redisPort)).toBe(false);
    expect(redisServersOn(redisPort)).toEqual([]);
  }

  it.each(['SIGTERM', 'SIGINT'] as const)('on %s to its PID: exits 0, says so, frees its ports and stops redis-server', async (signal) => {
    const ports = await freePorts();
    const app = run(process.execPath, [EMBEDDED_MAIN], ports);
    started.push(app);
    await app.waitFor(READY_LINE);
    const redisPort = redisPortOf(app.stdout());
    expect(await accepts(redisPort)).toBe(true);

    app.child.kill(signal);
    expect(await app.closed).toEqual({ code: 0, signal: null });
    expect(app.stdout()).toContain(STOP_LINE);
    expect(app.stderr()).toBe('');
    await expectAllClosed(ports, redisPort);
  });

  it('when the shell npm runs it under dies of SIGTERM (npm forwards signals to that shell only)', async () => {
    const ports = await freePorts();
    // npm runs a script as `sh -c "<script>"`; with `&&` in it the shell stays between npm and node.
    const app = run('/bin/sh', ['-c', `true && "${process.execPath}" "${EMBEDDED_MAIN}"`], ports);
    started.push(app);
    await app.waitFor(READY_LINE);
    const redisPort = redisPortOf(app.stdout());

    app.child.kill('SIGTERM');
    // The pipes close once the app, which inherited them, has exited.
    await app.closed;
    expect(app.stdout()).toContain(STOP_LINE);
    await expectAllClosed(ports, redisPort);
  });

  it('leaves no redis-server behind when it is SIGKILLed', async () => {
    const ports = await freePorts();
    const app = run(process.execPath, [EMBEDDED_MAIN], ports);
    started.push(app);
    await app.waitFor(READY_LINE);
    const redisPort = redisPortOf(app.stdout());

    app.child.kill('SIGKILL');
    await app.closed;
    expect(await eventually(async () => !(await accepts(redisPort)) && redisServersOn(redisPort).length === 0)).toBe(true);
  });

  describe('through npm itself (the start script, with the build replaced by `true`)', () => {
    let dir: string;
    beforeAll(() => {
      const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
      dir = mkdtempSync(join(tmpdir(), 'npm-start-'));
      const start = script.replace('npm run build --silent', 'true').replace(/(^|\s)dist\//, `$1${DIST}/`);
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({ name: 'npm-start-signals', version: '0.0.0', private: true, scripts: { start } }),
      );
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it.each(['SIGTERM', 'SIGINT'] as const)('on %s to npm: the app stops and npm exits', async (signal) => {
      const ports = await freePorts();
      const npm = run('npm', ['start'], ports, { cwd: dir });
      started.push(npm);
      await npm.waitFor(READY_LINE);
      const redisPort = redisPortOf(npm.stdout());

      // npm forwards both signals to the script's shell only: they reach the app when the start
      // script `exec`s node (the shell then is node) or, for SIGTERM, through the parent watch.
      npm.child.kill(signal);
      const timeout = new Promise((resolve) => setTimeout(resolve, 30_000, 'still running').unref());
      expect(await Promise.race([npm.closed.then(() => 'exited'), timeout])).toBe('exited');
      expect(npm.stdout()).toContain(STOP_LINE);
      await expectAllClosed(ports, redisPort);
    });
  });
});
